// Real traces and machine views for the machine-panel tests: small programs run by the engine,
// with a MachineView captured at every VM exit and entry (the state the player would show there).

import { asm } from '../../../engine/harness.ts';
import { Session } from '../../../../src/engine/session.ts';
import { machineView, type MachineView } from '../../../../src/engine/player/view.ts';
import type { TraceEvent, TraceSink } from '../../../../src/engine/trace/events.ts';

export type VmExit = Extract<TraceEvent, { type: 'vmexit' }>;

class CaptureSink implements TraceSink {
  events: TraceEvent[] = [];
  views = new Map<number, MachineView>();
  session: Session | null = null;
  constructor(private want: (e: TraceEvent) => boolean) {}
  event(e: TraceEvent) {
    this.events.push(e);
    if (this.session && this.want(e)) this.views.set(e.seq, machineView(this.session));
  }
}

/** Run `src` as a process; views are captured at VM exits and entries. */
export function runCaptured(src: string) {
  const sink = new CaptureSink((e) => e.type === 'vmexit' || e.type === 'vmentry');
  const s = new Session(asm(src), { sink });
  sink.session = s;
  const status = s.run(1_000_000);
  return { s, status, events: sink.events, views: sink.views, end: machineView(s) };
}

/** A Dune process that makes one system call: VMCALL exits and EPT violations. */
export const DUNE_GETPID = `_start:
  call dune_init_and_enter
  mov rax, SYS_getpid
  syscall
  mov rdi, 0
  call exit
`;

/** A Dune process that writes CR4 from RBX: a CR_ACCESS exit (the module does not handle it). */
export const DUNE_CR4 = `_start:
  call dune_init_and_enter
  mov rbx, cr4
  xor rbx, 0x80
  mov cr4, rbx
  mov rdi, 0
  call exit
`;

/** A Dune process that executes INT3: an EXCEPTION_NMI exit through the exception bitmap. */
export const DUNE_INT3 = `_start:
  call dune_init_and_enter
  int3
  mov rdi, 0
  call exit
`;

export const exitsOf = (events: TraceEvent[]) => events.filter((e): e is VmExit => e.type === 'vmexit');
