// Event patterns a student jumps between ("next VM exit other than EPT_VIOLATION"): data, one
// list, shown in the toolbar's picker. Labels are message keys (messages.patterns).

import type { EventMatch } from '../engineClient.ts';

export const PATTERNS = [
  { id: 'exit-not-ept', match: { type: 'vmexit', not: { name: 'EPT_VIOLATION' } } },
  { id: 'vmcall', match: { type: 'vmexit', name: 'VMCALL' } },
  { id: 'ept-violation', match: { type: 'vmexit', name: 'EPT_VIOLATION' } },
  { id: 'pf-guest', match: { type: 'exception', name: '#PF', vmx: 'non-root' } },
  { id: 'hypercall', match: { type: 'syscall', via: 'vmcall' } },
  { id: 'walk-24', match: { type: 'walk', refs: 24 } },
  { id: 'tlb-flush', match: { type: 'tlb', op: 'flush' } },
  { id: 'output', match: { type: 'output' } },
] as const satisfies readonly { id: string; match: EventMatch }[];

export type PatternId = (typeof PATTERNS)[number]['id'];
