// Page-table writes made by plain stores. A store into a page-table page is an ordinary MOV to the
// CPU: no trace event says "this cleared a PTE's D bit" (the collector's dune-dirty pass does just
// that, asm-gc-vdb.ts). The watch learns which host-physical frames hold the tables of one tree
// (a host page table, or a guest one whose tables it locates through the EPT), and, installed on
// the machine's store hook (Machine.onStore), decodes each store into one of them: the entry's
// level, the first linear address it maps, the value before and after. Nothing is watched, and
// nothing costs, until it is installed. World: a read-only observer of any mode (SDM Vol. 3A
// 4.5, "4-Level Paging": 9 index bits per level, 8-byte entries).

import { PTE, ADDR_LO_MASK, ADDR_HI_MASK } from '../arch/x86.ts';
import type { Machine } from '../machine.ts';
import type { PhysMem } from '../mem/phys.ts';

/** One store into a page-table entry. Values are the entry's two 32-bit halves. */
export interface PtWrite {
  /** The event count when it happened (the machine's seq: the next event's number). */
  seq: number;
  /** 1 = PT (a 4 KiB page's PTE), 2 = PD, 3 = PDPT, 4 = PML4. */
  level: 1 | 2 | 3 | 4;
  /** First linear address the entry maps (bits 47:0). */
  va: number;
  /** Host-physical address of the entry. */
  entry: number;
  oldLo: number; oldHi: number;
  newLo: number; newHi: number;
  /** RIP of the storing instruction. */
  rip: number;
}

const SPAN = [0, 2 ** 12, 2 ** 21, 2 ** 30, 2 ** 39];
const target = (lo: number, hi: number) => (hi & ADDR_HI_MASK) * 2 ** 32 + ((lo & ADDR_LO_MASK) >>> 0);

/** The frames of one table tree: host-physical frame -> the table's level and first address.
 *  With a range [from, to), only the tables that map some of it. */
export function tableFrames(mem: PhysMem, root: number, tableAt: (a: number) => number | null = (a) => a, from = 0, to = 2 ** 48) {
  const frames = new Map<number, { level: 1 | 2 | 3 | 4; base: number }>();
  const walk = (table: number, level: 1 | 2 | 3 | 4, base: number) => {
    const hpa = tableAt(table);
    if (hpa === null) return;
    frames.set(Math.floor(hpa / 4096), { level, base });
    if (level === 1) return;
    for (let i = 0; i < 512; i++) {
      const at = base + i * SPAN[level];
      if (at + SPAN[level] <= from || at >= to) continue;
      const lo = mem.read32(hpa + i * 8);
      if (!(lo & PTE.P) || (level < 4 && lo & PTE.PS)) continue;
      walk(target(lo, mem.read32(hpa + i * 8 + 4)), (level - 1) as 1 | 2 | 3, base + i * SPAN[level]);
    }
  };
  walk(root - (root % 4096), 4, 0);
  return frames;
}

/** Watches one tree. `locate` gives its root (as in CR3) and where its tables live; it is asked
 *  again whenever the tree may have grown (a store into a non-leaf entry). */
export class PtWatch {
  private frames = new Map<number, { level: 1 | 2 | 3 | 4; base: number }>();
  private stale = true;
  /** The CR3 and the tree's root when the frames were learnt: a CR3 load asks locate again. */
  private cr3 = -1;
  private root = -1;
  private prev: Machine['onStore'] = null;
  private m: Machine | null = null;

  /** range: watch only the tables that map some of [from, to) (all of them by default). */
  constructor(private readonly locate: () => { root: number; tableAt?: (a: number) => number | null } | null,
    private readonly onWrite: (w: PtWrite) => void, private readonly range: readonly [number, number] = [0, 2 ** 48]) {}

  /** Chain onto the machine's store hook (keeping any hook already there). */
  install(m: Machine) {
    this.m = m;
    this.prev = m.onStore;
    this.stale = true;
    const prev = this.prev;
    m.onStore = prev ? (va, pa, size, lo, hi) => { prev(va, pa, size, lo, hi); this.store(pa, size, lo, hi); }
      : (_va, pa, size, lo, hi) => this.store(pa, size, lo, hi);
  }
  remove() {
    if (this.m) this.m.onStore = this.prev;
    this.m = null;
    this.prev = null;
  }
  /** The tree changed other than by a store (a native routine wrote it, CR3 moved): re-learn it. */
  invalidate() { this.stale = true; }

  private relearn(m: Machine) {
    const r = this.locate();
    this.cr3 = m.cpu.cr3;
    if (!this.stale && r?.root === this.root) return; // same tree (the CPU only switched worlds)
    this.root = r?.root ?? -1;
    this.frames = r ? tableFrames(m.mem, r.root, r.tableAt, this.range[0], this.range[1]) : new Map();
    this.stale = false;
  }

  private store(pa: number, size: number, lo: number, hi: number) {
    const m = this.m!;
    if (this.stale || m.cpu.cr3 !== this.cr3) this.relearn(m);
    const t = this.frames.get(Math.floor(pa / 4096));
    if (!t) return;
    const off = pa % 4096, at = pa - (off % 8), i = (off - (off % 8)) / 8;
    const oldLo = m.mem.read32(at), oldHi = m.mem.read32(at + 4);
    // The entry after the store: the stored bytes over the old ones (a store of any width).
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, oldLo, true);
    new DataView(bytes.buffer).setUint32(4, oldHi, true);
    const v = new Uint8Array(8);
    new DataView(v.buffer).setUint32(0, lo >>> 0, true);
    new DataView(v.buffer).setUint32(4, hi >>> 0, true);
    for (let b = 0; b < size && (off % 8) + b < 8; b++) bytes[(off % 8) + b] = v[b];
    const dv = new DataView(bytes.buffer);
    const newLo = dv.getUint32(0, true), newHi = dv.getUint32(4, true);
    if (t.level > 1 && !(newLo & PTE.PS)) this.stale = true; // a table may have come or gone
    this.onWrite({ seq: m.seq, level: t.level, va: t.base + i * SPAN[t.level], entry: at, oldLo, oldHi, newLo, newHi, rip: m.cpu.rip });
  }
}
