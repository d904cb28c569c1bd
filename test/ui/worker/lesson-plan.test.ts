// Lesson steps played in the recording's own pass (a lesson-plan before the load), by one replay
// (no plan), and by `sim lesson --check` give the same cursor, figures and failures; a recording
// with the probes riding it is the recording without them; the worker's idle work records the
// lesson's next program so that its load and its steps need no recording and no replay.

import { describe, it, expect, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { createEngine, drain, initKey } from '../../../src/ui/worker/core.ts';
import { JobRunner } from '../../../src/ui/worker/slices.ts';
import { Player } from '../../../src/engine/player/player.ts';
import { LESSONS } from '../../../src/lessons/index.ts';
import { stepProgram, type LessonSpec } from '../../../src/engine/course/lesson.ts';
import { playLesson } from '../../../src/engine/course/run.ts';
import { includeNames, resolvePath } from '../../../src/engine/asm/paths.ts';
import type { Request } from '../../../src/ui/worker/protocol.ts';
import type { PlayerInit } from '../../../src/engine/player/player.ts';
import type { Job } from '../../../src/ui/worker/core.ts';
import { lessonPlan, programInit } from '../../../src/ui/lessons/plan.ts';

const read = (p: string) => { try { return readFileSync(`samples/${p}`, 'utf8'); } catch { return null; } };
function includes(sample: string): Record<string, string> {
  const out: Record<string, string> = {};
  const todo = [sample];
  while (todo.length) {
    const from = todo.pop()!;
    for (const inc of includeNames(read(from)!)) {
      const path = resolvePath(from, inc);
      if (!Object.hasOwn(out, path)) { out[path] = read(path)!; todo.push(path); }
    }
  }
  return out;
}
const initOf = (lesson: LessonSpec, step: LessonSpec['steps'][number]): PlayerInit => {
  const p = stepProgram(lesson, step);
  return { source: read(p.sample)!, file: p.sample, knobs: p.knobs ?? {}, files: includes(p.sample), stdin: p.stdin ?? '' };
};
const planOf = (lesson: LessonSpec) => {
  const keys = [...new Set(lesson.steps.map((s) => stepProgram(lesson, s).key))];
  return keys.map((k) => ({ init: initOf(lesson, lesson.steps.find((s) => stepProgram(lesson, s).key === k)!), steps: lesson.steps.filter((s) => stepProgram(lesson, s).key === k) }));
};
const lesson = (id: string) => LESSONS.find((l) => l.id === id)!;

describe('lesson steps in the recording pass', () => {
  // pagewalk: three programs (knobs); sthreads: instruction patterns (text and CPL), spanFrom,
  // 2.5 M-instruction runs.
  it.each(['pagewalk', 'sthreads'])('%s: riding the recording, one replay and sim lesson --check agree on every step', { timeout: 120_000 }, (id) => {
    const l = lesson(id);
    const want = playLesson(l, read).map((r) => ({ seq: r.seq, values: r.values, failed: r.failed }));
    for (const ride of [true, false]) {
      const h = createEngine(() => null).handle;
      if (ride) h({ kind: 'lesson-plan', programs: planOf(l) });
      const replays = vi.spyOn(Player.prototype, 'ride');
      const got = l.steps.map((step) => {
        h({ kind: 'load', init: initOf(l, step) });
        const siblings = l.steps.filter((x) => x !== step && stepProgram(l, x).key === stepProgram(l, step).key);
        return h({ kind: 'lesson-step', step, siblings } as Request);
      });
      // With the plan no step replays the run; without it, each program's first step does.
      expect(replays.mock.calls.length, `ride ${ride}`).toBe(ride ? 0 : new Set(l.steps.map((s) => stepProgram(l, s).key)).size);
      replays.mockRestore();
      expect(got, `ride ${ride}`).toEqual(want);
      expect(want.some((r) => Object.keys(r.values).length > 5)).toBe(true);
    }
  });

  it('the recording is the same with the probes riding it: load, landmarks and seeks', () => {
    const l = lesson('exceptions');
    const init = initOf(l, l.steps[0]);
    const plain = createEngine(() => null).handle, ridden = createEngine(() => null).handle;
    ridden({ kind: 'lesson-plan', programs: planOf(l) });
    const a = plain({ kind: 'load', init }), b = ridden({ kind: 'load', init });
    expect(b).toEqual(a);
    const total = (a as { total: number }).total;
    for (const seq of [-1, 100, Math.floor(total / 2), total - 1]) expect(ridden({ kind: 'seek', seq })).toEqual(plain({ kind: 'seek', seq }));
    expect(ridden({ kind: 'events', from: 0, to: 300 })).toEqual(plain({ kind: 'events', from: 0, to: 300 }));
  });

  it('the idle work records the next program: its load and steps are answered without recording or replay', () => {
    const l = lesson('syscall-hypercall');
    const e = createEngine(() => null);
    const plan = planOf(l);
    expect(plan.length).toBe(2);
    e.handle({ kind: 'lesson-plan', programs: plan });
    e.handle({ kind: 'load', init: plan[0].init });
    const idle = e.idle();
    expect(idle).not.toBeNull();
    drain(idle!);
    expect(e.idle() === null || drain(e.idle()!) === null).toBe(true); // nothing left to do
    const recordings = vi.spyOn(Player.prototype, 'recording'), replays = vi.spyOn(Player.prototype, 'ride');
    const second = plan[1].steps[0];
    const loaded = e.handle({ kind: 'load', init: { ...plan[1].init } }) as { ok: boolean };
    const r = e.handle({ kind: 'lesson-step', step: second }) as { seq: number | null; failed: string[] };
    expect(recordings).not.toHaveBeenCalled();
    expect(replays).not.toHaveBeenCalled();
    recordings.mockRestore(); replays.mockRestore();
    expect(loaded.ok).toBe(true);
    expect(r.failed).toEqual([]);
    expect(r.seq).toBe(playLesson(l, read)[(l.steps as LessonSpec['steps']).indexOf(second)].seq);
  });

  it('a load of the program being recorded ahead goes on with that recording', () => {
    const l = lesson('syscall-hypercall');
    const e = createEngine(() => null);
    const plan = planOf(l);
    e.handle({ kind: 'lesson-plan', programs: plan });
    e.handle({ kind: 'load', init: plan[0].init });
    const idle = e.idle()!;
    idle.next(false); idle.next(false); // a few slices of plan[1]'s recording
    const recordings = vi.spyOn(Player.prototype, 'recording');
    const loaded = e.handle({ kind: 'load', init: plan[1].init }) as { ok: boolean; total: number };
    expect(recordings).not.toHaveBeenCalled();
    recordings.mockRestore();
    const fresh = createEngine(() => null).handle({ kind: 'load', init: plan[1].init });
    expect(loaded).toEqual(fresh);
    expect(drain(idle)).toBeNull();
  });

  it('a stopped recording\'s steps are not kept for the program: its full load plays them again', () => {
    const l = lesson('syscall-hypercall');
    const e = createEngine(() => null);
    const [first] = planOf(l);
    const step = first.steps[0];
    const want = playLesson(l, read)[0];
    const job = e.job({ kind: 'load', init: first.init });
    job.next(false); job.next(false);
    const stopped = job.next(true);
    expect(stopped.done && (stopped.value as { stopped: string }).stopped).toBe('cancelled');
    const part = e.handle({ kind: 'lesson-step', step }) as { seq: number | null };
    expect(part.seq).toBeNull(); // the cursor lies past where it stopped
    e.handle({ kind: 'load', init: first.init });
    expect((e.handle({ kind: 'lesson-step', step }) as { seq: number | null }).seq).toBe(want.seq);
  });

  it('initKey: the same for the same run whatever the order of fields and knobs', () => {
    expect(initKey({ source: 's', file: 'a.s', knobs: { b: '1', a: '2' }, stdin: '' })).toBe(initKey({ stdin: '', knobs: { a: '2', b: '1' }, file: 'a.s', source: 's' }));
    expect(initKey({ source: 's', knobs: { a: '1' } })).not.toBe(initKey({ source: 's', knobs: { a: '2' } }));
  });
});

describe('JobRunner: idle work', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  it('starts after the quiet time, gives way to a request within a slice, and goes on after it', async () => {
    let slices = 0, finished = false;
    function* work(): Job { for (let i = 0; i < 40; i++) { const t = performance.now(); while (performance.now() - t < 3); slices++; yield; } finished = true; return null; }
    let job: Job | null = work();
    const engine = createEngine(() => null);
    const runner = new JobRunner(engine.job, undefined, () => { const j = job; job = null; return j; }, 50);
    await runner.submit({ kind: 'lines' });
    expect(slices).toBe(0);
    await sleep(20);
    expect(slices).toBe(0); // still quiet time
    await sleep(60);
    expect(slices).toBeGreaterThan(0);
    const before = slices;
    const t = performance.now();
    await runner.submit({ kind: 'lines' });
    expect(performance.now() - t).toBeLessThan(40);
    expect(finished).toBe(false);
    expect(slices - before).toBeLessThan(6);
    for (let i = 0; i < 50 && !finished; i++) await sleep(20);
    expect(finished).toBe(true);
  });
});

