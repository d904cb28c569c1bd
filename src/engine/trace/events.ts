// The event trace (../shared/spec/cli-and-trace.md): the documented record of everything the
// machine does. The engine hands events to an injected sink; with none, it builds none.

export type Vmx = 'root' | 'non-root';
export interface WalkRef { space: 'guest' | 'ept' | 'host'; level: number; addr: string; value: string }

export type EventBody =
  | { type: 'instr'; rip: string; text: string }
  | { type: 'walk'; va: string; refs: WalkRef[]; result: string | null; fault: string | null; psc?: string[] }
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
  | { type: 'kernel'; fn: string; detail: string }
  | { type: 'output'; fd: number; text: string }
  | { type: 'exit'; code: number; how: 'exit' | 'signal' | 'unhandled-vmexit' | 'budget' }
  | { type: 'summary'; instructions: number; cycles: number; vmexits: Record<string, number>; walks: number; walkRefs: number; tlbMisses: number; faults: number };

export type TraceEvent = EventBody & { seq: number; cycles: number; vmx: Vmx; cpl: 0 | 3 };
export type EventType = TraceEvent['type'];

/** Where events go. The machine calls it only when one is attached. */
export interface TraceSink {
  event(e: TraceEvent): void;
  /** A sink that only needs the count (seq) of events: the machine then skips building them. */
  readonly countOnly?: boolean;
}

/** Lower-case hex of a non-negative integer (number or bigint), as the trace prints addresses. */
export function hex(v: number | bigint): string {
  return '0x' + v.toString(16);
}

/** A linear address kept as its low 48 bits, printed in canonical form (bit 47 sign-extended). */
export function hexVa(va: number): string {
  return va >= 2 ** 47 ? '0x' + (BigInt(va) | 0xffff000000000000n).toString(16) : '0x' + va.toString(16);
}

/** Collects events in memory (tests, the UI's recent window). */
export class ArraySink implements TraceSink {
  events: TraceEvent[] = [];
  event(e: TraceEvent) { this.events.push(e); }
}

/** Serialises each event as one JSON line. Key order is fixed by construction, so equal runs
 *  give byte-identical output. */
export class JsonLinesSink implements TraceSink {
  private quoted = new Map<string, string>();
  constructor(private write: (line: string) => void) {}
  event(e: TraceEvent) {
    if (e.type === 'instr') {
      // The hot case, serialised by hand in the same key order JSON.stringify would use.
      let q = this.quoted.get(e.text);
      if (q === undefined) { q = JSON.stringify(e.text); this.quoted.set(e.text, q); }
      this.write(`{"seq":${e.seq},"type":"instr","rip":"${e.rip}","text":${q},"cycles":${e.cycles},"vmx":"${e.vmx}","cpl":${e.cpl}}\n`);
      return;
    }
    this.write(JSON.stringify(e) + '\n');
  }
}
