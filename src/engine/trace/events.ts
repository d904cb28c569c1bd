// The event trace (../shared/spec/cli-and-trace.md): the documented record of everything the
// machine does. The engine hands events to an injected sink; with none, it builds none.

import type { Note } from './notes.ts';
import type { LineTemplate } from './jsonbytes.ts';

export type Vmx = 'root' | 'non-root';
/** One paging-structure entry the walker read (docs/trace.md). space/level/addr/value are the
 *  spec's; the rest say where it sits in the walk: serves is the guest (or native) level whose
 *  entry this reads or, for an EPT reference, whose entry's GPA it translates (0: the final
 *  data GPA); gpa is that guest-physical address (2-D walks); cache is the level that served it. */
export interface WalkRef {
  space: 'guest' | 'ept' | 'host'; level: number; addr: string; value: string;
  serves?: number; gpa?: string; cache?: 'L1' | 'L2' | 'LLC' | 'DRAM';
}
/** A paging-structure-cache hit: the walk of `space` for row `serves` began at `level`. */
export interface PscHit { space: 'guest' | 'ept' | 'host'; serves: number; level: number }
/** Why a walk stopped: a #PF (code: the error code pushed), an EPT violation (code: the exit
 *  qualification) or misconfiguration, at this level of this dimension. */
export interface WalkCause { kind: 'pf' | 'ept-violation' | 'ept-misconfig'; space: 'guest' | 'ept' | 'host'; level: number; serves: number; code: number }

export type EventBody =
  | { type: 'instr'; rip: string; text: string }
  | { type: 'walk'; va: string; refs: WalkRef[]; result: string | null; fault: string | null; psc?: string[];
      access?: 'read' | 'write' | 'fetch'; pscHits?: PscHit[]; cause?: WalkCause | null }
  | { type: 'tlb'; op: string; vpid: number; pcid: number; va?: string; scope: string; ept?: string; entries?: number }
  | { type: 'ad'; table: 'guest' | 'ept' | 'host'; bit: 'A' | 'D'; entry: string; va: string }
  | { type: 'exception'; vector: number; name: string; errorCode: number | null; cr2?: string; to: 'guest-idt' | 'vmexit' | 'host-kernel'; rip: string }
  | { type: 'ring'; from: number; to: number; via: 'syscall' | 'sysret' | 'exception' | 'interrupt' | 'iret' }
  | { type: 'vmexit'; reason: number; name: string; qualification: string; gpa?: string; gla?: string; instrLen: number; rip: string }
  | { type: 'vmentry'; kind: 'launch' | 'resume'; rip: string }
  | { type: 'vmfail'; instr: string; error: number; message: string }
  | { type: 'syscall'; nr: number; name: string; args: string[]; ret: string; via: 'syscall' | 'vmcall' | 'ptrace' | 'sandbox' }
  | { type: 'signal'; signo: number; name: string; handler: string }
  | { type: 'libdune'; fn: string; args: string[]; ret: string | null }
  | { type: 'kernel'; fn: string; detail: string; note?: Note }
  | { type: 'output'; fd: number; text: string }
  | { type: 'exit'; code: number; how: 'exit' | 'signal' | 'unhandled-vmexit' | 'budget' }
  | { type: 'summary'; instructions: number; cycles: number; vmexits: Record<string, number>; walks: number; walkRefs: number; tlbMisses: number; faults: number };

export type TraceEvent = EventBody & { seq: number; cycles: number; vmx: Vmx; cpl: 0 | 3 };
export type EventType = TraceEvent['type'];

/** Every event type, once: the order gives each its bit in a sink's kind mask. */
export const EVENT_TYPES = ['instr', 'walk', 'tlb', 'ad', 'exception', 'ring', 'vmexit', 'vmentry', 'vmfail', 'syscall',
  'signal', 'libdune', 'kernel', 'output', 'exit', 'summary'] as const satisfies readonly EventType[];
// Every member of the union is listed (a type error here names the one missing).
const _allListed: Record<EventType, true> = Object.fromEntries(EVENT_TYPES.map((t) => [t, true])) as Record<(typeof EVENT_TYPES)[number], true>;
void _allListed;

/** Each event type's bit in a kind mask. */
export const KIND_BIT = Object.fromEntries(EVENT_TYPES.map((t, i) => [t, 1 << i])) as Record<EventType, number>;
const ALL_KINDS = (1 << EVENT_TYPES.length) - 1;

/** Where events go. The machine calls it only when one is attached, and builds only the kinds
 *  the sink declares (jsbeeb's separate debug hooks, null until used): every other event is
 *  counted (seq advances the same) but never built, so a sink that keeps landmarks pays for
 *  landmarks, and the page walker formats hex only when someone reads walks. */
