// Exercises: problems from a seed, answers from the engine, grading that recomputes everything
// from the seeds (so a handed-in file cannot claim its own marks). World: above the engine.

import { KINDS, type Problem, type Solution } from './kinds.ts';
import { rngFrom } from './seed.ts';

export { KINDS, type Problem, type Solution };
export type { Kind } from './kinds.ts';
export { EXERCISE_KINDS, type ExerciseKind } from './ids.ts';

/** The problem of KIND for a seed (a student's name or ID, with the set): same seed, same problem. */
export function problem(kind: string, seed: string): Problem {
  const k = KINDS.find((x) => x.id === kind);
  if (!k) throw new Error(`no exercise kind '${kind}' (kinds: ${KINDS.map((x) => x.id).join(', ')})`);
  return { kind, seed, ...k.generate(rngFrom(`${kind}/${seed}`)) };
}

export function solve(p: Problem): Solution {
  return KINDS.find((x) => x.id === p.kind)!.solve(p);
}

/** A handed-in file: the answers a student gave, by kind and seed. */
export interface Submission { student?: string; answers: { kind: string; seed: string; answer: string }[] }
export interface Graded { kind: string; seed: string; given: string; answer: string; correct: boolean; event: number | null }

/** Check one answer: is it right, and the solution that decides it. */
export function check(kind: string, seed: string, answer: string): { correct: boolean; problem: Problem; solution: Solution } {
  const p = problem(kind, seed);
  const solution = solve(p);
  return { correct: KINDS.find((x) => x.id === kind)!.same(answer, solution.answer), problem: p, solution };
}

/** Regrade a submission from its seeds: every problem and answer is recomputed by the engine. */
export function grade(s: Submission): { score: number; total: number; items: Graded[] } {
  const items = s.answers.map((a) => {
    const p = problem(a.kind, a.seed);
    const sol = solve(p);
    const k = KINDS.find((x) => x.id === a.kind)!;
    return { kind: a.kind, seed: a.seed, given: a.answer, answer: sol.answer, correct: k.same(String(a.answer ?? ''), sol.answer), event: sol.event };
  });
  return { score: items.filter((i) => i.correct).length, total: items.length, items };
}
