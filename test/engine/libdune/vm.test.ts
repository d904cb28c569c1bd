// libdune's page-table manager (vm.ts, libdune/vm.c) on a plain memory: a map of 8-byte slots
// stands in for GuestMem, and the page pool sits in the mmap window (pool VA 0x7eff00100000 =
// GPA 0x100100000), so every table address the code writes can be written out by hand here.
// Without a guest run each test takes milliseconds (mutation testing, docs/testing.md).

import { describe, it, expect } from 'vitest';
import { pteBits, allocPage, walk, mapPhys, mapPages, mprotect, unmap, clone, nextLeaf, tableVa, type VmCtx } from '../../../src/engine/libdune/vm.ts';
import { PERM } from '../../../src/engine/arch/dune.ts';
import type { GuestMem } from '../../../src/engine/libdune/access.ts';

const { PERM_R: R, PERM_W: W, PERM_X: X, PERM_U: U, PERM_UC: UC, PERM_COW: COW, PERM_BIG: BIG } = PERM;
const NX = 1n << 63n;
const POOL = 0x7eff_0010_0000; // VA of the pool's first page; its GPA is 0x1_0010_0000
const NEXT = 0x380000, BASE = 0x380008;

function ctx(poolLeft = 8192) {
  const slots = new Map<number, bigint>();
  let loads = 0;
  // The null page is not mapped: an access there (or through null) is a bug of the code under test.
  const check = (va: number) => { if (typeof va !== 'number' || !(va >= 0x1000)) throw new Error(`access at ${va}`); };
  const g = {
    load64: (va: number) => { check(va); loads++; return slots.get(va) ?? 0n; },
    // GuestMem.load64n's contract: the low half, the high half in hi.
    hi: 0,
    load64n: (va: number) => { const v = g.load64(va); g.hi = Number(v >> 32n); return Number(v & 0xffffffffn); },
    store64h: (va: number, lo: number, hi: number) => g.store64n(va, lo, hi),
    store64: (va: number, v: bigint) => { check(va); slots.set(va, BigInt.asUintN(64, v)); },
    store64n: (va: number, lo: number, hi: number) => { check(va); slots.set(va, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)); },
    // GuestMem.storeEntries' contract: n consecutive entries from va, the i-th mapping the frame
    // a + i * 4096 with the low and high bits bLo, bHi (one store each here).
    storeEntries: (va: number, n: number, a: number, bLo: number, bHi: number) => {
      for (let i = 0; i < n; i++) {
        const x = a + i * 4096;
        g.store64n(va + i * 8, ((x % 4294967296) | bLo) >>> 0, (Math.floor(x / 4294967296) | bHi) >>> 0);
      }
    },
  };
  slots.set(BASE, BigInt(POOL));
  slots.set(NEXT, BigInt(POOL + (8192 - poolLeft) * 4096));
  const x: VmCtx = { g: g as unknown as GuestMem, poolNext: NEXT, poolBase: BASE };
  return { x, slots, at: (va: number) => slots.get(va) ?? 0n, next: () => Number(slots.get(NEXT)), loads: () => loads };
}

describe('get_pte_perm: PERM_* to PTE bits', () => {
  it('each permission alone and all together', () => {
    expect(pteBits(0)).toBe(NX);
    expect(pteBits(R)).toBe(NX | 0x1n);
    expect(pteBits(R | W)).toBe(NX | 0x3n);
    expect(pteBits(X)).toBe(0n);
    expect(pteBits(U | X)).toBe(0x4n);
    expect(pteBits(UC | X)).toBe(0x10n); // PCD
    expect(pteBits(COW | X)).toBe(0x200n);
    expect(pteBits(BIG | X)).toBe(0x80n); // PS
    expect(pteBits(R | W | X | U | UC | COW | BIG)).toBe(0x297n);
  });
});

describe('dune_page_alloc: the page pool', () => {
  it('hands out consecutive pages and stops at the pool end (8192 pages)', () => {
    const { x, next } = ctx();
    expect(allocPage(x)).toBe(POOL);
    expect(allocPage(x)).toBe(POOL + 0x1000);
    expect(next()).toBe(POOL + 0x2000);
    const last = ctx(1);
    expect(allocPage(last.x)).toBe(POOL + 8191 * 4096);
    expect(last.next()).toBe(POOL + 8192 * 4096);
    expect(allocPage(last.x)).toBeNull();
    expect(last.next()).toBe(POOL + 8192 * 4096);
  });

  it('tableVa: a table’s GPA back to the VA libdune reaches it through', () => {
    expect(tableVa(0x1_0010_3000)).toBe(0x7eff_0010_3000);
    expect(tableVa(0x5000)).toBe(0x5000);
  });
});

