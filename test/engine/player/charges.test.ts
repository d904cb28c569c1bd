// Each cost parameter is charged for its own event and no other: raising one parameter by 1 adds
// exactly its event count to the run's cycles. A VM entry charged the VM-exit cost (or a walk
// start-up charged per reference) shows here by itself, without a paper row drifting.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Session } from '../../../src/engine/session.ts';
import { DEFAULT_COSTS, type CostModel } from '../../../src/engine/cost.ts';
import { costBreakdown } from '../../../src/engine/player/costs.ts';
import { asm } from '../harness.ts';

const prog = asm(readFileSync('samples/hello-dune.s', 'utf8'));
const run = (costs: CostModel) => {
  const s = new Session(prog, { costs });
  expect(s.run()).toEqual({ code: 0, how: 'exit' });
  return costBreakdown(s);
};

describe('cost parameters', () => {
  const base = run(DEFAULT_COSTS);
  const delta = (k: 'vmexit' | 'vmentry' | 'tlbMiss' | 'eptRef') => run({ ...DEFAULT_COSTS, [k]: DEFAULT_COSTS[k] + 1 }).total - base.total;

  it('the run has VM exits, entries and walks to count', () => {
    expect(base.counts.vmexits).toBeGreaterThan(10);
    expect(base.counts.vmentries).toBe(base.counts.vmexits); // back in VMX root at the end
    expect(base.counts.walks).toBeGreaterThan(10);
  });
  it('vmexit + 1 adds one cycle per VM exit; vmentry + 1 one per VM entry', () => {
    expect(delta('vmexit')).toBe(base.counts.vmexits);
    expect(delta('vmentry')).toBe(base.counts.vmentries);
  });
  it('tlbMiss + 1 adds one cycle per walk (not per reference)', () => {
    expect(delta('tlbMiss')).toBe(base.counts.walks);
  });
});
