// The recording's fast paths (issue 8): the fetch that a change of CPL would send to the TLB is
// served from the page last fetched at that CPL, doing what the TLB hit does; marks reach the
// landmark index through the machine's column log. Each must leave the run as it was.
import { describe, it, expect, vi } from 'vitest';
import { Session, assembleSource } from '../../../src/engine/session.ts';
import { Player } from '../../../src/engine/player/player.ts';
import { ArraySink } from '../../../src/engine/trace/events.ts';
import { MarkLog } from '../../../src/engine/trace/marklog.ts';
import { Tlb } from '../../../src/engine/mmu/tlb.ts';
import { SYSCALL_LOOP } from './programs.ts';

const LOOP = SYSCALL_LOOP;

function session(n: number) {
  const a = assembleSource(LOOP(n), 'program.s');
  if (!a.ok) throw new Error(a.diagnostics);
  return new Session(a.program, { file: 'program.s' });
}

/** Step op by op until the system call has returned: CPL 3 again, the next fetch not done yet. */
function toSysret(s: Session) {
  const m = s.machine;
  while (m.cpu.cpl !== 0) m.step(1, true);
  m.step(1, true); // the kernel's entry (a native routine), which returns by SYSRET
  expect(m.cpu.cpl).toBe(3);
}

describe('fetch after SYSRET: the page last fetched at CPL 3', () => {
  it('does what the TLB hit would (same LRU, same hit count) without the lookup', () => {
    const s = session(100);
    const m = s.machine;
    s.run(200); // a few calls: the user page's memo is set
    toSysret(s);
    const snap = m.snapshot();
    const find = vi.spyOn(m.mmu.tlb4k, 'find');
    m.step(1, true);
    expect(find).not.toHaveBeenCalled(); // served by the memo
    const viaMemo = { lru: Array.from(m.mmu.tlb4k.lru), hits: m.mmu.stats.tlbHits, rip: m.cpu.rip };
    find.mockRestore();
    // The same fetch after a restore (which ends every memo) goes to the TLB.
    m.restore(snap);
    const find2 = vi.spyOn(m.mmu.tlb4k, 'find');
    m.step(1, true);
    expect(find2).toHaveBeenCalledTimes(1);
    expect({ lru: Array.from(m.mmu.tlb4k.lru), hits: m.mmu.stats.tlbHits, rip: m.cpu.rip }).toEqual(viaMemo);
  });

  it('a flush of the page is felt: the next fetch walks', () => {
    const s = session(100);
    const m = s.machine;
    s.run(200);
    toSysret(s);
    const walks = m.mmu.stats.walks;
    m.mmu.invlpg(0, 0, m.cpu.rip); // as INVLPG of the user code page (kernel half untouched)
    m.step(1, true);
    expect(m.mmu.stats.walks).toBe(walks + 1);
  });

  it('a TLB fill (which may evict the slot) ends the memo', () => {
    const s = session(100);
    const m = s.machine;
    s.run(200);
    toSysret(s);
    m.mmu.tlb4k.fill(0x12345, 0, 0, 7, 0); // another page's entry: the TLB changed
    const find = vi.spyOn(m.mmu.tlb4k, 'find');
    m.step(1, true);
    expect(find).toHaveBeenCalledTimes(1);
  });

  it('the whole trace is as without the memo: every fetch after a change of CPL through the TLB', () => {
    const full = (memo: boolean) => {
      const a = assembleSource(LOOP(300), 'program.s');
      if (!a.ok) throw new Error(a.diagnostics);
      const sink = new ArraySink();
      const x = new Session(a.program, { file: 'program.s', sink });
      const m = x.machine;
      // Without the memo: a restore before each op ends it (restore keeps everything else).
      while (m.status === null) { if (!memo) m.restore(m.snapshot()); m.step(1, true); }
      return { events: sink.events.map((e) => JSON.stringify(e)), stats: { ...m.mmu.stats }, lru: Array.from(m.mmu.tlb4k.lru) };
    };
    expect(full(true)).toEqual(full(false));
  });
});

describe('Tlb clone: the tags are shared until either side changes them', () => {
  it('a fill or drop after a clone leaves the other copy as it was', () => {
    const t = new Tlb(16, 4, 12);
    t.fill(1, 0, 0, 10, 0);
    const c = t.clone();
    t.fill(2, 0, 0, 20, 0);
    expect([c.find(1, 0, 0) >= 0, c.find(2, 0, 0)]).toEqual([true, -1]);
    c.drop(() => true);
    expect([t.find(1, 0, 0) >= 0, t.find(2, 0, 0) >= 0, c.count()]).toEqual([true, true, 0]);
    // The LRU column is the clone's own from the start.
    const d = t.clone(), before = Array.from(d.lru);
    t.find(1, 0, 0);
    expect(Array.from(d.lru)).toEqual(before);
  });
});

describe('marks through the machine\'s column log', () => {
  it('the recorded landmark index equals the full trace, across many log drains', () => {
    const n = 3 * MarkLog.SIZE; // three marks a call: the log fills and drains several times
    const a = assembleSource(LOOP(n), 'program.s');
    if (!a.ok) throw new Error(a.diagnostics);
    const sink = new ArraySink();
    new Session(a.program, { file: 'program.s', sink }).run(1_000_000);
    const all = sink.events;
    const p = new Player();
    const load = p.load({ source: LOOP(n), file: 'program.s' });
    expect(load.ok).toBe(true);
    for (const type of ['syscall', 'ring'] as const) {
      expect(p.landmarks.exact(type)).toBe(true);
      expect(p.landmarks.seqs(type)).toEqual(all.filter((e) => e.type === type).map((e) => e.seq));
      const last = all.findLast((e) => e.type === type)!;
      expect(p.landmarks.atOrBefore([type], all.length)).toEqual({ type, seq: last.seq, cycles: last.cycles });
    }
  });
});
