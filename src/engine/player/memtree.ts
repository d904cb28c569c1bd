// Page-table trees as plain data: a 4-level x86-64 table (host or guest) or an EPT, present
// entries only, read straight from host-physical memory (PhysMem.read32; no MMU, no events).
// SDM Vol. 3A "4-Level Paging", Vol. 3C "EPT" entry formats. World: a read-only observer.

import { PTE, PTE_NX_HI, EPTE, ADDR_LO_MASK, ADDR_HI_MASK } from '../arch/x86.ts';
import { hex, hexVa } from '../trace/events.ts';
import type { PhysMem } from '../mem/phys.ts';

export interface PteBitsView { P: boolean; RW: boolean; US: boolean; A: boolean; D: boolean; PS: boolean; G: boolean; NX: boolean }
export interface EptBitsView { R: boolean; W: boolean; X: boolean; memtype: number; A: boolean; D: boolean; large: boolean }
/** Counts over the 512 entries of one table. */
export interface Counts { present: number; accessed: number; dirty: number }

export interface EntryView<B> {
  /** Level of the table holding the entry: 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT. */
  level: 1 | 2 | 3 | 4;
  index: number;
  /** Host-physical address of the entry. */
  entryAddr: string;
  /** The 64-bit entry, 16 hex digits. */
  value: string;
  bits: B;
  /** First address the entry maps: virtual (page tables) or guest-physical (EPT). */
  base: string;
  /** Bytes the entry maps (4 KiB at level 1, 2 MiB at 2, 1 GiB at 3, 512 GiB at 4). */
  span: number;
  /** Address in the entry: the next table, or the page (guest-physical in the guest tree). */
  target: string;
  leaf: boolean;
  /** Present entries of the next table that are shown (absent for leaves and unread tables). */
  children?: EntryView<B>[];
  /** Counts over all 512 entries of the next table, when it was read. */
  counts?: Counts;
  /** Some present entries of the next table are not in `children` (summarised, or the node cap). */
  truncated?: boolean;
  /** Guest tree: where the target's guest-physical page lives in host memory. 'ept': by the EPT;
   *  'host': not in the EPT yet (a walk would take an EPT violation), found through the host
   *  page table at gpa_to_hva; 'none': neither. */
  via?: 'ept' | 'host' | 'none';
  /** Guest tree: the host-physical address of the target (by `via`), or null. */
  hpa?: string | null;
}

export interface TreeView<B> {
  /** Host-physical address of the root table. */
  root: string;
  entries: EntryView<B>[];
  counts: Counts;
  /** Entries in the tree (all levels). */
  nodes: number;
  /** Whether anything was left out (summaries or the node cap). */
  truncated: boolean;
}

/** A table with more present entries than this is summarised: its counts, the first and last
 *  FEW entries, and up to ACCESSED_SHOWN entries with A set (the ones the hardware walked). */
export const SUMMARY_OVER = 16;
const FEW = 4, ACCESSED_SHOWN = 16;

