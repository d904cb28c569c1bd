// Exercises in the page: a student gives a name or ID (the seed), predicts the answer, then sees
// the run that decides it at the deciding event. The engine (in the worker) makes the problem and
// checks the answer; the answers can be exported as a file for `sim exercise grade`.

import { useState } from 'react';
import { EXERCISE_KINDS, type ExerciseKind } from '../../engine/course/exercises/ids.ts';
import type { Locale } from '../../engine/course/lesson.ts';
import type { EngineClient, Problem, Solution } from '../engineClient.ts';
import type { Store } from '../state/store.ts';
import { LABELS } from './labels.ts';

const SET = 'dune-lab';
interface Result { kind: string; seed: string; answer: string; correct: boolean; solution: Solution }

export function ExercisePanel({ s, engine, locale, kind, onKind }: { s: Store; engine: EngineClient; locale: Locale; kind: ExerciseKind; onKind(k: ExerciseKind): void }) {
  const m = LABELS[locale];
  const [student, setStudent] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [results, setResults] = useState<Result[]>([]);
  const last = problem ? results.findLast((r) => r.kind === problem.kind && r.seed === problem.seed) : undefined;

  const run = async <T,>(f: () => Promise<T>) => {
    setBusy(true); setError(null);
    try { return await f(); } catch (e) { setError(e instanceof Error ? e.message : String(e)); return null; } finally { setBusy(false); }
  };
  const newProblem = () => void run(async () => {
    // The seed: the set, the student, and how many problems of this kind they have had.
    const n = results.filter((r) => r.kind === kind).length;
    const p = await engine.exercise(kind, `${SET}/${student.trim() || 'anonymous'}/${n + 1}`);
    setProblem(p); setAnswer('');
  });
  const check = () => void run(async () => {
    if (!problem) return;
    const r = await engine.checkExercise(problem.kind, problem.seed, answer);
    setResults((xs) => [...xs, { kind: problem.kind, seed: problem.seed, answer, correct: r.correct, solution: r.solution }]);
  });
  const showRun = (sol: Solution) => void run(async () => {
    if (!problem) return;
    await s.loadProgram(problem.program, problem.knobs, 'exercise.s');
    if (sol.event !== null) await s.seek(sol.event);
  });
  const exportAnswers = () => {
    const file = JSON.stringify({ student: student.trim() || null, answers: results.map(({ kind: k, seed, answer: a }) => ({ kind: k, seed, answer: a })) }, null, 2) + '\n';
    const url = URL.createObjectURL(new Blob([file], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url; a.download = `dune-lab-answers-${(student.trim() || 'anonymous').replace(/[^\w.-]+/g, '_')}.json`; a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="exercises" data-testid="exercises">
      <h3>{m.exercises}</h3>
      <div className="toolbar">
        <label>{m.kind}{' '}
          <select aria-label={m.kind} value={kind} onChange={(e) => { onKind(e.target.value as ExerciseKind); setProblem(null); }}>
            {EXERCISE_KINDS.map((k) => <option key={k} value={k}>{m.kinds[k]}</option>)}
          </select>
        </label>{' '}
        <label>{m.student}{' '}<input aria-label={m.student} value={student} onChange={(e) => setStudent(e.target.value)} size={16} /></label>{' '}
        <button type="button" disabled={busy} onClick={newProblem}>{m.newProblem}</button>
      </div>
      {busy && <p className="muted" role="status">{m.solving}</p>}
      {error && <p className="lesson-check failed" role="alert">{error}</p>}
      {problem && (
        <div className="exercise">
          <p data-testid="exercise-prompt" lang="en">{problem.prompt}</p>
          <label>{m.answer} <span className="muted">({problem.format})</span>{' '}
            <input aria-label={m.answer} value={answer} onChange={(e) => setAnswer(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') check(); }} data-testid="exercise-answer" />
          </label>{' '}
          <button type="button" disabled={busy || !answer.trim()} onClick={check}>{m.check}</button>
          {last && (
            <div data-testid="exercise-result">
              <p className={last.correct ? 'lesson-check' : 'lesson-check failed'}>{last.correct ? `✓ ${m.right}` : `✗ ${m.wrong}`} {m.answerWas} <code>{last.solution.answer}</code></p>
              <p lang="en">{last.solution.explanation}</p>
              {!last.correct && <p lang="en">{m.lookIn} <code>{last.solution.hint.panel}</code>. {last.solution.hint.text}</p>}
              <button type="button" disabled={busy} onClick={() => showRun(last.solution)}>{m.showRun}</button>
            </div>
          )}
        </div>
      )}
      {results.length > 0 && <p><button type="button" onClick={exportAnswers}>{m.export}</button> <span className="muted">{results.filter((r) => r.correct).length} / {results.length}</span></p>}
    </div>
  );
}
