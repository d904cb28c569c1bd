// Exercises in the page: a student gives a name or ID (the seed), predicts the answer, then sees
// the run that decides it at the deciding event. The engine (in the worker) makes the problem and
// checks the answer; its words arrive as keys with parameters (engine/course/exercises/text.ts),
// said here in the UI's language. The answers can be exported as a file for `sim exercise grade`.
// An instructor's set (exerciseSet.ts) fixes the kinds, their order and how many of each.

import { useEffect, useMemo, useRef, useState } from 'react';
import { EXERCISE_KINDS, type ExerciseKind } from '../../engine/course/exercises/ids.ts';
import type { Text } from '../../engine/course/exercises/text.ts';
import type { EngineClient, Problem, Solution } from '../engineClient.ts';
import type { Store } from '../state/store.ts';
import { messages } from '../messages/index.ts';
import { exerciseSetHash, parseExerciseSet, setProblems, MAX_COUNT } from './exerciseSet.ts';

const SET = 'dune-lab';
interface Result { kind: string; seed: string; answer: string; correct: boolean; solution: Solution }

/** A sentence of the engine's, in the UI's language. */
const say = (t: Text) => messages.course.text[t.key](t.params);
const title = (k: ExerciseKind) => messages.course.text[`${k}.title`]();

export function ExercisePanel({ s, engine, kind: chosen, onKind }: { s: Store; engine: EngineClient; kind: ExerciseKind; onKind(k: ExerciseKind): void }) {
  const m = messages.course;
  const set = useMemo(() => (typeof window !== 'undefined' ? parseExerciseSet(window.location.hash) : null), []);
  const order = useMemo(() => (set ? setProblems(set) : []), [set]);
  const [at, setAt] = useState(-1);
  const kind = set ? order[Math.max(0, at)] : chosen;
  const [student, setStudent] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [results, setResults] = useState<Result[]>([]);
  const last = problem ? results.findLast((r) => r.kind === problem.kind && r.seed === problem.seed) : undefined;
  const root = useRef<HTMLDivElement>(null);

  // A set's link opens the exercises: bring them into view and ask for the name first.
  useEffect(() => {
    if (!set || !root.current) return;
    root.current.scrollIntoView?.({ block: 'start' });
    root.current.querySelector<HTMLInputElement>('input[data-testid="exercise-student"]')?.focus();
  }, [set]);

  const run = async <T,>(f: () => Promise<T>) => {
    setBusy(true); setError(null);
    try { return await f(); } catch (e) { setError(e instanceof Error ? e.message : String(e)); return null; } finally { setBusy(false); }
  };
  const who = () => student.trim() || 'anonymous';
  const newProblem = () => void run(async () => {
    // The seed: the set, the student, and how many problems of this kind they have had (in a
    // set: the problem's place in it).
    if (set) {
      const next = at + 1;
      const p = await engine.exercise(order[next], `${set.id}/${who()}/${next + 1}`);
      setAt(next); setProblem(p); setAnswer('');
      return;
    }
    const n = results.filter((r) => r.kind === kind).length;
    const p = await engine.exercise(kind, `${SET}/${who()}/${n + 1}`);
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
    a.href = url; a.download = `dune-lab-answers-${who().replace(/[^\w.-]+/g, '_')}.json`; a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const setDone = set !== null && at >= order.length - 1;

  return (
    <div className="exercises" data-testid="exercises" ref={root}>
      <h3>{m.exercises}</h3>
      {set && <p className="muted" data-testid="exercise-set">{m.setHeading(Math.max(1, at + 1), order.length)}</p>}
      <div className="toolbar">
        <label>{m.kind}{' '}
          <select aria-label={m.kind} value={kind} disabled={set !== null} onChange={(e) => { onKind(e.target.value as ExerciseKind); setProblem(null); }}>
            {EXERCISE_KINDS.map((k) => <option key={k} value={k}>{title(k)}</option>)}
          </select>
        </label>{' '}
        <label>{m.student}{' '}<input aria-label={m.student} value={student} onChange={(e) => setStudent(e.target.value)} size={16} data-testid="exercise-student" /></label>{' '}
        <button type="button" disabled={busy || setDone} onClick={newProblem} data-testid="exercise-new">{set && at >= 0 ? m.setNext : m.newProblem}</button>
      </div>
      {busy && <p className="muted" role="status">{m.solving}</p>}
      {error && <p className="lesson-check failed" role="alert">{error}</p>}
      {problem && (
        <div className="exercise">
          <p data-testid="exercise-prompt">{say(problem.text.prompt)}</p>
          <label>{m.answer} <span className="muted">({say(problem.text.format)})</span>{' '}
            <input aria-label={m.answer} value={answer} onChange={(e) => setAnswer(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') check(); }} data-testid="exercise-answer" />
          </label>{' '}
          <button type="button" disabled={busy || !answer.trim()} onClick={check}>{m.check}</button>
          {last && (
            <div data-testid="exercise-result">
              <p className={last.correct ? 'lesson-check' : 'lesson-check failed'}>{last.correct ? `✓ ${m.right}` : `✗ ${m.wrong}`} {m.answerWas} <code>{last.solution.answer}</code></p>
              <p>{say(last.solution.text.explanation)}</p>
              {!last.correct && <p>{m.lookIn} <code>{messages.panels[last.solution.hint.panel as keyof typeof messages.panels] ?? last.solution.hint.panel}</code> {say(last.solution.text.hint)}</p>}
              <button type="button" disabled={busy} onClick={() => showRun(last.solution)}>{m.showRun}</button>
            </div>
          )}
        </div>
      )}
      {results.length > 0 && <p><button type="button" onClick={exportAnswers}>{m.export}</button> <span className="muted">{m.score(results.filter((r) => r.correct).length, results.length)}</span></p>}
      <SetBuilder lang={s.locale} />
    </div>
  );
}

/** For an instructor: the kinds (in order) and how many of each, as a link to hand out. */
function SetBuilder({ lang }: { lang: string }) {
  const m = messages.course;
  const [kinds, setKinds] = useState<string>(EXERCISE_KINDS.join(','));
  const [count, setCount] = useState(1);
  const [copied, setCopied] = useState(false);
  const list = kinds.split(/[\s,]+/).filter((k) => (EXERCISE_KINDS as readonly string[]).includes(k));
  const url = (typeof location !== 'undefined' ? location.href.replace(/#.*$/, '') : '') + exerciseSetHash(list, count, lang);
  const copy = async () => {
    try { await navigator.clipboard.writeText(url); setCopied(true); } catch { setCopied(false); }
  };
  return (
    <details className="exercise-set-builder">
      <summary>{m.setBuilder}</summary>
      <label>{m.setKinds}{' '}<input value={kinds} onChange={(e) => { setKinds(e.target.value); setCopied(false); }} size={40} data-testid="set-kinds" /></label>{' '}
      <label>{m.setCount}{' '}<input type="number" min={1} max={MAX_COUNT} value={count} onChange={(e) => { setCount(Number(e.target.value)); setCopied(false); }} data-testid="set-count" /></label>
      <p><input readOnly value={url} aria-label={m.setLink} size={50} data-testid="set-url" onFocus={(e) => e.currentTarget.select()} />{' '}
        <button type="button" onClick={() => void copy()} disabled={list.length === 0}>{m.setLink}</button>{copied && <span role="status"> {m.setCopied}</span>}</p>
    </details>
  );
}
