import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { whatIf } from '../../../src/ui/worker/whatif.ts';

describe('what-if diff', () => {
  const source = readFileSync('samples/hello-dune.s', 'utf8');
  it('psc=off: the same exits, more walk references, and the traces part at a walk', () => {
    const r = whatIf(source, {}, { psc: 'off' });
    if (!r.ok) throw new Error(r.error);
    expect(r.variant.vmexits).toBe(r.base.vmexits);
    expect(r.variant.walks).toBe(r.base.walks);
    expect(r.variant.walkRefs).toBeGreaterThan(r.base.walkRefs);
    expect(r.variant.cycles).toBeGreaterThan(r.base.cycles);
    expect(r.diverge).not.toBeNull();
  });
  it('the same knobs give identical traces; a bad knob is an error, not a crash', () => {
    const same = whatIf(source, { tlb: 'on' }, { tlb: 'on' });
    expect(same.ok && same.diverge).toBe(null);
    expect(whatIf(source, {}, { psc: 'maybe' })).toEqual({ ok: false, error: "setting psc takes on or off, not 'maybe'" });
  });
});
