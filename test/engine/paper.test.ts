import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paperTables, runBench, PAPER } from '../../src/engine/paper.ts';

const dir = join(process.cwd(), 'samples/bench');
const read = (name: string) => { try { return readFileSync(join(dir, name), 'utf8'); } catch { return null; } };
/** What the programs `.include` (timing.inc), from samples/bench too. */
const inc = (name: string) => read(name) ?? undefined;

describe("the paper's Tables 2 and 3, measured by running samples/bench", () => {
  it('all 14 figures come out within 10% of the paper', { timeout: 120_000 }, () => {
    const t = paperTables(read);
    const rows = [...t.table2, ...t.table3];
    expect(rows.map((r) => r.op)).toEqual(['getpid', 'page_fault', 'page_walk', 'ptrace', 'trap', 'appel1', 'appel2']);
    for (const r of rows) {
      expect(Math.abs(r.linux - r.paperLinux) / r.paperLinux, `${r.op} Linux ${r.linux} vs ${r.paperLinux}`).toBeLessThan(0.10);
      expect(Math.abs(r.dune - r.paperDune) / r.paperDune, `${r.op} Dune ${r.dune} vs ${r.paperDune}`).toBeLessThan(0.10);
    }
    // The orderings the paper's argument rests on.
    const by = Object.fromEntries(rows.map((r) => [r.op, r]));
    expect(by.getpid.dune).toBeGreaterThan(5 * by.getpid.linux);
    expect(by.ptrace.linux).toBeGreaterThan(20 * by.ptrace.dune);
    expect(by.trap.linux).toBeGreaterThan(4 * by.trap.dune);
    expect(by.appel2.linux).toBeGreaterThan(6 * by.appel2.dune);
  });

  it('figures come from running the programs: halving the pages halves an appel round', { timeout: 60_000 }, () => {
    const src = read('appel1-dune.s')!;
    const full = runBench(src, 'appel1-dune.s', 'appel1', inc).value;
    const half = runBench(src.replace('PAGES = 100', 'PAGES = 50'), 'appel1-dune.s', 'appel1', inc).value;
    expect(half / full).toBeGreaterThan(0.45);
    expect(half / full).toBeLessThan(0.55);
    expect(PAPER.appel1.dune).toBe(94496);
  });

  it('a per-call figure does not depend on the iteration count', { timeout: 60_000 }, () => {
    const src = read('getpid-linux.s')!;
    const a = runBench(src, 'getpid-linux.s', 'getpid', inc);
    const b = runBench(src.replace('N = 10000', 'N = 2500'), 'getpid-linux.s', 'getpid', inc);
    expect(b.value).toBe(a.value);
    expect(b.cycles).toBeLessThan(a.cycles / 2);
  });
});
