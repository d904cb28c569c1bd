// A memo of 4 KiB TLB lookups for data accesses (the check-free blocks' loads, stores and
// read-modify-writes, cpu/block.ts): for a page, the slot Tlb.find returned for it. While the TLB
// has had no fill or drop since (Tlb.version) and the lookup's tags (context, EP4TA) are the same,
// find would return that slot again, so the memo may stand in for the lookup provided it does what
// a hit does: the slot becomes the most recently used and the hit is counted (Mmu.touchHit), and
// only when the cached permissions allow the access (Mmu.allowed; else translate re-walks). The
// CPL and CR0.WP are read live by that check, so one memo serves every CPL. World: hardware (a
// speed-only stand-in for the TLB lookup: nothing architectural or modelled is skipped).

import { ctxOf } from './tlb.ts';
import { CR4 } from '../arch/x86.ts';
import type { Mmu, XlateCtx, Access } from './mmu.ts';

const SIZE = 64;

export class DataMemo {
  private vpn = new Float64Array(SIZE).fill(-1);
  private ctx = new Float64Array(SIZE);
  private ep = new Float64Array(SIZE);
  private version = new Float64Array(SIZE);
  private slot = new Int32Array(SIZE);

  /** The lookup tags translate() uses for context c: TLB context (VPID, PCID) and EP4TA page. */
  private static ctxOf(c: XlateCtx) { return ctxOf(c.nonRoot ? c.vpid : 0, (c.cr4 & CR4.PCIDE) ? c.cr3 & 4095 : 0); }
  private static epOf(c: XlateCtx) { return c.ept ? Math.floor(c.eptp / 4096) : 0; }

  /** Remember where translate(c, page vpn) finds its 4 KiB entry now, if it has one. */
  note(mmu: Mmu, c: XlateCtx, vpn: number) {
    if (!mmu.knobs.tlb) return;
    const ctx = DataMemo.ctxOf(c), ep = DataMemo.epOf(c), i = mmu.tlb4k.peek(vpn, ctx, ep);
    if (i < 0) return;
    const e = vpn & (SIZE - 1);
    this.vpn[e] = vpn; this.ctx[e] = ctx; this.ep[e] = ep; this.version[e] = mmu.tlb4k.version; this.slot[e] = i;
  }

  /** translate(c, va in page vpn, acc) when the memo knows it hits a 4 KiB entry: that hit's
   *  effects, and its slot; -1 (and nothing done) when the memo cannot say. */
  hit(mmu: Mmu, c: XlateCtx, vpn: number, acc: Access): number {
    const e = vpn & (SIZE - 1), tlb = mmu.tlb4k;
    if (this.vpn[e] !== vpn || this.version[e] !== tlb.version || !mmu.knobs.tlb) return -1;
    if (this.ctx[e] !== DataMemo.ctxOf(c) || this.ep[e] !== DataMemo.epOf(c)) return -1;
    const i = this.slot[e];
    if (!mmu.allowed(c, tlb.flags[i], acc)) return -1;
    mmu.touchHit(i);
    mmu.hitSlot = i;
    return i;
  }
}
