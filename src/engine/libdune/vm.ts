// libdune's page-table manager (libdune/vm.c): the guest page table that Dune hardware walks in
// VMX non-root, built from pool pages. Entries hold guest-physical addresses; libdune reaches a
// table through its virtual address (pool pages: VA = GPA - GPA_MAP + mmap_base). Every access
// goes through the MMU (GuestMem). World: libdune, in the caller's mode.

import { PERM, PTE_FLAGS } from '../arch/dune.ts';
import { ERRNO } from '../arch/linux.ts';
import { gpaToHva, hvaToGpa } from '../kernel/dune/layout.ts';
import { POOL_PAGES } from './runtime.ts';
import type { GuestMem } from './access.ts';

const NX = 1n << 63n;
const ADDR = 0x000ffffffffff000n;
const P = BigInt(PTE_FLAGS.PTE_P), W = BigInt(PTE_FLAGS.PTE_W), U = BigInt(PTE_FLAGS.PTE_U), PS = BigInt(PTE_FLAGS.PTE_PS);
const idx = (va: number, level: number) => Math.floor(va / 2 ** (12 + 9 * (level - 1))) % 512;

export interface VmCtx {
  g: GuestMem;
  /** Addresses of libdune's pool variables in runtime data. */
  poolNext: number; poolBase: number;
}

/** PERM_* -> PTE bits (vm.c get_pte_perm): R -> P, W -> W, no X -> NX, U, UC -> PCD, COW, BIG -> PS. */
export function pteBits(perm: number): bigint {
  let b = 0n;
  if (perm & PERM.PERM_R) b |= P;
  if (perm & PERM.PERM_W) b |= W;
  if (!(perm & PERM.PERM_X)) b |= NX;
  if (perm & PERM.PERM_U) b |= U;
  if (perm & PERM.PERM_UC) b |= BigInt(PTE_FLAGS.PTE_PCD);
  if (perm & PERM.PERM_COW) b |= BigInt(PTE_FLAGS.PTE_COW);
  if (perm & PERM.PERM_BIG) b |= PS;
  return b;
}

/** Virtual address through which libdune reaches a page-table page at guest-physical pa. */
export const tableVa = (pa: number) => gpaToHva(pa)!;

/** The 64-bit value at va as a number (exact below 2^53: the pool's addresses). */
const load = (x: VmCtx, va: number) => { const lo = x.g.load64n(va); return x.g.hi * 4294967296 + lo; };

/** dune_page_alloc from the pool: the next zeroed page's VA, or null when the pool is exhausted. */
export function allocPage(x: VmCtx): number | null {
  const next = load(x, x.poolNext);
  const base = load(x, x.poolBase);
  if (next + 4096 > base + POOL_PAGES * 4096) return null;
  const v = next + 4096;
  x.g.store64h(x.poolNext, v % 4294967296, Math.floor(v / 4294967296));
  return next;
}

/** The VA of the entry for va at `leaf` level (1 for 4 KiB, 2 for a 2 MiB PDE), creating tables
 *  (P|W|U) if asked; null if missing, -ENOMEM-style null if the pool is out. */
export function walk(x: VmCtx, rootVa: number, va: number, create: boolean, leaf: 1 | 2 = 1): number | null {
  // The entries as 32-bit halves (no BigInt: this runs once per page table mapPhys fills).
  let table = rootVa;
  for (let level = 4; level > leaf; level--) {
    const e = table + idx(va, level) * 8;
    let lo = x.g.load64n(e), hi = x.g.hi;
    if (!(lo & PTE_FLAGS.PTE_P)) {
      if (!create) return null;
      const page = allocPage(x);
      if (page === null) return null;
      const pa = hvaToGpa(page)!;
      lo = ((pa % 4294967296) | PTE_FLAGS.PTE_P | PTE_FLAGS.PTE_W | PTE_FLAGS.PTE_U) >>> 0;
      hi = Math.floor(pa / 4294967296);
      x.g.store64h(e, lo, hi);
    } else if (level === 2 && (lo & PTE_FLAGS.PTE_PS)) return e; // a 2 MiB mapping: the PDE is the leaf
    // The table's address: bits 51:12 (ADDR).
    table = tableVa((hi & 0xfffff) * 4294967296 + ((lo & 0xfffff000) >>> 0));
  }
  return table + idx(va, leaf) * 8;
}

/** dune_vm_map_phys: map [va, va+len) to [pa, pa+len) with perm. Consecutive pages of one page
 *  table are written without re-walking, as vm.c's recursive walk does (GuestMem.storeEntries). */
