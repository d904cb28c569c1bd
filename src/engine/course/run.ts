// Plays a lesson headless: each distinct program (and knobs) runs once, with one probe per step
// fed its events, then each step's expectations are checked at its cursor. The CLI's
// `lesson --check` and the tests use it. World: above the engine (a session per program).

import { Session, assembleSource, DEFAULT_BUDGET } from '../session.ts';
import { parseKnobs } from '../knobs.ts';
import { describeMatch, matches } from '../trace/match.ts';
import { StepProbe, type Values } from './probe.ts';
import { valueOf } from './prose.ts';
import { stepProgram, type Expected, type LessonSpec, type LessonStep } from './lesson.ts';
import type { TraceEvent } from '../trace/events.ts';

export interface StepRun { step: string; seq: number | null; event: TraceEvent | null; values: Values; failed: string[] }

/** Reads a program under samples/ by its path there (the CLI reads files, the UI its bundle). */
export type ReadSample = (path: string) => string | null;

/** Check a step's expectations against what its probe found; the reasons it fails (none: it holds). */
export function checkStep(step: LessonStep, probe: StepProbe): string[] {
  if (!probe.cursor) {
    const got = probe.hits.length;
    return [`cursor not found: pattern ${got + 1} of ${step.at.length} (${describeMatch(step.at[got])}) never matched${got ? ` after event ${probe.hits[got - 1]}` : ''}`];
  }
  const why: string[] = [];
  const e = probe.cursor;
  if (step.expect.event && !matches(e, step.expect.event)) {
    why.push(`expected the event at the cursor to be ${describeMatch(step.expect.event)}; it is event ${e.seq}: ${brief(e)}`);
  }
  const values = probe.values();
  for (const [name, want] of Object.entries(step.expect.values ?? {})) {
    const got = valueOf(values, name);
    if (!meets(got, want)) why.push(`expected {${name}} ${typeof want === 'object' ? `in [${want.min ?? '-inf'}, ${want.max ?? 'inf'}]` : `= ${want}`}; it is ${got === undefined ? 'absent' : got} (event ${e.seq})`);
  }
  return why;
}

function meets(got: number | string | undefined, want: Expected): boolean {
  if (got === undefined) return false;
  if (typeof want !== 'object') return got === want;
  return typeof got === 'number' && (want.min === undefined || got >= want.min) && (want.max === undefined || got <= want.max);
}

function brief(e: TraceEvent): string {
  const { seq: _s, cycles: _c, ...rest } = e as unknown as Record<string, unknown>;
  const r = { ...rest };
  if (Array.isArray(r.refs)) r.refs = `[${r.refs.length} refs]`;
  return JSON.stringify(r);
}

/** Play every step of a lesson; each program runs once to its end. */
export function playLesson(lesson: LessonSpec, read: ReadSample): StepRun[] {
  const out: StepRun[] = lesson.steps.map((s) => ({ step: s.id, seq: null, event: null, values: {}, failed: [] }));
  const groups = new Map<string, number[]>();
  lesson.steps.forEach((s, i) => {
    const k = stepProgram(lesson, s).key;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  for (const idx of groups.values()) {
    const prog = stepProgram(lesson, lesson.steps[idx[0]]);
    const fail = (why: string) => idx.forEach((i) => out[i].failed.push(why));
    const source = read(prog.sample);
    if (source === null) { fail(`no program samples/${prog.sample}`); continue; }
    // `.include`s resolve against the program's path under samples/ (samples/wedge/wedge.inc).
    const a = assembleSource(source, prog.sample, (path) => read(path) ?? undefined);
    if (!a.ok) { fail(`samples/${prog.sample} does not assemble: ${a.diagnostics}`); continue; }
    const k = parseKnobs(prog.knobs ?? {});
    if (!k.ok) { fail(k.error); continue; }
    const probes = idx.map((i) => new StepProbe(lesson.steps[i].at, lesson.steps[i].spanFrom));
    const s = new Session(a.program, { file: prog.sample, knobs: k.knobs, stdin: prog.stdin, sink: { event: (e) => { for (const p of probes) p.feed(e); } } });
    const st = s.run(DEFAULT_BUDGET);
    const ended = st === null ? `samples/${prog.sample} did not end within ${DEFAULT_BUDGET} instructions` : st.how !== 'exit' ? `samples/${prog.sample} ended by ${st.how} (status ${st.code})` : null;
    idx.forEach((i, j) => {
      const p = probes[j];
      out[i].seq = p.cursor?.seq ?? null;
      out[i].event = p.cursor;
      out[i].values = p.values();
      out[i].failed.push(...checkStep(lesson.steps[i], p));
      if (ended) out[i].failed.push(ended);
    });
  }
  return out;
}