export interface TraceSink {
  event(e: TraceEvent): void;
  /** The event types this sink wants (absent: all of them). */
  readonly kinds?: ReadonlySet<EventType>;
  /** A sink that only needs the count (seq) of events: the machine then builds none. */
  readonly countOnly?: boolean;
  /** Kinds (among `kinds`) of which the sink needs only where they are: for these the machine
   *  calls mark() instead of building the event (an index of landmarks). */
  readonly marks?: ReadonlySet<EventType>;
  mark?(type: EventType, seq: number, cycles: number): void;
  /** The `instr` event as its fields, without the event object (the hot event when tracing):
   *  a sink that has this gets every wanted `instr` here instead of through event(). site is the
   *  decoded instruction when rip is its own address (null for another mapping of its page): a
   *  memo that lives as long as the decoded code (rewritten code is decoded anew). */
  instr?(seq: number, rip: string, text: string, cycles: number, vmx: Vmx, cpl: 0 | 3, site: InstrSite | null): void;
}

/** What a sink may cache on a decoded instruction (TraceSink.instr): its line's constant middle
 *  (instrMid, JsonLinesSink), or its whole line as UTF-8 bytes with room for the numbers
 *  (JsonLinesBytes). */
export interface InstrSite { jsonMid?: string; jsonLine?: LineTemplate }

/** The KIND_BIT mask of the kinds a sink wants marked (0 with no sink). */
export function markMask(sink: TraceSink | null): number {
  let m = 0;
  if (sink?.mark && sink.marks) for (const t of sink.marks) m |= KIND_BIT[t];
  return m;
}

/** The KIND_BIT mask of the kinds a sink wants built (0 with no sink). */
export function kindMask(sink: TraceSink | null): number {
  if (!sink || sink.countOnly) return 0;
  if (!sink.kinds) return ALL_KINDS;
  let m = 0;
  for (const t of sink.kinds) m |= KIND_BIT[t];
  return m;
}

/** Lower-case hex of a non-negative integer (number or bigint), as the trace prints addresses. */
export function hex(v: number | bigint): string {
  return '0x' + v.toString(16);
}

/** A 64-bit value from its 32-bit halves, as hex() prints it (no BigInt: a walk prints one per
 *  entry read). */
export function hex64(lo: number, hi: number): string {
  hi >>>= 0; lo >>>= 0;
  return hi === 0 ? '0x' + lo.toString(16) : '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
}

/** A linear address kept as its low 48 bits, printed in canonical form (bit 47 sign-extended). */
export function hexVa(va: number): string {
  if (va < 2 ** 47) return '0x' + va.toString(16);
  const hi = Math.floor(va / 4294967296); // bits 47:32, below 2^16 (no BigInt: kernel addresses are common)
  return hex64(va - hi * 4294967296, 0xffff0000 | hi);
}

/** Collects events in memory (tests, the UI's recent window). */
export class ArraySink implements TraceSink {
  events: TraceEvent[] = [];
  event(e: TraceEvent) { this.events.push(e); }
}

/** An event as the trace prints it: one JSON object, without the note a kernel event carries for
 *  the UI (notes.ts: its detail already says it in the trace's words). */
export function traceLine(e: TraceEvent): string {
  if (e.type !== 'kernel' || e.note === undefined) return JSON.stringify(e);
  const { note: _note, ...rest } = e;
  return JSON.stringify(rest);
}

/** Serialises each event as one JSON line. Key order is fixed by construction, so equal runs
 *  give byte-identical output. */
export class JsonLinesSink implements TraceSink {
  constructor(private write: (line: string) => void) {}
  event(e: TraceEvent) {
    if (e.type === 'instr') { this.instr(e.seq, e.rip, e.text, e.cycles, e.vmx, e.cpl, null); return; }
    this.write(traceLine(e) + '\n');
  }
  /** The hot case, serialised by hand in the same key order JSON.stringify would use; the line's
   *  constant middle (rip through `"cycles":`) is kept on the decoded instruction. */
  instr(seq: number, rip: string, text: string, cycles: number, vmx: Vmx, cpl: 0 | 3, site: InstrSite | null) {
    let mid = site?.jsonMid;
    if (mid === undefined) {
      mid = instrMid(rip, text);
      if (site) site.jsonMid = mid;
    }
    this.write('{"seq":' + seq + mid + cycles + (vmx === 'root' ? (cpl === 3 ? ROOT3 : ROOT0) : cpl === 3 ? NONROOT3 : NONROOT0));
  }
}
/** An instr line's constant middle, from rip to `"cycles":`, in the key order JSON.stringify
 *  gives the event. */
export function instrMid(rip: string, text: string): string {
  return `,"type":"instr","rip":${JSON.stringify(rip)},"text":${JSON.stringify(text)},"cycles":`;
}
const ROOT0 = ',"vmx":"root","cpl":0}\n', ROOT3 = ',"vmx":"root","cpl":3}\n';
const NONROOT0 = ',"vmx":"non-root","cpl":0}\n', NONROOT3 = ',"vmx":"non-root","cpl":3}\n';
