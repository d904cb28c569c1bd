// The headless simulator (../shared/spec/cli-and-trace.md): `run`, `check` and `bench`.
// Exit status: the guest's exit code, 128+signal if killed, 2 for assembly or usage errors,
// 124 when the instruction budget runs out.

import { readFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { assembleSource, Session, DEFAULT_BUDGET } from '../engine/session.ts';
import { parseKnobs, KNOB_DOCS } from '../engine/knobs.ts';
import { JsonLinesBytes } from '../engine/trace/jsonbytes.ts';
import { paperTables, type PaperRow } from '../engine/paper.ts';
import { table6, type Table6Row } from '../engine/paper-gc.ts';
import { sandboxCost, table4Slowdown, PAPER_TABLE4 } from '../engine/paper-sandbox.ts';
import { table5, PAPER_GHZ, type Table5Row } from '../engine/paper-wedge.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lessonCommand, LESSON_USAGE } from './lesson.ts';
import { exerciseCommand, EXERCISE_USAGE } from './exercise.ts';

const USAGE = `usage:
  sim run FILE.s [--trace PATH|-] [--max-instructions N] [--set KEY=VALUE]... [--stdin TEXT] [--quiet]
  sim check FILE.s
  sim bench paper [--json]
${LESSON_USAGE}
${EXERCISE_USAGE}
knobs (--set): ${Object.entries(KNOB_DOCS).map(([k, v]) => `\n  ${k}=${v}`).join('')}`;

/** A pipe takes what fits: write until every byte is out, waiting while it is full (EAGAIN);
 *  a reader that went away (EPIPE, as `| head` does) ends the run quietly, as SIGPIPE would. */
function writeAll(fd: number, bytes: Uint8Array) {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let off = 0; off < bytes.length;) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}

function fail(msg: string, code = 2): never {
  process.stderr.write(`sim: ${msg}\n`);
  process.exit(code);
}

/** `.include` reads from disk: the assembler resolves the path against the including file's. */
const fromDisk = (path: string): string | undefined => { try { return readFileSync(path, 'utf8'); } catch { return undefined; } };

