import { describe, it, expect } from 'vitest';
import { JobRunner } from '../../../src/ui/worker/slices.ts';
import { createEngine } from '../../../src/ui/worker/core.ts';
import type { RunResult } from '../../../src/engine/session.ts';
import type { PlayerLoad } from '../../../src/engine/player/player.ts';

const RUNAWAY = '_start:\n    jmp _start\n';
const HELLO = '_start:\n    mov rdi, 7\n    mov rax, SYS_exit\n    syscall\n';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JobRunner: requests in time slices, stop ends the one in flight', () => {
  it('a runaway run stops within 100 ms of stop(), says so, and the next run answers at once', async () => {
    const runner = new JobRunner(createEngine(() => null).job);
    const t0 = performance.now();
    const runaway = runner.submit({ kind: 'run', source: RUNAWAY }) as Promise<RunResult>;
    await sleep(150);
    const tStop = performance.now();
    runner.stop();
    const r = await runaway;
    const stopMs = performance.now() - tStop;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toMatch(/stopped: interrupted after \d+ instructions/);
    // It ran (more than one slice) and stopped far short of the 50 M budget.
    expect(r.instructions).toBeGreaterThan(200_000);
    expect(r.instructions).toBeLessThan(50_000_000);
    expect(stopMs).toBeLessThan(100);
    const t1 = performance.now();
    const next = await (runner.submit({ kind: 'run', source: HELLO }) as Promise<RunResult>);
    expect(next.exitCode).toBe(7);
    expect(performance.now() - t1).toBeLessThan(1000);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('a recording stops too and stays seekable up to where it stopped', async () => {
    const engine = createEngine(() => null);
    const runner = new JobRunner(engine.job);
    const load = runner.submit({ kind: 'load', init: { source: RUNAWAY } }) as Promise<PlayerLoad>;
    await sleep(150);
    runner.stop();
    const r = await load;
    expect(r.ok && r.stopped).toBe('cancelled');
    if (!r.ok) return;
    expect(r.finished).toBe(false);
    expect(r.instructions).toBeLessThan(50_000_000);
    const at = await runner.submit({ kind: 'seek', seq: r.total - 1 }) as { event: { type: string } | null };
    expect(at.event?.type).toBe('instr');
  });

  it('stop() with nothing in flight changes nothing', async () => {
    const runner = new JobRunner(createEngine(() => null).job);
    runner.stop();
    const r = await (runner.submit({ kind: 'run', source: HELLO }) as Promise<RunResult>);
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toBe('');
  });
});
