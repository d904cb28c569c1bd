// Seeks and event windows into a burst (one op emitting thousands of events: libdune's dune_init
// native) give the events of a full traced run, and replay the burst's op once: the replay
// counts up to the start of the batch that emitted it (recorded) and hands over inside the op,
// instead of running past the target, rewinding and replaying the op again (Player.fastForward).

import { describe, it, expect, vi, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { Player, type PlayerInit } from '../../../src/engine/player/player.ts';
import { Session, assembleSource } from '../../../src/engine/session.ts';
import { parseKnobs } from '../../../src/engine/knobs.ts';
import { filesReader } from '../../../src/engine/asm/index.ts';
import { Machine } from '../../../src/engine/machine.ts';
import { ArraySink, type TraceEvent } from '../../../src/engine/trace/events.ts';
import { LESSONS } from '../../../src/lessons/index.ts';
import { stepInit } from '../../../bench/player.ts';

function fullTrace(init: PlayerInit): TraceEvent[] {
  const a = assembleSource(init.source, init.file ?? 'program.s', filesReader(init.files));
  if (!a.ok) throw new Error(a.diagnostics);
  const k = parseKnobs(init.knobs ?? {});
  if (!k.ok) throw new Error(k.error);
  const sink = new ArraySink();
  new Session(a.program, { file: init.file, stdin: init.stdin, knobs: k.knobs, sink }).run(50_000_000);
  return sink.events;
}

type Span = { from: number; to: number };
const spansOf = (p: Player) => (p as unknown as { burstSpans: Span[] }).burstSpans;

/** The seqs to probe: each burst batch's edges and inside, and dune_init's call and return (the
 *  op's first and last libdune events) with the events next to them. */
function probes(all: TraceEvent[], spans: Span[]): number[] {
  const init = (e: TraceEvent) => e.type === 'libdune' && e.fn.startsWith('dune_init'); // or dune_init_and_enter
  const call = all.findIndex((e) => init(e) && e.type === 'libdune' && e.ret === null);
  const ret = all.findIndex((e) => init(e) && e.type === 'libdune' && e.ret !== null);
  expect(call).toBeGreaterThan(0);
  expect(ret).toBeGreaterThan(call);
  const out = [call - 1, call, call + 1, ret - 1, ret, ret + 1];
  for (const s of spans) out.push(s.from, s.from + 1, s.from + 257, Math.floor((s.from + s.to) / 2), s.to - 300, s.to - 2, s.to - 1);
  return [...new Set(out)].filter((s) => s >= 0 && s < all.length);
}

function check(init: PlayerInit, at: (all: TraceEvent[]) => number[] = () => []) {
  const all = fullTrace(init);
  const p = new Player();
  const load = p.load(init);
  if (!load.ok) throw new Error(load.diagnostics);
  expect(load.total).toBe(all.length);
  const spans = spansOf(p);
  expect(spans.length).toBeGreaterThan(0);
  const restore = vi.spyOn(Machine.prototype, 'restore');
  for (const seq of [...probes(all, spans), ...at(all)]) {
    restore.mockClear();
    expect(p.events(seq, seq + 16)).toEqual(all.slice(seq, seq + 16));
    // At most one restore: the replay does not rewind inside the burst to replay its op again.
    expect(restore.mock.calls.length, `events at ${seq}`).toBeLessThanOrEqual(1);
    restore.mockClear();
    const r = p.seek(seq);
    expect(r.event).toEqual(all[seq]);
    const walk = all.slice(Math.max(0, seq - 512), seq + 1).findLast((e) => e.type === 'walk') ?? null;
    expect(r.lastWalk).toEqual(walk);
    expect(restore.mock.calls.length, `seek at ${seq}`).toBeLessThanOrEqual(1);
  }
}

describe('seeks into a burst replay its op once', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('hello-dune.s: events and seeks inside dune_init equal a full traced run', () => {
    check({ source: readFileSync('samples/hello-dune.s', 'utf8'), file: 'program.s' });
  });

  it('a lesson program (enter/pagetable, target inside dune_init): the same', () => {
    const lesson = LESSONS.find((l) => l.id === 'enter')!;
    const step = lesson.steps.find((s) => s.id === 'pagetable')!;
    const { init } = stepInit(lesson, step);
    // The step's cursor: the page-table message of dune_init.
    check(init, (all) => [all.findIndex((e) => e.type === 'kernel' && e.fn === 'libdune' && e.detail.includes('dune_init: page table'))].filter((s) => s >= 0));
  });

  it('a replay that resumes from the cursor inside a burst batch replays the op once too', () => {
    // A seek just after a burst batch's start leaves the cursor's state inside the batch (before
    // the op); a later seek deeper into the op resumes there and still replays once.
    const init = { source: readFileSync('samples/hello-dune.s', 'utf8'), file: 'program.s' };
    const all = fullTrace(init);
    const p = new Player();
    p.load(init);
    const span = spansOf(p).at(-1)!;
    const restore = vi.spyOn(Machine.prototype, 'restore');
    p.seek(span.from + 1);
    restore.mockClear();
    const seq = Math.floor((span.from + span.to) / 2);
    expect(p.events(seq, seq + 8)).toEqual(all.slice(seq, seq + 8));
    expect(restore.mock.calls.length).toBe(1);
  });
});
