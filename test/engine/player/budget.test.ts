// The player's memory bound on the longest run the page allows: a system-call loop (three
// landmarks every four instructions) to the 50 M default budget. Slow (a minute or more): one test.

import { describe, it, expect } from 'vitest';
import { Player } from '../../../src/engine/player/player.ts';
import { DEFAULT_BUDGET } from '../../../src/engine/session.ts';
import { LandmarkIndex } from '../../../src/engine/player/landmarks.ts';
import { SYSCALL_LOOP } from './programs.ts';

const LOOP = SYSCALL_LOOP(100_000_000);

const heldMB = () => { const u = process.memoryUsage(); return (u.heapUsed + u.arrayBuffers) / 2 ** 20; };

describe('Player memory bound', () => {
  it('records a 50 M-instruction system-call loop under 500 MB, coarser past the bound, and stays seekable', () => {
    const base = heldMB();
    let peak = 0;
    const p = new Player();
    const rec = p.recording({ source: LOOP });
    let r = rec.next(false);
    for (let i = 0; !r.done; i++, r = rec.next(false)) if (i % 256 === 0) peak = Math.max(peak, heldMB() - base);
    const load = r.value;
    expect(load.ok).toBe(true);
    if (!load.ok) return;
    expect(load.instructions).toBe(DEFAULT_BUDGET);
    expect(load.stopped).toBe('budget');
    // 12.5 M system calls: far more landmarks than the index keeps, so it says it thinned them.
    expect(load.landmarks.counts.syscall).toBe(DEFAULT_BUDGET / 4);
    expect(load.landmarks.coarse.ring).toBeGreaterThan(1);
    // Typed arrays at most twice the entries held (they grow by doubling), 16 bytes each.
    expect(p.landmarks.bytes()).toBeLessThanOrEqual(LandmarkIndex.CAP * 16 * 2 + 64 * 1024);
    // Seekable anywhere: the middle, the end, and the next system call from there.
    const mid = p.seek(Math.floor(p.total / 2));
    expect(mid.event).not.toBeNull();
    expect(mid.transition).not.toBeNull();
    const end = p.seek(p.total - 1);
    expect(end.view.instret).toBe(DEFAULT_BUDGET);
    p.seek(Math.floor(p.total / 3));
    const next = p.find(1, () => true, { landmarks: ['syscall'] });
    expect(next).not.toBeNull();
    expect(p.events(next!, next! + 1)[0]).toMatchObject({ type: 'syscall', name: 'getpid' });
    peak = Math.max(peak, heldMB() - base);
    expect(peak).toBeLessThan(500);
  }, 1_800_000);
});
