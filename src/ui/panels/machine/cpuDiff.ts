// What changed in the CPU between two machine views: the names of registers, RIP, RFLAGS, the
// decoded flags, control registers, CPL and VMX mode whose values differ. Pure.

import type { MachineView } from '../../../engine/player/view.ts';

export type CpuItem = string; // a register name (rax…r15), 'rip', 'rflags', a flag (CF…), a CR (cr0…efer), 'cpl', 'vmx'

/** Every item whose value differs between `prev` and `cur` (empty without `prev`). */
export function cpuChanges(cur: MachineView, prev?: MachineView | null): Set<CpuItem> {
  const out = new Set<CpuItem>();
  if (!prev) return out;
  const before = new Map(prev.regs.map((r) => [r.name, r.value]));
  for (const r of cur.regs) if (before.get(r.name) !== r.value) out.add(r.name);
  if (cur.rip !== prev.rip) out.add('rip');
  if (cur.rflags !== prev.rflags) out.add('rflags');
  for (const f of Object.keys(cur.flags) as (keyof MachineView['flags'])[]) if (cur.flags[f] !== prev.flags[f]) out.add(f);
  for (const c of Object.keys(cur.cr) as (keyof MachineView['cr'])[]) if (cur.cr[c] !== prev.cr[c]) out.add(c);
  if (cur.cpl !== prev.cpl) out.add('cpl');
  if (cur.vmx !== prev.vmx) out.add('vmx');
  return out;
}
