// The Wedge view's data (issue 11, section 4), derived from the machine state at the cursor: the
// parent's page table and each sthread's (a dune_vm_clone walked by protect and remap), page by
// page, with the PCID each runs under and which CR3 is live; and the recycle pass's view of each
// sthread's writable pages (D bit, whether the private copy still equals the checkpoint, what the
// TLB caches for the page under the sthread's PCID). Nothing here comes from the trace: it reads
// guest memory (the sthread table of asm-sthread.ts, libdune's page tables) and the TLB arrays,
// without side effects. No bundler imports (node tests use it). World: above the engine.

import type { Session } from '../../engine/session.ts';
import { runtime } from '../../engine/libdune/link.ts';
import { ST, STHREAD_LIMITS } from '../../engine/libdune/asm-sthread.ts';
import { pteXlate, entryTarget } from '../../engine/player/memtree.ts';
import { gpaToHva, hvaToGpa } from '../../engine/kernel/dune/layout.ts';
import { LAYOUT } from '../../engine/arch/linux.ts';
import { ctxOf, TF } from '../../engine/mmu/tlb.ts';
import { VMCS } from '../../engine/arch/vmx.ts';

const PAGE = 4096;
/** x86 PTE bits (SDM Vol. 3A, "Paging"): present, writable, user, accessed, dirty. */
const P = 1, W = 2, U = 4, A = 0x20, D = 0x40;

export type SpaceState = 'parent' | 'running' | 'ready' | 'recycled';
/** One page table: the parent's (PCID 0) or an sthread's (its id is its PCID). */
export interface WedgeSpace { id: number; pcid: number; state: SpaceState; cr3: string; root: string; live: boolean }
/** What the TLB caches for a page under a space's PCID (null: nothing). `dirty`: a write hits
 *  the entry and does not walk, so D is not set again. */
export interface TlbCell { dirty: boolean; writable: boolean }
/** A page's leaf entry in one table (null frame: not present). `remapped`: it maps another
 *  frame than the parent's entry for the same page. */
export interface WedgeCell { frame: string | null; w: boolean; u: boolean; a: boolean; d: boolean; remapped: boolean; tlb: TlbCell | null }
export type RowRegion = 'text' | 'writable' | 'stack' | 'runtime';
/** One page, its entry in every space (cells in the order of `spaces`). */
export interface WedgeRow { va: string; region: RowRegion; owner: number | null; cells: WedgeCell[] }
/** The recycle pass's view of one page of an sthread (issue 11: "which pages were copied back
 *  and cleared"): `dirty` D set (written: the recycle copies it back and clears D); `clean` D
 *  clear and the same as the checkpoint (never written, or already copied back); `pending` D
 *  cleared by the pass running now, the copy not done yet; `unrecorded` D clear but the page
 *  differs from the checkpoint outside a pass: a write that set no D (the what-if's leak). */
export type RecycleStatus = 'dirty' | 'clean' | 'pending' | 'unrecorded';
export interface RecyclePage { va: string; region: 'writable' | 'stack'; d: boolean; differs: boolean; tlbDirty: boolean; status: RecycleStatus }
export interface WedgeRecycle { id: number; pages: RecyclePage[] }
export interface WedgeView {
  seq: number;
  /** CR3 now: the CPU's in VMX non-root, else the VMCS's guest CR3. */
  cr3: string;
  spaces: WedgeSpace[];
  rows: WedgeRow[];
  recycle: WedgeRecycle[];
  /** The recycle pass is running (ring 0, an sthread current, RIP in __st_recycle or the
   *  memcpy/memset it calls): an sthread's page with D clear that differs is still being copied. */
  inRecycle: boolean;
  /** The page the pass is visiting (at __st_recycle_cb's entry, or copying it back), or null. */
  visiting: string | null;
  /** sthread_recycle_invlpg(1): the pass INVLPGs each page whose D it clears (the fix). */
  invlpg: boolean;
  /** Pages the passes have copied back so far (__st_recycled_pages). */
  recycledPages: number;
}

interface Vcpu { vpid: number; eptp: number; vmcs: number }

const hex = (n: number) => '0x' + n.toString(16);

/** The Wedge view at the machine's current state, or null if the program has no sthreads
 *  (sthread_init never ran, or not a Dune process). */
