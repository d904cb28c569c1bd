// The four collector modes side by side on the same allocation trace: the program runs once per
// mode (stdin = the mode's name, as samples/gc read it), and each run counts what the paper's
// Table 6 variants differ in: page faults, write faults, mprotect calls (the system call and
// dune_vm_mprotect), TLB flushes, INVLPGs, page-walk memory references and modelled cycles. At
// the start of every collection (the store that counts it) a lane keeps its counters so far and
// its heap's page states (heapmap.ts), so the heap view can show all four lanes at the same
// collection as the run at the cursor. Counting comes from the trace (only these event kinds
// are built) and the machine's walk statistics. World: a harness over four Sessions.

import { assembleSource, Session, SLICE } from '../session.ts';
import { filesReader } from '../asm/index.ts';
import { runtime } from '../libdune/link.ts';
import { GC_MODES, type GcMode } from '../libdune/asm-gc.ts';
import { VEC } from '../arch/x86.ts';
import { heapState } from './heapmap.ts';
import type { EventType, TraceSink } from '../trace/events.ts';

export interface LaneCounters {
  /** Page faults (#PF), whoever handled them: demand paging, write protection. */
  pageFaults: number;
  /** Write faults the collector's handler recorded (its own counter). */
  writeFaults: number;
  /** mprotect system calls (linux) and dune_vm_mprotect calls (dune). */
  mprotect: number;
  /** Whole-TLB (or whole-PCID) flushes: MOV to CR3 without the no-flush bit, the kernel's full flushes. */
  flushes: number;
  /** Single-page invalidations: INVLPG, and the kernel's per-page flushes. */
  invlpg: number;
  /** Page-walk memory references (two-dimensional in Dune: guest and EPT entries). */
  walkRefs: number;
  /** Modelled cycles since the process started. */
  cycles: number;
  instructions: number;
}

export interface LaneSnap { collection: number; counters: LaneCounters; top: number; state: Uint8Array }

export interface GcLane {
  mode: GcMode;
  ok: boolean;
  /** Why the run did not finish cleanly, if it did not. */
  error: string | null;
  totals: LaneCounters;
  /** The cycles the program measured itself (its last output line), or null. */
  measured: number | null;
  /** The allocator's high-water mark at the end (blocks). */
  maxTop: number;
  snaps: LaneSnap[];
}

const KINDS: ReadonlySet<EventType> = new Set(['exception', 'tlb', 'syscall', 'libdune']);

/** One lane: the program in one mode, sliced (yields between slices of SLICE instructions). */
export function* gcLane(source: string, file: string, mode: GcMode, files?: Record<string, string>, budget = 100_000_000):
  Generator<void, GcLane, boolean | undefined> {
  const a = assembleSource(source, file, filesReader(files));
  const zero = (): LaneCounters => ({ pageFaults: 0, writeFaults: 0, mprotect: 0, flushes: 0, invlpg: 0, walkRefs: 0, cycles: 0, instructions: 0 });
  if (!a.ok) return { mode, ok: false, error: a.diagnostics, totals: zero(), measured: null, maxTop: 0, snaps: [] };
  const c = zero();
  const sink: TraceSink = { kinds: KINDS, event: (e) => {
    if (e.type === 'exception' && e.vector === VEC.PF) c.pageFaults++;
    else if (e.type === 'syscall' && e.name === 'mprotect') c.mprotect++;
    else if (e.type === 'libdune' && e.fn === 'dune_vm_mprotect' && e.ret === null) c.mprotect++;
    else if (e.type === 'tlb' && e.op === 'flush') c.flushes++;
    else if (e.type === 'tlb' && e.op === 'invlpg') c.invlpg++;
  } };
  const s = new Session(a.program, { file, stdin: mode, memBytes: 1 << 30, sink });
  const m = s.machine;
  const snaps: LaneSnap[] = [];
  const collectionsVa = runtime().syms.get('__gc_collections'), faultsVa = runtime().syms.get('__gc_faults');
  const now = (): LaneCounters => ({ ...c, walkRefs: m.mmu.stats.walkRefs, cycles: m.cycles, instructions: m.instret });
  m.onStore = (va, _pa, _size, lo) => {
    if (va === faultsVa) c.writeFaults = lo;
    else if (va === collectionsVa) {
      const h = heapState(s);
      if (h) snaps.push({ collection: lo, counters: now(), top: h.g.top, state: h.state });
    }
  };
  m.instrLimit = budget;
  while (m.status === null && m.instret < budget) {
    m.run(Math.min(SLICE, budget - m.instret));
    if (m.status === null && (yield)) break;
  }
  m.onStore = null;
  const st = m.status;
  const lines = s.stdout().trim().split('\n');
  const measured = Number(lines.at(-1));
  const ok = st !== null && st.how === 'exit' && st.code === 0;
  const end = heapState(s);
  return { mode, ok, error: ok ? null : `${st ? `${st.how} ${st.code}` : 'stopped (budget)'}: ${s.stderr().slice(-400)}`,
    totals: now(), measured: Number.isFinite(measured) && lines.length > 1 ? measured : null, maxTop: end?.g.top ?? 0, snaps };
}

/** All four lanes, one after another (sliced). */
export function* gcLanes(source: string, file: string, files?: Record<string, string>, budget?: number):
  Generator<void, GcLane[], boolean | undefined> {
  const out: GcLane[] = [];
  for (const mode of GC_MODES) out.push(yield* gcLane(source, file, mode, files, budget));
  return out;
}
