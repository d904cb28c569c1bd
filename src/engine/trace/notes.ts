// The host kernel's and the Dune module's notes: the `detail` of a `kernel` event
// (../shared/spec/cli-and-trace.md), each as an id with its parameters and the English the trace
// prints. The event carries both: `detail` (the trace's words, unchanged) and `note` (the id and
// parameters), so that the UI can say the same in the user's language (src/ui/messages/kernel.ts
// renders English with these very functions). The trace's JSON line leaves `note` out
// (traceLine in events.ts), so traces stay byte-identical.
//
// Parameters are what the trace prints: addresses already in hex, numbers as numbers, and code
// names (functions, signals, exit reasons, Linux's own words for a cause) as they are.

import { englishReport, type ReportMsg } from '../report.ts';
import type { ProcState } from '../kernel/process.ts';

const entries = (n: number) => `${n} EPT entr${n === 1 ? 'y' : 'ies'}`;

export const NOTE_TEXT = {
  // ---- processes ----
  execve: (a: { pid: number; name: string; text: string; entry: string; brk: string }) =>
    `pid ${a.pid} ${a.name}: text ${a.text}, entry ${a.entry}, brk ${a.brk}`,
  noSyscall: (a: { nr: number }) => `system call ${a.nr} is not implemented: -ENOSYS`,
  sleeps: (a: { pid: number; call: string; on: string }) => `pid ${a.pid} sleeps in ${a.call} (${a.on})`,
  /** handle_mm_fault: why is the path that faulted the page in (get_user_pages, page fault, ...). */
  zeroPage: (a: { why: string; frame: string; va: string }) => `${a.why}: zero page ${a.frame} mapped at ${a.va}`,
  kernelOops: (a: { vector: string; rip: string }) => `kernel-mode ${a.vector} at ${a.rip}: oops`,
  timerTick: (_a: Record<string, never>) => 'timer tick (HZ 250)',
  /** frames: all of host-physical memory, in 4 KiB frames (mem/phys.ts OutOfMemory's message). */
  oom: (a: { pid: number; frames: number }) => `pid ${a.pid}: out of host-physical memory: all ${a.frames} frames (${a.frames * 4} KiB) are in use`,
  unhandledExit: (a: { reason: number; name: string; qualification: string }) =>
    `unhandled VM exit ${a.reason} (${a.name}), qualification ${a.qualification}`,
  switchTo: (a: { prev: number; state: ProcState; next: number; name: string }) => `pid ${a.prev} (${a.state}) -> pid ${a.next} ${a.name}`,
  sysemuSkipped: (a: { pid: number; call: string; rax: string }) => `PTRACE_SYSEMU: pid ${a.pid}'s ${a.call} skipped, rax ${a.rax}`,
  runEnds: (a: { pids: number[] }) => `pid 1 ended: the run ends, killing pid ${a.pids.join(', ')}`,
  exited: (a: { pid: number; code: number }) => `pid ${a.pid} exited with code ${a.code}`,
  killed: (a: { pid: number; signal: string }) => `pid ${a.pid} killed by ${a.signal}`,
  fork: (a: { parent: number; child: number; shared: number }) => `pid ${a.parent} forks pid ${a.child}: ${a.shared} page(s) shared copy-on-write`,
  cowCopy: (a: { pid: number; va: string; from: string; to: string }) => `pid ${a.pid}: copy-on-write at ${a.va}: frame ${a.from} copied to ${a.to}`,
  cowLast: (a: { pid: number; va: string; frame: string }) => `pid ${a.pid}: copy-on-write at ${a.va}: last user of frame ${a.frame}, made writable`,
  reaps: (a: { pid: number; child: number; status: string }) => `pid ${a.pid} reaps pid ${a.child}, status ${a.status}`,
  mmap: (a: { start: string; end: string; prot: number; populate: boolean }) =>
    `${a.start}-${a.end} prot ${a.prot} (${a.populate ? 'MAP_POPULATE: faulted in now' : 'demand-paged'})`,
  unmapped: (a: { why: string; pages: number; start: string; end: string }) =>
    `${a.why}: ${a.pages} page(s) at ${a.start}-${a.end} unmapped, TLB flushed, then freed`,
  /** A line of the host's report, as stderr has it (engine/report.ts): force_sig's first line (a
   *  segfault or another fatal exception) and the scheduler's deadlock. One text for both, so the
   *  trace, stderr and the page say the same thing in every language. */
  reportLine: (a: { line: ReportMsg }) => englishReport(a.line),
  // ---- signals and ptrace ----
  jobStopIgnored: (a: { signal: string }) => `${a.signal}: job-control stop is not modelled; ignored`,
  ptraceStop: (a: { pid: number; signal: string; kind: string; tracer: number }) => `pid ${a.pid} stops (${a.signal}, ${a.kind}) for tracer pid ${a.tracer}`,
  ptraceRequest: (a: { request: number }) => `request ${a.request} is not modelled: -EIO`,
  // ---- the Dune module ----
  externalIntr: (a: { vector: string }) => `vector ${a.vector}: host handler, then re-enter`,
  reenter: (a: { pid: number; rip: string }) => `pid ${a.pid} re-enters Dune mode at ${a.rip} (after a signal)`,
  duneEnter: (a: { pid: number; vmcs: number; vpid: number | null; eptp: string; cr3: string }) =>
    `pid ${a.pid}: VMCS ${a.vmcs}, VPID ${a.vpid ?? 'off'}, EPTP ${a.eptp} (empty: filled on EPT violations), guest CR3 ${a.cr3}`,
  /** why: the VM-instruction error (report key 'vm-instr-error': its number and the failed check). */
  launchFailed: (a: { why: ReportMsg }) => `VMLAUNCH failed: ${englishReport(a.why)}`,
  /** after: the exit that interrupted the delivery (null: an EPT violation, i.e. the EPT fill). */
  reinjected: (a: { name: string; vector: number; error: string | null; after: string | null }) =>
    `${a.name} (vector ${a.vector}${a.error !== null ? `, error code ${a.error}` : ''}) re-injected: delivered again after ${a.after === null ? 'the EPT fill' : `the ${a.after} exit`} (IDT-vectoring information, as KVM does; ` +
    'Dune\'s code has this path under #if 0, so on real Dune the guest re-executes the instruction and raises it again)',
  signalPending: (a: { pid: number }) => `pid ${a.pid}: a signal is pending: DUNE_RET_SIGNAL, back to Linux to deliver it`,
  duneFork: (a: { pid: number; rip: string }) => `pid ${a.pid} starts outside Dune, in ring 3 at ${a.rip}`,
  /** reason: eptFault's refusal, the report's line (a report key with its parameters). */
  eptRefused: (a: { reason: ReportMsg }) => `refused: ${englishReport(a.reason)}`,
  hlt: (_a: Record<string, never>) => 'HLT: yield the CPU, then re-enter',
  exceptionExit: (a: { exit: string; vector: number }) => `${a.exit} vector ${a.vector}: DUNE_RET_INTERRUPT`,
  eptFill: (a: { gpa: string; hva: string; hpa: string; w: boolean; ad: boolean; write: boolean }) =>
    `GPA ${a.gpa} (HVA ${a.hva}) -> HPA ${a.hpa}: EPT entry R${a.w ? 'W' : ''}X, WB${a.ad ? `, A${a.write ? ' D' : ''} premarked` : ''}`,
  eptCleared: (a: { why: string; n: number; start: string; len: string }) => `${a.why}: ${entries(a.n)} cleared for ${a.start}+${a.len}`,
  // ---- libdune ----
  duneInit: (a: { root: string; full: boolean; huge: boolean; lstar: string }) =>
    `dune_init: page table at ${a.root} (${a.full ? `full: three 4 GiB windows, ${a.huge ? '2 MiB' : '4 KiB'} pages` : 'precise: the process\'s areas'}), syscall page at ${a.lstar}, IDT/GDT/TSS`,
  // ---- the processor ----
  /** why: the second exception's cause, as the exception event gives it. */
  nestedSerial: (a: { vector: string; during: string; why: string }) => `${a.vector} while delivering ${a.during} (${a.why}): handled serially`,
  nestedDouble: (a: { vector: string; during: string; why: string }) => `${a.vector} while delivering ${a.during} (${a.why}): double fault`,
  tripleFault: (a: { why: string }) => `triple fault in VMX root (${a.why}): the machine shuts down`,
} satisfies Record<string, (a: never) => string>;

export type NoteId = keyof typeof NOTE_TEXT;
export type NoteArgs<K extends NoteId> = Parameters<(typeof NOTE_TEXT)[K]>[0];
/** A kernel event's note: which text, with what. */
export type Note = { [K in NoteId]: { id: K; args: NoteArgs<K> } }[NoteId];

/** The `kernel` event of function fn saying note id with args: detail in the trace's English. */
export function kernelNote<K extends NoteId>(fn: string, id: K, args: NoteArgs<K>) {
  return { type: 'kernel' as const, fn, detail: (NOTE_TEXT[id] as (a: NoteArgs<K>) => string)(args), note: { id, args } as Note };
}
