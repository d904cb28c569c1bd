import { describe, it, expect } from 'vitest';
import { checkLesson, checkLessons } from '../../../src/engine/course/check.ts';
import { playLesson } from '../../../src/engine/course/run.ts';
import { fillProse, placeholders } from '../../../src/engine/course/prose.ts';
import type { LessonProse, LessonSpec } from '../../../src/engine/course/lesson.ts';
import { readSample } from '../../../src/cli/lesson.ts';

// A small lesson over samples/lessons/pagewalk.s, with prose in two locales, that the tests break
// in the ways issue 10 saw lessons break.
const GRID = [{ type: 'instr', contains: 'mov rax, [buf + 8]' }, { type: 'walk', fault: null, va: '0x402000' }] as const;
const spec = (): LessonSpec => ({
  id: 't', program: { sample: 'lessons/pagewalk.s', knobs: { psc: 'off' } },
  steps: [
    { id: 'a', at: [...GRID], show: [], expect: { event: { type: 'walk' }, values: { 'walk.refs': 24 } } },
    { id: 'b', program: { sample: 'lessons/pagewalk.s' }, at: [...GRID], show: [], expect: { values: { 'walk.refs': 12 } } },
    { id: 'c', at: [{ type: 'exit' }], show: [], expect: { event: { type: 'exit', code: 0 } } },
    { id: 'd', at: [{ type: 'vmentry', kind: 'launch' }], show: [], expect: {} },
    { id: 'recap', at: [{ type: 'exit' }], show: [], expect: {} },
  ],
});
const prose = (): Record<string, LessonProse> => ({
  en: { title: 'T', summary: 'S', steps: Object.fromEntries(['a', 'b', 'c', 'd', 'recap'].map((id) => [id, { title: id, text: [`read {walk.refs} entries`] }])) },
  'zh-CN': { title: 'T', summary: 'S', steps: Object.fromEntries(['a', 'b', 'c', 'd', 'recap'].map((id) => [id, { title: id, text: [`读了 {walk.refs} 个表项`] }])) },
});
const why = (r: ReturnType<typeof checkLesson>) => r.failed.map((f) => `${f.step}/${f.locale}: ${f.why}`);

describe('the lesson checker', { timeout: 60_000 }, () => {
  it('passes a correct lesson', () => {
    const r = checkLessons([{ spec: spec(), prose: prose() }], readSample);
    expect(r).toEqual({ lessons: [{ id: 't', steps: 5, locales: ['en', 'zh-CN'], failed: [] }] });
  });

  it('plays a step with its own program, never the previous step\'s: 24 references with psc=off, 12 with the caches', () => {
    const runs = playLesson(spec(), readSample);
    expect(runs.map((r) => r.values['walk.refs'])).toEqual([24, 12, 24, 4, 24]);
    expect(runs[0].seq).toBe(runs[1].seq); // the same program: the same events, whatever the knobs do to walks
  });

  it('catches a step that inherits the wrong knobs (the "24 references over a 3-reference walk" bug)', () => {
    const s = spec();
    delete s.steps[1].program; // now inherits psc=off from the lesson
    const r = checkLesson({ spec: s, prose: prose() }, playLesson(s, readSample));
    expect(why(r)).toEqual(['b/en: expected {walk.refs} = 12; it is 24 (event 33224)', 'b/zh-CN: expected {walk.refs} = 12; it is 24 (event 33224)']);
  });

  it('catches a cursor that lands on a libdune page instead of the program\'s', () => {
    const s = spec();
    // Today's lesson looked for "a short walk" with the caches on: the first is libdune's, not buf's.
    s.steps[0] = { ...s.steps[0], program: { sample: 'lessons/pagewalk.s' }, at: [{ type: 'walk', vmx: 'non-root', maxRefs: 6, fault: null }], expect: { event: { type: 'walk', va: '0x402000' } } };
    const r = checkLesson({ spec: s, prose: prose() }, playLesson(s, readSample));
    expect(r.failed.map((f) => `${f.step}/${f.locale}`)).toEqual(['a/en', 'a/zh-CN']);
    expect(r.failed[0].why).toMatch(/^expected the event at the cursor to be walk va=0x402000; it is event \d+: .*"va":"0x38/);
  });

  it('catches a cursor that never matches', () => {
    const s = spec();
    s.steps[2] = { ...s.steps[2], at: [{ type: 'vmexit', name: 'CPUID' }] };
    const r = checkLesson({ spec: s, prose: prose() }, playLesson(s, readSample));
    expect(why(r)[0]).toBe('c/en: cursor not found: pattern 1 of 1 (vmexit name=CPUID) never matched');
  });

  it('catches a locale missing a step, a figure typed in, an unknown placeholder, and a short lesson', () => {
    const p = prose();
    delete p['zh-CN'].steps.c;
    p['zh-CN'].steps.a.text = ['读了 24 个表项'];
    p.en.steps.d.text = ['{walk.refz} entries'];
    const s = spec();
    s.steps.splice(2, 1);
    const r = checkLesson({ spec: s, prose: p }, playLesson(s, readSample));
    expect(why(r)).toEqual([
      '*/en: a lesson has 5 to 12 steps; this one has 4',
      '*/zh-CN: a lesson has 5 to 12 steps; this one has 4',
      'c/en: prose for a step the lesson does not have',
      'd/en: unknown placeholder {walk.refz}',
      'a/zh-CN: placeholders differ from the English: missing {walk.refs}',
      'd/zh-CN: placeholders differ from the English: missing {walk.refz} extra {walk.refs}',
    ]);
  });
});

describe('prose', () => {
  it('fills placeholders, numbers in the locale\'s way, and leaves an unfillable one visible', () => {
    expect(fillProse('{walk.refs} refs, {x.y} and {exits.VMCALL}', { 'walk.refs': 24000 }, 'en')).toBe('24,000 refs, {x.y} and 0');
    expect(fillProse('{event.va}', { 'event.va': '0x401000' }, 'zh-CN')).toBe('0x401000');
    expect(placeholders('a {walk.refs} b {cost.exitEntry}.')).toEqual(['walk.refs', 'cost.exitEntry']);
  });
});
