// A lesson as checked data: steps that name a program (and knobs), where the cursor goes (a chain
// of event patterns from the start of the run), the views, and what must hold there. Prose lives
// apart, per locale (LessonProse), with figures as placeholders filled from the run. World: pure data.

import type { EventMatch } from '../trace/match.ts';

/** A program a step runs: a file under samples/ (e.g. 'lessons/pagewalk.s') and the what-if knobs. */
export interface LessonProgram { sample: string; knobs?: Record<string, string>; stdin?: string }

/** An expected value: exactly this, or within [min, max]. */
export type Expected = number | string | { min?: number; max?: number };

export interface LessonStep<Panel extends string = string> {
  id: string;
  /** The step's own program, or (omitted) the lesson's: never the previous step's, so a step
   *  plays the same however it is reached. */
  program?: LessonProgram;
  /** Where the cursor goes: the first event matching the first pattern, from the start of the
   *  run, then the first after it matching the next, and so on. The last match is the cursor. */
  at: EventMatch[];
  /** Which pattern of `at` starts the span.* figures (probe.ts); default 0, the first. */
  spanFrom?: number;
  /** The views the step is about (panel ids); the others are hidden while it plays. */
  show: Panel[];
  /** Names to point at in those views (VMCS fields, registers, engine identifiers). */
  highlight?: string[];
  /** What must be true at the cursor: the event there matches `event`, and each placeholder
   *  value (see probe.ts) equals or lies within its expectation. */
  expect: { event?: EventMatch; values?: Record<string, Expected> };
}

export interface LessonSpec<Panel extends string = string> {
  id: string;
  program: LessonProgram;
  steps: LessonStep<Panel>[];
  /** Exercise kinds that practise it (exercises.ts), linked from the recap. */
  exercises?: string[];
}

/** A lesson's words in one locale: a translator edits this file (JSON) and nothing else. Text
 *  paragraphs may use `code` spans and {placeholders} (probe.ts) for every figure from the run. */
export interface LessonProse {
  title: string;
  summary: string;
  steps: Record<string, { title: string; text: string[] }>;
}

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** The program a step runs (its own, else the lesson's) and a key equal for equal runs. */
export function stepProgram(lesson: LessonSpec, step: LessonStep): LessonProgram & { key: string } {
  const p = step.program ?? lesson.program;
  const knobs = Object.fromEntries(Object.entries(p.knobs ?? {}).sort(([a], [b]) => a.localeCompare(b)));
  return { ...p, knobs, key: JSON.stringify([p.sample, knobs, p.stdin ?? '']) };
}

/** A lesson's step indexes from `from` in the order a reader most likely goes: this step, the
 *  next, the previous, then on to the end, then back to the start (the worker records the
 *  lesson's programs ahead in this order). */
export function readingOrder(n: number, from: number): number[] {
  const out = [from];
  if (from + 1 < n) out.push(from + 1);
  if (from > 0) out.push(from - 1);
  for (let i = from + 2; i < n; i++) out.push(i);
  for (let i = from - 2; i >= 0; i--) out.push(i);
  return out;
}
