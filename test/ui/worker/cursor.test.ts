// One cursor move in one answer (src/ui/worker/cursor.ts): the swimlanes' events from the kept
// window equal a fresh replay of the same span at every cursor of a walk forward, back and by
// jumps; a step's lines are the lines of the events between the two cursors; the last
// instruction before the cursor found in a short window is the one Player.find finds.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Player } from '../../../src/engine/player/player.ts';
import { LandmarkWindow, LANE_TYPES, cursorMove, stepLines, MAX_STEP_EVENTS, RowBlocks } from '../../../src/ui/worker/cursor.ts';
import { EVENT_BLOCK, ROWS_AROUND } from '../../../src/ui/worker/protocol.ts';
import { createEngine } from '../../../src/ui/worker/core.ts';
import type { TraceEvent, EventType } from '../../../src/engine/trace/events.ts';
import type { LandmarkType } from '../../../src/engine/player/landmarks.ts';
import { EventBlocks } from '../../../src/ui/state/eventBlocks.ts';
import { LESSONS } from '../../../src/lessons/index.ts';
import { stepProgram } from '../../../src/engine/course/lesson.ts';
import { StepRider } from '../../../src/engine/course/ride.ts';
import { programInit } from '../../../src/ui/lessons/plan.ts';
import { syscallLoop } from '../../../bench/player.ts';

const record = (name: string) => {
  const p = new Player();
  const r = p.load({ source: readFileSync(`samples/${name}`, 'utf8'), file: name });
  if (!r.ok) throw new Error(r.diagnostics);
  return p;
};

/** The span's events as the worker used to answer them: one replay from the lower bound. */
function fresh(player: Player, seq: number, around: number, types: readonly LandmarkType[]): TraceEvent[] {
  const kinds = new Set<EventType>(types);
  let lo = seq, hi = seq;
  for (let i = 0; i < around; i++) {
    const b = player.landmarks.atOrBefore(types, lo - 1); if (b) lo = b.seq;
    const n = player.landmarks.next(types, hi); if (n) hi = n.seq;
  }
  const out: TraceEvent[] = [];
  player.scan(Math.max(0, lo), (e) => { if (e.seq > hi) return true; if (kinds.has(e.type)) out.push(e); return e.seq >= hi; }, kinds);
  return out;
}

describe('LandmarkWindow', () => {
  it('answers what a fresh replay answers, moving forward, back and by jumps (getpid-dune.s)', () => {
    const p = record('getpid-dune.s');
    const w = new LandmarkWindow();
    const marks = fresh(p, 0, 200, LANE_TYPES).map((e) => e.seq);
    expect(marks.length).toBeGreaterThan(40);
    const at = [0, 1, 2, 40, 41, ...marks.slice(0, 14), ...marks.slice(0, 14).reverse(), p.total - 1, p.total - 2, marks[5], 3, p.total - 1];
    for (const s of at) expect(w.around(p, s, 13, LANE_TYPES).map((e) => e.seq), `at ${s}`).toEqual(fresh(p, s, 13, LANE_TYPES).map((e) => e.seq));
    // Whole events, not only their seqs (the lanes read vmx, cpl, cycles and names).
    expect(w.around(p, marks[20], 13, LANE_TYPES)).toEqual(fresh(p, marks[20], 13, LANE_TYPES));
    // Other types: a window of its own.
    expect(w.around(p, marks[10], 3, ['vmexit'])).toEqual(fresh(p, marks[10], 3, ['vmexit']));
  });
});

