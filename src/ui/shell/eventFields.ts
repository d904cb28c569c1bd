// The event at the cursor as named fields in plain words, by event type (the fields of
// ../shared/spec/cli-and-trace.md). A field no row names is still shown, under its own key.

import { EXIT_NAME, exitInstrLenDefined } from '../../engine/arch/vmx.ts';
import type { TraceEvent } from '../engineClient.ts';
import type { EventType } from '../../engine/trace/events.ts';
import { messages } from '../messages/index.ts';
import { fmt } from '../messages/locale.ts';
import { noteText } from '../messages/noteText.ts';

const m = messages.event;
const f = m.f;
type Of<T extends EventType> = Extract<TraceEvent, { type: T }>;
/** [trace key, plain label, value]; a row with a null value is left out. */
export type Row = [key: string, label: string, value: string | null];

const hex = (v: number) => '0x' + v.toString(16);
const list = (a: string[]) => (a.length ? a.join(', ') : m.none);

const ROWS: { [T in EventType]: (e: Of<T>) => Row[] } = {
  instr: (e) => [['rip', f.address, e.rip], ['text', f.instruction, e.text]],
  walk: (e) => [['va', f.va, e.va], ['refs', f.refs, m.refs(e.refs.length)], ['result', f.result, e.result ?? m.noResult],
    ['fault', f.fault, e.fault === null ? null : messages.walk.faultText(e.fault, e.cause)], ['psc', f.psc, e.psc?.length ? e.psc.join(', ') : null], ['access', f.access, e.access ?? null],
    // The structured forms of psc and fault (docs/trace.md): the rows above already say them in words.
    ['pscHits', f.psc, null], ['cause', f.fault, null]],
  tlb: (e) => [['op', f.op, m.tlbOps[e.op] ?? e.op], ['va', f.page, e.va ?? null], ['vpid', f.vpid, String(e.vpid)], ['pcid', f.pcid, String(e.pcid)],
    ['ept', f.ept, e.ept ?? null], ['scope', f.scope, e.scope], ['entries', f.entries, e.entries === undefined ? null : String(e.entries)]],
  ad: (e) => [['table', f.table, m.tables[e.table] ?? e.table], ['bit', f.bit, m.bits[e.bit] ?? e.bit], ['entry', f.entry, e.entry], ['va', f.va, e.va]],
  exception: (e) => [['vector', f.vector, `${e.vector} (${e.name})`], ['name', f.name, null], ['errorCode', f.errorCode, e.errorCode === null ? m.none : hex(e.errorCode)],
    ['cr2', f.cr2, e.cr2 ?? null], ['to', f.to, m.deliveredTo[e.to] ?? e.to], ['rip', f.rip, e.rip],
    ...('why' in e && typeof e.why === 'string' ? [['why', f.why, m.why(e.why)] as Row] : [])],
  ring: (e) => [['from', f.from, m.ring(e.from)], ['to', f.toRing, m.ring(e.to)], ['via', f.via, m.via[e.via] ?? e.via]],
  vmexit: (e) => {
    const r = e as Of<'vmexit'> & { fromCpl?: number; intrInfo?: string };
    const name = EXIT_NAME[e.reason] ?? e.name;
    // The SDM leaves VM_EXIT_INSTRUCTION_LEN undefined for exits not caused by an instruction.
    const len = exitInstrLenDefined(e.reason, { intrInfo: r.intrInfo ? Number(r.intrInfo) : 0, qualification: Number(e.qualification) })
      ? m.bytes(e.instrLen) : m.instrLenUndefined(name);
    return [['reason', f.reason, messages.machine.exitReason(name, e.reason)], ['name', f.name, null],
      ['qualification', f.qualification, e.qualification], ['gpa', f.gpa, e.gpa ?? null], ['gla', f.gla, e.gla ?? null],
      ['instrLen', f.instrLen, len], ['rip', f.rip, e.rip], ['intrInfo', f.intrInfo, r.intrInfo ?? null],
      ['fromCpl', f.fromCpl, r.fromCpl === undefined ? null : `VMX non-root, ${m.ring(r.fromCpl)}`]];
  },
  vmentry: (e) => [['kind', f.kind, messages.machine.vmentry[e.kind]], ['rip', f.rip, e.rip]],
  vmfail: (e) => [['instr', f.instr, e.instr], ['error', f.error, String(e.error)], ['message', f.message, e.message]],
  syscall: (e) => [['name', f.call, `${e.name} (${f.nr} ${e.nr})`], ['nr', f.nr, null], ['args', f.args, list(e.args)], ['ret', f.ret, e.ret],
    ['via', f.via, m.via[e.via] ?? e.via]],
  signal: (e) => [['name', f.signo, `${e.name} (${e.signo})`], ['signo', f.signo, null], ['handler', f.handler, e.handler]],
  libdune: (e) => [['fn', f.fn, e.fn], ['args', f.args, list(e.args)], ['ret', f.ret, e.ret ?? m.entering]],
  kernel: (e) => [['fn', f.fn, e.fn], ['detail', f.detail, noteText(e)], ['note', f.detail, null]],
  output: (e) => [['fd', f.fd, m.fds[e.fd] ?? `fd ${e.fd}`], ['text', f.text, e.text]],
  exit: (e) => [['how', f.how, e.how === 'budget' ? m.budget : messages.machine.exitHow[e.how] ?? e.how], ['code', f.code, String(e.code)]],
  summary: (e) => [['instructions', f.instructions, fmt(e.instructions)], ['cycles', f.cycles, fmt(e.cycles)],
    ['vmexits', f.vmexits, list(Object.entries(e.vmexits).map(([k, v]) => `${k} ${v}`))], ['walks', f.walks, String(e.walks)],
    ['walkRefs', f.walkRefs, String(e.walkRefs)], ['tlbMisses', f.tlbMisses, String(e.tlbMisses)], ['faults', f.faults, String(e.faults)]],
};

const BASE = new Set(['seq', 'type', 'cycles', 'vmx', 'cpl', 'refs']);

/** The rows to show for an event: its named fields, then any field no row named, as it is. */
export function eventRows(e: TraceEvent): Row[] {
  const rows = (ROWS[e.type] as ((e: TraceEvent) => Row[]) | undefined)?.(e) ?? [];
  const named = new Set(rows.map((r) => r[0]));
  const rest: Row[] = Object.entries(e).filter(([k]) => !BASE.has(k) && !named.has(k))
    .map(([k, v]) => [k, f[k] ?? k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  return [...rows, ...rest].filter((r) => r[2] !== null);
}
