// The garbage collector's heap, page by page, at one instant: a typed array with one entry per
// heap page (the collector's blocks, asm-gc.ts), read without side effects from the collector's
// own tables in guest memory and from the page table it protects or reads D bits in (the host
// process's for linux, libdune's guest table for the Dune modes). Beside the state, an activity
// layer: which pages the mutator wrote, which writes faulted into the dirty set, where the
// collector marked, swept, cleared D or re-protected, in the last `window` events; it comes from
// the machine's store hook during the replay that reaches the cursor (HeapProbe), so it needs no
// trace events. World: a read-only observer of a GC program in any mode.

import { runtime } from '../libdune/link.ts';
import { GC_MODES, GC_LIMITS, type GcMode } from '../libdune/asm-gc.ts';
import { PTE, ADDR_LO_MASK, ADDR_HI_MASK } from '../arch/x86.ts';
import { pteXlate } from './memtree.ts';
import { guestCr3, gpaLocator } from './memview.ts';
import { PtWatch, type PtWrite } from '../trace/ptwatch.ts';
import type { Session } from '../session.ts';
import type { Vcpu } from '../kernel/dune/vmcs.ts';
import type { PhysMem } from '../mem/phys.ts';

/** Bits of a page's state (HeapMap.state). */
export const PAGE_STATE = {
  /** Present in the page table the collector uses. */
  MAPPED: 1,
  /** Present and not writable: the next write faults (linux, dune, dune-tlb). */
  WP: 2,
  /** The PTE's D bit is set (dune-dirty reads and clears it). */
  DBIT: 4,
  /** The page's byte in the collector's dirty set is set: written since the last collection. */
  DIRTY: 8,
  /** A block of some size class (the allocator handed it out). */
  INUSE: 16,
  /** Below the high-water mark but of no class: its objects were swept and the block freed. */
  FREED: 32,
  /** The collector worked on the page in the activity window (marked, swept, read or cleared). */
  SCAN: 64,
} as const;

/** What last happened to a page in the activity window (HeapMap.act). */
export const HEAP_ACT = {
  NONE: 0,
  /** A store into the page (the mutator's, gc_alloc's zeroing included). */
  WRITE: 1,
  /** A write fault recorded the page in the dirty set (the SIGSEGV or ring-0 #PF handler). */
  FAULT: 2,
  /** The allocator put a fresh block into the dirty set by software. */
  ADD: 3,
  /** The collector marked an object on the page. */
  MARK: 4,
  /** The sweep freed an object (or the whole block). */
  SWEEP: 5,
  /** dune-dirty's page walk found D set and recorded the page. */
  DFOUND: 6,
  /** A plain store rewrote the page's PTE (D cleared, W cleared or set). */
  PTE: 7,
  /** The dirty set's byte was cleared when the collector re-armed. */
  REARM: 8,
} as const;

const COLLECTOR: ReadonlySet<number> = new Set([HEAP_ACT.MARK, HEAP_ACT.SWEEP, HEAP_ACT.DFOUND, HEAP_ACT.PTE, HEAP_ACT.REARM]);

export interface HeapCounters { collections: number; fulls: number; freed: number; dirtied: number; scanned: number; faults: number; dbits: number }

export interface HeapMap {
  /** The event the map describes (the machine just after it). */
  seq: number;
  mode: GcMode;
  /** Linear address of the first heap page. */
  base: number;
  /** Pages in the heap reservation (state.length). */
  pages: number;
  /** Blocks below the allocator's high-water mark (__gc_top). */
  top: number;
  /** Whose page table the bits come from: libdune's guest table, or the host process's. */
  table: 'guest' | 'host';
  counters: HeapCounters;
  /** PAGE_STATE bits per page. */
  state: Uint8Array;
  /** HEAP_ACT per page: the last activity in the window, or NONE. */
  act: Uint8Array;
  /** Events from that activity to `seq` (0 = at the cursor's own event). */
  age: Uint16Array;
  /** The page the collector worked on last in the window, or -1. */
  scanAt: number;
  /** The activity window, in events up to and including seq. */
  window: number;
}

interface Globals { mode: GcMode; heap: number; top: number; cls: number; dirty: number; state: number; counters: HeapCounters }

const G = ['__gc_mode', '__gc_heap', '__gc_top', '__gc_class', '__gc_dirty', '__gc_state', '__gc_collections', '__gc_fulls',
  '__gc_freed', '__gc_dirtied', '__gc_scanned', '__gc_faults', '__gc_dbits'] as const;

