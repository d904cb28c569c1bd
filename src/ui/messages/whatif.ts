import { fmt } from './locale.ts';
// Messages of the what-if diff panel (panels/whatif). English; a translation adds a parallel catalog.

export const whatif = {
  title: 'What if?',
  help: 'Run the same program with one knob flipped and compare it with the recorded run.',
  knob: 'Knob',
  compare: (k: string, v: string) => `Compare with ${k}=${v}`,
  running: 'Running both…',
  colWhat: 'Count', colBase: 'Recorded run', colVariant: (k: string, v: string) => `${k}=${v}`, colDiff: 'Difference',
  rows: { vmexits: 'VM exits', walks: 'page walks', walkRefs: 'walk references', flushes: 'TLB flushes', cycles: 'cycles (modelled)', events: 'events' },
  same: 'The two traces are the same event for event (only costs may differ).',
  diverge: (seq: number) => `The traces part at event #${fmt(seq)}.`,
  openBase: 'Recorded run there', openVariant: 'Variant there',
} as const;
