// The host's report (why the machine or a process stopped: a fatal signal, the OOM killer, an
// unhandled VM exit, Dune's exit codes) as keys with parameters, so a page can say it in its
// language; `report` keeps the English lines the CLI prints (the run's stderr), exactly as before.
// Each line is made by tell(): its English and its key together. World: the host's words (kernel, machine).

import { VMFAIL_TEXT, type VmfailCheck } from './vtx/vmfail.ts';

/** A parameter: a value as printed, or a reason a lower layer gives, itself a line by key (an EPT
 *  fault's refusal, a VM-instruction error), or a list of them (the processes in a deadlock). */
export type ReportValue = string | number | boolean | ReportMsg | ReportMsg[];
export type ReportParams = Record<string, ReportValue>;
export interface ReportMsg { key: ReportKey; params: ReportParams }

const s = (v: ReportValue | undefined): string => (v === undefined ? '' : typeof v !== 'object' ? String(v)
  : Array.isArray(v) ? v.map(englishReport).join('; ') : englishReport(v));

export const REPORT_TEXT = {
  'bug-kernel-mode': (p: ReportParams) => `BUG: ${s(p.vec)} in kernel mode at ${s(p.rip)}`,
  'segfault': (p: ReportParams) => `${s(p.who)}: segfault at ${s(p.addr)} ip ${s(p.ip)} sp ${s(p.sp)} error ${s(p.err)}`,
  'trap': (p: ReportParams) => `${s(p.who)}: ${s(p.vec)} (${s(p.trap)}) ip ${s(p.ip)}${p.err !== undefined ? ` error ${s(p.err)}` : ''}`,
  'signal-at': (p: ReportParams) => `${s(p.name)} (signal ${s(p.signo)}) at ${s(p.rip)}${p.op !== undefined ? `: \`${s(p.op)}\` (line ${s(p.line)})` : ''}`,
  'regs': (p: ReportParams) => s(p.text),
  'regs-vmcs': () => 'guest state at the VM exit (RIP, RSP, RFLAGS from the VMCS guest-state area):',
  'oom': (p: ReportParams) => `Out of memory: Kill process ${s(p.pid)} (${s(p.name)}): out of host-physical memory: all ${s(p.frames)} frames (${Number(p.frames) * 4} KiB) are in use`,
  'unhandled-vmexit': (p: ReportParams) => `unhandled vmexit: reason ${s(p.reason)} (${s(p.name)}), qualification ${s(p.qual)}, guest RIP ${s(p.rip)}`
    + (p.gpa !== undefined ? `, GPA ${s(p.gpa)}, GLA ${s(p.gla)}` : ''),
  'killed-by': (p: ReportParams) => `${s(p.who)}: killed by ${s(p.name)} (signal ${s(p.sig)})${p.from ? ` from pid ${s(p.from)}` : ''}`,
  'bad-signal-frame': (p: ReportParams) => `${s(p.who)}: bad signal frame for ${s(p.name)} (stack ${s(p.stack)}${p.restorer ? '' : ', no SA_RESTORER'})`,
  'bad-sigreturn-frame': (p: ReportParams) => `${s(p.who)}: bad frame in rt_sigreturn at ${s(p.frame)}`,
  'vmresume-failed': (p: ReportParams) => `dune: VMRESUME failed: ${s(p.why)}`,
  /** A VM-instruction error (SDM "VM Instruction Error Numbers"): error is the number, check which
   *  of the model's checks failed, arg its value (engine/vtx/vmx.ts VMFAIL_TEXT). */
  'vm-instr-error': (p: ReportParams) => VMFAIL_TEXT[p.check as VmfailCheck](s(p.arg)),
  'ept-violation': (p: ReportParams) => `dune: EPT violation at GPA ${s(p.gpa)} (guest linear ${s(p.gla)}, qualification ${s(p.qual)}): ${s(p.why)}`,
  'ept-no-linear': () => 'exit qualification bit 7 (linear address valid) is clear',
  // eptFault's refusals (kernel/dune/eptfault.ts).
  'ept-beyond-limit': (p: ReportParams) => `GPA ${s(p.gpa)} is beyond phys_limit (the three 4 GiB windows)`,
  'ept-no-user-page': (p: ReportParams) => `ept: failed to get user page ${s(p.page)}${p.write ? ' for writing' : ''} (no such mapping in the process)`,
  'ept-no-host-pte': (p: ReportParams) => `ept: no host PTE for ${s(p.page)}`,
  'dune-exit-ept': (p: ReportParams) => `dune: exit code ${s(p.code)} (DUNE_RET_EPT_VIOLATION), guest RIP ${s(p.rip)}`,
  'dune-exit-interrupt': (p: ReportParams) => `dune: exit code ${s(p.code)} (DUNE_RET_INTERRUPT): exception vector ${s(p.vec)} trapped to the module (exception bitmap), guest RIP ${s(p.rip)}`,
  /** procs: one 'deadlock-blocked' or 'deadlock-stopped' line per live process. */
  'deadlock': (p: ReportParams) => `deadlock: no runnable process: ${s(p.procs)}`,
  'deadlock-blocked': (p: ReportParams) => `pid ${s(p.pid)} blocked in ${s(p.call)}`,
  'deadlock-stopped': (p: ReportParams) => `pid ${s(p.pid)} stopped (${s(p.signal)}, ${s(p.kind)}) waiting for its tracer`,
  'native-budget': (p: ReportParams) => `stopped after ${s(p.instret)} instructions: the fault handler of the native routine at ${s(p.rip)} had not returned (instruction budget)`,
  'triple-fault': (p: ReportParams) => `triple fault in the host (VMX root): fault (${s(p.vec)}) while delivering #DF; the processor shuts down (a real machine resets)`,
} satisfies Record<string, (p: ReportParams) => string>;
export type ReportKey = keyof typeof REPORT_TEXT;

export const rep = (key: ReportKey, params: ReportParams = {}): ReportMsg => ({ key, params });
export const englishReport = (m: ReportMsg): string => REPORT_TEXT[m.key](m.params);

/** What keeps a report: the English lines and, beside them, their keys. */
export interface Reporter { report: string[]; reportMsgs: ReportMsg[] }

/** Adds lines to the report, each as its key and its English. */
export function tell(k: Reporter, ...msgs: ReportMsg[]): void {
  for (const m of msgs) { k.report.push(englishReport(m)); k.reportMsgs.push(m); }
}

/** A register dump (kernel.ts regDump) as report lines: register names and values, as written. */
export const regLines = (lines: string[], vmcs: boolean): ReportMsg[] =>
  lines.map((text, i) => (vmcs && i === 0 ? rep('regs-vmcs') : rep('regs', { text })));
