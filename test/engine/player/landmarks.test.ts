import { describe, it, expect } from 'vitest';
import { LandmarkIndex } from '../../../src/engine/player/landmarks.ts';
import { Player } from '../../../src/engine/player/player.ts';
import { Session, assembleSource } from '../../../src/engine/session.ts';
import { ArraySink, type TraceEvent } from '../../../src/engine/trace/events.ts';
import { SYSCALL_LOOP } from './programs.ts';

describe('LandmarkIndex: typed arrays per type, bounded by thinning the most numerous type', () => {
  it('past the cap, the most numerous type keeps every other entry; a rare type stays exact', () => {
    const ix = new LandmarkIndex(8);
    // syscalls at seq 10, 20, ..., 200; VM exits at 55, 155.
    for (let i = 1; i <= 20; i++) {
      ix.add('syscall', i * 10, i * 100);
      if (i === 5 || i === 15) ix.add('vmexit', i * 10 + 5, i * 100 + 50);
    }
    expect(ix.exact('vmexit')).toBe(true);
    expect(ix.seqs('vmexit')).toEqual([55, 155]);
    expect(ix.exact('syscall')).toBe(false);
    expect(ix.count('syscall')).toBe(20);
    // Stride 4: the 0th, 4th, 8th, ... syscall (seq 10, 50, 90, 130, 170) survive.
    expect(ix.seqs('syscall')).toEqual([10, 50, 90, 130, 170]);
    expect(ix.summary().coarse).toEqual({ syscall: 4 });
    expect(ix.next(['syscall', 'vmexit'], 50)).toEqual({ type: 'vmexit', seq: 55, cycles: 550 });
    expect(ix.atOrBefore(['syscall'], 89)).toEqual({ type: 'syscall', seq: 50, cycles: 500 });
    expect(ix.atOrBefore(['syscall'], 9)).toBeNull();
  });
});

/** The system-call loop of n iterations (three landmarks, ring, syscall, ring, per four
 *  instructions): its full trace, and a Player that recorded it with `cap` landmarks a type. */
function recorded(n: number, cap: number) {
  const source = SYSCALL_LOOP(n);
  const a = assembleSource(source, 'program.s');
  if (!a.ok) throw new Error(a.diagnostics);
  const sink = new ArraySink();
  new Session(a.program, { file: 'program.s', sink }).run(1_000_000);
  const p = new Player();
  const rec = p.recording({ source, file: 'program.s' }, cap);
  let r = rec.next();
  while (!r.done) r = rec.next();
  return { all: sink.events, p, load: r.value };
}

describe('Player with a coarse landmark index answers exactly (it replays between entries)', () => {
  const { all, p, load } = recorded(150, 40);

  it('records the run with the index thinned, and says which types are coarse', () => {
    expect(load.ok).toBe(true);
    if (!load.ok) return;
    expect(load.total).toBe(all.length);
    expect(load.landmarks.counts.syscall).toBe(all.filter((e) => e.type === 'syscall').length);
    expect(Object.keys(load.landmarks.coarse).sort()).toEqual(['ring', 'syscall']);
  });

  it('next/previous system call and ring change from many cursors equal the full trace', () => {
    const after = (type: string, s: number) => all.find((e) => e.type === type && e.seq > s)?.seq ?? null;
    const before = (type: string, s: number) => all.findLast((e) => e.type === type && e.seq < s)?.seq ?? null;
    for (const to of [0, 37, 301, 640, 641, 999, all.length - 3]) {
      p.seek(to);
      const at = p.cursor; // the prologue (process creation, before the first checkpoint) is not a stop
      expect(p.find(1, () => true, { landmarks: ['syscall'] })).toBe(after('syscall', at));
      expect(p.find(-1, () => true, { landmarks: ['syscall'] })).toBe(before('syscall', at));
      expect(p.find(1, () => true, { landmarks: ['ring'] })).toBe(after('ring', at));
      expect(p.find(-1, () => true, { landmarks: ['ring'] })).toBe(before('ring', at));
    }
  });

  it('the context at the cursor (last transition and its cost) equals the full trace', () => {
    const moves = all.filter((e) => ['ring', 'vmexit', 'vmentry', 'syscall', 'exception'].includes(e.type));
    for (const at of [45, 400, 777, all.length - 2]) {
      const s = p.seek(at);
      const i = moves.findLastIndex((e) => e.seq <= at);
      expect(s.transition).toEqual(moves[i]);
      expect(s.transitionCost).toBe(moves[i + 1] ? moves[i + 1].cycles - moves[i].cycles : undefined);
      expect(s.event).toEqual(all[at] as TraceEvent);
    }
  });
});

describe('a coarse index through the machine\'s mark log (MarkFilter: only the kept marks are logged)', () => {
  it('each thinned type keeps exactly its every stride-th event, across log drains and thinnings mid-log', () => {
    // 20,000 iterations: 140,000 events (past the ring, Feeds.RING), 60,000 ring and syscall
    // marks: the log (4,096) fills many times.
    const { all, p, load } = recorded(20_000, 300);
    if (!load.ok) throw new Error('load');
    const coarse = load.landmarks.coarse;
    expect(coarse.ring).toBeGreaterThanOrEqual(16);
    for (const type of ['ring', 'syscall'] as const) {
      const stride = coarse[type]!;
      const ofType = all.filter((e) => e.type === type);
      expect(p.landmarks.count(type)).toBe(ofType.length);
      expect(p.landmarks.seqs(type)).toEqual(ofType.filter((_, i) => i % stride === 0).map((e) => e.seq));
    }
  });
});
