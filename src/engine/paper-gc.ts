// Table 6 of the paper (section 5.3, Boehm GC with dirty bits) run on the simulator: each of the
// four benchmarks in samples/gc runs once per collector mode (asm-gc.ts), and the figure is the
// cycles the program measured itself with RDTSC around its body (after gc_init, so dune_init's
// one-time page-table build is not counted). Nothing is a constant per row. World: a harness.

import { assembleSource, Session } from './session.ts';
import type { IncludeReader } from './asm/index.ts';
import { GC_MODES, type GcMode } from './libdune/asm-gc.ts';

export type GcBench = 'gcbench' | 'linkedlist' | 'hashmap' | 'xml';
export const GC_BENCHES: readonly GcBench[] = ['gcbench', 'linkedlist', 'hashmap', 'xml'];

/** The paper's Table 6 (execution time in ms: Normal, Dune, Dune TLB, Dune dirty). */
export const PAPER_GC: Record<GcBench, { normal: number; dune: number; duneTlb: number; duneDirty: number }> = {
  gcbench: { normal: 1224, dune: 1176, duneTlb: 933, duneDirty: 888 },
  linkedlist: { normal: 15983, dune: 16884, duneTlb: 14234, duneDirty: 11760 },
  hashmap: { normal: 14160, dune: 13715, duneTlb: 11124, duneDirty: 8391 },
  xml: { normal: 6663, dune: 7930, duneTlb: 7474, duneDirty: 6675 },
};

/** One run: the program's figures ("name value" lines) and the machine's counters. */
export interface GcRun {
  mode: GcMode; cycles: number; result: string; instructions: number;
  stats: Record<string, number>; tlbMisses: number; vmexits: Record<string, number>;
}

export interface Table6Row {
  bench: GcBench; linux: number; dune: number; duneTlb: number; duneDirty: number;
  paper: { dune: number; duneTlb: number; duneDirty: number };
}

const pct = (v: number, base: number) => Math.round(((v - base) / base) * 1000) / 10;

/** The paper's change against Normal, in percent (one decimal). */
export function paperPct(b: GcBench) {
  const p = PAPER_GC[b];
  return { dune: pct(p.dune, p.normal), duneTlb: pct(p.duneTlb, p.normal), duneDirty: pct(p.duneDirty, p.normal) };
}

/** Run one benchmark in one mode; throws with the program's output if it does not finish.
 *  `include` reads what it `.include`s (samples/gc/driver.inc), by path relative to `file`. */
export function runGc(source: string, file: string, mode: GcMode, include?: IncludeReader): GcRun {
  const a = assembleSource(source, file, include);
  if (!a.ok) throw new Error(`${file} does not assemble:\n${a.diagnostics}`);
  const s = new Session(a.program, { file, stdin: mode, memBytes: 1 << 30 });
  const st = s.run(100_000_000);
  if (!st || st.how !== 'exit' || st.code !== 0)
    throw new Error(`${file} (${mode}) did not finish cleanly (${st ? `${st.how} ${st.code}` : 'budget'}):\n${s.stdout()}\n${s.stderr()}`);
  const lines = s.stdout().trim().split('\n');
  const stats: Record<string, number> = {};
  for (const l of lines) {
    const m = /^gc (.+) (\d+)$/.exec(l);
    if (m) stats[m[1]] = Number(m[2]);
  }
  const cycles = Number(lines.at(-1));
  if (!Number.isFinite(cycles)) throw new Error(`${file} (${mode}) printed no cycle count:\n${s.stdout()}`);
  const m = s.machine;
  return { mode, cycles, result: lines[1] ?? '', instructions: m.instret, stats, tlbMisses: m.mmu.stats.tlbMisses, vmexits: { ...m.vmexits } };
}

/** Table 6 from the programs `read` provides (samples/gc/NAME.s); all four modes per row. */
export function table6(read: (name: string) => string | null, benches: readonly GcBench[] = GC_BENCHES) {
  const rows: Table6Row[] = [];
  const runs: Record<string, GcRun[]> = {};
  for (const b of benches) {
    const src = read(`${b}.s`);
    if (src === null) continue;
    const r = GC_MODES.map((mode) => runGc(src, `${b}.s`, mode, (p) => read(p) ?? undefined));
    const results = new Set(r.map((x) => x.result));
    if (results.size !== 1) throw new Error(`${b}.s computed different results in different modes: ${[...results].join(' / ')}`);
    runs[b] = r;
    rows.push({ bench: b, linux: r[0].cycles, dune: r[1].cycles, duneTlb: r[2].cycles, duneDirty: r[3].cycles, paper: paperPct(b) });
  }
  return { rows, runs };
}
