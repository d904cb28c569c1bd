// The cost breakdown is read from the machine's counters and adds up to its cycle count; a paired
// run (compare) of the paper's getpid row lands within 10% of Table 2, with the VM exits it should have.

import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { costBreakdown, costWindow, COST_KEYS, type CostBreakdown } from '../../../src/engine/player/costs.ts';
import { compare, compareRow, type CompareRow } from '../../../src/engine/player/compare.ts';
import { PAPER } from '../../../src/engine/paper.ts';
import { DEFAULT_COSTS } from '../../../src/engine/cost.ts';
import { Session, assembleSource } from '../../../src/engine/session.ts';

const dir = join(process.cwd(), 'samples/bench');
const read = (name: string) => { try { return readFileSync(join(dir, name), 'utf8'); } catch { return null; } };
/** The benchmark programs `.include "timing.inc"`: assemble them with samples/bench as the directory. */
const inc = (name: string) => read(name) ?? undefined;
const bench = (src: string) => { const a = assembleSource(src, 'getpid-dune.s', inc); if (!a.ok) throw new Error(a.diagnostics); return a.program; };
const sum = (b: CostBreakdown) => COST_KEYS.reduce((a, k) => a + b.cycles[k], 0);

let row: CompareRow;
beforeAll(() => { row = compareRow('getpid', read); }, 60_000);

describe('costBreakdown', () => {
  it('the categories sum to the total cycles, on both sides', () => {
    for (const side of [row.linux, row.dune]) {
      expect(side.ok).toBe(true);
      expect(sum(side.breakdown)).toBe(side.breakdown.total);
      expect(side.breakdown.total).toBe(side.summary.cycles);
      expect(side.breakdown.cycles.kernel).toBeGreaterThan(0);
    }
  });

  it('a Linux getpid program spends no cycles on VM exits or entries', () => {
    const b = row.linux.breakdown;
    expect(b.cycles.vmexits).toBe(0);
    expect(b.counts.vmexits).toBe(0);
    expect(b.counts.vmentries).toBe(0);
    expect(b.cycles.instructions).toBe(row.linux.summary.instructions * DEFAULT_COSTS.instr);
  });

  it('the Dune one spends exits x vmexit + entries x vmentry, entries matching exits once back in VMX root', () => {
    const b = row.dune.breakdown;
    const exits = Object.values(row.dune.summary.vmexits).reduce((a, v) => a + v, 0);
    expect(b.counts.vmexits).toBe(exits);
    expect(b.counts.exitsByName.VMCALL).toBeGreaterThanOrEqual(10_000); // N timed calls, the warm-up, exit
    expect(b.counts.vmentries).toBe(exits); // the process ended on a VMCALL: the last exit has no entry
    expect(b.vmexitCycles).toBe(exits * DEFAULT_COSTS.vmexit);
    expect(b.vmentryCycles).toBe(exits * DEFAULT_COSTS.vmentry);
    expect(b.cycles.vmexits).toBe(b.vmexitCycles + b.vmentryCycles);
    // The walker's counter: a start-up per miss plus at least an L1 hit per reference.
    expect(b.cycles.walks).toBeGreaterThanOrEqual(b.counts.walks * DEFAULT_COSTS.tlbMiss + b.counts.walkRefs * DEFAULT_COSTS.walkRef[0]);
  });

  it('while the guest runs, one more entry than exits (the VMLAUNCH); the sum still holds mid-run', () => {
    const a = bench(read('getpid-dune.s')!);
    const s = new Session(a, { file: 'getpid-dune.s', memBytes: 1 << 30 });
    s.run(20_000); // the whole run retires about 60,000
    expect(s.machine.status).toBeNull();
    expect(s.machine.vmx.nonRoot).toBe(true);
    const b = costBreakdown(s);
    expect(b.counts.vmentries).toBe(b.counts.vmexits + 1);
    expect(sum(b)).toBe(s.machine.cycles);
  });

  it('follows the cost table it was run with', () => {
    const costs = { ...DEFAULT_COSTS, vmexit: 1000, vmentry: 7, instr: 2 };
    const s = new Session(bench(read('getpid-dune.s')!.replace('N = 10000', 'N = 10')), { memBytes: 1 << 30, costs });
    s.run(10_000_000);
    const b = costBreakdown(s);
    expect(b.vmexitCycles).toBe(b.counts.vmexits * 1000);
    expect(b.vmentryCycles).toBe(b.counts.vmentries * 7);
    expect(b.cycles.instructions).toBe(s.machine.instret * 2);
    expect(sum(b)).toBe(s.machine.cycles);
  });
});

describe('compare', () => {
  it("getpid: both printed figures are within 10% of the paper's Table 2", () => {
    expect(row.paper).toEqual({ table: 2, linux: PAPER.getpid.linux, dune: PAPER.getpid.dune });
    for (const side of ['linux', 'dune'] as const) {
      const f = row[side].figure!;
      expect(f).toBe(row[side].printed);
      expect(Math.abs(f - PAPER.getpid[side]) / PAPER.getpid[side], `${side} ${f}`).toBeLessThan(0.10);
    }
  });

  it('the timed loop, per call: one VMCALL exit and entry in Dune, none on Linux', () => {
    const d = row.dune.timed!, l = row.linux.timed!;
    expect(d.ops).toBe(10_000);
    expect(d.perOp.counts.exitsByName.VMCALL).toBe(1);
    // Per call: 320 + 310 cycles of world switch (a timer exit may add a fraction).
    expect(d.perOp.cycles.vmexits).toBeGreaterThanOrEqual(DEFAULT_COSTS.vmexit + DEFAULT_COSTS.vmentry);
    expect(d.perOp.cycles.vmexits).toBeLessThan(DEFAULT_COSTS.vmexit + DEFAULT_COSTS.vmentry + 1);
    expect(l.perOp.cycles.vmexits).toBe(0);
    for (const t of [d, l]) expect(sum(t.perOp)).toBeCloseTo(t.perOp.total, 6);
    // The loop's figure is the printed one plus the loop's own few instructions.
    expect(d.perOp.total - row.dune.printed!).toBeGreaterThanOrEqual(0);
    expect(d.perOp.total - row.dune.printed!).toBeLessThan(10);
  });

  it('costWindow subtracts two readings and divides', () => {
    const z = costWindow(row.dune.breakdown, row.dune.breakdown);
    expect(z.total).toBe(0);
    expect(z.counts.exitsByName).toEqual({});
    const w = costWindow({ ...row.dune.breakdown, total: 0, cycles: { instructions: 0, walks: 0, vmexits: 0, kernel: 0 } }, row.dune.breakdown, 2);
    expect(w.cycles.kernel).toBe(row.dune.breakdown.cycles.kernel / 2);
  });

  it('a program that does not assemble gives a failed side with zero counters, not an exception', () => {
    const r = compare('_start:\n  bogus rax\n', read('getpid-dune.s')!.replace('N = 10000', 'N = 10'), { linuxFile: 'bad.s', include: inc });
    expect(r.linux.ok).toBe(false);
    expect(r.linux.status).toContain('bad.s');
    expect(r.linux.breakdown.total).toBe(0);
    expect(r.linux.timed).toBeNull();
    expect(r.dune.ok).toBe(true);
  });
});
