// The four privilege regions (VMX root/non-root x ring 0/3) and the path a ring change, VM exit,
// VM entry or system call takes between them, with its label. Pure: no DOM, no React.

import { EXIT_NAME, EXIT_REASON } from '../../../engine/arch/vmx.ts';
import type { TraceEvent, Vmx } from '../../../engine/trace/events.ts';
import type { ProcView } from '../../../engine/player/view.ts';
import { messages } from '../../messages/index.ts';

const t = messages.machine;

export type RegionId = 'root-0' | 'root-3' | 'nonroot-0' | 'nonroot-3';
export const REGION_IDS: readonly RegionId[] = ['root-3', 'nonroot-3', 'root-0', 'nonroot-0'];

export const regionOf = (vmx: Vmx, cpl: number): RegionId =>
  `${vmx === 'root' ? 'root' : 'nonroot'}-${cpl === 3 ? 3 : 0}` as RegionId;

export interface Move { id: string; from: RegionId; to: RegionId; label: string }

/** The path of a transition event, labelled with its cause (SDM exit name, instruction or `via`),
 *  or null for events that move nothing. */
export function moveOf(e: TraceEvent, costCycles?: number): Move | null {
  const m = pathOf(e);
  if (!m) return null;
  const label = costCycles === undefined ? m.cause : `${m.cause} · ${t.cycles(costCycles)}`;
  return { id: `${e.seq}`, from: m.from, to: m.to, label };
}

function pathOf(e: TraceEvent): { from: RegionId; to: RegionId; cause: string } | null {
  switch (e.type) {
    case 'ring':
      return { from: regionOf(e.vmx, e.from), to: regionOf(e.vmx, e.to), cause: t.via[e.via] ?? e.via };
    case 'vmexit': {
      // The event carries the state after the exit; the guest's CPL rides along as fromCpl.
      const fromCpl = (e as { fromCpl?: number }).fromCpl ?? 0;
      const name = EXIT_NAME[e.reason] ?? e.name;
      const cause = e.reason === EXIT_REASON.VMCALL ? `${name} (${t.hypercall})` : name;
      return { from: regionOf('non-root', fromCpl), to: 'root-0', cause };
    }
    case 'vmentry':
      return { from: 'root-0', to: regionOf('non-root', e.cpl), cause: t.vmentryLabel(t.vmentry[e.kind]) };
    case 'syscall': {
      // Where the call came from: a Linux process (syscall, ptrace), the Dune process through
      // libdune's VMCALL, or sandboxed ring-3 code caught by the sandbox in non-root ring 0.
      const from: RegionId = e.via === 'vmcall' ? 'nonroot-0' : e.via === 'sandbox' ? 'nonroot-3' : 'root-3';
      const to: RegionId = e.via === 'sandbox' ? 'nonroot-0' : 'root-0';
      const via = e.via === 'vmcall' ? EXIT_NAME[EXIT_REASON.VMCALL] : e.via;
      return { from, to, cause: t.syscallVia(e.name, via) };
    }
    case 'exception':
      // The event carries where it was raised; it is delivered through the guest's own IDT,
      // or it exits (exception bitmap), or the host kernel takes it.
      return { from: regionOf(e.vmx, e.cpl), to: e.to === 'guest-idt' ? 'nonroot-0' : 'root-0', cause: `${t.via.exception} ${e.name}` };
    default:
      return null;
  }
}

/** The processes to list in each region: Dune processes in non-root ring 0, others in root ring 3. */
export function membersOf(procs: ProcView[] | undefined): Record<RegionId, string[]> {
  const r: Record<RegionId, string[]> = { 'root-0': [], 'root-3': [], 'nonroot-0': [], 'nonroot-3': [] };
  for (const p of procs ?? []) {
    if (p.state === 'zombie') continue;
    r[p.dune ? 'nonroot-0' : 'root-3'].push(t.procTag(p.pid, p.name));
  }
  return r;
}
