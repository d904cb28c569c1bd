// The instruction fetch past the machine's fast path (Machine.fetch): the page through a note of
// the last 4 KiB TLB hit at each CPL (mmu/datamemo.ts TlbNote, the data memo's note and check),
// else through the MMU. World: hardware (the front end).

import { CpuFault } from './fault.ts';
import { FETCH, type Mmu } from '../mmu/mmu.ts';
import { TlbNote } from '../mmu/datamemo.ts';
import { VEC } from '../arch/x86.ts';
import type { Op } from './decode.ts';
import type { Machine } from '../machine.ts';

/** The last page fetched at one CPL: where its 4 KiB TLB entry is (the note, valid while the TLB
 *  would find that slot again and its permissions allow a fetch at the CPL now), the MMU it is of
 *  (a restore makes another), and the decoded table its frame held at mem.codeGen (valid while
 *  no code was dropped). */
class FetchMemo extends TlbNote {
  mmu: Mmu | null = null; code: (Op | undefined)[] | null = null; codeGen = -1;
}

/** The last page fetched at CPL 3 and at CPL 0 (Machine.fetch): a system call switches between
 *  two such pages twice, and each switch (a change of CPL) ends the machine's fast path. Where a
 *  memo holds, the TLB lookup would hit its slot again, and fetchPage does what that hit does (the
 *  slot's LRU update, the hit count), so the TLB and the trace are as if it had run. */
export class FetchMemos {
  readonly user = new FetchMemo();
  readonly sup = new FetchMemo();
}

/** Machine.fetch() past its fast path (kept apart so that fetch stays small enough for the
 *  interpreter's loop to inline): the decoded op at RIP, with the machine's fast path set to
 *  its page. RIP is read here, not passed: a kernel address is a double, and passing one to a
 *  call that is not inlined boxes it (a heap number per system call, each way into the kernel). */
export function fetchPage(m: Machine): Op {
  const rip = m.cpu.rip;
  const page = rip - (rip & 4095), vpn = page / 4096, mmu = m.mmu, mem = m.mem;
  const memo = m.xc.cpl === 3 ? m.fetchMemos.user : m.fetchMemos.sup;
  if (memo.vpn === vpn && memo.mmu === mmu && memo.codeGen === mem.codeGen) {
    const i = memo.slotHeld(mmu, m.xc, FETCH), op = memo.code![rip - page];
    if (i >= 0 && op !== undefined && rip - page + op.len <= 4096) {
      mmu.touchHit(i);
      m.fPage = page; m.fCode = memo.code; m.fGen = mmu.gen; m.fCodeGen = memo.codeGen;
      return op;
    }
  }
  const pa = mmu.translate(m.xc, rip, FETCH);
  const f = mem.frames[pa <= 0xffffffff ? pa >>> 12 : Math.floor(pa / 4096)];
  const po = pa & 4095;
  const op = f?.code?.[po];
  if (op === undefined) throw new CpuFault(VEC.UD, null, 0, `no instruction at ${rip.toString(16)} (not code the loader placed)`);
  if (po + op.len > 4096) mmu.translate(m.xc, rip + op.len - 1, FETCH); // spans two pages
  m.fPage = page; m.fCode = f!.code; m.fGen = mmu.gen; m.fCodeGen = mem.codeGen;
  if (memo.take(mmu, m.xc, vpn)) { memo.mmu = mmu; memo.code = f!.code; memo.codeGen = mem.codeGen; }
  return op;
}
