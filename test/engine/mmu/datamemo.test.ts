// The data memo of 4 KiB TLB lookups (src/engine/mmu/datamemo.ts) against Mmu.translate: where it
// answers, it must do exactly what the lookup's hit does (the slot, its LRU stamp, the hit count);
// wherever the lookup would find another slot, miss, or refuse the cached permissions, it must
// not answer at all (and change nothing).

import { describe, it, expect } from 'vitest';
import { CR4 } from '../../../src/engine/arch/x86.ts';
import { world1d, world2d, P, RW, US, D, R, W } from './util.ts';
import type { Mmu, XlateCtx } from '../../../src/engine/mmu/mmu.ts';

/** What a lookup can change: every 4 KiB slot's LRU stamp and the counts. */
const effects = (mmu: Mmu) => ({ lru: [...mmu.tlb4k.lru], hits: mmu.stats.tlbHits, misses: mmu.stats.tlbMisses, walks: mmu.stats.walks });

describe('the data memo stands in for a 4 KiB TLB hit, and only for one', () => {
  it('answers with the slot translate() hits, with the same LRU stamp and count', () => {
    const w = world1d();
    const c = w.ctx({ cpl: 3 });
    for (let p = 0; p < 8; p++) w.map(0x400000 + 4096 * p, 0x100000 + 4096 * p, P | RW | US | D);
    for (let p = 0; p < 8; p++) w.m.mmu.translate(c, 0x400000 + 4096 * p, W);
    const vpn = 0x400000 / 4096 + 3;
    w.m.mmu.dmemo.note(w.m.mmu, c, vpn);
    const twin = w.m.mmu.clone(w.mem, w.m);
    expect(twin.translate(c, vpn * 4096 + 8, W)).toBe(0x103008);
    const slot = w.m.mmu.dmemo.hit(w.m.mmu, c, vpn, W);
    expect(slot).toBe(twin.hitSlot);
    expect(w.m.mmu.hitSlot).toBe(slot);
    expect(w.m.mmu.tlb4k.frame[slot] * 4096).toBe(0x103000);
    expect(effects(w.m.mmu)).toEqual(effects(twin));
    // A read through it as well, and again: each time the stamp moves like a hit's.
    expect(w.m.mmu.dmemo.hit(w.m.mmu, c, vpn, R)).toBe(slot);
    twin.translate(c, vpn * 4096, R);
    expect(effects(w.m.mmu)).toEqual(effects(twin));
  });

  it('does not answer (and changes nothing) after a fill or drop, for another context or EP4TA, with the TLB off, or where the permissions refuse', () => {
    const w = world2d();
    const pcide = { cr4: CR4.PAE | CR4.PCIDE };
    const c = w.ctx({ ...pcide, cpl: 3 });
    w.map(0x400000, 0x20000, P | RW | US); // clean: a write must walk to set D
    w.ept(0x20000, 0x30000);
    w.map(0x800000, 0x21000, P | US); // read-only
    w.ept(0x21000, 0x31000);
    const vpn = 0x400000 / 4096;
    w.m.mmu.translate(c, 0x400000, R);
    const memo = w.m.mmu.dmemo, mmu = w.m.mmu;
    const none = (ctx: XlateCtx, v: number, acc: 0 | 1) => {
      const before = effects(mmu);
      expect(memo.hit(mmu, ctx, v, acc)).toBe(-1);
      expect(effects(mmu)).toEqual(before);
    };
    memo.note(mmu, c, vpn);
    expect(memo.hit(mmu, c, vpn, R)).toBeGreaterThanOrEqual(0);
    none(c, vpn, W); // the entry is clean: translate() re-walks to set D
    none({ ...c, cr3: c.cr3 + 7 }, vpn, R); // another PCID: find() looks for another tag
    none({ ...c, vpid: 2 }, vpn, R);
    none({ ...c, eptp: c.eptp + 4096 }, vpn, R);
    none({ ...c, cpl: 3, nonRoot: false, ept: false }, vpn, R);
    none(c, vpn + 1, R); // never noted
    none(c, vpn + 64, R); // never noted, and kept where vpn's note is
    mmu.knobs.tlb = false;
    none(c, vpn, R);
    mmu.knobs.tlb = true;
    // A fill anywhere (the read-only page) ends what the memo knows; noted again, it answers again.
    w.m.mmu.translate(c, 0x800000, R);
    none(c, vpn, R);
    memo.note(mmu, c, vpn);
    expect(memo.hit(mmu, c, vpn, R)).toBeGreaterThanOrEqual(0);
    memo.note(mmu, c, 0x800000 / 4096);
    none(c, 0x800000 / 4096, W); // read-only: the write walks and faults
    expect(memo.hit(mmu, c, 0x800000 / 4096, R)).toBeGreaterThanOrEqual(0);
    mmu.invlpg(1, 0, 0x10000000); // a drop elsewhere: the version moves all the same
    none(c, vpn, R);
    // A page the TLB does not hold is not noted.
    memo.note(mmu, c, 0x900000 / 4096);
    none(c, 0x900000 / 4096, R);
  });

  it('a clone starts with no memo', () => {
    const w = world1d();
    const c = w.ctx();
    w.map(0x400000, 0x100000, P | RW);
    w.m.mmu.translate(c, 0x400000, R);
    w.m.mmu.dmemo.note(w.m.mmu, c, 0x400);
    const twin = w.m.mmu.clone(w.mem, w.m);
    expect(twin.dmemo.hit(twin, c, 0x400, R)).toBe(-1);
    expect(w.m.mmu.dmemo.hit(w.m.mmu, c, 0x400, R)).toBeGreaterThanOrEqual(0);
  });
});
