// EPT paging structures in host-physical memory: building, editing and reading them, and the
// EPTP. SDM Vol. 3C "The Extended Page Table Mechanism (EPT)" (entry formats, EPTP). The walk
// itself (violations, misconfigurations, A/D) is in mmu/mmu.ts. World: VMX root (the Dune module).

import { EPTE, EPT_MT, EPTP, ADDR_LO_MASK, ADDR_HI_MASK } from '../arch/x86.ts';
import type { PhysMem } from '../mem/phys.ts';

const P32 = 2 ** 32;
const idx = (gpa: number, level: number) => Math.floor(gpa / 2 ** (12 + 9 * (level - 1))) % 512;

/** Permissions of a leaf, and (EPT A/D on) the accessed and dirty flags software premarks in it. */
export interface EptPerm { r: boolean; w: boolean; x: boolean; a?: boolean; d?: boolean }

/** EPTP for a 4-level EPT with write-back paging-structure accesses (as Dune's construct_eptp). */
export function makeEptp(root: number, ad: boolean): number {
  return root + EPTP.MT_WB + EPTP.PWL4 + (ad ? EPTP.AD : 0);
}

/** The EPT entry for gpa at `level` (1 = EPT PTE, 2 = EPT PDE), creating tables (RWX) on the way. */
export function eptEntryAddr(mem: PhysMem, root: number, gpa: number, level: 1 | 2, create: boolean): number | null {
  let table = root;
  for (let l = 4; l > level; l--) {
    const pa = table + idx(gpa, l) * 8;
    const lo = mem.read32(pa), hi = mem.read32(pa + 4);
    if (!(lo & 7)) {
      if (!create) return null;
      const fn = mem.alloc();
      mem.write32(pa, ((fn * 4096) % P32 | EPTE.R | EPTE.W | EPTE.X) >>> 0);
      mem.write32(pa + 4, Math.floor(fn * 4096 / P32));
      table = fn * 4096;
    } else if (l === 2 && (lo & EPTE.LARGE)) return null;
    else table = (hi & ADDR_HI_MASK) * P32 + ((lo & ADDR_LO_MASK) >>> 0);
  }
  return table + idx(gpa, level) * 8;
}

/** Map a 4 KiB guest-physical page to host-physical address hpa (WB memory type, IPAT as Dune). */
export function eptMap(mem: PhysMem, root: number, gpa: number, hpa: number, p: EptPerm, large = false) {
  const pa = eptEntryAddr(mem, root, gpa, large ? 2 : 1, true)!;
  const lo = (hpa % P32) | (p.r ? EPTE.R : 0) | (p.w ? EPTE.W : 0) | (p.x ? EPTE.X : 0) |
    (EPT_MT.WB << EPTE.MT_SHIFT) | EPTE.IPAT | (large ? EPTE.LARGE : 0) | (p.a ? EPTE.A : 0) | (p.d ? EPTE.D : 0);
  mem.write32(pa, lo >>> 0);
  mem.write32(pa + 4, Math.floor(hpa / P32));
}

/** Write a raw entry (for tests and demonstrations of misconfigurations). */
export function eptSetRaw(mem: PhysMem, root: number, gpa: number, lo: number, hi = 0) {
  const pa = eptEntryAddr(mem, root, gpa, 1, true)!;
  mem.write32(pa, lo >>> 0); mem.write32(pa + 4, hi >>> 0);
}

/** The leaf entry mapping gpa as [lo, hi] and its level, or null. */
export function eptLookup(mem: PhysMem, root: number, gpa: number): { lo: number; hi: number; level: number } | null {
  let table = root;
  for (let l = 4; l >= 1; l--) {
    const pa = table + idx(gpa, l) * 8;
    const lo = mem.read32(pa), hi = mem.read32(pa + 4);
    if (!(lo & 7)) return null;
    if (l === 1 || (l === 2 && (lo & EPTE.LARGE))) return { lo, hi, level: l };
    table = (hi & ADDR_HI_MASK) * P32 + ((lo & ADDR_LO_MASK) >>> 0);
  }
  return null;
}

/** Clear the 4 KiB mapping of gpa; returns whether one existed. The caller must INVEPT. */
export function eptUnmap(mem: PhysMem, root: number, gpa: number): boolean {
  const pa = eptEntryAddr(mem, root, gpa, 1, false);
  if (pa === null || !(mem.read32(pa) & 7)) return false;
  mem.write32(pa, 0); mem.write32(pa + 4, 0);
  return true;
}