const P32 = 2 ** 32;
export const spanOf = (level: number) => 2 ** (12 + 9 * (level - 1));
const idx = (a: number, level: number) => Math.floor(a / spanOf(level)) % 512;
export const entryTarget = (lo: number, hi: number) => (hi & ADDR_HI_MASK) * P32 + ((lo & ADDR_LO_MASK) >>> 0);
const value = (lo: number, hi: number) => '0x' + (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');

/** How one kind of paging structure reads: presence, A/D, leafness and the named bits. */
export interface Format<B> {
  present(lo: number): boolean;
  accessed(lo: number): boolean;
  dirty(lo: number): boolean;
  leaf(level: number, lo: number): boolean;
  bits(lo: number, hi: number): B;
  /** Print a base address (canonical VA, or GPA). */
  addr(a: number): string;
}

export const PTE_FORMAT: Format<PteBitsView> = {
  present: (lo) => (lo & PTE.P) !== 0,
  accessed: (lo) => (lo & PTE.A) !== 0,
  dirty: (lo) => (lo & PTE.D) !== 0,
  // PS makes a PDPTE or PDE a leaf; bit 7 of a PTE is PAT.
  leaf: (level, lo) => level === 1 || ((level === 2 || level === 3) && (lo & PTE.PS) !== 0),
  bits: (lo, hi) => ({ P: !!(lo & PTE.P), RW: !!(lo & PTE.RW), US: !!(lo & PTE.US), A: !!(lo & PTE.A), D: !!(lo & PTE.D),
    PS: !!(lo & PTE.PS), G: !!(lo & PTE.G), NX: !!(hi & PTE_NX_HI) }),
  addr: hexVa,
};

export const EPT_FORMAT: Format<EptBitsView> = {
  // An EPT entry with bits 2:0 = 000 is not present.
  present: (lo) => (lo & 7) !== 0,
  accessed: (lo) => (lo & EPTE.A) !== 0,
  dirty: (lo) => (lo & EPTE.D) !== 0,
  leaf: (level, lo) => level === 1 || ((level === 2 || level === 3) && (lo & EPTE.LARGE) !== 0),
  bits: (lo) => ({ R: !!(lo & EPTE.R), W: !!(lo & EPTE.W), X: !!(lo & EPTE.X), memtype: (lo >>> EPTE.MT_SHIFT) & 7,
    A: !!(lo & EPTE.A), D: !!(lo & EPTE.D), large: !!(lo & EPTE.LARGE) }),
  addr: (a) => hex(a),
};

/** Where a table (addressed as the tree's entries address it) lives in host-physical memory;
 *  the identity for host tables and the EPT, an EPT (or host) lookup for the guest's. */
export type Locate = (addr: number) => { hpa: number; via: 'ept' | 'host' } | null;

/** Read a tree from its root table, fair-sharing `maxNodes` among siblings (depth first, in
 *  address order) so a large early subtree cannot starve a later one (the stack). */
export function readTree<B>(mem: PhysMem, rootHpa: number, fmt: Format<B>, opts: { maxNodes: number; locate?: Locate; user?: boolean }): TreeView<B> {
  const locate = opts.locate ?? ((a: number) => ({ hpa: a, via: 'ept' as const }));
  const guest = opts.locate !== undefined;
  let nodes = 0, truncated = false;

  const table = (hpa: number, level: 1 | 2 | 3 | 4, base: number, budget: number) => {
    const counts: Counts = { present: 0, accessed: 0, dirty: 0 };
    const present: number[] = [];
    const top = level === 4 && opts.user ? 256 : 512;
    for (let i = 0; i < top; i++) {
      const lo = mem.read32(hpa + i * 8);
      if (!fmt.present(lo)) continue;
      present.push(i);
      counts.present++;
      if (fmt.accessed(lo)) counts.accessed++;
      if (fmt.dirty(lo)) counts.dirty++;
    }
    let shown = present, cut = false;
    if (present.length > SUMMARY_OVER) {
      let acc = 0;
      shown = present.filter((i, k) => k < FEW || k >= present.length - FEW ||
        (fmt.accessed(mem.read32(hpa + i * 8)) && acc++ < ACCESSED_SHOWN));
      cut = true;
    }
    const children: EntryView<B>[] = [];
    let left = budget;
    for (let k = 0; k < shown.length; k++) {
      if (left < 1) { cut = true; break; }
      const i = shown[k], pa = hpa + i * 8;
      const lo = mem.read32(pa), hi = mem.read32(pa + 4);
      const span = spanOf(level), leaf = fmt.leaf(level, lo);
      const t = entryTarget(lo, hi), target = leaf ? t - (t % span) : t;
      const at = base + i * span;
      const e: EntryView<B> = { level, index: i, entryAddr: hex(pa), value: value(lo, hi), bits: fmt.bits(lo, hi),
        base: fmt.addr(at), span, target: hex(target), leaf };
      nodes++; left--;
      const where = guest || !leaf ? locate(target) : null;
      if (guest) { e.via = where?.via ?? 'none'; e.hpa = where ? hex(where.hpa) : null; }
      if (!leaf && where) {
        // This child's share of what is left: an even split among the siblings still to come.
        const share = Math.floor(left / (shown.length - k));
        const sub = table(where.hpa, (level - 1) as 1 | 2 | 3, at, share);
        e.children = sub.children; e.counts = sub.counts;
        if (sub.cut) e.truncated = true;
        left -= sub.used;
      } else if (!leaf) e.truncated = true;
      children.push(e);
    }
    if (cut) truncated = true;
    return { children, counts, cut, used: budget - left };
  };

  const r = table(rootHpa, 4, 0, opts.maxNodes);
  return { root: hex(rootHpa), entries: r.children, counts: r.counts, nodes, truncated };
}

/** Translate gpa through the EPT rooted at `root` by reading its entries; null if not mapped. */
export function eptXlate(mem: PhysMem, root: number, gpa: number): number | null {
  let table = root;
  for (let l = 4; l >= 1; l--) {
    const pa = table + idx(gpa, l) * 8;
    const lo = mem.read32(pa), hi = mem.read32(pa + 4);
    if (!EPT_FORMAT.present(lo)) return null;
    const a = entryTarget(lo, hi);
    if (EPT_FORMAT.leaf(l, lo)) return a - (a % spanOf(l)) + (gpa % spanOf(l));
    table = a;
  }
  return null;
}

/** Translate va through a 4-level table rooted at `root` by reading its entries; null if not mapped.
 *  With `phys`, the table and the result are guest-physical: phys gives each table's host-physical
 *  address (null: not backed). No side effects: no A/D bits, no TLB. */
export function pteXlate(mem: PhysMem, root: number, va: number, phys: (a: number) => number | null = (a) => a): number | null {
  let table: number | null = phys(root);
  for (let l = 4; l >= 1 && table !== null; l--) {
    const pa = table + idx(va, l) * 8;
    const lo = mem.read32(pa), hi = mem.read32(pa + 4);
    if (!PTE_FORMAT.present(lo)) return null;
    const a = entryTarget(lo, hi);
    if (PTE_FORMAT.leaf(l, lo)) return a - (a % spanOf(l)) + (va % spanOf(l));
    table = phys(a);
  }
  return null;
}

/** Every present leaf of a tree (host PT user half, or the EPT): [address mapped, target, lo]. */
export function leaves(mem: PhysMem, root: number, fmt: Format<unknown>, user: boolean, fn: (at: number, target: number, lo: number) => void) {
  const walk = (hpa: number, level: number, base: number) => {
    const top = level === 4 && user ? 256 : 512;
    for (let i = 0; i < top; i++) {
      const lo = mem.read32(hpa + i * 8);
      if (!fmt.present(lo)) continue;
      const t = entryTarget(lo, mem.read32(hpa + i * 8 + 4)), at = base + i * spanOf(level);
      if (fmt.leaf(level, lo)) fn(at, t - (t % spanOf(level)), lo);
      else walk(t, level - 1, at);
    }
  };
  walk(root, 4, 0);
}