/** A 64-bit global of the runtime (its .data), read through the host process's page table. */
function readGlobal(s: Session, name: string): number {
  const mem = s.machine.mem, va = runtime().syms.get(name);
  const pa = pteXlate(mem, s.kernel.proc.root, va);
  return pa === null ? 0 : mem.read32(pa) + mem.read32(pa + 4) * 2 ** 32;
}

/** The collector's globals, or null before gc_init has set up the heap. */
function globals(s: Session): Globals | null {
  const v = Object.fromEntries(G.map((n) => [n, readGlobal(s, n)])) as Record<(typeof G)[number], number>;
  if (!v.__gc_heap || v.__gc_mode >= GC_MODES.length) return null;
  return { mode: GC_MODES[v.__gc_mode], heap: v.__gc_heap, top: v.__gc_top, cls: v.__gc_class, dirty: v.__gc_dirty, state: v.__gc_state,
    counters: { collections: v.__gc_collections, fulls: v.__gc_fulls, freed: v.__gc_freed, dirtied: v.__gc_dirtied, scanned: v.__gc_scanned,
      faults: v.__gc_faults, dbits: v.__gc_dbits } };
}

/** n bytes of process memory at va (host page table), zero where not backed: a frame's bytes
 *  copied at once (PhysMem.readBytes goes byte by byte). */
function hostBytes(s: Session, va: number, n: number): Uint8Array {
  const mem = s.machine.mem, out = new Uint8Array(n);
  for (let a = va; a < va + n;) {
    const len = Math.min(va + n, a - (a % 4096) + 4096) - a;
    const pa = pteXlate(mem, s.kernel.proc.root, a);
    const f = pa === null ? undefined : mem.frames[Math.floor(pa / 4096)];
    if (f && pa !== null) out.set(f.u8.subarray(pa % 4096, (pa % 4096) + len), a - va);
    a += len;
  }
  return out;
}

/** The page table the collector protects (or reads D bits in): libdune's once the process is in
 *  Dune, else the host process's. tableAt locates a table (guest-physical -> host-physical). */
function gcTable(s: Session): { root: number; tableAt?: (a: number) => number | null; table: 'guest' | 'host' } | null {
  const v = s.kernel.proc.vcpu as Vcpu | undefined;
  if (v) {
    const cr3 = guestCr3(s, v).cr3;
    if (cr3 === null) return null;
    const locate = gpaLocator(s, v);
    return { root: cr3 - (cr3 % 4096), tableAt: (a) => locate(a)?.hpa ?? null, table: 'guest' };
  }
  return { root: s.kernel.proc.root, table: 'host' };
}

/** The leaf entry's low half for each of n pages from base (0 where none), walking each page
 *  table once. A 2 MiB leaf gives each of its 4 KiB pages the same entry. */
export function leafLows(mem: PhysMem, root: number, tableAt: (a: number) => number | null, base: number, n: number): Uint32Array {
  const out = new Uint32Array(n);
  const idx = (va: number, l: number) => Math.floor(va / 2 ** (12 + 9 * (l - 1))) % 512;
  const tgt = (pa: number) => (mem.read32(pa + 4) & ADDR_HI_MASK) * 2 ** 32 + ((mem.read32(pa) & ADDR_LO_MASK) >>> 0);
  for (let i = 0; i < n;) {
    const va = base + i * 4096;
    const inTable = 512 - idx(va, 1), run = Math.min(inTable, n - i);
    let table: number | null = tableAt(root), lo = 0, level = 4;
    for (; level >= 2 && table !== null; level--) {
      const e = table + idx(va, level) * 8;
      lo = mem.read32(e);
      if (!(lo & PTE.P)) { table = null; break; }
      if (level === 2 && lo & PTE.PS) break;
      table = tableAt(tgt(e));
    }
    if (table !== null && level === 2 && lo & PTE.PS) out.fill(lo, i, i + run);
    else if (table !== null) {
      // The whole page table at once, as 32-bit words (an entry's low half is word 2 * index).
      const f = mem.frames[Math.floor(table / 4096)];
      if (f) {
        const w = new Uint32Array(f.u8.buffer, f.u8.byteOffset, 1024), first = idx(va, 1);
        for (let k = 0; k < run; k++) out[i + k] = w[(first + k) * 2];
      }
    }
    i += run;
  }
  return out;
}