describe('the walk to a leaf entry', () => {
  // 0x600201000: PML4 index 0, PDPT index 24, PD index 1, PT index 1.
  const VA = 0x6_0020_1000;

  it('creates the missing tables from the pool (P|W|U, guest-physical addresses) and returns the PTE’s VA', () => {
    const { x, at } = ctx();
    const root = allocPage(x)!;
    expect(walk(x, root, VA, false)).toBeNull();
    expect(walk(x, root, VA, true)).toBe(POOL + 0x3008);
    expect(at(POOL)).toBe(0x1_0010_1007n);
    expect(at(POOL + 0x1000 + 24 * 8)).toBe(0x1_0010_2007n);
    expect(at(POOL + 0x2000 + 8)).toBe(0x1_0010_3007n);
    // Again: the same entry, no new table.
    expect(walk(x, root, VA + 0x1000, true)).toBe(POOL + 0x3010);
    expect(walk(x, root, VA, false)).toBe(POOL + 0x3008);
    expect(allocPage(x)).toBe(POOL + 0x4000);
    // Leaf level 2: the PDE.
    expect(walk(x, root, VA, false, 2)).toBe(POOL + 0x2008);
  });

  it('a 2 MiB PDE (PS) is the leaf even when a 4 KiB one is asked for', () => {
    const { x, slots } = ctx();
    const root = allocPage(x)!;
    walk(x, root, VA, true, 2);
    slots.set(POOL + 0x2008, 0x2_0000_0083n); // P | W | PS
    expect(walk(x, root, VA, false)).toBe(POOL + 0x2008);
    expect(walk(x, root, VA, true)).toBe(POOL + 0x2008);
  });

  it('returns null when the pool runs out on the way', () => {
    const { x } = ctx(2);
    const root = allocPage(x)!;
    expect(walk(x, root, VA, true)).toBeNull();
  });
});

describe('dune_vm_map_phys', () => {
  it('refuses W without R (-EINVAL)', () => {
    const { x } = ctx();
    const root = allocPage(x)!;
    const c = { n: 0 };
    expect(mapPhys(x, root, 0x6_0000_0000, 4096, 0x1000, W, c)).toBe(-22n);
    expect(mapPhys(x, root, 0x6_0000_0000, 4096, 0x1000, W | X, c)).toBe(-22n);
  });

  it('maps pages across a page-table boundary to a host address above 4 GiB, 8 cycles a page', () => {
    const { x, at } = ctx();
    const root = allocPage(x)!;
    const c = { n: 0 };
    // 0x6001ff000 (PD index 0, PT index 511), then 0x600200000 and 0x600201000 (PD index 1).
    expect(mapPhys(x, root, 0x6_001f_f000, 0x3000, 0x1_2345_6000, R | W, c)).toBe(0n);
    expect(c.n).toBe(24);
    // Tables: PDPT at +0x1000, PD at +0x2000, the first PT at +0x3000, the second at +0x4000.
    expect(at(POOL + 0x3000 + 511 * 8)).toBe(NX | 0x1_2345_6003n);
    expect(at(POOL + 0x2008)).toBe(0x1_0010_4007n);
    expect(at(POOL + 0x4000)).toBe(NX | 0x1_2345_7003n);
    expect(at(POOL + 0x4008)).toBe(NX | 0x1_2345_8003n);
    expect(at(POOL + 0x4010)).toBe(0n);
  });

  it('consecutive pages of one page table reuse the walk (vm.c walks each table once)', () => {
    const { x, at, loads } = ctx();
    const root = allocPage(x)!;
    // PT indexes 5..7, then 8..10, of the PT for 0x600200000.
    expect(mapPhys(x, root, 0x6_0020_5000, 0x3000, 0x9000, R, { n: 0 })).toBe(0n);
    expect([at(POOL + 0x3028), at(POOL + 0x3030), at(POOL + 0x3038)]).toEqual([NX | 0x9001n, NX | 0xa001n, NX | 0xb001n]);
    const before = loads();
    expect(mapPhys(x, root, 0x6_0020_8000, 0x3000, 0xc000, R, { n: 0 })).toBe(0n);
    expect(loads() - before).toBe(3); // one walk for the three pages: the PML4, PDPT and PD entries (the tables exist)
    expect([at(POOL + 0x3040), at(POOL + 0x3048), at(POOL + 0x3050)]).toEqual([NX | 0xc001n, NX | 0xd001n, NX | 0xe001n]);
  });

  it('the first page is walked even in 2 MiB region 1 (VA 0x200000..0x3fffff)', () => {
    const { x, at } = ctx();
    const root = allocPage(x)!;
    expect(mapPhys(x, root, 0x20_3000, 0x1000, 0x9000, R, { n: 0 })).toBe(0n);
    // PML4 0, PDPT 0, PD 1, PT 3: tables at +0x1000..+0x3000.
    expect(at(POOL + 0x2008)).toBe(0x1_0010_3007n);
    expect(at(POOL + 0x3018)).toBe(NX | 0x9001n);
  });

  it('PERM_BIG maps 2 MiB PDEs with PS', () => {
    const { x, at } = ctx();
    const root = allocPage(x)!;
    const c = { n: 0 };
    expect(mapPhys(x, root, 0x6_0020_0000, 0x40_0000, 0x2_0000_0000, R | X | BIG, c)).toBe(0n);
    expect(at(POOL + 0x2008)).toBe(0x2_0000_0081n);
    expect(at(POOL + 0x2010)).toBe(0x2_0020_0081n);
    expect(at(POOL + 0x2018)).toBe(0n);
    expect(c.n).toBe(16);
  });

  it('-ENOMEM when the pool runs out', () => {
    const { x } = ctx(3);
    const root = allocPage(x)!;
    expect(mapPhys(x, root, 0x6_0000_0000, 4096, 0x1000, R, { n: 0 })).toBe(-12n);
  });
});

