// Building and editing x86-64 4-level page tables in host-physical memory, as the Linux kernel's
// mm code does for a process (and as libdune does for its guest page table). SDM Vol. 3A
// "4-Level Paging". World: VMX root kernel (host page tables).

import { PTE, PTE_NX_HI, ADDR_LO_MASK, ADDR_HI_MASK } from '../arch/x86.ts';
import type { PhysMem } from '../mem/phys.ts';

const P32 = 2 ** 32;
/** The span of one entry at each level (index = level). */
const SPAN = [0, 2 ** 12, 2 ** 21, 2 ** 30, 2 ** 39];
// `& 511`, not `% 512`: va is a non-negative integer below 2^53, whose quotient ToInt32 reduces
// modulo 2^32 (a multiple of 512), and `%` on a double is a slow call in V8 (fork walks every leaf).
const idx = (va: number, level: number) => Math.floor(va / SPAN[level]) & 511;
const entryAddr = (e: [number, number]) => (e[1] & ADDR_HI_MASK) * P32 + ((e[0] & ADDR_LO_MASK) >>> 0);

export interface PteFlags { w: boolean; u: boolean; x: boolean; g?: boolean }

/** The kernel's software bit for a copy-on-write page: bit 9 is one of the entry bits the MMU
 *  ignores (SDM "Use of the Page-Table Entry's Ignored Bits"); libdune's PTE_COW is the same bit. */
export const PTE_COW = 0x200;

export function read(mem: PhysMem, pa: number): [number, number] { return [mem.read32(pa), mem.read32(pa + 4)]; }
export function write(mem: PhysMem, pa: number, lo: number, hi: number) { mem.write32(pa, lo); mem.write32(pa + 4, hi); }
/** The frame number an entry points at. */
export const entryFrame = (lo: number, hi: number) => entryAddr([lo, hi]) / 4096;

/** The address of the level-1 entry for va, creating intermediate tables (P|W|U, as Linux does:
 *  permissions are enforced at the leaf). Returns null if create is false and a table is missing. */
export function pteAddr(mem: PhysMem, root: number, va: number, create: boolean): number | null {
  let table = root;
  for (let level = 4; level > 1; level--) {
    const pa = table + idx(va, level) * 8;
    const e = read(mem, pa);
    if (!(e[0] & PTE.P)) {
      if (!create) return null;
      const fn = mem.alloc();
      write(mem, pa, (fn * 4096) % P32 | PTE.P | PTE.RW | PTE.US, Math.floor(fn * 4096 / P32));
      table = fn * 4096;
    } else table = entryAddr(e);
  }
  return table + idx(va, 1) * 8;
}

/** Map one 4 KiB page va -> frame with the given permissions. */
export function mapPage(mem: PhysMem, root: number, va: number, frame: number, f: PteFlags) {
  // The kernel half's tables are shared by every process: a user page there would be everyone's.
  if (f.u && va >= USER_TOP) throw new Error(`a user page at ${va.toString(16)} would land in the kernel half's shared page tables`);
  const pa = pteAddr(mem, root, va, true)!;
  const phys = frame * 4096;
  write(mem, pa, ((phys % P32) | PTE.P | (f.w ? PTE.RW : 0) | (f.u ? PTE.US : 0) | (f.g ? PTE.G : 0)) >>> 0,
    (Math.floor(phys / P32) | (f.x ? 0 : PTE_NX_HI)) >>> 0);
}

/** The leaf entry for va as [lo, hi], or null if unmapped. */
export function lookup(mem: PhysMem, root: number, va: number): [number, number] | null {
  const pa = pteAddr(mem, root, va, false);
  if (pa === null) return null;
  const e = read(mem, pa);
  return e[0] & PTE.P ? e : null;
}

/** Remove the mapping of va; returns the frame it mapped, or -1. */
export function unmapPage(mem: PhysMem, root: number, va: number): number {
  const pa = pteAddr(mem, root, va, false);
  if (pa === null) return -1;
  const e = read(mem, pa);
  if (!(e[0] & (PTE.P | PTE_PROTNONE))) return -1; // a PROT_NONE page still owns its frame
  write(mem, pa, 0, 0);
  return entryAddr(e) / 4096;
}

