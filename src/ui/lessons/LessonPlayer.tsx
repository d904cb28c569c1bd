// The lesson player: pick a lesson, read a step, and the app runs the step's program and moves to
// its event. Next/previous, progress, and a deep link (#lesson=ID&step=N) to every step.

import { useEffect, useRef } from 'react';
import { LESSONS } from '../../lessons/index.ts';
import type { Store } from '../state/store.ts';
import { messages } from '../messages/index.ts';

const m = messages.lessons;

export function parseLessonHash(hash: string): { id: string; step: number } | null {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const id = p.get('lesson');
  if (!id || !LESSONS.some((l) => l.id === id)) return null;
  return { id, step: Math.max(0, Number(p.get('step') ?? 1) - 1) };
}

export function LessonPlayer({ s }: { s: Store }) {
  const lesson = s.lesson ? LESSONS.find((l) => l.id === s.lesson!.id) ?? null : null;
  const stepIndex = s.lesson?.step ?? 0;
  const step = lesson?.steps[stepIndex];
  const played = useRef<string>('');

  // Play a step once when it becomes current: run its program if any, then move to its event.
  useEffect(() => {
    if (!lesson || !step) return;
    const key = `${lesson.id}/${step.id}`;
    if (played.current === key) return;
    played.current = key;
    if (typeof window !== 'undefined') window.history.replaceState(null, '', `#lesson=${lesson.id}&step=${stepIndex + 1}`);
    void (async () => {
      if (step.program) {
        const source = step.program.source ?? '';
        await s.loadProgram(source, step.program.knobs ?? {});
      }
      if (step.goTo) await s.goTo(step.goTo, step.goTo.fromStart);
    })();
  }, [lesson, step, stepIndex, s]);

  return (
    <section className="panel lesson" aria-label={m.heading}>
      <h2>{m.heading}</h2>
      <label>{m.pick}{' '}
        <select value={lesson?.id ?? ''} onChange={(e) => s.setLesson(e.target.value ? { id: e.target.value, step: 0 } : null)}>
          <option value="">{m.none}</option>
          {LESSONS.map((l) => <option key={l.id} value={l.id}>{l.title}</option>)}
        </select>
      </label>
      {lesson && step && (
        <div className="lesson-step">
          <p className="muted" data-testid="lesson-progress">{m.step} {stepIndex + 1} {m.of} {lesson.steps.length}</p>
          <h3 data-testid="lesson-title">{step.title}</h3>
          {step.text.map((t, i) => <p key={i}>{t}</p>)}
          <div className="toolbar">
            <button type="button" disabled={stepIndex === 0 || s.busy} aria-keyshortcuts="p" onClick={() => s.setLesson({ id: lesson.id, step: stepIndex - 1 })}>{m.prev}</button>{' '}
            <button type="button" disabled={stepIndex === lesson.steps.length - 1 || s.busy} aria-keyshortcuts="n" onClick={() => s.setLesson({ id: lesson.id, step: stepIndex + 1 })}>{m.next}</button>
          </div>
        </div>
      )}
    </section>
  );
}
