// `npx tsx bench/lesson-prof.ts [lesson...] [--ahead]`: where a lesson step's time goes, engine
// side, request by request as the page sends them (LessonPlayer.tsx, state/store.ts): on a program
// change the load (the recording), the seek to the end (the output) and the lesson step, then
// the cursor answer at the step, split into its seek, the swimlanes' events and the timeline's
// row blocks (each timed alone: the worker's cursor request is their sum). CPU ms. A profiling
// aid, not a figure of the issue (bench lesson gives those).

import { createEngine, drain } from '../src/ui/worker/core.ts';
import { LESSONS } from '../src/lessons/index.ts';
import { stepProgram } from '../src/engine/course/lesson.ts';
import { runtime } from '../src/engine/libdune/link.ts';
import { LANE_AROUND, LANE_TYPES } from '../src/ui/worker/cursor.ts';
import type { PlayerLoad } from '../src/engine/player/player.ts';
import type { Request } from '../src/ui/worker/protocol.ts';
import { stepInit, lessonPlan } from './player.ts';

const time = <T>(f: () => T): [T, number] => { const c = process.cpuUsage(); const r = f(); const u = process.cpuUsage(c); return [r, (u.user + u.system) / 1000]; };
const r1 = (x: number) => +x.toFixed(1);

const args = process.argv.slice(2);
const ahead = args.includes('--ahead');
const only = args.filter((a) => !a.startsWith('--'));
runtime();
for (const lesson of LESSONS.filter((l) => !only.length || only.includes(l.id))) {
  const e = createEngine(() => null), h = (r: Request) => e.handle(r) as unknown;
  let loadedKey = '';
  let cursor: number | null = null;
  lesson.steps.forEach((step, i) => {
    if (ahead && i > 0) { const idle = e.idle(); if (idle) drain(idle); }
    h({ kind: 'lesson-plan', programs: lessonPlan(lesson, i) });
    const { key, init } = stepInit(lesson, step);
    const parts: Record<string, number> = {};
    if (key !== loadedKey) {
      const [r, t] = time(() => h({ kind: 'load', init }) as PlayerLoad);
      if (!r.ok) throw new Error(r.diagnostics);
      parts.load = t;
      parts.end = time(() => h({ kind: 'seek', seq: r.total - 1 }))[1];
      loadedKey = key; cursor = null;
    }
    const siblings = lesson.steps.filter((x) => x !== step && stepProgram(lesson, x).key === key);
    const [at, ts] = time(() => h({ kind: 'lesson-step', step, siblings }) as { seq: number | null });
    parts.step = ts;
    const seq = at.seq ?? -1;
    parts.seek = time(() => h({ kind: 'seek', seq }))[1];
    parts.lanes = time(() => h({ kind: 'landmark-events', seq: Math.max(0, seq), around: LANE_AROUND, types: [...LANE_TYPES] }))[1];
    parts.rows = time(() => h({ kind: 'events', from: Math.floor(Math.max(0, seq - 64) / 256) * 256, to: Math.floor(Math.max(0, seq - 64) / 256) * 256 + 256 }))[1];
    void cursor; cursor = seq;
    const sum = Object.values(parts).reduce((a, b) => a + b, 0);
    console.log(`${lesson.id}/${step.id} @${seq}: ${r1(sum)} ms  ` + Object.entries(parts).map(([k, v]) => `${k} ${r1(v)}`).join(', '));
  });
}
