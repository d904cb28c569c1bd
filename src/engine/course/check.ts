// `sim lesson --check`: plays every lesson in every locale and reports, per lesson, what failed:
// an expectation at a step's cursor, a step missing from a locale's prose, a figure typed into
// the prose instead of a placeholder, a placeholder with no value. World: above the engine.

import { playLesson, type ReadSample, type StepRun } from './run.ts';
import { placeholders, placeholderProblem } from './prose.ts';
import { LOCALES, type LessonProse, type LessonSpec } from './lesson.ts';
import { EXERCISE_KINDS } from './exercises/ids.ts';

export interface CatalogLesson { spec: LessonSpec; prose: Partial<Record<string, LessonProse>> }
export interface Failure { step: string; locale: string; why: string }
export interface LessonReport { id: string; steps: number; locales: string[]; failed: Failure[] }
export interface CheckReport { lessons: LessonReport[] }

export const MIN_STEPS = 5;
export const MAX_STEPS = 12;

/** Check one lesson given its played steps (playLesson). */
export function checkLesson(l: CatalogLesson, runs: StepRun[], locales: readonly string[] = LOCALES): LessonReport {
  const { spec } = l;
  const failed: Failure[] = [];
  const all = (why: string, step = '*') => { for (const locale of locales) failed.push({ step, locale, why }); };
  if (spec.steps.length < MIN_STEPS || spec.steps.length > MAX_STEPS) all(`a lesson has ${MIN_STEPS} to ${MAX_STEPS} steps; this one has ${spec.steps.length}`);
  if (spec.steps.at(-1)?.id !== 'recap') all('the last step is the recap (id "recap")');
  for (const x of spec.exercises ?? []) if (!(EXERCISE_KINDS as readonly string[]).includes(x)) all(`the recap links to exercise kind "${x}", which does not exist (kinds: ${EXERCISE_KINDS.join(', ')})`);
  const ids = new Set<string>();
  for (const s of spec.steps) { if (ids.has(s.id)) all(`step id "${s.id}" is used twice`, s.id); ids.add(s.id); }
  const en = l.prose.en;
  for (const locale of locales) {
    const prose = l.prose[locale];
    if (!prose) { failed.push({ step: '*', locale, why: `no prose file src/lessons/${spec.id}/${locale}.json` }); continue; }
    if (!prose.title?.trim() || !prose.summary?.trim()) failed.push({ step: '*', locale, why: 'title and summary must not be empty' });
    for (const extra of Object.keys(prose.steps ?? {}).filter((k) => !ids.has(k))) failed.push({ step: extra, locale, why: `prose for a step the lesson does not have` });
    spec.steps.forEach((s, i) => {
      const fail = (why: string) => failed.push({ step: s.id, locale, why });
      for (const why of runs[i].failed) fail(why);
      const p = prose.steps?.[s.id];
      if (!p || !p.title?.trim() || !Array.isArray(p.text) || p.text.length === 0 || p.text.some((t) => !t.trim())) { fail('missing: the step needs a title and at least one paragraph'); return; }
      const names = p.text.flatMap(placeholders);
      for (const n of new Set(names)) { const why = placeholderProblem(runs[i].values, n); if (why) fail(why); }
      const base = en?.steps?.[s.id];
      if (locale !== 'en' && base) {
        const want = new Set(base.text.flatMap(placeholders)), got = new Set(names);
        const missing = [...want].filter((n) => !got.has(n)), extra = [...got].filter((n) => !want.has(n));
        if (missing.length || extra.length) fail(`placeholders differ from the English: ${missing.length ? `missing ${missing.map((n) => `{${n}}`).join(' ')}` : ''}${extra.length ? ` extra ${extra.map((n) => `{${n}}`).join(' ')}` : ''}`.trim());
      }
    });
  }
  return { id: spec.id, steps: spec.steps.length, locales: locales.filter((x) => l.prose[x]), failed };
}

/** Play and check every lesson. */
export function checkLessons(lessons: CatalogLesson[], read: ReadSample, locales: readonly string[] = LOCALES): CheckReport {
  return { lessons: lessons.map((l) => checkLesson(l, playLesson(l.spec, read), locales)) };
}
