// The lesson player: pick a lesson, read a step, and the app plays it. A step is re-entrant: its
// program and knobs (its own or the lesson's), its cursor and its panels come from the step alone,
// so next, previous, a deep link (#lesson=ID&step=N&lang=L) and a reload all show the same thing.

import { useEffect, useRef, useState } from 'react';
import { LESSONS } from '../../lessons/index.ts';
import { stepProgram } from '../../engine/course/lesson.ts';
import type { Store } from '../state/store.ts';
import type { EngineClient, LessonStepResult } from '../engineClient.ts';
import { programInit, lessonPlan } from './plan.ts';
import { messages } from '../messages/index.ts';
import { Paragraph } from './prose.tsx';
import { ExercisePanel } from './ExercisePanel.tsx';
import { keepView } from '../shell/viewHash.ts';
import { EXERCISE_KINDS, type ExerciseKind } from '../../engine/course/exercises/ids.ts';
import './lessons.css';

export { parseLessonHash } from './plan.ts';

const sameKnobs = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

interface Played { key: string; result: LessonStepResult | null; error?: string }

export function LessonPlayer({ s, engine }: { s: Store; engine: EngineClient }) {
  const lesson = s.lesson ? LESSONS.find((l) => l.id === s.lesson!.id) ?? null : null;
  const stepIndex = s.lesson?.step ?? 0;
  const step = lesson?.steps[stepIndex];
  // The lesson's language is the UI's (the store's locale slice).
  const locale = s.locale;
  const [played, setPlayed] = useState<Played | null>(null);
  const [exercise, setExercise] = useState<ExerciseKind>(EXERCISE_KINDS[0]);
  const token = useRef(0);
  const key = lesson && step ? `${lesson.id}/${stepIndex}` : '';
  const m = messages.course;

  // Keep the link on the step (and its language, and the view: present/embed), so a reload or a
  // shared link lands here.
  useEffect(() => {
    if (!lesson || typeof window === 'undefined') return;
    window.history.replaceState(null, '', keepView(`#lesson=${lesson.id}&step=${stepIndex + 1}${locale !== 'en' ? `&lang=${locale}` : ''}`));
  }, [lesson, stepIndex, locale]);

  // Play the step whenever it becomes current: its program and knobs (reloaded unless they are
  // what is loaded now), then its cursor, found from the start of the run by the worker.
  useEffect(() => {
    if (!lesson || !step) return;
    const my = ++token.current;
    setPlayed({ key, result: null });
    void (async () => {
      const prog = stepProgram(lesson, step);
      const init = programInit(lesson, step);
      if (init === null) { setPlayed({ key, result: null, error: `samples/${prog.sample}` }); return; }
      const { source, knobs = {}, files, stdin = '' } = init;
      // The worker serves requests in order. First the lesson's programs and their steps: the
      // load then plays this program's steps in its recording's own pass, and the worker records
      // the next programs while the reader reads. Then the load and the step's cursor, asked for
      // at once: the load lands there (the views render once, at the step, not first at the start).
      void engine.lessonPlan(lessonPlan(lesson, stepIndex)).catch(() => {});
      let asked: Promise<LessonStepResult> | null = null;
      const ask = () => (asked ??= engine.lessonStep(step, lesson.steps.filter((x) => x !== step && stepProgram(lesson, x).key === prog.key)));
      const reload = !s.loaded || s.source !== source || s.file !== prog.sample || !sameKnobs(s.knobs, knobs) || s.loadedStdin !== stdin;
      let landed = false;
      const landAt = async () => {
        if (my !== token.current) return null;
        const seq = (await ask()).seq;
        landed = seq !== null;
        return seq;
      };
      const loading = reload ? s.loadProgram(source, knobs, prog.sample, files, stdin, landAt) : null;
      ask().catch(() => {}); // awaited below, after the load (whose failure is the store's to show)
      if (loading) await loading;
      if (my !== token.current) return;
      const result = await ask();
      if (my !== token.current) return;
      if (result.seq !== null && !landed) await s.seek(result.seq);
      if (my === token.current) setPlayed({ key, result });
    })().catch((e: unknown) => { if (my === token.current) setPlayed({ key, result: null, error: e instanceof Error ? e.message : String(e) }); });
    // The step (lesson id and index) is the only input: s changes on every store update.
  }, [key]);

  const prose = lesson ? lesson.prose[locale] ?? lesson.prose.en : null;
  const text = step && prose ? prose.steps[step.id] ?? lesson!.prose.en.steps[step.id] : null;
  const mine = played?.key === key ? played : null;
  const values = mine?.result?.values ?? null;
  const knobs = Object.entries(s.knobs).map(([k, v]) => `${k}=${v}`).join(' ');

  return (
    <section className="panel lesson" aria-label={m.heading} lang={locale}>
      <h2>{m.heading}</h2>
      <div className="toolbar">
        <label>{m.pick}{' '}
          <select value={lesson?.id ?? ''} onChange={(e) => s.setLesson(e.target.value ? { id: e.target.value, step: 0 } : null)}>
            <option value="">{m.none}</option>
            {LESSONS.map((l) => <option key={l.id} value={l.id}>{(l.prose[locale] ?? l.prose.en).title}</option>)}
          </select>
        </label>
      </div>
      {lesson && step && text && (
        <div className="lesson-step">
          <p className="muted" data-testid="lesson-progress">{m.step(String(stepIndex + 1), String(lesson.steps.length))}</p>
          <h3 data-testid="lesson-title">{text.title}</h3>
          <p className="muted" data-testid="lesson-program"><code>{s.file}</code>{knobs && <> · <code>{knobs}</code></>}</p>
          <div data-testid="lesson-text">
            {text.text.map((t, i) => <Paragraph key={i} text={t} values={values} locale={locale} />)}
          </div>
          {step.highlight && <p className="lesson-look">{m.lookAt} {step.highlight.map((h) => <code key={h}>{h}</code>)}</p>}
          {!mine?.result && !mine?.error && <p className="muted" role="status">{m.loading}</p>}
          {mine?.error && <p className="lesson-check failed" role="alert">{m.notFound} {mine.error}</p>}
          {mine?.result && mine.result.seq === null && <p className="lesson-check failed" role="alert">{m.notFound} {mine.result.failed.join('; ')}</p>}
          {mine?.result && mine.result.seq !== null && (mine.result.failed.length
            ? <p className="lesson-check failed" role="alert">{m.failed} {mine.result.failed.join('; ')}</p>
            : <p className="lesson-check muted" data-testid="lesson-checked">✓ {m.checked}</p>)}
          {step.id === 'recap' && lesson.exercises && (
            <p className="lesson-practise">{m.practise} {lesson.exercises.filter((x): x is ExerciseKind => (EXERCISE_KINDS as readonly string[]).includes(x)).map((x) => (
              <button type="button" key={x} className="link" onClick={() => setExercise(x)}>{m.text[`${x}.title`]()}</button>
            ))}</p>
          )}
          <div className="toolbar">
            <button type="button" disabled={stepIndex === 0 || s.busy} aria-keyshortcuts="p" onClick={() => s.setLesson({ id: lesson.id, step: stepIndex - 1 })}>{m.prev}</button>{' '}
            <button type="button" disabled={stepIndex === lesson.steps.length - 1 || s.busy} aria-keyshortcuts="n" onClick={() => s.setLesson({ id: lesson.id, step: stepIndex + 1 })}>{m.next}</button>
          </div>
        </div>
      )}
      <ExercisePanel s={s} engine={engine} kind={exercise} onKind={setExercise} />
    </section>
  );
}