/** Change the permissions of a present mapping (mprotect). */
/** Linux's _PAGE_PROTNONE, in a bit the hardware ignores: a PROT_NONE page keeps its frame
 *  with P clear, so a later mprotect can make it accessible again. */
export const PTE_PROTNONE = 0x400;

export function protectPage(mem: PhysMem, root: number, va: number, f: PteFlags, none = false): boolean {
  const pa = pteAddr(mem, root, va, false);
  if (pa === null) return false;
  let [lo, hi] = read(mem, pa);
  if (!(lo & PTE.P) && !(lo & PTE_PROTNONE)) return false;
  if (none) { write(mem, pa, ((lo & ~PTE.P) | PTE_PROTNONE) >>> 0, hi); return true; }
  lo = ((lo | PTE.P) & ~PTE_PROTNONE) >>> 0;
  // A copy-on-write page stays read-only: the next write faults and gets its own copy.
  const w = f.w && !(lo & PTE_COW);
  write(mem, pa, ((lo & ~(PTE.RW | PTE.US)) | (w ? PTE.RW : 0) | (f.u ? PTE.US : 0)) >>> 0,
    ((hi & ~PTE_NX_HI) | (f.x ? 0 : PTE_NX_HI)) >>> 0);
  return true;
}

/** Call fn for every present 4 KiB leaf of the user half (PML4 entries 0-255), in address order,
 *  with the leaf's own address so the caller can rewrite it (fork's copy_page_range). PROT_NONE
 *  leaves (P clear, frame kept) are visited too. */
export function forEachLeaf(mem: PhysMem, root: number, fn: (va: number, pa: number, lo: number, hi: number) => void) {
  forEachLeafIn(mem, root, 0, USER_TOP, fn);
}

/** The top of the user half: PML4 entries 256-511 map the kernel, shared by every process. */
export const USER_TOP = 2 ** 47;

/** forEachLeaf limited to [start, end): only tables that exist are visited, so the cost is the
 *  number of mapped pages, not the size of the range (zap_page_range skips empty tables too). */
export function forEachLeafIn(mem: PhysMem, root: number, start: number, end: number,
  fn: (va: number, pa: number, lo: number, hi: number) => void) {
  end = Math.min(end, USER_TOP);
  const walk = (table: number, level: number, base: number) => {
    const size = 2 ** (12 + 9 * (level - 1));
    const first = Math.max(0, Math.floor((start - base) / size)), last = Math.min(511, Math.floor((end - 1 - base) / size));
    for (let i = first; i <= last; i++) {
      const pa = table + i * 8;
      const [lo, hi] = read(mem, pa);
      const va = base + i * size;
      if (level === 1) { if (lo & (PTE.P | PTE_PROTNONE)) fn(va, pa, lo, hi); continue; }
      if (!(lo & PTE.P)) continue;
      if (!(lo & PTE.PS)) walk(entryAddr([lo, hi]), level - 1, va);
    }
  };
  if (end > start) walk(root, 4, 0);
}

/** Tear down the user half (exit_mmap): hand every leaf's frame to put, free the page-table
 *  pages below the PML4 and clear its user entries. The PML4 itself (it maps the kernel) stays. */
export function freeUserHalf(mem: PhysMem, root: number, put: (frame: number) => void, putTable = (frame: number) => mem.release(frame)) {
  const walk = (table: number, level: number) => {
    for (let i = 0; i < 512; i++) {
      const [lo, hi] = read(mem, table + i * 8);
      if (level === 1) { if (lo & (PTE.P | PTE_PROTNONE)) put(entryAddr([lo, hi]) / 4096); continue; }
      if (!(lo & PTE.P)) continue;
      else { walk(entryAddr([lo, hi]), level - 1); putTable(entryAddr([lo, hi]) / 4096); }
    }
  };
  for (let i = 0; i < 256; i++) {
    const [lo, hi] = read(mem, root + i * 8);
    if (!(lo & PTE.P)) continue;
    walk(entryAddr([lo, hi]), 3);
    putTable(entryAddr([lo, hi]) / 4096);
    write(mem, root + i * 8, 0, 0);
  }
}
