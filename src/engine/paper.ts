// The paper's micro-benchmarks (Tables 2 and 3 of Belay et al., OSDI 2012) run on the simulator:
// each row runs a Linux program and a Dune program (samples/bench, after the real repository's
// bench_linux / bench_dune) and reads what they measured. Nothing here is a constant per row:
// the figures come from the programs' own RDTSC measurements of the modelled machine, or, for
// "page walk", from the walker's cycle counter between the program's two RDTSCs (as the paper
// read a performance counter). World: a harness above the engine.

import { assembleSource, Session } from './session.ts';
import type { IncludeReader } from './asm/index.ts';

export type PaperOp = 'getpid' | 'page_fault' | 'page_walk' | 'ptrace' | 'trap' | 'appel1' | 'appel2';

export interface PaperRow { op: PaperOp; linux: number; dune: number; paperLinux: number; paperDune: number }

/** The paper's figures (average cycles; Tables 2 and 3). */
export const PAPER: Record<PaperOp, { table: 2 | 3; linux: number; dune: number; file: string }> = {
  getpid: { table: 2, linux: 138, dune: 895, file: 'getpid' },
  page_fault: { table: 2, linux: 2687, dune: 5093, file: 'pagefault' },
  page_walk: { table: 2, linux: 35.8, dune: 86.4, file: 'pagewalk' },
  ptrace: { table: 3, linux: 27317, dune: 1091, file: 'ptrace' },
  trap: { table: 3, linux: 2821, dune: 587, file: 'trap' },
  appel1: { table: 3, linux: 701413, dune: 94496, file: 'appel1' },
  appel2: { table: 3, linux: 684909, dune: 94854, file: 'appel2' },
};

export interface BenchRun { value: number; instructions: number; cycles: number; vmexits: Record<string, number> }

/** Run one benchmark program; the figure is the number it prints (or, for the page walk, the
 *  walker's cycles per timed load). Throws with the program's diagnostics if it fails. */
/** `include` reads what the program `.include`s (samples/bench/timing.inc), by path relative to `file`. */
export function runBench(source: string, file: string, op: PaperOp, include?: IncludeReader): BenchRun {
  const a = assembleSource(source, file, include);
  if (!a.ok) throw new Error(`${file} does not assemble:\n${a.diagnostics}`);
  const s = new Session(a.program, { file, memBytes: 1 << 30 });
  const marks: { walkCycles: number }[] = [];
  if (op === 'page_walk') s.machine.onRdtsc = (m) => { marks.push({ walkCycles: m.mmu.stats.walkCycles }); };
  const st = s.run(2_000_000_000);
  if (!st || st.how !== 'exit' || st.code !== 0)
    throw new Error(`${file} did not finish cleanly (${st ? `${st.how} ${st.code}` : 'budget'}):\n${s.kernel.report.join('\n')}\n${s.stdout()}`);
  const printed = Number(s.stdout().trim().split('\n').at(-1));
  let value = printed;
  if (op === 'page_walk') {
    const loads = Number(a.program.symbols.get('M'));
    if (marks.length < 2 || !loads) throw new Error(`${file}: expected two RDTSCs around M timed loads`);
    value = (marks[1].walkCycles - marks[0].walkCycles) / loads;
  }
  if (!Number.isFinite(value)) throw new Error(`${file} printed no figure:\n${s.stdout()}`);
  const m = s.machine;
  return { value, instructions: m.instret, cycles: m.cycles, vmexits: { ...m.vmexits } };
}

/** Run every row whose two programs `read` can provide. */
export function paperTables(read: (name: string) => string | null, ops: PaperOp[] = Object.keys(PAPER) as PaperOp[]) {
  const rows: PaperRow[] = [];
  for (const op of ops) {
    const p = PAPER[op];
    const lin = read(`${p.file}-linux.s`), dun = read(`${p.file}-dune.s`);
    if (lin === null || dun === null) continue;
    const round = (v: number) => (op === 'page_walk' ? Math.round(v * 10) / 10 : Math.round(v));
    const inc = (path: string) => read(path) ?? undefined;
    rows.push({ op, linux: round(runBench(lin, `${p.file}-linux.s`, op, inc).value), dune: round(runBench(dun, `${p.file}-dune.s`, op, inc).value),
      paperLinux: p.linux, paperDune: p.dune });
  }
  return { table2: rows.filter((r) => PAPER[r.op].table === 2), table3: rows.filter((r) => PAPER[r.op].table === 3) };
}
