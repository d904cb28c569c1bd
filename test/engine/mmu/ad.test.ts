// Accessed and dirty flags (SDM "Accessed and Dirty Flags"; vtx-facts §3, §2.5): A on every
// paging-structure entry used, D only on the leaf and only on a write, both sticky, never set by
// a TLB hit; EPT A/D (EPTP bit 6): A on every EPT entry used, D on the EPT leaf for writes and
// for the guest paging-structure pages (their accesses count as writes); nothing with it off.

import { describe, it, expect } from 'vitest';
import { ofType } from '../harness.ts';
import { world1d, world2d, rd64, P, RW, US, A, D, EA, ED, R, W } from './util.ts';

const VA = 0x7f0000201000;

describe('guest / native A and D', () => {
  it('A on all four entries on a read, D on the leaf only on a write; the ad events name them', () => {
    const w = world1d({ psc: false });
    w.map(VA, 0x30000, P | RW | US);
    w.m.mmu.translate(w.ctx({ cpl: 3 }), VA, R);
    const walk = ofType(w.events, 'walk')[0];
    const entries = walk.refs.map((r) => Number(r.addr));
    for (const pa of entries) expect(rd64(w.mem, pa) & (A | D)).toBe(A);
    expect(ofType(w.events, 'ad').map((e) => [e.table, e.bit, Number(e.entry)])).toEqual(entries.map((pa) => ['host', 'A', pa]));

    w.m.mmu.translate(w.ctx({ cpl: 3 }), VA + 8, W); // D clear in the TLB entry: the write re-walks
    expect(ofType(w.events, 'walk')).toHaveLength(2);
    for (const pa of entries.slice(0, 3)) expect(rd64(w.mem, pa) & (A | D)).toBe(A); // D is for the leaf only
    expect(rd64(w.mem, entries[3]) & (A | D)).toBe(A | D);
    expect(ofType(w.events, 'ad').slice(4).map((e) => [e.bit, Number(e.entry)])).toEqual([['D', entries[3]]]);

    // Sticky: more reads and writes (TLB hits) neither clear nor re-report them.
    w.m.mmu.translate(w.ctx({ cpl: 3 }), VA, R);
    w.m.mmu.translate(w.ctx({ cpl: 3 }), VA, W);
    expect(ofType(w.events, 'ad')).toHaveLength(5);
    expect(rd64(w.mem, entries[3]) & (A | D)).toBe(A | D);
  });

  it('a TLB hit does not set A again after software clears it, until INVLPG', () => {
    const w = world1d({ psc: true });
    w.map(VA, 0x30000, P | RW);
    w.m.mmu.translate(w.ctx(), VA, R);
    const leaf = Number(ofType(w.events, 'walk')[0].refs[3].addr);
    w.mem.write32(leaf, w.mem.read32(leaf) & ~0x20);
    w.m.mmu.translate(w.ctx(), VA, R);
    expect(rd64(w.mem, leaf) & A).toBe(0n);
    expect(ofType(w.events, 'walk')).toHaveLength(1);
    w.m.mmu.invlpg(0, 0, VA);
    w.m.mmu.translate(w.ctx(), VA, R);
    expect(rd64(w.mem, leaf) & A).toBe(A);
    expect(ofType(w.events, 'walk')).toHaveLength(2);
  });

  it('D on a 2 MiB leaf (PDE with PS) on a write, and not on the PDPTE above it', () => {
    const w = world1d({ psc: false });
    w.map(0x40000000, 0x400000, P | RW, true);
    w.m.mmu.translate(w.ctx(), 0x40012345, W);
    const refs = ofType(w.events, 'walk')[0].refs;
    expect(refs.map((r) => r.level)).toEqual([4, 3, 2]);
    expect(refs.map((r) => rd64(w.mem, Number(r.addr)) & (A | D))).toEqual([A, A, A | D]);
  });

  it('a faulting write sets no D', () => {
    const w = world1d({ psc: false });
    w.map(VA, 0x30000, P | US); // read-only
    expect(() => w.m.mmu.translate(w.ctx({ cpl: 3 }), VA, W)).toThrow();
    const refs = ofType(w.events, 'walk')[0].refs;
    expect(rd64(w.mem, Number(refs[3].addr)) & D).toBe(0n);
  });
});