describe('record-ahead keeps every landing', () => {
  // The page's own plans (lessons/plan.ts: the step's program, the next step's, the previous
  // step's, then the rest), a deep link's plan sent before the page renders (now: recorded at
  // once, its load taking the recording over midway), and no plan at all (each program recorded
  // when loaded, each step one replay) land every step on the same event with the same figures.
  it.each(['costs', 'tlb-tags'])('%s: with record-ahead (deep link, then step by step) and cold, the same landings', { timeout: 120_000 }, (id) => {
    const l = lesson(id);
    const play = (ahead: boolean) => {
      const e = createEngine(() => null);
      return l.steps.map((step, i) => {
        const plan = lessonPlan(l, i);
        expect(initKey(plan[0].init)).toBe(initKey(programInit(l, step)!));
        if (ahead) {
          e.handle({ kind: 'lesson-plan', programs: plan, now: i === 0 });
          // A deep link: its program is half recorded when its load comes; later steps: the
          // reader read the previous step while the worker recorded the next programs.
          const idle = e.idle();
          if (idle && i === 0) {
            expect(e.idleNow()).toBe(true);
            for (let k = 0; k < 3; k++) idle.next(false);
            // The lesson player's own plan follows the first script's: no more hurry.
            e.handle({ kind: 'lesson-plan', programs: plan });
            expect(e.idleNow()).toBe(false);
          }
          else if (idle) drain(idle);
        }
        e.handle({ kind: 'load', init: programInit(l, step)! });
        const siblings = l.steps.filter((x) => x !== step && stepProgram(l, x).key === stepProgram(l, step).key);
        const r = e.handle({ kind: 'lesson-step', step, siblings } as Request) as { seq: number | null; values: unknown; failed: string[] };
        expect(e.idleNow()).toBe(false); // a load ends the hurry
        return r;
      });
    };
    const cold = play(false), ahead = play(true);
    expect(ahead).toEqual(cold);
    expect(cold.every((r) => r.seq !== null && r.failed.length === 0)).toBe(true);
  });

  it('a plan sent with now starts its first program at once (no quiet time), and the load that follows takes it over', async () => {
    const l = lesson('syscall-hypercall');
    const e = createEngine(() => null);
    const recordings = vi.spyOn(Player.prototype, 'recording');
    const runner = new JobRunner(e.job, undefined, e.idle, 10_000, e.idleNow);
    const plan = lessonPlan(l, 0);
    await runner.submit({ kind: 'lesson-plan', programs: plan, now: true });
    for (let i = 0; i < 100 && recordings.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(recordings).toHaveBeenCalledTimes(1); // well before the 10 s quiet time
    const loaded = await runner.submit({ kind: 'load', init: plan[0].init });
    expect(recordings).toHaveBeenCalledTimes(1); // the load went on with it
    recordings.mockRestore();
    expect(loaded).toEqual(createEngine(() => null).handle({ kind: 'load', init: plan[0].init }));
  });
});
