// Table 6 measured by running samples/gc in the four collector modes: the paper's trends come
// out of the runs (src/engine/paper-gc.ts), and the figures follow the programs.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { table6, runGc, paperPct, PAPER_GC } from '../../../src/engine/paper-gc.ts';

const dir = join(process.cwd(), 'samples/gc');
const read = (name: string) => { try { return readFileSync(join(dir, name), 'utf8'); } catch { return null; } };
const inc = (name: string) => read(name) ?? undefined;

describe("the paper's Table 6, measured", () => {
  it('dirty < TLB < linux and direct Dune within 10% for the first three; XML gains nothing', { timeout: 300_000 }, () => {
    const { rows, runs } = table6(read);
    expect(rows.map((r) => r.bench)).toEqual(['gcbench', 'linkedlist', 'hashmap', 'xml']);
    for (const r of rows.slice(0, 3)) {
      expect(r.duneDirty, `${r.bench}: dirty < TLB`).toBeLessThan(r.duneTlb);
      expect(r.duneTlb, `${r.bench}: TLB < linux`).toBeLessThan(r.linux);
      expect(Math.abs(r.dune - r.linux) / r.linux, `${r.bench}: direct Dune within 10% of linux`).toBeLessThan(0.10);
    }
    const xml = rows[3];
    for (const v of [xml.dune, xml.duneTlb, xml.duneDirty]) expect(v, 'xml: no Dune mode more than 2% faster').toBeGreaterThan(xml.linux * 0.98);
    for (const b of ['gcbench', 'linkedlist', 'hashmap', 'xml'] as const) {
      const [lin, dune, tlb, dirty] = runs[b];
      // The mechanism shows in the counters: faults only with protection, D bits only in dirty mode,
      // and the same dirty pages (so the same collections and the same objects freed) in every mode.
      expect(lin.stats['write faults']).toBe(dune.stats['write faults']);
      expect(tlb.stats['write faults']).toBe(lin.stats['write faults']);
      expect(dirty.stats['write faults']).toBe(0);
      expect(dirty.stats['D bits cleared']).toBeGreaterThan(0);
      expect(lin.stats['D bits cleared']).toBe(0);
      for (const x of [dune, tlb, dirty]) {
        expect(x.stats.freed).toBe(lin.stats.freed);
        expect(x.stats['dirty pages']).toBe(lin.stats['dirty pages']);
        expect(x.stats.collections).toBe(lin.stats.collections);
      }
      expect(lin.stats.collections).toBeGreaterThan(2);
      // Direct Dune's full flush on every fault shows as TLB misses against dune-tlb's INVLPG.
      if (lin.stats['write faults'] > 100) expect(dune.tlbMisses).toBeGreaterThan(2 * tlb.tlbMisses);
      for (const x of runs[b]) expect(x.instructions, `${b} ${x.mode} within ~20 M instructions`).toBeLessThan(20_000_000);
    }
  });

  it("the paper's percentages are derived from its milliseconds", () => {
    expect(PAPER_GC.gcbench.normal).toBe(1224);
    expect(paperPct('gcbench')).toEqual({ dune: -3.9, duneTlb: -23.8, duneDirty: -27.5 });
    expect(paperPct('xml')).toEqual({ dune: 19.0, duneTlb: 12.2, duneDirty: 0.2 });
  });

  it('figures come from the runs: fewer operations, fewer cycles', { timeout: 120_000 }, () => {
    const src = read('hashmap.s')!;
    const full = runGc(src, 'hashmap.s', 'linux', inc);
    const half = runGc(src.replace('OPS = 40000', 'OPS = 20000'), 'hashmap.s', 'linux', inc);
    expect(half.cycles).toBeLessThan(full.cycles * 0.7);
    expect(half.result).not.toBe(full.result);
  });
});
