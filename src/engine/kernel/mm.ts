// The memory-management system calls (mmap, munmap, mprotect, brk) as Linux's mm/mmap.c and
// mm/mprotect.c: the user half ends at TASK_SIZE, get_unmapped_area finds a free gap top-down,
// and every unmap runs as unmap_region does: MMU notifier, zap the PTEs, TLB flush, and only then
// free the frames (mmu_gather). World: VMX root kernel.

import { ERRNO, MMAN, LAYOUT } from '../arch/linux.ts';
import { findVma, type Process, type Vma } from './process.ts';
import { forEachLeafIn, freeUserHalf, protectPage, write as writePte, entryFrame } from './pgtable.ts';
import { hexVa } from '../trace/events.ts';
import type { SyscallCtx } from './syscalls.ts';
import { kernelNote } from '../trace/notes.ts';

/** TASK_SIZE on x86-64 with 4-level paging: (1 << 47) - PAGE_SIZE. No user mapping reaches it. */
export const TASK_SIZE = 0x7ffffffff000;
/** x86's tlb_single_page_flush_ceiling: a longer range is flushed whole, not page by page. */
const FLUSH_CEILING = 33;
/** The lowest address get_unmapped_area hands out (mmap_min_addr). */
const MMAP_MIN = 0x10000;
const MAP_POPULATE = 0x8000;

const E = (e: number) => BigInt(-e);
const U64 = (v: bigint) => BigInt.asUintN(64, v);
const pageUp = (x: number) => Math.ceil(x / 4096) * 4096;
const T = BigInt(TASK_SIZE);

/** mmap(addr, len, prot, flags, fd, off): anonymous memory only. */
export function sysMmap(k: SyscallCtx, [addr, len, prot, flags]: bigint[]): bigint {
  const p = k.proc, f = Number(flags & 0xffffffffn), pr = Number(prot & 0xffffffffn);
  const a = U64(addr), l = U64(len);
  if (l === 0n) return E(ERRNO.EINVAL);
  if (!(f & MMAN.MAP_ANONYMOUS)) return E(ERRNO.ENODEV); // no files: fd is ignored, as for MAP_ANONYMOUS
  // do_mmap: PAGE_ALIGN(len) wrapping to 0 is -ENOMEM; get_unmapped_area: len > TASK_SIZE is -ENOMEM.
  if (l > T) return E(ERRNO.ENOMEM);
  const n = pageUp(Number(l));
  let start: number;
  if (f & MMAN.MAP_FIXED) {
    if (a % 4096n) return E(ERRNO.EINVAL);
    if (a > T - BigInt(n)) return E(ERRNO.ENOMEM); // at or above the user half's top
    start = Number(a);
    zapRange(k, start, n, 'mmap MAP_FIXED');
    p.vmas = p.vmas.flatMap((v) => cut(v, start, start + n));
  } else {
    // A hint is taken when the page-aligned range is free and below TASK_SIZE, else ignored.
    const hint = Number((a + 4095n) / 4096n * 4096n);
    const free = a !== 0n && a <= T - BigInt(n) && hint >= MMAP_MIN && !overlaps(p, hint, hint + n);
    const gap = free ? hint : unmappedArea(p, n);
    if (gap === null) return E(ERRNO.ENOMEM);
    start = gap;
  }
  const vma: Vma = { start, end: start + n, r: (pr & MMAN.PROT_READ) !== 0, w: (pr & MMAN.PROT_WRITE) !== 0, x: (pr & MMAN.PROT_EXEC) !== 0, kind: 'mmap' };
  p.vmas.push(vma);
  p.vmas.sort((x, y) => x.start - y.start);
  const populate = (f & MAP_POPULATE) !== 0 && vma.r;
  k.m.emit(kernelNote('do_mmap', 'mmap', { start: hexVa(start), end: hexVa(start + n), prot: pr, populate }));
  // MAP_POPULATE: fault every page in now (__mm_populate), as get_user_pages would.
  if (populate) k.faultIn(start, n, vma.w);
  return BigInt(start);
}

