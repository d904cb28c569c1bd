// Memos of 4 KiB TLB lookups. A note of a page holds the slot Tlb.find returned for it. While the
// TLB has had no fill or drop since (Tlb.version) and the lookup's tags (context, EP4TA) are the
// same, find would return that slot again, so the note may stand in for the lookup provided the
// caller does what a hit does: the slot becomes the most recently used and the hit is counted
// (Mmu.touchHit), and only when the cached permissions allow the access (Mmu.allowed; else
// translate re-walks). The CPL and CR0.WP are read live by that check, so a note serves every
// CPL. Two users, one note and one check (TlbNote): the check-free blocks' loads, stores and
// read-modify-writes (DataMemo, 64 notes by page, in the Mmu, so a clone starts with none:
// cpu/block.ts), and the instruction fetch past the machine's fast path (a note per CPL:
// cpu/fetchmemo.ts). World: hardware (a speed-only stand-in for the TLB lookup: nothing
// architectural or modelled is skipped).

import { ctxOf } from './tlb.ts';
import { CR4 } from '../arch/x86.ts';
import type { Mmu, XlateCtx, Access } from './mmu.ts';

/** The lookup tags translate() uses for context c: TLB context (VPID, PCID) and EP4TA page. */
const ctxTag = (c: XlateCtx) => ctxOf(c.nonRoot ? c.vpid : 0, (c.cr4 & CR4.PCIDE) ? c.cr3 & 4095 : 0);
const epTag = (c: XlateCtx) => (c.ept ? Math.floor(c.eptp / 4096) : 0);

/** Where translate() found page vpn's 4 KiB entry, and what that depended on. */
export class TlbNote {
  vpn = -1; ctx = 0; ep = 0; version = -1; slot = 0;

  /** Note where translate(c, page vpn) finds its 4 KiB entry now; false (the note unchanged) if
   *  it has none, or the TLB is off. */
  take(mmu: Mmu, c: XlateCtx, vpn: number): boolean {
    if (!mmu.knobs.tlb) return false;
    const ctx = ctxTag(c), ep = epTag(c), i = mmu.tlb4k.peek(vpn, ctx, ep);
    if (i < 0) return false;
    this.vpn = vpn; this.ctx = ctx; this.ep = ep; this.version = mmu.tlb4k.version; this.slot = i;
    return true;
  }

  /** The slot translate(c, va in the noted page vpn, acc) would hit in the 4 KiB TLB, when
   *  this note says so; -1 when it cannot say. The caller compares the page (note.vpn === vpn)
   *  first: a kernel page number is a double, and passing one to a call V8 may not inline boxes
   *  it (a heap number per use). Nothing is done: a caller that takes the answer does the hit's
   *  effects (Mmu.touchHit). */
  slotHeld(mmu: Mmu, c: XlateCtx, acc: Access): number {
    const tlb = mmu.tlb4k;
    if (this.version !== tlb.version || !mmu.knobs.tlb) return -1;
    if (this.ctx !== ctxTag(c) || this.ep !== epTag(c)) return -1;
    const i = this.slot;
    return mmu.allowed(c, tlb.flags[i], acc) ? i : -1;
  }
}

const SIZE = 64;

/** The blocks' data memo: a note for each of 64 pages (by the page number's low bits). */
export class DataMemo {
  private notes = Array.from({ length: SIZE }, () => new TlbNote());

  /** Remember where translate(c, page vpn) finds its 4 KiB entry now, if it has one. */
  note(mmu: Mmu, c: XlateCtx, vpn: number) {
    this.notes[vpn & (SIZE - 1)].take(mmu, c, vpn);
  }

  /** translate(c, va in page vpn, acc) when the memo knows it hits a 4 KiB entry: that hit's
   *  effects, and its slot; -1 (and nothing done) when the memo cannot say. */
  hit(mmu: Mmu, c: XlateCtx, vpn: number, acc: Access): number {
    const note = this.notes[vpn & (SIZE - 1)];
    const i = note.vpn === vpn ? note.slotHeld(mmu, c, acc) : -1;
    if (i < 0) return -1;
    mmu.touchHit(i);
    mmu.hitSlot = i;
    return i;
  }
}