/** The state bits of every heap page at the machine's present instant (no activity layer). */
export function heapState(s: Session): { g: Globals; state: Uint8Array; table: 'guest' | 'host' } | null {
  const g = globals(s);
  if (!g) return null;
  const n = GC_LIMITS.heapPages, state = new Uint8Array(n), mem = s.machine.mem;
  const cls = hostBytes(s, g.cls, n), dirty = hostBytes(s, g.dirty, n);
  const t = gcTable(s);
  const lows = t ? leafLows(mem, t.root, t.tableAt ?? ((a) => a), g.heap, n) : new Uint32Array(n);
  for (let p = 0; p < n; p++) {
    const lo = lows[p];
    let b = 0;
    if (lo & PTE.P) { b |= PAGE_STATE.MAPPED; if (!(lo & PTE.RW)) b |= PAGE_STATE.WP; if (lo & PTE.D) b |= PAGE_STATE.DBIT; }
    if (dirty[p]) b |= PAGE_STATE.DIRTY;
    if (cls[p]) b |= PAGE_STATE.INUSE; else if (p < g.top) b |= PAGE_STATE.FREED;
    state[p] = b;
  }
  return { g, state, table: t?.table ?? 'host' };
}

/** The heap map at a cursor, with its activity layer: install before the replay that reaches the
 *  cursor (it must cover at least `window` events before it; Player.seek's does), take at the
 *  cursor's event, remove after. */
export class HeapProbe {
  private last = new Float64Array(GC_LIMITS.heapPages);
  private kind = new Uint8Array(GC_LIMITS.heapPages);
  private scanSeq = -1;
  private scanPage = -1;
  private watch: PtWatch | null = null;
  private session: Session | null = null;

  constructor(readonly window = 512) {}

  install(s: Session) {
    this.session = s;
    this.last.fill(-1);
    this.kind.fill(0);
    this.scanSeq = -1; this.scanPage = -1;
    const m = s.machine, syms = runtime().syms;
    const g = globals(s);
    if (!g) return;
    const n = GC_LIMITS.heapPages, heapEnd = g.heap + n * 4096;
    const handlerFrom = Math.min(syms.get('__gc_segv'), syms.get('__gc_pgflt')), handlerTo = syms.get('__gc_wild');
    const note = (p: number, k: number) => {
      this.last[p] = m.seq; this.kind[p] = k;
      if (COLLECTOR.has(k)) { this.scanSeq = m.seq; this.scanPage = p; }
    };
    m.onStore = (va, _pa, _size, lo) => {
      if (va >= g.heap && va < heapEnd) note(Math.floor((va - g.heap) / 4096), HEAP_ACT.WRITE);
      else if (va >= g.dirty && va < g.dirty + n) {
        const p = va - g.dirty;
        if ((lo & 0xff) === 0) note(p, HEAP_ACT.REARM);
        else if (g.mode === 'dune-dirty') note(p, HEAP_ACT.DFOUND);
        else note(p, m.cpu.rip >= handlerFrom && m.cpu.rip < handlerTo ? HEAP_ACT.FAULT : HEAP_ACT.ADD);
      } else if (va >= g.state && va < g.state + n * 256) {
        const v = lo & 0xff;
        if (v === 2) note(Math.floor((va - g.state) / 256), HEAP_ACT.MARK);
        else if (v === 0) note(Math.floor((va - g.state) / 256), HEAP_ACT.SWEEP);
      } else if (va >= g.cls && va < g.cls + n && (lo & 0xff) === 0) note(va - g.cls, HEAP_ACT.SWEEP);
    };
    if (g.mode !== 'linux') {
      this.watch = new PtWatch(() => gcTable(s), (w: PtWrite) => {
        if (w.level === 1 && w.va >= g.heap && w.va < heapEnd) note(Math.floor((w.va - g.heap) / 4096), HEAP_ACT.PTE);
      }, [g.heap, heapEnd]);
      this.watch.install(m);
    }
  }

  remove() {
    this.watch?.remove();
    this.watch = null;
    if (this.session) this.session.machine.onStore = null;
    this.session = null;
  }

  /** The map at event seq (call inside the replay, just after seq was emitted). */
  take(s: Session, seq: number): HeapMap | null {
    const h = heapState(s);
    if (!h) return null;
    const n = GC_LIMITS.heapPages, act = new Uint8Array(n), age = new Uint16Array(n), from = seq - this.window;
    for (let p = 0; p < n; p++) {
      const at = this.last[p];
      if (at > from && at <= seq) { act[p] = this.kind[p]; age[p] = seq - at; if (COLLECTOR.has(act[p])) h.state[p] |= PAGE_STATE.SCAN; }
    }
    const scanAt = this.scanSeq > from && this.scanSeq <= seq ? this.scanPage : -1;
    return { seq, mode: h.g.mode, base: h.g.heap, pages: n, top: h.g.top, table: h.table, counters: h.g.counters,
      state: h.state, act, age, scanAt, window: this.window };
  }
}
