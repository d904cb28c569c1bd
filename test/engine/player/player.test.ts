import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Player } from '../../../src/engine/player/player.ts';
import { Feeds, type Bursts } from '../../../src/engine/player/feeds.ts';
import { Session, assembleSource } from '../../../src/engine/session.ts';
import { ArraySink } from '../../../src/engine/trace/events.ts';

const src = readFileSync('samples/hello-dune.s', 'utf8');

function fullTrace(source: string) {
  const a = assembleSource(source, 'program.s');
  if (!a.ok) throw new Error(a.diagnostics);
  const sink = new ArraySink();
  new Session(a.program, { file: 'program.s', sink }).run(50_000_000);
  return sink.events;
}

describe('Player: checkpoints and deterministic replay', () => {
  const p = new Player();
  const load = p.load({ source: src, file: 'program.s' });
  const all = fullTrace(src);

  it('records the whole run: the event count and landmarks match a plain traced run', () => {
    expect(load.ok).toBe(true);
    expect(p.total).toBe(all.length);
    expect(p.finished).toBe(true);
    const exits = all.filter((e) => e.type === 'vmexit').map((e) => e.seq);
    expect(p.landmarks.seqs('vmexit')).toEqual(exits);
    const byName: Record<string, number> = {};
    for (const e of all) if (e.type === 'vmexit') byName[e.name] = (byName[e.name] ?? 0) + 1;
    expect(load.ok && load.vmexits).toEqual(byName);
  });

  it('any window of events equals the same slice of the full trace', () => {
    for (const from of [0, 123, Math.floor(all.length / 2), all.length - 50]) {
      expect(JSON.stringify(p.events(from, from + 50))).toBe(JSON.stringify(all.slice(from, from + 50)));
    }
  });

  it('windows that start inside libdune\'s set-up (one op of thousands of events) equal the full trace, kept copy or not', () => {
    const ret = all.find((e) => e.type === 'libdune' && e.fn === 'dune_init' && e.ret !== null)!;
    expect(ret).toBeDefined();
    const r = ret.seq;
    const wins: [number, number][] = [[r - 1999, r + 1], [r - 300, r - 200], [Math.floor(r / 256) * 256, Math.floor(r / 256) * 256 + 256], [r - 2500, r - 2490], [r - 1, r + 700], [r - 1999, r + 1]];
    for (const [a, b] of wins) expect(JSON.stringify(p.events(a, b))).toBe(JSON.stringify(all.slice(a, b)));
    // The kept copy answered (a checkpoint follows the burst), and seeks there still agree.
    expect((p as unknown as { bursts: Bursts }).bursts.map.size).toBeGreaterThan(0);
    for (const at of [r - 700, r - 3, r]) expect(p.seek(at).event).toEqual(all[at]);
  });

  it('the first events after the first checkpoint are kept by the recording, and windows there equal the full trace', () => {
    const head = (p as unknown as { head: unknown[] }).head;
    expect(head.length).toBe(Feeds.HEAD);
    for (const [a, b] of [[0, 256], [100, 400], [Feeds.HEAD - 10, Feeds.HEAD + 300]]) expect(JSON.stringify(p.events(a, b))).toBe(JSON.stringify(all.slice(a, b)));
  });

  it('the recording keeps the events before the checkpoint after the set-up burst; dropped, one replay makes the same', () => {
    const q = new Player();
    q.load({ source: src, file: 'program.s' });
    const bursts = (q as unknown as { bursts: Bursts }).bursts.map;
    expect(bursts.size).toBeGreaterThan(0);
    const [ck, kept] = [...bursts][0];
    expect(kept.events.length).toBe(ck - kept.from);
    expect(JSON.stringify(kept.events)).toBe(JSON.stringify(all.slice(kept.from, ck)));
    const win = () => JSON.stringify(q.events(ck - 1500, ck + 10));
    expect(win()).toBe(JSON.stringify(all.slice(ck - 1500, ck + 10)));
    bursts.clear();
    expect(win()).toBe(JSON.stringify(all.slice(ck - 1500, ck + 10)));
    expect(bursts.size).toBe(1);
  });

  it('replays from the cursor forward exactly: windows and seeks just ahead of it equal the full trace', () => {
    for (const at of [200, Math.floor(all.length / 3), all.length - 300]) {
      p.seek(at);
      for (const d of [1, 2, 17, 150]) expect(JSON.stringify(p.events(at + d, at + d + 40))).toBe(JSON.stringify(all.slice(at + d, at + d + 40)));
      expect(p.seek(at + 5).event).toEqual(all[at + 5]);
    }
  });

  it('seeks forward to the first VMCALL exit and back, with the machine state of each point', () => {
    const exit = all.find((e) => e.type === 'vmexit' && e.name === 'VMCALL')!;
    const at = p.seek(exit.seq);
    expect(at.event).toMatchObject({ type: 'vmexit', name: 'VMCALL' });
    expect(at.view.vmx).toBe('root');
    expect(at.view.vmcs!.find((f) => f.name === 'VM_EXIT_REASON')!.value).toBe('0x12');
    const before = p.seek(exit.seq - 1);
    expect(before.view.vmx).toBe('non-root');
    const again = p.seek(exit.seq);
    expect(again.view).toEqual(at.view);
  });

  it('finds the next and previous landmark from the cursor', () => {
    p.seek(0);
    const next = p.find(1, () => true, { landmarks: ['vmexit'] });
    expect(next).toBe(all.find((e) => e.type === 'vmexit')!.seq);
    p.seek(all.length - 1);
    const prev = p.find(-1, () => true, { landmarks: ['vmentry'] });
    expect(prev).toBe(all.filter((e) => e.type === 'vmentry').at(-1)!.seq);
    const instr = p.find(-1, (e) => e.type === 'instr');
    expect(instr).toBe(all.filter((e) => e.type === 'instr').at(-1)!.seq);
  });

  it('finds from a given event without moving the cursor', () => {
    p.seek(10);
    const exits = all.filter((e) => e.type === 'vmexit');
    const mid = exits[Math.floor(exits.length / 2)].seq;
    expect(p.find(1, () => true, { from: mid, landmarks: ['vmexit'] })).toBe(exits.find((e) => e.seq > mid)!.seq);
    expect(p.find(-1, (e) => e.type === 'vmexit', { from: mid })).toBe(exits.filter((e) => e.seq < mid).at(-1)!.seq);
    expect(p.find(1, (e) => e.type === 'instr', { from: mid, kinds: new Set(['instr']) })).toBe(all.find((e) => e.seq > mid && e.type === 'instr')!.seq);
    expect(p.cursor).toBe(10);
  });

  it('reports assembly errors instead of loading', () => {
    const r = new Player().load({ source: 'mov rax,\n' });
    expect(r.ok).toBe(false);
  });
});