describe('LandmarkWindow at the lessons\' steps', () => {
  // The lanes at each step of these lessons (a landing: a fresh window, then the lesson's next
  // steps in order, as the reader goes), whole events, against one replay of the span: across
  // libdune's set-up (enter, process), a long stretch without transitions (sthreads: the span
  // reaches millions of events back), a collector's run (gc-dirty).
  for (const id of ['enter', 'process', 'sthreads', 'gc-dirty']) {
    it(`answers what a replay of the span answers (${id})`, () => {
      const lesson = LESSONS.find((l) => l.id === id)!;
      // (Two of its programs at most: each is recorded, and the reference replays whole spans.)
      const keys = [...new Set(lesson.steps.map((s) => stepProgram(lesson, s).key))].slice(0, 2);
      let checked = 0;
      for (const key of keys) {
        const steps = lesson.steps.filter((s) => stepProgram(lesson, s).key === key);
        const p = new Player();
        const r = p.load(programInit(lesson, steps[0])!);
        if (!r.ok) throw new Error(r.diagnostics);
        const rider = new StepRider(steps);
        p.ride(rider);
        const w = new LandmarkWindow();
        for (const [i, res] of rider.results().entries()) {
          if (res.seq === null) continue;
          p.seek(res.seq);
          expect(w.around(p, res.seq, 13, LANE_TYPES), `${id}/${steps[i].id} at ${res.seq}`).toEqual(fresh(p, res.seq, 13, LANE_TYPES));
          // A fresh window (a deep link into the step) answers the same.
          expect(new LandmarkWindow().around(p, res.seq, 13, LANE_TYPES).map((e) => e.seq)).toEqual(fresh(p, res.seq, 13, LANE_TYPES).map((e) => e.seq));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(3);
    }, 60_000);
  }

  it('a coarse index (a thinned system-call loop) answers every event of the span, as the replay does', () => {
    const p = new Player();
    const it = p.recording({ source: syscallLoop(3000) }, 512);
    let r; while (!(r = it.next(false)).done);
    expect(r.value.ok && Object.keys(r.value.landmarks.coarse)).toContain('ring');
    const w = new LandmarkWindow();
    for (const s of [5, 4000, 4001, 9000, p.total - 3, 4002]) {
      const got = w.around(p, s, 13, LANE_TYPES);
      expect(got, `at ${s}`).toEqual(fresh(p, s, 13, LANE_TYPES));
      // More than 13 a side: the span between thinned entries holds every event of the kinds.
      if (s > 100 && s < p.total - 100) expect(got.length).toBeGreaterThan(27);
    }
  });
});

describe('stepLines', () => {
  it('names the lines of the events between two cursors, either way, and none without a move', () => {
    const p = record('getpid-dune.s');
    const lines = new Map([...p.lineAddresses()].map(([line, a]) => ['0x' + a.toString(16), line]));
    const end = p.total - 1, start = end - 40;
    const expected = new Set<number>();
    for (const e of p.events(start + 1, end + 1)) if ('rip' in e && typeof e.rip === 'string' && lines.has(e.rip)) expected.add(lines.get(e.rip)!);
    expect(expected.size).toBeGreaterThan(0);
    expect(stepLines(p, start, end, lines)).toEqual([...expected].sort((a, b) => a - b));
    expect(stepLines(p, end, start, lines)).toEqual([...expected].sort((a, b) => a - b));
    expect(stepLines(p, null, end, lines)).toEqual([]);
    expect(stepLines(p, end, end, lines)).toEqual([]);
    // A long move reads only its last MAX_STEP_EVENTS events.
    const far = stepLines(p, 0, end, lines), last = stepLines(p, end - MAX_STEP_EVENTS, end, lines);
    expect(far).toEqual(last);
  });
  it('a move forward gives the lines of the step whichever order the replays run in', () => {
    const p = record('getpid-dune.s');
    const lines = new Map([...p.lineAddresses()].map(([line, a]) => ['0x' + a.toString(16), line]));
    const w = new LandmarkWindow();
    const end = p.total - 1;
    p.seek(end - 30);
    const fwd = cursorMove(p, end - 10, end - 30, w, lines);
    const back = cursorMove(p, end - 30, end - 10, w, lines);
    expect(fwd.stepLines).toEqual(back.stepLines);
    expect(fwd.seq).toBe(end - 10);
    expect(fwd.event).toEqual(p.events(end - 10, end - 9)[0]);
    expect(fwd.lanes).toEqual(fresh(p, end - 10, 13, LANE_TYPES));
  });
});

describe('the cursor request', () => {
  it('steps back one instruction to where Player.find lands, and a step answers the seek it makes', () => {
    const engine = createEngine(() => null);
    const source = readFileSync('samples/getpid-dune.s', 'utf8');
    const r = engine.handle({ kind: 'load', init: { source, file: 'getpid-dune.s' } }) as { total: number };
    const p = new Player();
    p.load({ source, file: 'getpid-dune.s' });
    for (const at of [r.total - 1, r.total - 5, 40, 2]) {
      engine.handle({ kind: 'seek', seq: at });
      p.cursor = at;
      const want = p.find(-1, (e) => e.type === 'instr', { kinds: new Set(['instr']) });
      expect(engine.handle({ kind: 'find', dir: -1, step: 'instr' }), `from ${at}`).toBe(want);
      engine.handle({ kind: 'seek', seq: at });
      const moved = engine.handle({ kind: 'cursor', find: { dir: -1, step: 'instr' }, from: at }) as { seq: number; event: TraceEvent | null } | null;
      expect(moved?.seq ?? null).toBe(want);
      if (want !== null) expect(moved!.event).toEqual(p.events(want, want + 1)[0]);
    }
  });
});

// render's block: the timeline's rows ride the cursor answer (RowBlocks), once per page cache.
describe('RowBlocks', () => {
  it('sends the blocks around the cursor a cache lacks, each once, equal to the events a fetch gives; a new cache or run starts over', () => {
    const p = record('getpid-dune.s');
    const rows = new RowBlocks();
    const at = Math.floor(p.total / 2);
    const first = rows.around(p, 1, at);
    // Every row within ROWS_AROUND of the cursor is in a block sent now.
    const seqs = new Set(first.flatMap((b) => b.events.map((e) => e.seq)));
    for (let s = at - ROWS_AROUND; s <= at + ROWS_AROUND; s++) expect(seqs.has(s), `row ${s}`).toBe(true);
    for (const b of first) expect(b.events).toEqual(p.events(b.block * EVENT_BLOCK, (b.block + 1) * EVENT_BLOCK));
    // The same cache, one step on: nothing new (unless the step crosses into another block).
    expect(rows.around(p, 1, at + 1).filter((b) => !first.some((f) => f.block === b.block))).toEqual(rows.around(p, 1, at + 1));
    expect(rows.around(p, 1, at)).toEqual([]);
    // Another cache (a new run's, or a remounted page's): sent again, whole.
    expect(rows.around(p, 2, at).map((b) => b.block)).toEqual(first.map((b) => b.block));
    // The run's ends: no block past them.
    expect(rows.around(p, 3, p.total - 1).every((b) => b.block * EVENT_BLOCK < p.total)).toBe(true);
    expect(rows.around(p, 4, 0).map((b) => b.block)).toEqual([0]);
    // The blocks built lately give a short step's events without a replay, exactly; others none.
    expect(rows.kept(p, at - 3, at + 2)).toEqual(p.events(at - 3, at + 2));
    expect(rows.kept(p, 1, 7)).toEqual(p.events(1, 7));
    expect(rows.kept(p, Math.floor(p.total / 4), Math.floor(p.total / 4) + 2)).toBeNull();
    expect(rows.kept(record('getpid-dune.s'), at - 3, at + 2)).toBeNull();
  });

  it('a cursor answer with a cache named carries the blocks, and one without carries none', () => {
    const p = record('getpid-dune.s');
    const lanes = new LandmarkWindow(), rows = new RowBlocks(), lineOf = new Map<string, number>();
    const seq = Math.floor(p.total / 3);
    const r = cursorMove(p, seq, null, lanes, lineOf, { blocks: rows, cache: 7 });
    expect(r.blocks!.some((b) => b.events.some((e) => e.seq === seq))).toBe(true);
    expect(cursorMove(p, seq, null, lanes, lineOf).blocks).toBeUndefined();
    // The blocks replay past the cursor: what is read at the cursor afterwards is still the
    // cursor's machine (the player brings it back), as on a player that sent no blocks.
    const q = record('getpid-dune.s');
    const plain = cursorMove(q, seq, null, new LandmarkWindow(), lineOf);
    expect(r.view).toEqual(plain.view);
    const regs = (x: Player) => x.inspect((s) => [s.machine.cpu.rip, s.machine.instret, s.machine.cycles]);
    expect(regs(p)).toEqual(regs(q));
    expect(p.memory()).toEqual(q.memory());
  });
});

// render's block: an answer to a page cache leaves out the parts it sent that cache before; the
// page makes it whole (EventBlocks.expand).
describe('compact cursor answers', () => {
  const walk = (p: Player) => {
    const mid = Math.floor(p.total / 2);
    return [mid, mid + 1, mid + 2, mid + 3, mid - 1, 5, 6, p.total - 1, p.total - 2, mid, mid + 40, mid + 41, 0];
  };

  it('made whole by the page, each answer equals the whole one, and unchanged parts are left out', () => {
    const p = record('getpid-dune.s'), q = record('getpid-dune.s');
    const rows = new RowBlocks(), page = new EventBlocks(async () => []), lineOf = new Map<string, number>();
    const lanes = new LandmarkWindow(), lanesQ = new LandmarkWindow();
    let from: number | null = null, left = 0;
    for (const seq of walk(p)) {
      const sent = cursorMove(p, seq, from, lanes, lineOf, { blocks: rows, cache: 3 });
      const whole = cursorMove(q, seq, from, lanesQ, lineOf);
      left += Object.keys(sent.same ?? {}).length;
      const got = page.expand(structuredClone(sent));
      expect(got, `at ${seq}`).not.toBeNull();
      const { blocks: _b, answer: _a, ...rest } = got!;
      expect(rest, `at ${seq}`).toEqual(whole);
      from = seq;
    }
    // One event on, the TLB, the VMCS and the output are the same: most of the bytes stay home.
    const a = cursorMove(p, 100, null, lanes, lineOf, { blocks: rows, cache: 3 });
    const b = cursorMove(p, 101, 100, lanes, lineOf, { blocks: rows, cache: 3 });
    expect(Object.keys(a.same ?? {})).not.toContain('tlb');
    expect(Object.keys(b.same ?? {})).toEqual(expect.arrayContaining(['tlb', 'stdout', 'procs']));
    expect(b.view.tlb).toBeUndefined();
    expect(JSON.stringify(b).length).toBeLessThan(JSON.stringify(a).length / 2);
    expect(left).toBeGreaterThan(0);
    // A new cache (a new run's) is sent everything again.
    expect(cursorMove(p, 101, 100, lanes, lineOf, { blocks: rows, cache: 4 }).same).toEqual({});
  });

  it('an answer taken before the one it names cannot be made whole (the page asks again); a dropped answer still feeds the cache', () => {
    const p = record('getpid-dune.s');
    const rows = new RowBlocks(), lineOf = new Map<string, number>(), lanes = new LandmarkWindow();
    const at = Math.floor(p.total / 2);
    const one = structuredClone(cursorMove(p, at, null, lanes, lineOf, { blocks: rows, cache: 9 }));
    const two = structuredClone(cursorMove(p, at + 1, at, lanes, lineOf, { blocks: rows, cache: 9 }));
    const three = structuredClone(cursorMove(p, at + 2, at + 1, lanes, lineOf, { blocks: rows, cache: 9 }));
    expect(Object.keys(two.same ?? {}).length).toBeGreaterThan(0);
    // Out of order: the second before the first.
    const late = new EventBlocks(async () => []);
    expect(late.expand(two)).toBeNull();
    // In order, the second answer never shown (a stale one, dropped by the store): the third is
    // still made whole from what the first and second carried.
    const page = new EventBlocks(async () => []);
    expect(page.expand(one)).not.toBeNull();
    expect(page.expand(two)).not.toBeNull();
    const whole = cursorMove(record('getpid-dune.s'), at + 2, at + 1, new LandmarkWindow(), lineOf);
    expect(page.expand(three)!.view).toEqual(whole.view);
  });
});
