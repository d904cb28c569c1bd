import { describe, it, expect } from 'vitest';
import { LESSONS } from '../../src/lessons/index.ts';
import { createHandler } from '../../src/ui/worker/handler.ts';
import type { TraceEvent } from '../../src/engine/trace/events.ts';

// Plays every step of every lesson against the real engine, as the lesson player does, and checks
// that each step's event exists and is what the step's text talks about.
describe.each(LESSONS.map((l) => [l.id, l] as const))('lesson %s', (_id, lesson) => {
  it('every step runs its program and finds its event', { timeout: 120_000 }, () => {
    const h = createHandler();
    let cursor = -1;
    const found: TraceEvent[] = [];
    for (const step of lesson.steps) {
      if (step.program) {
        const r = h({ kind: 'load', init: { source: step.program.source ?? '', file: 'lesson.s', knobs: step.program.knobs } }) as { ok: boolean };
        expect(r.ok, `${step.id}: program loads`).toBe(true);
        cursor = -1;
      }
      if (step.goTo) {
        const seq = h({ kind: 'match', from: step.goTo.fromStart ? 0 : cursor + 1, match: step.goTo }) as number | null;
        expect(seq, `${step.id}: finds ${JSON.stringify(step.goTo)}`).not.toBeNull();
        const at = h({ kind: 'seek', seq: seq! }) as { event: TraceEvent };
        found.push(at.event);
        cursor = seq!;
      }
    }
    if (lesson.id === 'syscall-hypercall') {
      expect(found.map((e) => e.type)).toEqual(['vmentry', 'instr', 'instr', 'vmexit', 'syscall', 'vmentry', 'syscall']);
      expect(found[3]).toMatchObject({ name: 'VMCALL', instrLen: 3 });
      expect(found[6]).toMatchObject({ via: 'syscall', vmx: 'root' });
    } else {
      const grid = found.find((e) => e.type === 'walk' && e.refs.length === 24);
      expect(grid).toBeTruthy();
      const cached = found.at(-1)!;
      expect(cached.type === 'walk' && cached.refs.length < 24).toBe(true);
    }
  });
});
