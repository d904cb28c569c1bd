// The walk as a structured record (docs/trace.md): each reference names the row it serves, the
// GPA it is for and the cache level that served it; the walk names its access type, where a
// paging-structure cache let each walk begin, and why it stopped (kind, dimension, level, code).

import { describe, it, expect } from 'vitest';
import { ofType } from '../harness.ts';
import { world1d, world2d, run, P, RW, US, R, W } from './util.ts';
import { Machine } from '../../../src/engine/machine.ts';
import type { TraceSink, TraceEvent } from '../../../src/engine/trace/events.ts';

describe('walk record', () => {
  it('2-D with warm caches: each reference says which row it serves and its GPA; the hits say where walks began', () => {
    const w = world2d({ knobs: { psc: true } });
    w.map(0x400000, 0x10000, P | RW | US);
    w.map(0x401000, 0x11000, P | RW | US);
    w.ept(0x10000, 0x20000); w.ept(0x11000, 0x21000); // data GPA 0x11000 is host-physical 0x21000
    w.m.mmu.translate(w.ctx(), 0x400000, R);
    expect(w.m.mmu.translate(w.ctx(), 0x401008, R)).toBe(0x21008);
    const b = ofType(w.events, 'walk')[1];
    const [e1, g1, e0] = b.refs;
    expect([e1.space, e1.level, e1.serves, g1.space, g1.level, g1.serves, e0.space, e0.level, e0.serves])
      .toEqual(['ept', 1, 1, 'guest', 1, 1, 'ept', 1, 0]);
    // The guest PTE's GPA is what its EPT reference translated; the data reference's GPA is the
    // final guest-physical address, not the host-physical result.
    expect(e1.gpa).toBe(g1.gpa);
    expect(e0.gpa).toBe('0x11008');
    expect(b.result).toBe('0x21008');
    expect(b.access).toBe('read');
    expect(b.pscHits).toEqual([{ space: 'guest', serves: 1, level: 1 }, { space: 'ept', serves: 1, level: 1 }, { space: 'ept', serves: 0, level: 1 }]);
    expect(b.cause).toBeNull();
    // Entries just read by the first walk are in L1 now.
    for (const r of b.refs) expect(r.cache).toBe('L1');
    expect(ofType(w.events, 'walk')[0].refs[0].cache).toBe('DRAM');
  });

  it('a native #PF: kind, dimension, level and the error code pushed', () => {
    const w = world1d({ psc: false });
    w.map(0x400000, 0x10000, P | RW | US);
    const out = run(w.m, w.ctx({ cpl: 3 }), 0x40000000, W); // another 1 GiB region: PDPTE not present
    expect(out).toEqual({ pf: 6, cr2: 0x40000000 }); // W | U, P = 0
    const f = ofType(w.events, 'walk')[0];
    expect(f.access).toBe('write');
    expect(f.fault).toBe('#PF not present at level 3');
    expect(f.cause).toEqual({ kind: 'pf', space: 'host', level: 3, serves: 3, code: 6 });
  });

  it('an EPT violation on the data GPA: the EPT level that was not present and the qualification', () => {
    const w = world2d({ knobs: { psc: false } });
    w.map(0x400000, 0x10000, P | RW | US); // guest maps it; the EPT does not map GPA 0x10000
    const out = run(w.m, w.ctx(), 0x400010, R);
    expect(out).toMatchObject({ exit: 48, gpa: 0x10010 });
    const f = ofType(w.events, 'walk')[0];
    // Read (bit 0) | GLA valid (bit 7) | the access was to the translated GLA (bit 8).
    expect(f.cause).toMatchObject({ kind: 'ept-violation', space: 'ept', serves: 0, code: 0x181 });
    expect(f.refs.at(-1)).toMatchObject({ space: 'ept', serves: 0, level: f.cause!.level, gpa: '0x10010' });
  });

  it('a sink that does not want walks gets none built, and every seq stays the same', () => {
    const runWith = (kinds?: ReadonlySet<TraceEvent['type']>) => {
      const w = world2d({ knobs: { psc: false } });
      const got: TraceEvent[] = [];
      const sink: TraceSink = { kinds, event: (e) => got.push(e) };
      (w.m as Machine).attach(sink);
      w.map(0x400000, 0x10000, P | RW | US);
      w.ept(0x10000, 0x20000);
      w.m.mmu.translate(w.ctx(), 0x400000, W);
      return { got, seq: w.m.seq };
    };
    const all = runWith();
    const tlbOnly = runWith(new Set(['tlb']));
    expect(all.got.map((e) => e.type)).toEqual(['walk', 'ad', 'ad', 'ad', 'ad', 'ad', 'tlb']);
    expect(tlbOnly.got).toEqual(all.got.filter((e) => e.type === 'tlb'));
    expect(tlbOnly.seq).toBe(all.seq);
  });
});
