// An instructor's exercise set as a link: `#exercises=walk-refs,translate&count=2` (the kinds in
// order, each `count` times; `lang=` as everywhere). The set names the seeds, so a class opening
// the same link gets problems that differ by student but never by reload.

import { EXERCISE_KINDS, type ExerciseKind } from '../../engine/course/exercises/ids.ts';

export interface ExerciseSet { kinds: ExerciseKind[]; count: number; /** The seeds' prefix: the set itself. */ id: string }
export const MAX_COUNT = 20;

const isKind = (k: string): k is ExerciseKind => (EXERCISE_KINDS as readonly string[]).includes(k);

/** The set a hash names, or null (no `exercises=`, or none of its kinds exists). */
export function parseExerciseSet(hash: string): ExerciseSet | null {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const list = p.get('exercises');
  if (list === null) return null;
  const kinds = list === '' || list === 'all' ? [...EXERCISE_KINDS] : list.split(',').map((k) => k.trim()).filter(isKind);
  if (!kinds.length) return null;
  const n = Number(p.get('count') ?? 1);
  const count = Number.isInteger(n) ? Math.max(1, Math.min(MAX_COUNT, n)) : 1;
  return { kinds, count, id: `set:${kinds.join(',')}x${count}` };
}

/** The set's problems in order: each kind `count` times, the kinds in the link's order. */
export function setProblems(s: ExerciseSet): ExerciseKind[] {
  return s.kinds.flatMap((k) => Array<ExerciseKind>(s.count).fill(k));
}

/** The hash of a set (with the page's language when it is not English). */
export function exerciseSetHash(kinds: readonly string[], count: number, lang?: string): string {
  const ks = kinds.filter(isKind);
  return `#exercises=${ks.join(',')}&count=${Math.max(1, Math.min(MAX_COUNT, Math.floor(count) || 1))}${lang && lang !== 'en' ? `&lang=${lang}` : ''}`;
}
