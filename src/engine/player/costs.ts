// Cycles of a run split by where they went (instructions, page walks, VM exits and entries, the
// rest), each derived from the machine's own counters and the cost table. World: an observer above the engine.

import type { Machine } from '../machine.ts';

/** The categories, in stacking order; the keys are CostChart's (src/ui/messages/machine.ts). */
export const COST_KEYS = ['instructions', 'walks', 'vmexits', 'kernel'] as const;
export type CostKey = (typeof COST_KEYS)[number];

export interface CostBreakdown {
  /** Every modelled cycle of the run so far (Machine.cycles). */
  total: number;
  /** Cycles by category; they sum to `total` exactly ("kernel" is the rest, by subtraction). */
  cycles: Record<CostKey, number>;
  /** The "vmexits" category in its two halves. */
  vmexitCycles: number;
  vmentryCycles: number;
  counts: {
    instructions: number; walks: number; walkRefs: number; tlbMisses: number; faults: number;
    vmexits: number; vmentries: number; exitsByName: Record<string, number>;
  };
}

/** Split a finished or partly run session's cycles. What each category holds:
 *  - instructions: instret x costs.instr, the base cost of every retired instruction. The extras
 *    charged on top at retirement (a memory operand's dataAccess, DIV, IMUL) have no counter of
 *    their own, so they stay in the rest. A system instruction (SYSCALL, RDTSC, MOV CR3...)
 *    charges its own cost instead of instr; it is still counted here at instr, so one cycle per
 *    system instruction moves from the rest into this category.
 *  - walks: mmu.stats.walkCycles, the walker's counter (TLB-miss start-up plus every reference),
 *    which is exactly what the walker added to Machine.cycles.
 *  - vmexits: exits x costs.vmexit + entries x costs.vmentry. Exits are counted by name
 *    (Machine.vmexits). Entries are not counted, but on one CPU they alternate with exits, so
 *    entries = exits + 1 while the guest runs (the VMLAUNCH not yet answered by an exit) and
 *    entries = exits once back in VMX root; a failed entry charges nothing.
 *  - kernel: the rest (total minus the above): the simulated kernel's and the Dune module's work,
 *    libdune's natives, exception delivery and IRET, SYSCALL/SYSRET and the other system
 *    instructions, memory-operand and DIV/IMUL extras, and idle time waiting for the timer. */
export function costBreakdown(session: { machine: Machine }): CostBreakdown {
  const m = session.machine, c = m.costs, st = m.mmu.stats;
  const exitsByName = { ...m.vmexits };
  const exits = Object.values(exitsByName).reduce((a, b) => a + b, 0);
  const entries = exits + (m.vmx.nonRoot ? 1 : 0);
  const instructions = m.instret * c.instr;
  const walks = st.walkCycles;
  const vmexitCycles = exits * c.vmexit, vmentryCycles = entries * c.vmentry;
  const vmexits = vmexitCycles + vmentryCycles;
  return {
    total: m.cycles,
    cycles: { instructions, walks, vmexits, kernel: m.cycles - instructions - walks - vmexits },
    vmexitCycles, vmentryCycles,
    counts: { instructions: m.instret, walks: st.walks, walkRefs: st.walkRefs, tlbMisses: st.tlbMisses, faults: m.faults,
      vmexits: exits, vmentries: entries, exitsByName },
  };
}

/** The breakdown of the window between two readings of the same run (`from` taken first),
 *  divided by `per` (e.g. the number of operations a benchmark timed). */
export function costWindow(from: CostBreakdown, to: CostBreakdown, per = 1): CostBreakdown {
  const d = (a: number, b: number) => (b - a) / per;
  const names = new Set([...Object.keys(from.counts.exitsByName), ...Object.keys(to.counts.exitsByName)]);
  const exitsByName: Record<string, number> = {};
  for (const k of names) {
    const v = d(from.counts.exitsByName[k] ?? 0, to.counts.exitsByName[k] ?? 0);
    if (v) exitsByName[k] = v;
  }
  const cycles = {} as Record<CostKey, number>;
  for (const k of COST_KEYS) cycles[k] = d(from.cycles[k], to.cycles[k]);
  const counts = { exitsByName } as CostBreakdown['counts'];
  for (const k of ['instructions', 'walks', 'walkRefs', 'tlbMisses', 'faults', 'vmexits', 'vmentries'] as const) counts[k] = d(from.counts[k], to.counts[k]);
  return { total: d(from.total, to.total), cycles, vmexitCycles: d(from.vmexitCycles, to.vmexitCycles), vmentryCycles: d(from.vmentryCycles, to.vmentryCycles), counts };
}
