// `sim exercise --list [--json]`, `sim exercise KIND --seed S [--json]` (the problem and its
// answer, for an instructor's key) and `sim exercise grade FILE [--json]` (regrade a handed-in
// file from its seeds; a claimed score that does not match fails). Same seed, same output.

import { readFileSync } from 'node:fs';
import { KINDS, grade, problem, solve, type Submission } from '../engine/course/exercises/index.ts';

export const EXERCISE_USAGE = '  sim exercise --list [--json]\n  sim exercise KIND --seed S [--json]\n  sim exercise grade FILE [--json]';

export function exerciseCommand(args: string[], fail: (msg: string) => never): number {
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  if (rest[0] === '--list') {
    const list = KINDS.map((k) => ({ id: k.id, title: k.title }));
    process.stdout.write(json ? JSON.stringify({ kinds: list }) + '\n' : list.map((k) => `${k.id.padEnd(16)} ${k.title}`).join('\n') + '\n');
    return 0;
  }
  if (rest[0] === 'grade') {
    const file = rest[1];
    if (!file) fail(`exercise grade: no FILE given\n${EXERCISE_USAGE}`);
    let sub: Submission & { score?: number };
    try { sub = JSON.parse(readFileSync(file, 'utf8')); } catch (e) { fail(`exercise grade: cannot read ${file}: ${e instanceof SyntaxError ? `not JSON (${e.message})` : (e as NodeJS.ErrnoException).code ?? String(e)}`); }
    if (!sub || !Array.isArray(sub.answers) || sub.answers.some((a) => typeof a?.kind !== 'string' || typeof a?.seed !== 'string'))
      fail(`exercise grade: ${file} must be {"answers": [{"kind", "seed", "answer"}, ...]}`);
    let r: ReturnType<typeof grade>;
    try { r = grade(sub); } catch (e) { fail(`exercise grade: ${file}: ${e instanceof Error ? e.message : String(e)}`); }
    const claimed = typeof sub.score === 'number' && sub.score !== r.score;
    if (json) process.stdout.write(JSON.stringify({ student: sub.student ?? null, ...r, claimedScore: sub.score ?? null, tampered: claimed }) + '\n');
    else {
      for (const i of r.items) process.stdout.write(`${i.correct ? 'right' : 'wrong'}  ${i.kind.padEnd(16)} seed ${i.seed}: given ${JSON.stringify(i.given)}, answer ${i.answer}\n`);
      process.stdout.write(`${sub.student ? `${sub.student}: ` : ''}${r.score} of ${r.total}${claimed ? ` (the file claims ${sub.score}: regraded from the seeds, it does not hold)` : ''}\n`);
    }
    return claimed ? 1 : 0;
  }
  const kind = rest[0];
  const i = rest.indexOf('--seed');
  if (!kind || kind.startsWith('-')) fail(`exercise: say --list, grade FILE, or KIND --seed S\n${EXERCISE_USAGE}`);
  if (i < 0 || rest[i + 1] === undefined) fail(`exercise ${kind}: --seed S is required (a student's name or ID)`);
  if (!KINDS.some((k) => k.id === kind)) fail(`exercise: no kind '${kind}' (kinds: ${KINDS.map((k) => k.id).join(', ')})`);
  const p = problem(kind, rest[i + 1]);
  const s = solve(p);
  // The CLI's JSON is a product contract (cli-and-trace.md): the fields and order it always had,
  // without the keys the page renders (text).
  const problemOut = { kind: p.kind, seed: p.seed, prompt: p.prompt, params: p.params, program: p.program, knobs: p.knobs, format: p.format };
  const solutionOut = { answer: s.answer, event: s.event, explanation: s.explanation, hint: { panel: s.hint.panel, text: s.hint.text } };
  if (json) process.stdout.write(JSON.stringify({ problem: problemOut, solution: solutionOut }) + '\n');
  else process.stdout.write(`${p.prompt}\n(${p.format})\n\nanswer: ${s.answer}\n${s.explanation}\ndeciding event: ${s.event ?? 'none'}\n`);
  return 0;
}
