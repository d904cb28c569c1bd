// The TLB arrays (tlb.ts) and the walk's data-cache model (cache.ts) on their own: tags, LRU
// replacement, invalidation by predicate, cloning; the cache's three levels by capacity.

import { describe, it, expect } from 'vitest';
import { Tlb, TF, ctxOf, vpidOf, pcidOf } from '../../../src/engine/mmu/tlb.ts';
import { CacheModel } from '../../../src/engine/mmu/cache.ts';

describe('CacheModel: L1D 32 KiB 8-way, L2 256 KiB 8-way, LLC 8 MiB 16-way, 64-byte lines', () => {
  it('a line is served from DRAM first, then from L1; the next line is a new miss', () => {
    const c = new CacheModel();
    expect(c.access(0x12340)).toBe(3);
    expect(c.access(0x12340)).toBe(0);
    expect(c.access(0x1237f)).toBe(0); // same 64-byte line
    expect(c.access(0x12380)).toBe(3);
  });
  // Lines that share a set: L1 has 64 sets (stride 4 KiB), L2 512 (32 KiB), LLC 8192 (512 KiB).
  it('nine lines in one L1 set push the first to L2', () => {
    const c = new CacheModel();
    for (let i = 0; i < 9; i++) c.access(i * 4096);
    expect(c.access(0)).toBe(1);
  });
  it('nine lines in one L2 set push the first to the LLC; seventeen in one LLC set, to DRAM', () => {
    const c = new CacheModel();
    for (let i = 0; i < 9; i++) c.access(i * 32768);
    expect(c.access(0)).toBe(2);
    const d = new CacheModel();
    for (let i = 0; i < 17; i++) d.access(i * 524288);
    expect(d.access(0)).toBe(3);
  });
  it('replacement is least recently used, not first in', () => {
    const c = new CacheModel();
    for (let i = 0; i < 8; i++) c.access(i * 4096);
    expect(c.access(0)).toBe(0); // line 0 is now the most recent
    c.access(8 * 4096);          // evicts line 1
    expect(c.access(0)).toBe(0);
    expect(c.access(4096)).toBe(1);
  });
  it('an empty cache holds no line, not even line 1 (pa 64)', () => {
    expect(new CacheModel().access(64)).toBe(3);
  });
  it('the last L1 set holds eight lines too', () => {
    const c = new CacheModel(), set63 = 63 * 64;
    for (let i = 0; i < 8; i++) c.access(set63 + i * 4096);
    for (let i = 0; i < 8; i++) expect(c.access(set63 + i * 4096)).toBe(0);
  });
  it('a hit makes a line the most recent over several misses', () => {
    const c = new CacheModel();
    for (let i = 0; i < 8; i++) c.access(i * 4096);
    c.access(0);
    c.access(8 * 4096); // evicts line 1
    c.access(9 * 4096); // evicts line 2, not line 0
    expect([c.access(0), c.access(3 * 4096)]).toEqual([0, 0]);
  });
  it('a line hit once outlives the seven lines filled just before it', () => {
    const c = new CacheModel();
    for (let i = 0; i < 8; i++) c.access(i * 4096);
    c.access(0);
    for (let i = 8; i < 15; i++) c.access(i * 4096); // evicts lines 1..7
    expect(c.access(0)).toBe(0);
  });
  it('a clone is independent of its original', () => {
    const c = new CacheModel();
    c.access(0x1000);
    const k = c.clone();
    expect(k.access(0x1000)).toBe(0);
    k.access(0x9000);
    expect(c.access(0x9000)).toBe(3);
  });
});

