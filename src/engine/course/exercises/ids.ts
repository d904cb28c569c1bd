// The exercise kinds by id, in order: the one list the page (labels, links from lessons) and the
// engine (kinds.ts, which must implement exactly these) share. World: pure data.

export const EXERCISE_KINDS = ['walk-refs', 'which-exit', 'pf-error-code', 'cr3-flush', 'hypercall-cost', 'translate', 'exit-set', 'which-world'] as const;
export type ExerciseKind = (typeof EXERCISE_KINDS)[number];