describe('dune_vm_map_pages, mprotect, unmap', () => {
  it('map_pages backs each page of the range with a fresh pool page, from an unaligned start', () => {
    const { x, at } = ctx();
    const root = allocPage(x)!;
    expect(mapPages(x, root, 0x6_0000_0800, 0x1000, R | W | U)).toBe(0n); // touches two pages
    // PDPT, PD, PT at +0x1000..+0x3000; the pages at +0x4000 and +0x5000.
    expect(at(POOL + 0x3000)).toBe(NX | 0x1_0010_4007n);
    expect(at(POOL + 0x3008)).toBe(NX | 0x1_0010_5007n);
    expect(at(POOL + 0x3010)).toBe(0n);
    // PERM_BIG is ignored: 4 KiB pages.
    expect(mapPages(x, root, 0x6_0000_2000, 0x1000, R | X | BIG)).toBe(0n);
    expect(at(POOL + 0x3010)).toBe(0x1_0010_6001n);
    expect(at(POOL + 0x3018)).toBe(0n); // the range ends at a page boundary: not one page more
    expect(mapPages(x, root, 0x6_0000_3000, 0x1000, W)).toBe(-22n);
  });

  it('map_pages: -ENOMEM when no page is left for the data or for a table', () => {
    const a = ctx(4);
    const ra = allocPage(a.x)!;
    expect(mapPages(a.x, ra, 0x6_0000_0000, 0x1000, R)).toBe(-12n); // three tables, no page
    const b = ctx(2);
    const rb = allocPage(b.x)!;
    expect(mapPages(b.x, rb, 0x6_0000_0000, 0x1000, R)).toBe(-12n);
  });

  it('mprotect rewrites the permission bits of present pages and keeps the address', () => {
    const { x, at, slots, next } = ctx();
    const root = allocPage(x)!;
    mapPhys(x, root, 0x6_0000_0000, 0x2000, 0x1_0000_7000, R | W | X, { n: 0 });
    expect(mprotect(x, root, 0x6_0000_0010, 0x1000, R)).toBe(0n); // both pages
    expect(at(POOL + 0x3000)).toBe(NX | 0x1_0000_7001n);
    expect(at(POOL + 0x3008)).toBe(NX | 0x1_0000_8001n);
    expect(mprotect(x, root, 0x6_0000_0000, 0x1000, X)).toBe(0n); // no PERM_R: not present
    expect(at(POOL + 0x3000)).toBe(0x1_0000_7000n);
    expect(at(POOL + 0x3008)).toBe(NX | 0x1_0000_8001n); // the range ends at a page boundary
    expect(mprotect(x, root, 0x6_0000_0000, 0x1000, W)).toBe(-22n);
    const n = next();
    expect(mprotect(x, root, 0x7_0000_0000, 0x1000, R)).toBe(-12n); // no table: none is made
    expect(next()).toBe(n);
    slots.set(POOL + 0x3010, 0x7n); // an entry without an address
    expect(mprotect(x, root, 0x6_0000_2000, 0x1000, R)).toBe(-12n);
    expect(at(POOL + 0x3010)).toBe(0x7n);
  });

  it('unmap clears the entries of the range (from an unaligned start) and skips missing tables', () => {
    const { x, at, next } = ctx();
    const root = allocPage(x)!;
    mapPhys(x, root, 0x6_0000_0000, 0x3000, 0x7000, R, { n: 0 });
    unmap(x, root, 0x6_0000_0fff, 0x1001); // pages 0 and 1
    expect([at(POOL + 0x3000), at(POOL + 0x3008), at(POOL + 0x3010)]).toEqual([0n, 0n, NX | 0x9001n]);
    const n = next();
    unmap(x, root, 0x7_0000_0000, 0x1000); // no table there: none is made
    expect(at(POOL + 0x3010)).toBe(NX | 0x9001n);
    expect(next()).toBe(n);
  });
});