/** munmap(addr, len): -EINVAL for an unaligned start or a range beyond TASK_SIZE (do_munmap). */
export function sysMunmap(k: SyscallCtx, [addr, len]: bigint[]): bigint {
  const a = U64(addr), l = U64(len);
  if (a % 4096n || a > T || l > T - a) return E(ERRNO.EINVAL);
  const start = Number(a), n = pageUp(Number(l));
  if (n === 0) return E(ERRNO.EINVAL);
  zapRange(k, start, n, 'munmap');
  k.proc.vmas = k.proc.vmas.flatMap((v) => cut(v, start, start + n));
  return 0n;
}

/** mprotect(addr, len, prot): the range must be mapped throughout (else -ENOMEM). PROT_NONE
 *  keeps the frames with P clear; any change is flushed from the TLB and told to the notifier. */
export function sysMprotect(k: SyscallCtx, [addr, len, prot]: bigint[]): bigint {
  const p = k.proc, a = U64(addr), l = U64(len), pr = Number(prot & 0xffffffffn);
  if (a % 4096n) return E(ERRNO.EINVAL);
  if (l === 0n) return 0n;
  const end = a + (l + 4095n) / 4096n * 4096n;
  if (end > T) return E(ERRNO.ENOMEM);
  const start = Number(a), n = Number(end - a);
  if (!covered(p, start, start + n)) return E(ERRNO.ENOMEM);
  const r = (pr & MMAN.PROT_READ) !== 0, w = (pr & MMAN.PROT_WRITE) !== 0, x = (pr & MMAN.PROT_EXEC) !== 0;
  const pieces = p.vmas.flatMap((v) => cut(v, start, start + n));
  for (const v of p.vmas) if (v.start < start + n && v.end > start)
    pieces.push({ ...v, start: Math.max(v.start, start), end: Math.min(v.end, start + n), r, w, x });
  p.vmas = pieces.sort((u, v) => u.start - v.start);
  k.notifyRange(start, n, 'mprotect');
  // PROT_NONE: not present, frame kept (Linux's _PAGE_PROTNONE).
  let pages = 0;
  forEachLeafIn(k.m.mem, p.root, start, start + n, (va) => { protectPage(k.m.mem, p.root, va, { w, u: true, x }, !r && !w && !x); pages++; });
  k.m.cycles += k.m.costs.kernel.mprotect + k.m.costs.kernel.mprotectPage * pages;
  flushRange(k, start, n, 'mprotect');
  return 0n;
}

/** brk(addr): grow or shrink the heap; a request that would overlap another mapping (or leave
 *  the heap's range) fails by returning the old break, as sys_brk does. */
export function sysBrk(k: SyscallCtx, [addr]: bigint[]): bigint {
  const p = k.proc, a = U64(addr);
  if (a < BigInt(p.brkStart) || a >= BigInt(LAYOUT.MMAP_TOP / 2)) return BigInt(p.brk);
  const want = Number(a), old = pageUp(p.brk), neu = pageUp(want);
  let heap = p.vmas.find((v) => v.kind === 'heap');
  // find_vma_intersection(oldbrk, newbrk + PAGE_SIZE): the heap may not grow into another mapping.
  // (The image's own areas end below brkStart; an empty .data page can share the heap's first page.)
  if (neu > old && p.vmas.some((v) => (v.kind === 'mmap' || v.kind === 'stack') && v.start < neu + 4096 && v.end > old)) return BigInt(p.brk);
  if (!heap) { heap = { start: pageUp(p.brkStart), end: pageUp(p.brkStart), r: true, w: true, x: false, kind: 'heap' }; p.vmas.push(heap); }
  if (neu < old) zapRange(k, neu, old - neu, 'brk');
  heap.end = Math.max(heap.start, neu);
  p.brk = want;
  return BigInt(p.brk);
}

