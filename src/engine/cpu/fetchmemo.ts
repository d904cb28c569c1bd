// The instruction fetch past the machine's fast path (Machine.fetch): the page through a memo of
// the last TLB hit at each CPL, else through the MMU. World: hardware (the front end).

import { CpuFault } from './fault.ts';
import { FETCH, type Mmu } from '../mmu/mmu.ts';
import { VEC } from '../arch/x86.ts';
import type { Op } from './decode.ts';
import type { Machine } from '../machine.ts';

/** The last page fetched at one CPL through a 4 KiB TLB hit, and what the hit depended on. */
class FetchMemo {
  page = -1; mmu: Mmu | null = null; tlb: object | null = null; version = -1; flushes = -1; ctx = -1; codeGen = -1;
  code: (Op | undefined)[] | null = null; slot = -1;
}

/** The last page fetched at CPL 3 and at CPL 0 through a 4 KiB TLB hit (Machine.fetch): a
 *  system call switches between two such pages twice, and each switch (a change of CPL) ends
 *  the machine's fast path. Valid while nothing a TLB lookup reads has changed: the same MMU and
 *  TLB, no fill, drop or flush, no change of context but the CPL (Machine.ctxVersion), no code
 *  rewritten; then the lookup would hit the same slot, and the memo does what that hit does
 *  (the slot's LRU update, the hit count), so the TLB and the trace are as if it had run. */
export class FetchMemos {
  readonly user = new FetchMemo();
  readonly sup = new FetchMemo();
}

/** Machine.fetch() past its fast path (kept apart so that fetch stays small enough for the
 *  interpreter's loop to inline): the decoded op at rip, with the machine's fast path set to
 *  its page. */
export function fetchPage(m: Machine, rip: number): Op {
  const page = rip - (rip & 4095);
  // The page last fetched at this CPL, if the lookup would hit the same TLB slot again: the
  // hit's effects (LRU, count) without the lookup.
  const mmu = m.mmu, memo = m.xc.cpl === 3 ? m.fetchMemos.user : m.fetchMemos.sup;
  if (memo.page === page && memo.mmu === mmu && memo.tlb === mmu.tlb4k && memo.version === mmu.tlb4k.version &&
      memo.flushes === mmu.flushes && memo.ctx === m.ctxVersion && memo.codeGen === m.mem.codeGen && mmu.knobs.tlb) {
    const op = memo.code![rip - page];
    if (op !== undefined && rip - page + op.len <= 4096) {
      mmu.touchHit(memo.slot);
      m.fPage = page; m.fCode = memo.code; m.fGen = mmu.gen; m.fCodeGen = memo.codeGen;
      return op;
    }
  }
  const pa = mmu.translate(m.xc, rip, FETCH);
  const slot = mmu.hitSlot;
  const f = m.mem.frames[pa <= 0xffffffff ? pa >>> 12 : Math.floor(pa / 4096)];
  const po = pa & 4095;
  const op = f?.code?.[po];
  if (op === undefined) throw new CpuFault(VEC.UD, null, 0, `no instruction at ${rip.toString(16)} (not code the loader placed)`);
  if (po + op.len > 4096) m.mmu.translate(m.xc, rip + op.len - 1, FETCH); // spans two pages
  m.fPage = page; m.fCode = f!.code; m.fGen = m.mmu.gen; m.fCodeGen = m.mem.codeGen;
  if (slot >= 0) {
    memo.page = page; memo.mmu = mmu; memo.tlb = mmu.tlb4k; memo.version = mmu.tlb4k.version; memo.flushes = mmu.flushes;
    memo.ctx = m.ctxVersion; memo.codeGen = m.mem.codeGen; memo.code = f!.code; memo.slot = slot;
  }
  return op;
}
