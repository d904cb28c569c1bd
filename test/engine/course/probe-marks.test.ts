// A step probe that gets the kinds it does not build as marks (type and cycles: what the worker's
// lesson-step replay sends) reaches the same cursor and figures as one fed every event.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Session, assembleSource } from '../../../src/engine/session.ts';
import { ArraySink } from '../../../src/engine/trace/events.ts';
import { StepProbe } from '../../../src/engine/course/probe.ts';
import type { EventMatch } from '../../../src/engine/trace/match.ts';

function events(sample: string) {
  const a = assembleSource(readFileSync(`samples/${sample}`, 'utf8'), sample);
  if (!a.ok) throw new Error(a.diagnostics);
  const sink = new ArraySink();
  new Session(a.program, { sink }).run(2_000_000);
  return sink.events;
}

const CASES: [string, EventMatch[], number][] = [
  // A span from the first syscall to the VMCALL exit and its entry (cost.* figures read the
  // cycles of the event just before, often an instr or ring event: a marked kind).
  ['getpid-dune.s', [{ type: 'libdune', fn: 'dune_init_and_enter' }, { type: 'vmexit', name: 'VMCALL' }], 0],
  ['hello-linux.s', [{ type: 'syscall', name: 'write' }], 0],
  ['pgfault-dune.s', [{ type: 'ring', to: 0 }, { type: 'walk' }, { type: 'vmexit' }], 1],
];

describe('StepProbe with marks', () => {
  it.each(CASES)('%s: the same cursor and values as with every event built', (sample, at, spanFrom) => {
    const all = events(sample);
    const full = new StepProbe(at, spanFrom), marked = new StepProbe(at, spanFrom);
    const built = marked.builds();
    for (const e of all) {
      full.feed(e);
      if (built.has(e.type)) marked.feed(e); else marked.mark(e.type, e.cycles);
    }
    expect(full.cursor).not.toBeNull();
    expect(marked.cursor?.seq).toBe(full.cursor?.seq);
    expect(marked.values()).toEqual(full.values());
    // The figures do depend on the marked kinds (counted, and their cycles start spans).
    expect(Object.keys(full.values()).some((k) => k === 'count.instr')).toBe(true);
  });
});
