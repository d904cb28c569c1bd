// What the lesson player and the page's first script send the worker (src/ui/lessons/plan.ts):
// a link's lesson and step, the lesson's programs in reading order, each as its load sends it.

import { describe, it, expect } from 'vitest';
import { LESSONS } from '../../../src/lessons/index.ts';
import { stepProgram } from '../../../src/engine/course/lesson.ts';
import { initKey } from '../../../src/ui/worker/core.ts';
import { lessonPlan, linkPlan, parseLessonHash, programInit } from '../../../src/ui/lessons/plan.ts';

const costs = LESSONS.find((l) => l.id === 'costs')!;

describe('lesson plans', () => {
  it('a link names its lesson and step (from 1, clamped), else nothing', () => {
    expect(parseLessonHash('#lesson=costs&step=4&lang=zh-CN')).toEqual({ id: 'costs', step: 3, lang: 'zh-CN' });
    expect(parseLessonHash('#lesson=costs&step=99')?.step).toBe(costs.steps.length - 1);
    expect(parseLessonHash('#lesson=nope&step=2')).toBeNull();
    expect(linkPlan('#present')).toBeNull();
  });

  it('the plan starts with the step\'s own program, then the next step\'s, then the previous step\'s', () => {
    // costs: getpid, fault and walk, each on Linux then in Dune: every step its own program.
    const at = 3;
    const keys = lessonPlan(costs, at).map((p) => initKey(p.init));
    const want = [at, at + 1, at - 1].map((i) => initKey(programInit(costs, costs.steps[i])!));
    expect(keys.slice(0, 3)).toEqual(want);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(new Set(costs.steps.map((s) => stepProgram(costs, s).key)).size);
  });

  it('each program carries every step over it, and a deep link sends the plan the player sends', () => {
    for (const lesson of LESSONS) {
      const plan = lessonPlan(lesson, 0);
      expect(plan.flatMap((p) => p.steps).length).toBe(lesson.steps.length);
      for (const p of plan) for (const s of p.steps) expect(initKey(programInit(lesson, s)!)).toBe(initKey(p.init));
    }
    expect(linkPlan('#lesson=costs&step=4')).toEqual(lessonPlan(costs, 3));
  });
});