/** unmap_region for [start, start+n) of the current process: the MMU notifier first (a Dune
 *  module drops its EPT entries and runs INVEPT), then the PTEs are cleared and the TLB flushed,
 *  and only then are the frames freed; until the flush no frame may be handed to anyone else. */
export function zapRange(k: SyscallCtx, start: number, n: number, why: string, p: Process = k.proc) {
  const m = k.m, frames: number[] = [];
  k.notifyRange(start, n, why, p);
  forEachLeafIn(m.mem, p.root, start, start + n, (_va, pa, lo, hi) => {
    frames.push(entryFrame(lo, hi));
    writePte(m.mem, pa, 0, 0);
  });
  if (p === k.proc) flushRange(k, start, n, why);
  for (const fn of frames) k.putFrame(fn);
  if (frames.length) m.emit(kernelNote('unmap_region', 'unmapped', { why, pages: frames.length, start: hexVa(start), end: hexVa(start + n) }));
}

/** exit_mmap for process p: the MMU notifier's release, then every page and page-table page of
 *  the user half, freed after the TLB no longer holds them. */
export function exitMmap(k: SyscallCtx, p: Process) {
  const m = k.m, leaves: number[] = [], tables: number[] = [];
  k.notifyRange(0, TASK_SIZE, 'exit', p);
  freeUserHalf(m.mem, p.root, (fn) => leaves.push(fn), (fn) => tables.push(fn));
  if (p === k.proc) m.mmu.flushPcid(0, 0, true);
  for (const fn of leaves) k.putFrame(fn);
  for (const fn of tables) m.mem.release(fn);
}

/** flush_tlb_range: INVLPG per page, or a full flush of the process's entries (keeping global
 *  kernel ones) beyond tlb_single_page_flush_ceiling pages. */
export function flushRange(k: SyscallCtx, start: number, n: number, why: string) {
  const m = k.m, pages = n / 4096;
  if (pages > FLUSH_CEILING) {
    const entries = m.mmu.flushPcid(0, 0, true);
    m.cycles += m.costs.invlpg * FLUSH_CEILING;
    m.emit({ type: 'tlb', op: 'flush', vpid: 0, pcid: 0, scope: `${why}: ${pages} pages, more than ${FLUSH_CEILING}: full flush`, entries });
    return;
  }
  let entries = 0;
  for (let va = start; va < start + n; va += 4096) entries += m.mmu.invlpg(0, 0, va);
  m.cycles += m.costs.invlpg * pages;
  m.emit({ type: 'tlb', op: 'invlpg', vpid: 0, pcid: 0, va: hexVa(start), scope: `${why}: ${pages} page(s)`, entries });
}

/** Top-down get_unmapped_area: the highest gap of n bytes below the mmap base, or null. */
function unmappedArea(p: Process, n: number): number | null {
  let top: number = LAYOUT.MMAP_TOP;
  const below = p.vmas.filter((v) => v.start < LAYOUT.MMAP_TOP).sort((a, b) => b.end - a.end);
  for (const v of below) {
    if (v.end <= top && top - v.end >= n) return top - n;
    top = Math.min(top, v.start);
  }
  return top - n >= MMAP_MIN ? top - n : null;
}

/** Whether [s, e) intersects a memory area other than `except`. */
function overlaps(p: Process, s: number, e: number, except?: Vma): boolean {
  return p.vmas.some((v) => v !== except && v.start < e && v.end > s);
}

/** Whether [s, e) is mapped with no hole. */
function covered(p: Process, s: number, e: number): boolean {
  for (let at = s; at < e;) {
    const v = findVma(p, at);
    if (!v) return false;
    at = v.end;
  }
  return true;
}

/** The parts of a VMA outside [s, e). */
export function cut(v: Vma, s: number, e: number): Vma[] {
  if (v.end <= s || v.start >= e) return [v];
  const out: Vma[] = [];
  if (v.start < s) out.push({ ...v, end: s });
  if (v.end > e) out.push({ ...v, start: e });
  return out;
}