export function mapPhys(x: VmCtx, root: number, va: number, len: number, pa: number, perm: number, cycles: { n: number }): bigint {
  if ((perm & PERM.PERM_W) && !(perm & PERM.PERM_R)) return BigInt(-ERRNO.EINVAL);
  const big = (perm & PERM.PERM_BIG) !== 0, step = big ? 0x200000 : 4096;
  const bits = pteBits(perm);
  const bLo = Number(bits & 0xffffffffn), bHi = Number(bits >> 32n);
  const pages = Math.ceil(len / step);
  for (let i = 0; i < pages;) {
    const v = va + i * step;
    const e = walk(x, root, v, true, big ? 2 : 1);
    if (e === null) return BigInt(-ERRNO.ENOMEM);
    // With 4 KiB pages, the rest of this page table's entries are consecutive in its page.
    const n = big ? 1 : Math.min(pages - i, 512 - idx(v, 1));
    x.g.storeEntries(e, n, pa + i * step, bLo, bHi);
    cycles.n += 8 * n; // the loop body of the C walk per page, besides the store
    i += n;
  }
  return 0n;
}

/** dune_vm_map_pages: fresh pool pages for [va, va+len). */
export function mapPages(x: VmCtx, root: number, va: number, len: number, perm: number): bigint {
  if ((perm & PERM.PERM_W) && !(perm & PERM.PERM_R)) return BigInt(-ERRNO.EINVAL);
  const bits = pteBits(perm & ~PERM.PERM_BIG);
  for (let v = va - (va % 4096); v < va + len; v += 4096) {
    const e = walk(x, root, v, true);
    const page = e === null ? null : allocPage(x);
    if (e === null || page === null) return BigInt(-ERRNO.ENOMEM);
    x.g.store64(e, BigInt(hvaToGpa(page)!) | bits);
  }
  return 0n;
}

/** dune_vm_mprotect: change the permission of present pages; no PERM_R makes them not present. */
export function mprotect(x: VmCtx, root: number, va: number, len: number, perm: number): bigint {
  if ((perm & PERM.PERM_W) && !(perm & PERM.PERM_R)) return BigInt(-ERRNO.EINVAL);
  const bits = pteBits(perm & ~PERM.PERM_BIG);
  for (let v = va - (va % 4096); v < va + len; v += 4096) {
    const e = walk(x, root, v, false);
    if (e === null) return BigInt(-ERRNO.ENOMEM);
    const old = x.g.load64(e);
    if (!(old & ADDR)) return BigInt(-ERRNO.ENOMEM);
    x.g.store64(e, (old & ADDR) | bits);
  }
  return 0n;
}

/** dune_vm_unmap: clear the entries of [va, va+len). */
export function unmap(x: VmCtx, root: number, va: number, len: number) {
  for (let v = va - (va % 4096); v < va + len; v += 4096) {
    const e = walk(x, root, v, false);
    if (e !== null) x.g.store64(e, 0n);
  }
}

/** dune_vm_clone: a new page-table tree with copies of every table; leaf entries are shared (the
 *  same frames). Returns the new root's VA or null when the pool runs out. */
export function clone(x: VmCtx, root: number): number | null {
  const copy = (srcVa: number, level: number): number | null => {
    const dst = allocPage(x);
    if (dst === null) return null;
    for (let i = 0; i < 512; i++) {
      const v = x.g.load64(srcVa + i * 8);
      if (!(v & P)) continue;
      if (level > 1 && !(level === 2 && (v & PS))) {
        const sub = copy(tableVa(Number(v & ADDR)), level - 1);
        if (sub === null) return null;
        x.g.store64(dst + i * 8, (v & ~ADDR) | BigInt(hvaToGpa(sub)!));
      } else x.g.store64(dst + i * 8, v);
    }
    return dst;
  };
  return copy(root, 4);
}

/** The next present leaf at or after `from` (below `end`), skipping absent tables whole:
 *  [entry VA, page VA, page size] or null. */
export function nextLeaf(x: VmCtx, root: number, from: number, end: number): [number, number, number] | null {
  let va = from;
  while (va < end) {
    let table = root, level = 4, skipped = false;
    for (; level >= 1; level--) {
      const span = 2 ** (12 + 9 * (level - 1));
      const e = table + idx(va, level) * 8;
      const v = x.g.load64(e);
      if (!(v & P)) { va = Math.floor(va / span) * span + span; skipped = true; break; }
      if (level === 1 || (level === 2 && (v & PS))) return [e, Math.floor(va / span) * span, span];
      table = tableVa(Number(v & ADDR));
    }
    if (!skipped) break;
  }
  return null;
}
