// What the program view marks at the cursor: the line of the instruction at RIP, and the lines
// the current step's events name (each instruction it executed, and a fault's, exit's or entry's
// RIP), from the events between the previous cursor and this one. The worker reads those lines
// with the cursor move itself (worker/cursor.ts stepLines): they come in the store.

import { useMemo } from 'react';
import type { UseStore } from '../state/store.ts';
import type { StepMarks } from './stepping.ts';

const NONE: number[] = [];

export function useStepMarks(useStore: UseStore): StepMarks {
  const current = useStore((s) => (s.loaded ? s.view?.line ?? null : null));
  const events = useStore((s) => (s.loaded ? s.stepLines : NONE));
  return useMemo(() => ({ current, events }), [current, events]);
}
