// The headless simulator (../shared/spec/cli-and-trace.md): `run`, `check` and `bench`.
// Exit status: the guest's exit code, 128+signal if killed, 2 for assembly or usage errors,
// 124 when the instruction budget runs out.

import { readFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { assembleSource, Session, DEFAULT_BUDGET } from '../engine/session.ts';
import { parseKnobs, KNOB_DOCS } from '../engine/knobs.ts';
import { JsonLinesSink } from '../engine/trace/events.ts';
import { paperTables, type PaperRow } from '../engine/paper.ts';
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

/** Buffered writes to a file descriptor (traces can be large). */
class Out {
  private buf: string[] = [];
  private size = 0;
  constructor(private fd: number) {}
  write(s: string) {
    this.buf.push(s); this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush() { if (this.buf.length) { writeSync(this.fd, this.buf.join('')); this.buf = []; this.size = 0; } }
}

function fail(msg: string, code = 2): never {
  process.stderr.write(`sim: ${msg}\n`);
  process.exit(code);
}

function readSource(file: string | undefined): string {
  if (!file) fail(`no FILE.s given\n${USAGE}`);
  try { return readFileSync(file, 'utf8'); } catch (e) { fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`); }
}

function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  if (cmd === 'check') {
    const file = rest[0];
    const a = assembleSource(readSource(file), file);
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
  const t = paperTables(read);
  if (json) { process.stdout.write(JSON.stringify(t) + '\n'); return 0; }
  const dev = (v: number, p: number) => `${v >= p ? '+' : ''}${(((v - p) / p) * 100).toFixed(1)}%`;
  const line = (r: PaperRow) => `  ${r.op.padEnd(11)} ${String(r.linux).padStart(9)} ${String(r.paperLinux).padStart(9)} ${dev(r.linux, r.paperLinux).padStart(7)}   ${String(r.dune).padStart(9)} ${String(r.paperDune).padStart(9)} ${dev(r.dune, r.paperDune).padStart(7)}`;
  const head = '  operation       Linux     paper     dev        Dune     paper     dev';
  process.stdout.write(`Table 2: operations that cost more in Dune (cycles)\n${head}\n${t.table2.map(line).join('\n')}\n\n`);
  process.stdout.write(`Table 3: operations that are faster in Dune (cycles)\n${head}\n${t.table3.map(line).join('\n')}\n`);
  return 0;
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
  const a = assembleSource(src, file);
  if (!a.ok) { process.stderr.write(a.diagnostics + '\n'); return 2; }

  let out: Out | null = null, traceFd = -1;
  if (trace === '-') out = new Out(1);
  else if (trace) {
    try { traceFd = openSync(trace, 'w'); } catch (e) { fail(`cannot write trace ${trace}: ${(e as NodeJS.ErrnoException).code}`); }
    out = new Out(traceFd);
  }
  const sink = out ? new JsonLinesSink((l) => out!.write(l)) : null;
  const s = new Session(a.program, { file, stdin, knobs: knobs.knobs, sink });
  const st = s.run(budget);
  const m = s.machine;
  if (trace !== '-') process.stdout.write(s.stdout());
  if (s.stderr() && trace !== '-') process.stderr.write(s.stderr());
  for (const line of s.kernel.report) process.stderr.write(line + '\n');
  if (st === null) {
    m.emit({ type: 'exit', code: 124, how: 'budget' });
    process.stderr.write(`sim: stopped after ${budget} instructions (--max-instructions); the program had not exited. ` +
      `RIP ${'0x' + m.cpu.rip.toString(16)}, CPL ${m.cpu.cpl}, VMX ${m.vmxMode}.\n`);
  }
  const sum = m.summary();
  if (sink) { m.emit(sum); }
  out?.flush();
  if (traceFd >= 0) closeSync(traceFd);
  if (!quiet) {
    const exits = Object.entries(sum.vmexits).map(([k, v]) => `${k}=${v}`).join(' ') || 'none';
    process.stderr.write(`[sim] ${file}: ${st === null ? 'budget exhausted' : st.how === 'exit' ? `exit ${st.code}` : `${st.how} (status ${st.code})`}; ` +
      `${sum.instructions} instructions, ${sum.cycles} cycles, vmexits ${exits}, walks ${sum.walks} (${sum.walkRefs} refs), ` +
      `TLB misses ${sum.tlbMisses}, faults ${sum.faults}\n`);
  }
  return st === null ? 124 : st.code;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  // A bug in the simulator itself, not in the guest program: say so plainly, without a JS stack.
  process.stderr.write(`sim: internal simulator error: ${e instanceof Error ? e.message : String(e)}\n` +
    'This is a bug in Dune Lab, not in your program; please report it with the program that triggered it.\n');
  process.exitCode = 70;
}