describe('Tlb: 512 entries, 4-way (128 sets)', () => {
  const t = () => new Tlb(512, 4, 12);
  const C = ctxOf(1, 5);
  it('a context tag packs VPID and PCID', () => {
    expect(ctxOf(3, 7)).toBe(3 * 4096 + 7);
    expect([vpidOf(ctxOf(3, 7)), pcidOf(ctxOf(3, 7))]).toEqual([3, 7]);
  });
  it('find needs the page, the context and the EP4TA to match; a global entry any PCID of its VPID', () => {
    const x = t();
    const slot = x.fill(0x401, C, 9, 0x77, TF.RW);
    expect(x.find(0x401, C, 9)).toBe(slot);
    expect(x.frame[slot]).toBe(0x77);
    expect([x.find(0x402, C, 9), x.find(0x401, ctxOf(1, 6), 9), x.find(0x401, C, 8)]).toEqual([-1, -1, -1]);
    const g = x.fill(0x500, C, 9, 0x88, TF.G);
    expect(x.find(0x500, ctxOf(1, 6), 9)).toBe(g);
    expect(x.find(0x500, ctxOf(2, 5), 9)).toBe(-1);
  });
  it('filling a cached tag replaces it; a set holds four, the least recently used goes first', () => {
    const x = t();
    const a = x.fill(0x001, C, 0, 1, 0);
    expect(x.fill(0x001, C, 0, 2, 0)).toBe(a);
    expect(x.count()).toBe(1);
    expect(x.frame[a]).toBe(2);
    for (const v of [0x081, 0x101, 0x181]) x.fill(v, C, 0, v, 0); // same set (vpn mod 128 = 1)
    expect(x.count()).toBe(4);
    x.find(0x001, C, 0);          // most recent now
    x.fill(0x201, C, 0, 5, 0);    // evicts 0x081
    expect(x.find(0x081, C, 0)).toBe(-1);
    expect(x.find(0x001, C, 0)).not.toBe(-1);
    expect(x.count()).toBe(4);
  });
  it('a free way is used before any eviction', () => {
    const x = t();
    for (const v of [0x001, 0x081, 0x101, 0x181]) x.fill(v, C, 0, v, 0);
    expect(x.dropInSet(0x101, (_c, _e, vpn) => vpn === 0x101)).toBe(1);
    x.fill(0x201, C, 0, 5, 0);
    expect([0x001, 0x081, 0x181, 0x201].map((v) => x.find(v, C, 0) >= 0)).toEqual([true, true, true, true]);
  });
  it('drop tests every entry with its tag and flags; dropInSet only the set of its page', () => {
    const x = t();
    x.fill(0x001, C, 0, 1, TF.G); x.fill(0x002, C, 0, 2, 0); x.fill(0x081, ctxOf(2, 0), 0, 3, 0);
    expect(x.dropInSet(0x002, () => true)).toBe(1); // set 2 holds only 0x002
    expect(x.drop((ctx, _ep, _vpn, global) => vpidOf(ctx) === 1 && !global)).toBe(0);
    expect(x.drop((_c, _e, _v, global, flags) => global && (flags & TF.G) !== 0)).toBe(1);
    expect(x.count()).toBe(1);
  });
  it('the first free way of the set takes the first fill (set 1 starts at slot 4)', () => {
    const x = t();
    expect(x.fill(0x001, C, 0, 1, 0)).toBe(4);
    expect(x.fill(0x081, C, 0, 2, 0)).toBe(5);
  });
  it('the same page under two contexts is two entries; a refill behind a free way still replaces', () => {
    const x = t();
    x.fill(0x001, C, 0, 1, 0); x.fill(0x001, ctxOf(1, 6), 0, 2, 0);
    expect(x.count()).toBe(2);
    const y = t();
    y.fill(0x081, C, 0, 1, 0); const b = y.fill(0x001, C, 0, 2, 0);
    y.dropInSet(0x081, (_c, _e, vpn) => vpn === 0x081); // way 0 of the set is free again
    expect(y.fill(0x001, C, 0, 3, 0)).toBe(b);
    expect(y.count()).toBe(1);
  });
  it('a hit makes an entry the most recent over several fills', () => {
    const x = t();
    for (const v of [0x001, 0x081, 0x101, 0x181]) x.fill(v, C, 0, v, 0);
    x.find(0x001, C, 0);
    x.fill(0x201, C, 0, 5, 0); // evicts 0x081
    x.fill(0x281, C, 0, 6, 0); // evicts 0x101, not the 0x001 that was hit
    expect([0x001, 0x081, 0x101, 0x181].map((v) => x.find(v, C, 0) >= 0)).toEqual([true, false, false, true]);
  });
  it('drop and dropInSet count exactly the entries they clear; dropInSet sees the G flag', () => {
    const x = t();
    x.fill(0x002, C, 0, 1, TF.G); x.fill(0x003, C, 0, 2, 0); x.fill(0x082, C, 0, 3, 0);
    expect(x.dropInSet(0x002, (_c, _e, _v, global) => !global)).toBe(1); // 0x082, not the global 0x002
    expect(x.dropInSet(0x002, () => true)).toBe(1); // set 2 only: 0x003 in set 3 stays
    expect(x.find(0x003, C, 0)).not.toBe(-1);
    x.fill(0x004, C, 0, 4, 0);
    expect(x.drop(() => true)).toBe(2);
    expect(x.count()).toBe(0);
  });
  it('set 0: its first way takes the first fill; a freed way 0 is reused before evicting', () => {
    const x = t();
    expect(x.fill(0x000, C, 0, 1, 0)).toBe(0);
    for (const v of [0x080, 0x100, 0x180]) x.fill(v, C, 0, v, 0);
    x.find(0x000, C, 0);                                  // way 0 is the most recent
    x.dropInSet(0x000, (_c, _e, vpn) => vpn === 0x000);   // and now free
    expect(x.fill(0x200, C, 0, 5, 0)).toBe(0);
    expect([0x080, 0x100, 0x180].every((v) => x.find(v, C, 0) >= 0)).toBe(true);
  });
  it('the same page and context under two EP4TAs is two entries', () => {
    const x = t();
    x.fill(0x001, C, 7, 1, 0); x.fill(0x001, C, 8, 2, 0);
    expect(x.count()).toBe(2);
    expect(x.frame[x.find(0x001, C, 7)]).toBe(1);
  });
  it('dropInSet passes the G flag as `global`: a predicate on it drops the right entry', () => {
    const x = t();
    x.fill(0x002, C, 0, 1, TF.G); x.fill(0x082, C, 0, 3, 0);
    expect(x.dropInSet(0x002, (_c, _e, _v, global) => global)).toBe(1);
    expect([x.find(0x002, C, 0), x.find(0x082, C, 0) >= 0]).toEqual([-1, true]);
  });
  it('a clone is independent and continues the LRU order', () => {
    const x = t();
    for (const v of [0x001, 0x081, 0x101, 0x181]) x.fill(v, C, 0, v, 0);
    x.find(0x001, C, 0);
    const k = x.clone();
    k.fill(0x201, C, 0, 5, 0); // evicts 0x081 in the clone, as it would in the original
    expect(k.find(0x081, C, 0)).toBe(-1);
    expect(x.find(0x081, C, 0)).not.toBe(-1);
    expect([k.entries, k.ways, k.shift, k.sets]).toEqual([512, 4, 12, 128]);
  });
});