describe('EPT A/D (EPTP bit 6)', () => {
  const setup = (ad: boolean) => {
    const w = world2d({ knobs: { psc: false }, ad });
    w.map(VA, 0x4000000, P | RW);
    w.ept(0x4000000, 0x5000000);
    return w;
  };
  const eptRefs = (w: ReturnType<typeof setup>, i = 0) => ofType(w.events, 'walk')[i].refs.filter((r) => r.space === 'ept');

  it('on: a read sets EPT A on all 20 EPT entries used, EPT D on the leaves of the 4 guest table pages only', () => {
    const w = setup(true);
    w.m.mmu.translate(w.ctx(), VA, R);
    const refs = eptRefs(w);
    expect(refs).toHaveLength(20);
    for (const r of refs) expect(rd64(w.mem, Number(r.addr)) & EA).toBe(EA);
    // EPT leaves: every 4th reference. The first four map guest paging-structure pages (written,
    // as far as the EPT is concerned); the last maps the data page, only read.
    const leaves = refs.filter((r) => r.level === 1).map((r) => rd64(w.mem, Number(r.addr)) & ED);
    expect(leaves).toEqual([ED, ED, ED, ED, 0n]);
    for (const r of refs.filter((r) => r.level > 1)) expect(rd64(w.mem, Number(r.addr)) & ED).toBe(0n);
    expect(ofType(w.events, 'ad').filter((e) => e.table === 'ept' && e.bit === 'D')).toHaveLength(4);
  });

  it('on: a write also sets EPT D on the data page\'s EPT leaf', () => {
    const w = setup(true);
    w.m.mmu.translate(w.ctx(), VA, R);
    w.m.mmu.translate(w.ctx(), VA, W); // re-walks (guest D)
    const leaf = eptRefs(w, 1).at(-1)!;
    expect(rd64(w.mem, Number(leaf.addr)) & (EA | ED)).toBe(EA | ED);
  });

  it('on: a write re-walks when only the EPT leaf\'s D is clear (guest D already set)', () => {
    const w = setup(true);
    // The guest leaf is dirty from the start (as an OS that pre-dirties writable pages would have it).
    w.map(VA, 0x4000000, P | RW | A | D);
    w.m.mmu.translate(w.ctx(), VA, R);
    w.m.mmu.translate(w.ctx(), VA, W);
    expect(ofType(w.events, 'walk')).toHaveLength(2);
    const leaf = eptRefs(w, 1).at(-1)!;
    expect(rd64(w.mem, Number(leaf.addr)) & ED).toBe(ED);
  });

  it('off: no EPT A or D anywhere, no ept ad events; guest A/D still set', () => {
    const w = setup(false);
    w.m.mmu.translate(w.ctx(), VA, W);
    for (const r of eptRefs(w)) expect(rd64(w.mem, Number(r.addr)) & (EA | ED)).toBe(0n);
    expect(ofType(w.events, 'ad').filter((e) => e.table === 'ept')).toEqual([]);
    expect(ofType(w.events, 'ad').map((e) => e.bit).join('')).toBe('AAAAD');
  });

  it('the hardware follows EPTP bit 6, not the ept.ad knob', () => {
    // Knob on, EPTP bit 6 clear: a guest table page mapped read-only in the EPT is fine for reads
    // when its entries already have A set (no write needed).
    const w = world2d({ knobs: { psc: false, eptAd: true }, ad: false });
    w.map(VA, 0x4000000, P | RW | A | D);
    w.ept(0x4000000, 0x5000000);
    w.m.mmu.translate(w.ctx(), VA, R); // sets A on the upper entries
    const tables = ofType(w.events, 'walk')[0].refs.filter((r) => r.space === 'guest').map((r) => Number(r.addr) & ~0xfff);
    for (const t of tables) w.ept(t, t, { r: true, w: false, x: false });
    w.m.mmu.flushEpt(null);
    expect(w.m.mmu.translate(w.ctx(), VA, R)).toBe(0x5000000);
  });
});
