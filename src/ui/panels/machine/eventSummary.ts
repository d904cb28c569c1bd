// One short line per trace event, by type, for the timeline (the fields of cli-and-trace.md).
// Dispatch by table keyed by event type; an unknown type shows its raw fields, never nothing.

import { EXIT_NAME } from '../../../engine/arch/vmx.ts';
import type { EventType, TraceEvent } from '../../../engine/trace/events.ts';
import { messages } from '../../messages/index.ts';
import { noteText } from '../../messages/noteText.ts';

const t = messages.machine;
type Of<T extends EventType> = Extract<TraceEvent, { type: T }>;

const SUMMARY: { [T in EventType]: (e: Of<T>) => string } = {
  instr: (e) => `${e.rip}  ${e.text}`,
  walk: (e) => `${e.va}  ${t.refs(e.refs.length)}${e.result ? ` → ${e.result}` : ''}${e.fault ? `  ${t.fault}: ${messages.walk.faultText(e.fault, e.cause)}` : ''}`,
  tlb: (e) => `${e.op}${e.va ? ` ${e.va}` : ''}  vpid ${e.vpid} pcid ${e.pcid}  ${e.scope}`,
  ad: (e) => `${e.table} ${e.bit}  ${e.entry}  (${e.va})`,
  exception: (e) => `${e.name}${e.errorCode !== null ? ` ec ${'0x' + e.errorCode.toString(16)}` : ''}${e.cr2 ? ` cr2 ${e.cr2}` : ''}  ${t.to} ${e.to}`,
  ring: (e) => `${e.from} → ${e.to}  via ${e.via}`,
  vmexit: (e) => `${EXIT_NAME[e.reason] ?? e.name}  qual ${e.qualification}${e.gpa ? `  gpa ${e.gpa}` : ''}`,
  vmentry: (e) => `${t.vmentry[e.kind]}  ${e.rip}`,
  vmfail: (e) => `${e.instr}  error ${e.error}: ${e.message}`,
  syscall: (e) => `${e.name}(${e.args.join(', ')}) = ${e.ret}  via ${e.via}`,
  signal: (e) => `${e.name} (${e.signo})  handler ${e.handler}`,
  libdune: (e) => `${e.fn}(${e.args.join(', ')})${e.ret !== null ? ` = ${e.ret}` : ''}`,
  kernel: (e) => `${e.fn}: ${noteText(e)}`,
  output: (e) => `fd ${e.fd}: ${JSON.stringify(e.text)}`,
  exit: (e) => `${t.exitHow[e.how] ?? e.how}, ${t.code} ${e.code}`,
  summary: (e) => t.summaryLine(e.instructions, e.cycles, Object.values(e.vmexits).reduce((a, b) => a + b, 0)),
};

export const EVENT_TYPES = Object.keys(SUMMARY) as EventType[];

export function summarize(e: TraceEvent): string {
  const f = SUMMARY[e.type] as ((e: TraceEvent) => string) | undefined;
  if (f) return f(e);
  const { seq: _s, type: _t, cycles: _c, vmx: _v, cpl: _p, ...rest } = e as TraceEvent & Record<string, unknown>;
  return JSON.stringify(rest);
}