describe('dune_vm_clone', () => {
  it('copies every table and shares the leaves; a 2 MiB PDE is copied as a leaf', () => {
    const { x, at } = ctx();
    const root = allocPage(x)!;
    mapPhys(x, root, 0x6_0000_0000, 0x1000, 0x7000, R | W, { n: 0 }); // tables +0x1000..+0x3000
    mapPhys(x, root, 0x6_0040_0000, 0x20_0000, 0x4000_0000, R | BIG, { n: 0 });
    const copy = clone(x, root)!;
    // New pages from +0x4000: the PML4, then depth first its PDPT, PD, PT.
    expect(copy).toBe(POOL + 0x4000);
    expect(at(POOL + 0x4000)).toBe(0x1_0010_5007n);
    expect(at(POOL + 0x5000 + 24 * 8)).toBe(0x1_0010_6007n);
    expect(at(POOL + 0x6000)).toBe(0x1_0010_7007n);
    expect(at(POOL + 0x6010)).toBe(NX | 0x4000_0081n);
    expect(at(POOL + 0x7000)).toBe(NX | 0x7003n);
    expect(at(POOL + 0x7008)).toBe(0n);
    expect(allocPage(x)).toBe(POOL + 0x8000);
  });

  it('null when the pool runs out at any depth', () => {
    for (const left of [4, 5, 6, 7]) {
      const { x } = ctx(left);
      const root = allocPage(x)!;
      mapPhys(x, root, 0x6_0000_0000, 0x1000, 0x7000, R, { n: 0 });
      expect([left, clone(x, root)]).toEqual([left, null]);
    }
  });
});

describe('the next present leaf (dune_vm_page_walk)', () => {
  it('skips absent tables to the next boundary of what they cover, from any start', () => {
    const { x } = ctx();
    const root = allocPage(x)!;
    mapPhys(x, root, 0x6_0020_3000, 0x1000, 0x7000, R, { n: 0 }); // PT at +0x3000, entry 3
    mapPhys(x, root, 0x80_0000_0000, 0x1000, 0x8000, R, { n: 0 }); // PML4 index 1
    // From inside the absent PD entry 0: the next 2 MiB boundary, then the PT's entry 3.
    expect(nextLeaf(x, root, 0x6_0001_2345, 0x7_0000_0000)).toEqual([POOL + 0x3018, 0x6_0020_3000, 0x1000]);
    expect(nextLeaf(x, root, 0x6_0020_3fff, 0x7_0000_0000)).toEqual([POOL + 0x3018, 0x6_0020_3000, 0x1000]);
    expect(nextLeaf(x, root, 0x6_0020_4000, 0x7_0000_0000)).toBeNull();
    expect(nextLeaf(x, root, 0x6_0001_2345, 0x6_0020_3000)).toBeNull();
    // Across absent PDPT and PML4 entries to PML4 index 1 (its tables are +0x4000..+0x6000).
    expect(nextLeaf(x, root, 0x6_0020_4000, 0x100_0000_0000)).toEqual([POOL + 0x6000, 0x80_0000_0000, 0x1000]);
    expect(nextLeaf(x, root, 0x1234, 0x100_0000_0000)).toEqual([POOL + 0x3018, 0x6_0020_3000, 0x1000]);
  });

  it('a 2 MiB leaf: its PDE, the page’s aligned base, 2 MiB', () => {
    const { x } = ctx();
    const root = allocPage(x)!;
    mapPhys(x, root, 0x6_0040_0000, 0x20_0000, 0x4000_0000, R | BIG, { n: 0 });
    expect(nextLeaf(x, root, 0x6_0045_6789, 0x7_0000_0000)).toEqual([POOL + 0x2010, 0x6_0040_0000, 0x20_0000]);
    expect(nextLeaf(x, root, 0x6_0000_0000, 0x6_0040_0000)).toBeNull();
  });
});
