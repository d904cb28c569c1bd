// What a lesson asks of the engine, without React: a step's program as a load sends it, the
// lesson's programs in the order a reader will likely need them (the worker records them ahead),
// and the step a link names. The lesson player uses it, and so does the page's first script
// (boot.ts): a deep link's program starts recording before the page has rendered anything.

import { LESSONS } from '../../lessons/index.ts';
import { LOCALES, readingOrder, stepProgram, type Locale } from '../../engine/course/lesson.ts';
import type { PlayerInit } from '../engineClient.ts';
import { SAMPLES, sampleIncludes } from '../samples.ts';
import { resolvePath } from '../../engine/asm/paths.ts';

export type Lesson = (typeof LESSONS)[number];
export type Step = Lesson['steps'][number];

/** The lesson and step a link names (#lesson=ID&step=N&lang=L; N from 1, clamped), or null. */
export function parseLessonHash(hash: string): { id: string; step: number; lang?: Locale } | null {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const id = p.get('lesson');
  const lesson = LESSONS.find((l) => l.id === id);
  if (!id || !lesson) return null;
  const n = Number(p.get('step') ?? 1);
  const step = Number.isInteger(n) ? Math.max(0, Math.min(lesson.steps.length - 1, n - 1)) : 0;
  const lang = LOCALES.find((l) => l === p.get('lang'));
  return { id, step, lang };
}

/** What loading a step's program sends the engine (the store's load): its source, its knobs, the
 *  files it `.include`s keyed as the engine resolves them against its path, its stdin; null if
 *  the sample is not bundled. */
export function programInit(lesson: Lesson, step: Step): PlayerInit | null {
  const prog = stepProgram(lesson, step);
  const source = SAMPLES.find((x) => x.name === prog.sample)?.source;
  if (source === undefined) return null;
  const files = Object.fromEntries(Object.entries(sampleIncludes(prog.sample)).map(([k, v]) => [resolvePath(prog.sample, k), v]));
  return { source, file: prog.sample, knobs: prog.knobs ?? {}, files, stdin: prog.stdin ?? '' };
}

/** The lesson's programs with their steps, in reading order from the step at `from`: the
 *  worker records them in this order while the reader reads. */
export function lessonPlan(lesson: Lesson, from: number): { init: PlayerInit; steps: Step[] }[] {
  const out = new Map<string, { init: PlayerInit; steps: Step[] }>();
  for (const i of readingOrder(lesson.steps.length, from)) {
    const step = lesson.steps[i];
    const key = stepProgram(lesson, step).key;
    if (out.has(key)) continue;
    const init = programInit(lesson, step);
    if (init) out.set(key, { init, steps: lesson.steps.filter((x) => stepProgram(lesson, x).key === key) });
  }
  return [...out.values()];
}

/** A link's lesson plan (null: the link names no lesson): what the page's first script sends. */
export function linkPlan(hash: string): { init: PlayerInit; steps: Step[] }[] | null {
  const l = parseLessonHash(hash);
  const lesson = l && LESSONS.find((x) => x.id === l.id);
  return l && lesson ? lessonPlan(lesson, l.step) : null;
}