function readSource(file: string | undefined): string {
  if (!file) fail(`no FILE.s given\n${USAGE}`);
  try { return readFileSync(file, 'utf8'); } catch (e) { fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`); }
}

function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  if (cmd === 'check') {
    const file = rest[0];
    const a = assembleSource(readSource(file), file, fromDisk);
    if (!a.ok) { process.stderr.write(a.diagnostics + '\n'); return 2; }
    process.stderr.write(`${file}: ok (${a.program.instrs.length} instructions, entry 0x${a.program.entry.toString(16)})\n`);
    return 0;
  }
  if (cmd === 'run') return run(rest);
  if (cmd === 'bench') return bench(rest);
  if (cmd === 'lesson') return lessonCommand(rest, fail);
  if (cmd === 'exercise') return exerciseCommand(rest, fail);
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') { process.stdout.write(USAGE + '\n'); return 0; }
  fail(`unknown command '${cmd ?? ''}'\n${USAGE}`);
}

/** `bench paper [--json]`: the paper's Tables 2 and 3 from samples/bench. */
function bench(args: string[]): number {
  if (args[0] !== 'paper') fail(`unknown benchmark '${args[0] ?? ''}' (known: paper)`);
  const json = args.includes('--json');
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../samples/bench');
  const read = (name: string) => { try { return readFileSync(join(dir, name), 'utf8'); } catch { return null; } };
  const readGc = (name: string) => { try { return readFileSync(join(dir, '../gc', name), 'utf8'); } catch { return null; } };
  const readWedge = (name: string) => { try { return readFileSync(join(dir, '../wedge', name), 'utf8'); } catch { return null; } };
  const t = { ...paperTables(read), table5: table5(readWedge), table6: table6(readGc).rows };
  if (json) { process.stdout.write(JSON.stringify(t) + '\n'); return 0; }
  const dev = (v: number, p: number) => `${v >= p ? '+' : ''}${(((v - p) / p) * 100).toFixed(1)}%`;
  const line = (r: PaperRow) => `  ${r.op.padEnd(11)} ${String(r.linux).padStart(9)} ${String(r.paperLinux).padStart(9)} ${dev(r.linux, r.paperLinux).padStart(7)}   ${String(r.dune).padStart(9)} ${String(r.paperDune).padStart(9)} ${dev(r.dune, r.paperDune).padStart(7)}`;
  const head = '  operation       Linux     paper     dev        Dune     paper     dev';
  process.stdout.write(`Table 2: operations that cost more in Dune (cycles)\n${head}\n${t.table2.map(line).join('\n')}\n\n`);
  process.stdout.write(`Table 3: operations that are faster in Dune (cycles)\n${head}\n${t.table3.map(line).join('\n')}\n`);
  process.stdout.write(`\n${formatTable5(t.table5)}`);
  process.stdout.write(`\n${formatTable6(t.table6)}`);
  const readBox = (name: string) => { try { return readFileSync(join(dir, '../sandbox', name), 'utf8'); } catch { return null; } };
  const box = sandboxCost(readBox, read);
  if (box) {
    const p = PAPER_TABLE4, sl = table4Slowdown();
    process.stdout.write(`\nSandbox (section 5.1): one getpid forwarded from ring 3 by the monitor costs ${box.forwarded} cycles; on Linux ${box.linux} (+${box.overhead})\n` +
      `  paper, Table 4 (lighttpd, requests/s; context only, the model has no network): Linux ${p.linux.one} / ${p.linux.hundred}, ` +
      `sandbox ${p.sandbox.one} / ${p.sandbox.hundred} (1 / 100 clients: ${sl.one}% / ${sl.hundred}% slower)\n`);
  }
  return 0;
}

/** Table 5: cycles (and microseconds at the paper's 3.3 GHz) beside the paper's microseconds. */
function formatTable5(rows: Table5Row[]): string {
  const us = (c: number) => (c / (PAPER_GHZ * 1000)).toFixed(2);
  const x = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
  const body = rows.map((r) => `  ${r.op.padEnd(10)} ${String(r.fork).padStart(9)} ${us(r.fork).padStart(8)} ${String(r.paperFork).padStart(7)}   ${String(r.sthread).padStart(9)} ${us(r.sthread).padStart(8)} ${String(r.paperSthread).padStart(7)}   ${x(r.fork, r.sthread).padStart(6)} ${x(r.paperFork, r.paperSthread).padStart(6)}`);
  return 'Table 5: Wedge, fork against sthreads (cycles; us at 3.3 GHz; the paper\'s us)\n' +
    `  ${'operation'.padEnd(10)} ${'fork'.padStart(9)} ${'us'.padStart(8)} ${'paper'.padStart(7)}   ${'sthread'.padStart(9)} ${'us'.padStart(8)} ${'paper'.padStart(7)}   ${'gain'.padStart(6)} ${'paper'.padStart(6)}\n` +
    body.join('\n') + '\n';
}

/** Table 6: cycles per mode, and each Dune mode's change against linux beside the paper's. */
function formatTable6(rows: Table6Row[]): string {
  const ch = (v: number, base: number) => `${v >= base ? '+' : ''}${(((v - base) / base) * 100).toFixed(1)}%`;
  const cell = (v: number, base: number, paper: number) => `${String(v).padStart(9)} ${ch(v, base).padStart(6)} ${`(${paper >= 0 ? '+' : ''}${paper.toFixed(1)}%)`.padStart(8)}`;
  const body = rows.map((r) => `  ${r.bench.padEnd(10)} ${String(r.linux).padStart(9)}  ${cell(r.dune, r.linux, r.paper.dune)}  ${cell(r.duneTlb, r.linux, r.paper.duneTlb)}  ${cell(r.duneDirty, r.linux, r.paper.duneDirty)}`);
  return 'Table 6: Boehm-style GC, cycles of each benchmark; change against linux (paper: against Normal)\n' +
    '  (the Dune variants are reconstructions: the paper\'s port is not public)\n' +
    `  ${'benchmark'.padEnd(10)} ${'linux'.padStart(9)}  ${['dune', 'dune-tlb', 'dune-dirty'].map((m) => `${m.padStart(9)} ${'change'.padStart(6)} ${'(paper)'.padStart(8)}`).join('  ')}\n` +
    body.join('\n') + '\n';
}

function run(args: string[]): number {
  let file: string | undefined, trace: string | undefined, budget = DEFAULT_BUDGET, stdin = '', quiet = false;
  const sets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const val = () => { if (i + 1 >= args.length) fail(`${a} needs a value`); return args[++i]; };
    if (a === '--trace') trace = val();
    else if (a === '--max-instructions') {
      const v = val();
      if (!/^\d[\d_]*$/.test(v)) fail(`--max-instructions takes a positive whole number, not '${v}'`);
      budget = Number(v.replace(/_/g, ''));
    } else if (a === '--set') sets.push(val());
    else if (a === '--stdin') stdin = val();
    else if (a === '--quiet') quiet = true;
    else if (a.startsWith('--')) fail(`unknown option ${a}\n${USAGE}`);
    else if (file === undefined) file = a;
    else fail(`unexpected argument '${a}'`);
  }
  const knobs = parseKnobs(sets);
  if (!knobs.ok) fail(knobs.error);
  const src = readSource(file);
  const a = assembleSource(src, file, fromDisk);
  if (!a.ok) { process.stderr.write(a.diagnostics + '\n'); return 2; }

  let traceFd = -1;
  if (trace === '-') traceFd = 1;
  else if (trace) {
    try { traceFd = openSync(trace, 'w'); } catch (e) { fail(`cannot write trace ${trace}: ${(e as NodeJS.ErrnoException).code}`); }
  }
  // The trace's lines as bytes, written in 1 MiB chunks (traces can be large).
  const sink = traceFd >= 0 ? new JsonLinesBytes((chunk) => writeAll(traceFd, chunk)) : null;
  const s = new Session(a.program, { file, stdin, knobs: knobs.knobs, sink });
  const st = s.run(budget);
  const m = s.machine;
  if (trace !== '-') process.stdout.write(s.stdout());
  if (s.stderr() && trace !== '-') process.stderr.write(s.stderr());
  for (const line of s.kernel.report) process.stderr.write(line + '\n');
  const outOfBudget = st === null || st.how === 'budget';
  if (outOfBudget) {
    if (st === null) m.emit({ type: 'exit', code: 124, how: 'budget' });
    process.stderr.write(`sim: stopped after ${budget} instructions (--max-instructions); the program had not exited. ` +
      `RIP ${'0x' + m.cpu.rip.toString(16)}, CPL ${m.cpu.cpl}, VMX ${m.vmxMode}.\n`);
  }
  const sum = m.summary();
  if (sink) { m.emit(sum); }
  sink?.flush();
  if (trace !== undefined && trace !== '-') closeSync(traceFd);
  if (!quiet) {
    const exits = Object.entries(sum.vmexits).map(([k, v]) => `${k}=${v}`).join(' ') || 'none';
    process.stderr.write(`[sim] ${file}: ${outOfBudget ? 'budget exhausted' : st.how === 'exit' ? `exit ${st.code}` : `${st.how} (status ${st.code})`}; ` +
      `${sum.instructions} instructions, ${sum.cycles} cycles, vmexits ${exits}, walks ${sum.walks} (${sum.walkRefs} refs), ` +
      `TLB misses ${sum.tlbMisses}, faults ${sum.faults}\n`);
  }
  return outOfBudget ? 124 : st.code;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  // A bug in the simulator itself, not in the guest program: say so plainly, without a JS stack.
  process.stderr.write(`sim: internal simulator error: ${e instanceof Error ? e.message : String(e)}\n` +
    'This is a bug in Dune Lab, not in your program; please report it with the program that triggered it.\n');
  process.exitCode = 70;
}
