// A plain-data picture of the machine at one instant, for the visualizer (it crosses the Web
// Worker boundary, so: strings, numbers, arrays; no engine objects). Built from a running Session.
// World: a read-only observer of every mode.

import { REG64 } from '../asm/ir.ts';
import { VMCS_GROUPS, vmcsWidth, type VmcsGroup } from '../arch/vmx.ts';
import { TF, type Tlb } from '../mmu/tlb.ts';
import { hex, hexVa } from '../trace/events.ts';
import type { Session } from '../session.ts';
import type { ExitStatus } from '../machine.ts';
import type { ReportMsg } from '../report.ts';

export interface RegView { name: string; value: string }
export interface VmcsFieldView { group: VmcsGroup; name: string; encoding: string; width: string; value: string; changed: boolean }
export interface TlbEntryView {
  /** Linear address of the page (canonical hex). */
  va: string; size: '4K' | '2M'; vpid: number; pcid: number;
  /** EP4TA (EPT root) tag, or null for root-mode (no EPT) entries. */
  ept: string | null;
  /** Host-physical address of the page. */
  hpa: string;
  flags: { rw: boolean; us: boolean; nx: boolean; dirty: boolean; global: boolean };
}
export interface ProcView { pid: number; name: string; state: string; dune: boolean; current: boolean }

export interface MachineView {
  /** Events emitted so far (the next event's seq). */
  seq: number;
  instret: number;
  cycles: number;
  vmx: 'root' | 'non-root';
  cpl: 0 | 3;
  rip: string;
  /** Source line of the instruction at RIP in the program (1-based), or null (kernel, runtime). */
  line: number | null;
  regs: RegView[];
  rflags: string;
  flags: { CF: boolean; ZF: boolean; SF: boolean; OF: boolean; IF: boolean };
  cr: { cr0: string; cr2: string; cr3: string; cr4: string; efer: string };
  /** The current VMCS (null before the first DUNE_ENTER). */
  vmcs: VmcsFieldView[] | null;
  tlb: TlbEntryView[];
  procs: ProcView[];
  status: ExitStatus | null;
  stdout: string;
  /** The process's stderr, then the host's report (the CLI's stderr). */
  stderr: string;
  /** The two parts apart: what the guest wrote, and the report as keys (report.ts), for a page
   *  to say the report in its language. */
  guestStderr: string;
  report: ReportMsg[];
}

export function machineView(s: Session): MachineView {
  const m = s.machine, c = m.cpu, k = s.kernel;
  const rip = c.rip;
  const ins = s.program.instrs.find((i) => i.addr === rip);
  const regs = REG64.map((name, i) => ({ name, value: '0x' + c.get(i).toString(16).padStart(16, '0') }));
  const fl = c.rflags();
  const v = m.vmx.current;
  const vmcs = v ? (Object.keys(VMCS_GROUPS) as VmcsGroup[]).flatMap((group) =>
    Object.entries(VMCS_GROUPS[group]).map(([name, enc]) => ({
      group, name, encoding: hex(enc), width: vmcsWidth(enc), value: hex(v.fields.get(enc) ?? 0n), changed: v.changed.has(enc),
    }))) : null;
  return {
    seq: m.seq, instret: m.instret, cycles: m.cycles, vmx: m.vmxMode, cpl: c.cpl, rip: hexVa(rip), line: ins?.line ?? null,
    regs, rflags: hex(fl),
    flags: { CF: !!c.cf, ZF: !!c.zf, SF: !!c.sf, OF: !!c.of, IF: (fl & 0x200) !== 0 },
    cr: { cr0: hex(c.cr0), cr2: hexVa(c.cr2), cr3: hex(c.cr3), cr4: hex(c.cr4), efer: hex(c.efer) },
    vmcs, tlb: tlbView([m.mmu.tlb4k, m.mmu.tlb2m]),
    procs: k.procs.map((p) => ({ pid: p.pid, name: p.name, state: p.state, dune: (p as { vcpu?: unknown }).vcpu !== undefined, current: p === k.proc })),
    status: m.status, stdout: s.stdout(), stderr: s.stderr() + s.kernel.report.join('\n'), guestStderr: s.stderr(), report: [...k.reportMsgs],
  };
}

/** The TLBs' valid entries, in slot order. TLBs with the same tags and translations as at the
 *  last call (of any session) give the same array, read-only: a step seldom changes the TLB, so
 *  its 512 rows are not built, and compared, again at each cursor move. A memo: the rows are a
 *  function of the TLBs' contents alone. */
function tlbView(tlbs: readonly Tlb[]): TlbEntryView[] {
  const same = last !== null && tlbs.length === last.tags.length &&
    tlbs.every((t, k) => t.shift === last!.shifts[k] && sameTags(t, last!.tags[k]));
  if (same) return last!.view;
  const view: TlbEntryView[] = [];
  for (const t of tlbs) {
    for (let i = 0; i < t.entries; i++) {
      if (t.vpn[i] === -1) continue;
      const f = t.flags[i], size = t.shift === 21 ? '2M' : '4K';
      view.push({ va: hexVa(t.vpn[i] * 2 ** t.shift), size, vpid: Math.floor(t.ctx[i] / 4096), pcid: t.ctx[i] % 4096,
        ept: t.ep[i] ? hex(t.ep[i] * 4096) : null, hpa: hex(t.frame[i] * 4096),
        flags: { rw: !!(f & TF.RW), us: !!(f & TF.US), nx: !!(f & TF.NX), dirty: !!(f & TF.DIRTY), global: !!(f & TF.G) } });
    }
  }
  last = { shifts: tlbs.map((t) => t.shift), tags: tlbs.map(tagsOf), view };
  return view;
}
/** A copy of what a TLB view shows of one TLB: per slot, its page, context, EPT root, frame, flags. */
interface Tags { vpn: Float64Array; ctx: Float64Array; ep: Float64Array; frame: Float64Array; flags: Uint16Array }
let last: { shifts: number[]; tags: Tags[]; view: TlbEntryView[] } | null = null;
const tagsOf = (t: Tlb): Tags => ({ vpn: t.vpn.slice(), ctx: t.ctx.slice(), ep: t.ep.slice(), frame: t.frame.slice(), flags: t.flags.slice() });
function sameTags(t: Tlb, g: Tags): boolean {
  if (t.vpn.length !== g.vpn.length) return false;
  for (let i = 0; i < t.vpn.length; i++) {
    if (t.vpn[i] !== g.vpn[i]) return false;
    if (t.vpn[i] === -1) continue;
    if (t.ctx[i] !== g.ctx[i] || t.ep[i] !== g.ep[i] || t.frame[i] !== g.frame[i] || t.flags[i] !== g.flags[i]) return false;
  }
  return true;
}

