// A checkpoint restore (Machine.snapshot / restore, what the player seeks with) rewinds the MMU's
// walk statistics with the rest: after going back, the cost breakdown and walk counts are those
// of a fresh run to the same point, and running on from there gives the fresh run's figures.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Session } from '../../../src/engine/session.ts';
import { costBreakdown } from '../../../src/engine/player/costs.ts';
import { asm } from '../harness.ts';

const prog = asm(readFileSync('samples/hello-dune.s', 'utf8')); // 473 instructions: checkpoint after 150

describe('checkpoint restore and the walk statistics', () => {
  it('after restoring, stats and breakdown equal the checkpoint; running on equals a fresh run', () => {
    const s = new Session(prog);
    s.run(150);
    const snap = s.machine.snapshot();
    const stats = { ...s.machine.mmu.stats }, at = costBreakdown(s);
    expect(stats.walks).toBeGreaterThan(0);
    s.run();
    expect(s.machine.mmu.stats.walks).toBeGreaterThan(stats.walks);
    s.machine.restore(snap);
    expect(s.machine.mmu.stats).toEqual(stats);
    expect(costBreakdown(s)).toEqual(at);
    s.run();
    const fresh = new Session(prog);
    fresh.run(150); fresh.run();
    expect(s.machine.mmu.stats).toEqual(fresh.machine.mmu.stats);
    expect(costBreakdown(s)).toEqual(costBreakdown(fresh));
  });

  it('a second restore of the same checkpoint gives the same figures again', () => {
    const s = new Session(prog);
    s.run(150);
    const snap = s.machine.snapshot();
    const stats = { ...s.machine.mmu.stats };
    for (let i = 0; i < 2; i++) {
      s.run();
      s.machine.restore(snap);
      expect(s.machine.mmu.stats).toEqual(stats);
    }
  });
});
