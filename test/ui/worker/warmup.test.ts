// The worker's warm-up (core.ts warm): a throwaway recording of a small Dune program while the
// worker is idle at its start. It never shows in what the page is answered (a load after a whole
// warm-up, after one cut short, and without one give the same run, trace and views), gives way
// to requests, ends on a load or a run, and hands over to a lesson's plan.

import { describe, it, expect, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { createEngine, drain, type Job } from '../../../src/ui/worker/core.ts';
import { JobRunner } from '../../../src/ui/worker/slices.ts';
import { Player } from '../../../src/engine/player/player.ts';
import type { PlayerInit, PlayerLoad } from '../../../src/engine/player/player.ts';
import type { Request } from '../../../src/ui/worker/protocol.ts';

const WARM: PlayerInit = { source: readFileSync('samples/hello-dune.s', 'utf8'), file: 'hello-dune.s' };
const GETPID: PlayerInit = { source: readFileSync('samples/getpid-dune.s', 'utf8'), file: 'getpid-dune.s', knobs: {}, files: {}, stdin: '' };
const HELLO = '_start:\n    mov rdi, 7\n    mov rax, SYS_exit\n    syscall\n';

/** What the page's store asks at a load (state/store.ts load), and the trace. */
function pageLoad(e: ReturnType<typeof createEngine>) {
  const h = (r: Request) => e.handle(r) as never;
  const load = h({ kind: 'load', init: GETPID }) as PlayerLoad;
  if (!load.ok) throw new Error(load.diagnostics);
  const end = h({ kind: 'seek', seq: load.total - 1 });
  const start = h({ kind: 'cursor', seq: -1, from: null, rows: 1 });
  const events = h({ kind: 'events', from: 0, to: load.total });
  return { load, end, start, events };
}

describe('the warm-up', () => {
  it('changes nothing the page is answered: a load after a whole warm-up, after part of one, and cold are the same', { timeout: 120_000 }, () => {
    const cold = pageLoad(createEngine(() => null));

    const whole = createEngine(() => null);
    whole.warmUp(WARM);
    const recordings = vi.spyOn(Player.prototype, 'recording');
    expect(drain(whole.idle()!)).toBeNull();
    expect(recordings).toHaveBeenCalledTimes(1); // it ran
    recordings.mockRestore();
    expect(whole.idle()).toBeNull(); // done: once
    expect(pageLoad(whole)).toEqual(cold);

    const part = createEngine(() => null);
    part.warmUp(WARM);
    const job = part.idle()!;
    for (let i = 0; i < 3; i++) expect(job.next(false).done).toBe(false);
    expect(pageLoad(part)).toEqual(cold);
    // The load ended it: its next slice returns, and there is no idle work left.
    expect(job.next(false).done).toBe(true);
    expect(part.idle()).toBeNull();
  });

  it('a run ends it too; other requests leave it to go on', () => {
    const e = createEngine(() => null);
    e.warmUp(WARM);
    const job = e.idle()!;
    job.next(false);
    e.handle({ kind: 'lines' });
    expect(job.next(false).done).toBe(false);
    e.handle({ kind: 'run', source: HELLO });
    expect(job.next(false).done).toBe(true);
    expect(e.idle()).toBeNull();
  });

  it('a lesson plan takes its place: the same idle job goes on recording the plan\'s program', () => {
    const e = createEngine(() => null);
    e.warmUp(WARM);
    const job: Job = e.idle()!;
    job.next(false);
    const recordings = vi.spyOn(Player.prototype, 'recording');
    e.handle({ kind: 'lesson-plan', programs: [{ init: GETPID, steps: [] }], now: true });
    expect(drain(job)).toBeNull();
    expect(recordings).toHaveBeenCalledTimes(1);
    expect(recordings.mock.calls[0][0]).toEqual(GETPID);
    recordings.mockRestore();
    // The load finds the plan's recording made: no recording of its own.
    const again = vi.spyOn(Player.prototype, 'recording');
    const r = e.handle({ kind: 'load', init: GETPID }) as PlayerLoad;
    expect(r.ok).toBe(true);
    expect(again).not.toHaveBeenCalled();
    again.mockRestore();
  });

  it('starts after the quiet time once armed (not at once), and the load after it is the same', async () => {
    const e = createEngine(() => null);
    e.warmUp(WARM);
    const recordings = vi.spyOn(Player.prototype, 'recording');
    const runner = new JobRunner(e.job, undefined, e.idle, 60, e.idleNow);
    runner.armIdle();
    await new Promise((r) => setTimeout(r, 20));
    expect(recordings).not.toHaveBeenCalled(); // still the quiet time
    for (let i = 0; i < 100 && recordings.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(recordings).toHaveBeenCalledTimes(1);
    recordings.mockRestore();
    const loaded = await runner.submit({ kind: 'load', init: GETPID }) as PlayerLoad;
    expect(loaded).toEqual(createEngine(() => null).handle({ kind: 'load', init: GETPID }));
  });
});