export function wedgeView(s: Session): WedgeView | null {
  const m = s.machine, mem = m.mem, proc = s.kernel.proc;
  const v = proc.vcpu as Vcpu | undefined;
  if (!v) return null;
  const sym = (n: string) => runtime().syms.get(n);
  /** Host-virtual read through the process's own page table (guest VA = host VA in Dune). */
  const hpaOf = (va: number) => pteXlate(mem, proc.root, va);
  const q = (va: number): number => { const pa = hpaOf(va); return pa === null ? 0 : Number(mem.read64(pa)); };
  const wstart = q(sym('__st_wstart')), wend = q(sym('__st_wend'));
  if (!wstart || wend <= wstart) return null;
  const ckpt = q(sym('__st_ckpt'));
  const tableAt = (gpa: number) => { const h = gpaToHva(gpa); return h === null ? null : hpaOf(h); };
  /** The leaf entry for va under a root (guest-physical), as [lo, hi] words, or null. */
  const leaf = (rootGpa: number, va: number): [number, number] | null => {
    let t = tableAt(rootGpa);
    for (let l = 4; l >= 1 && t !== null; l--) {
      const pa = t + Math.floor(va / 2 ** (12 + 9 * (l - 1))) % 512 * 8;
      const lo = mem.read32(pa), hi = mem.read32(pa + 4);
      if (!(lo & P)) return null;
      if (l === 1 || (l <= 3 && lo & 0x80)) return [lo, hi];
      t = tableAt(entryTarget(lo, hi));
    }
    return null;
  };

  const cpuCr3 = m.vmx.nonRoot ? m.cpu.cr3 : Number(m.vmx.regions.get(v.vmcs)?.fields.get(VMCS.GUEST_CR3) ?? 0n);
  const liveRoot = cpuCr3 - (cpuCr3 % PAGE);
  const pgroot = q(sym('pgroot'));
  const parentRoot = hvaToGpa(pgroot) ?? 0;
  const spaces: WedgeSpace[] = [{ id: 0, pcid: 0, state: 'parent', cr3: hex(parentRoot), root: hex(parentRoot), live: liveRoot === parentRoot }];
  const table = sym('__st_table'), cur = q(sym('__st_cur'));
  const threads: { id: number; root: number; stack: number; copy: number }[] = [];
  for (let i = 0; i < STHREAD_LIMITS.threads; i++) {
    const e = table + i * ST.ST_SIZE;
    const state = q(e + ST.ST_STATE);
    if (state === 0) continue;
    const cr3 = Number(BigInt.asUintN(63, BigInt(q(e + ST.ST_CR3))));
    const root = cr3 - (cr3 % PAGE), id = q(e + ST.ST_ID);
    spaces.push({ id, pcid: cr3 % PAGE, state: cur === e ? 'running' : state === 2 ? 'recycled' : 'ready', cr3: hex(cr3), root: hex(root), live: liveRoot === root });
    threads.push({ id, root, stack: q(e + ST.ST_STACK), copy: q(e + ST.ST_COPY) });
  }
  const roots = [parentRoot, ...threads.map((t) => t.root)];

  // The TLB's 4 KiB entries for a page under a PCID (this vCPU's VPID and EPTP), read without
  // touching the LRU state.
  const tlb = m.mmu.tlb4k, ep = Math.floor(v.eptp / PAGE);
  const vpid = m.mmu.knobs.vpid ? v.vpid : 0;
  const cached = (va: number, pcid: number): TlbCell | null => {
    const vpn = Math.floor(va / PAGE), ctx = ctxOf(vpid, pcid);
    const base = (vpn & (tlb.sets - 1)) * tlb.ways;
    for (let i = base; i < base + tlb.ways; i++) {
      if (tlb.vpn[i] === vpn && tlb.ep[i] === ep && tlb.ctx[i] === ctx) return { dirty: (tlb.flags[i] & TF.DIRTY) !== 0, writable: (tlb.flags[i] & TF.RW) !== 0 };
    }
    return null;
  };

  const row = (va: number, region: RowRegion, owner: number | null): WedgeRow => {
    const parent = leaf(parentRoot, va);
    const pframe = parent ? entryTarget(parent[0], parent[1]) : null;
    return {
      va: hex(va), region, owner,
      cells: roots.map((r, i) => {
        const e = leaf(r, va);
        if (!e) return { frame: null, w: false, u: false, a: false, d: false, remapped: false, tlb: cached(va, spaces[i].pcid) };
        const f = entryTarget(e[0], e[1]), lo = e[0];
        return { frame: hex(f), w: (lo & W) !== 0, u: (lo & U) !== 0, a: (lo & A) !== 0, d: (lo & D) !== 0, remapped: i > 0 && f !== pframe, tlb: cached(va, spaces[i].pcid) };
      }),
    };
  };
  const pages = (from: number, to: number) => { const out: number[] = []; for (let a = from - (from % PAGE); a < to; a += PAGE) out.push(a); return out; };
  const textEnd = LAYOUT.TEXT_BASE + s.program.text.bytes.length;
  const rows: WedgeRow[] = [
    ...pages(LAYOUT.TEXT_BASE, Math.min(textEnd, wstart)).map((a) => row(a, 'text', null)),
    ...pages(wstart, wend).map((a) => row(a, 'writable', null)),
    ...threads.flatMap((t) => pages(t.stack, t.stack + STHREAD_LIMITS.stackBytes).map((a) => row(a, 'stack', t.id))),
    row(table - (table % PAGE), 'runtime', null),
  ];

  const rip = m.cpu.rip;
  const within = (a: string, b: string) => rip >= sym(a) && rip < sym(b);
  const inRecycle = cur !== 0 && m.cpu.cpl === 0 &&
    (within('__st_recycle', '__src_clean') || within('__memset', '__memcpy') || within('__memcpy', '__signal'));
  // A page the host has not mapped yet was never written: it reads as zeros (Linux's zero page).
  const none = new Uint8Array(PAGE);
  const readPage = (va: number): Uint8Array => { const pa = hpaOf(va); return pa === null ? none : mem.readBytes(pa, PAGE); };
  const same = (a: Uint8Array, b: Uint8Array) => a.every((x, i) => x === b[i]);
  const zero = (a: Uint8Array) => a.every((x) => x === 0);
  const recycle: WedgeRecycle[] = threads.map((t, ti) => {
    const pcid = spaces[ti + 1].pcid, running = spaces[ti + 1].state === 'running';
    const page = (va: number, region: 'writable' | 'stack'): RecyclePage => {
      const e = leaf(t.root, va), d = e !== null && (e[0] & D) !== 0;
      const differs = region === 'writable' ? !same(readPage(t.copy + (va - wstart)), readPage(ckpt + (va - wstart))) : !zero(readPage(va));
      const tlbDirty = cached(va, pcid)?.dirty ?? false;
      const status: RecycleStatus = d ? 'dirty' : !differs ? 'clean' : running && inRecycle ? 'pending' : 'unrecorded';
      return { va: hex(va), region, d, differs, tlbDirty, status };
    };
    return { id: t.id, pages: [...pages(wstart, wend).map((a) => page(a, 'writable')), ...pages(t.stack, t.stack + STHREAD_LIMITS.stackBytes).map((a) => page(a, 'stack'))] };
  });
  // __st_recycle_cb(st, pte, va): va in rdx at its entry, kept in r13 while the page is copied.
  const reg = (i: number) => m.cpu.hi[i] * 2 ** 32 + m.cpu.lo[i];
  // (The state at an instruction's event is the state after it: at __src_done, pop r13 has run.)
  const visiting = !inRecycle ? null : within('__st_recycle_cb', '__src_copy') && rip !== sym('__st_recycle_cb') ? hex(reg(2))
    : (rip >= sym('__src_copy') && rip <= sym('__src_done')) || within('__memset', '__memcpy') || within('__memcpy', '__signal') ? hex(reg(13)) : null;
  return {
    seq: m.seq, cr3: hex(cpuCr3), spaces, rows, recycle, inRecycle, visiting,
    invlpg: q(sym('__st_recycle_invlpg')) !== 0, recycledPages: q(sym('__st_recycled_pages')),
  };
}

/** Where the Wedge view steps: `visit`, the recycle pass reads one page's PTE (the first
 *  instruction of __st_recycle_cb); `cleared`, it has cleared a dirty page's D bit (the `and` of
 *  ~PTE_D; the copy back follows); `copied`, the copy is done (__src_done). */
export type RecycleStop = 'visit' | 'cleared' | 'copied';
export function recycleStopRip(stop: RecycleStop): string {
  const rt = runtime();
  if (stop !== 'cleared') return hex(rt.syms.get(stop === 'visit' ? '__st_recycle_cb' : '__src_done'));
  const from = rt.syms.get('__st_recycle_cb'), to = rt.syms.get('__src_copy');
  const and = rt.program.instrs.find((i) => i.addr >= from && i.addr < to && i.mnemonic === 'and');
  if (!and) throw new Error('__st_recycle_cb has no `and` clearing PTE_D');
  return hex(and.addr);
}
