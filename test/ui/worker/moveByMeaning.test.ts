// Moving by meaning in a real Dune run (the worker's handler, in-thread): the program's own code
// past libdune's set-up, the next/previous event of a pattern, and the search box.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHandler } from '../../../src/ui/worker/handler.ts';
import { searchPredicate } from '../../../src/engine/trace/match.ts';
import type { TraceEvent } from '../../../src/ui/engineClient.ts';

const base = { seq: 1, cycles: 1, vmx: 'non-root', cpl: 0 } as const;

describe('event patterns', () => {
  it('notName, query (case-insensitive, over names and addresses), vmx', () => {
    const ept = { ...base, type: 'vmexit', reason: 48, name: 'EPT_VIOLATION', qualification: '0x81', gpa: '0x1fa001000', instrLen: 0, rip: '0x400000' } as TraceEvent;
    const call = { ...ept, reason: 18, name: 'VMCALL', gpa: undefined } as unknown as TraceEvent;
    const notEpt = searchPredicate({ type: 'vmexit', not: { name: 'EPT_VIOLATION' } });
    expect([notEpt(ept), notEpt(call)]).toEqual([false, true]);
    expect(searchPredicate({ query: 'vmcall' })(call)).toBe(true);
    expect(searchPredicate({ query: '0x1FA001' })(ept)).toBe(true);
    expect(searchPredicate({ query: '0x1fa001' })(call)).toBe(false);
    expect(searchPredicate({ type: 'vmexit', vmx: 'root' })(ept)).toBe(false);
  });
});

describe('moving by meaning in getpid-dune.s', () => {
  const h = createHandler();
  const load = h({ kind: 'load', init: { source: readFileSync('samples/getpid-dune.s', 'utf8') } }) as { ok: true; total: number };
  const at = (seq: number) => (h({ kind: 'seek', seq }) as { event: TraceEvent; line: number | null });

  it("jumps to the program's own code past dune_init_and_enter: line 8, in VMX non-root ring 0", () => {
    expect(load.ok).toBe(true);
    h({ kind: 'seek', seq: 0 });
    const seq = h({ kind: 'find', dir: 1, step: 'program' }) as number;
    const r = at(seq);
    expect(r.event).toMatchObject({ type: 'instr', vmx: 'non-root', cpl: 0 });
    expect(r.event.type === 'instr' && r.event.text).toMatch(/^test rax, rax/);
    expect(r.line).toBe(8);
  });

  it('one press reaches the VMCALL exit past the EPT violations, and back', () => {
    h({ kind: 'seek', seq: 0 });
    const seq = h({ kind: 'match', from: 1, match: { type: 'vmexit', not: { name: 'EPT_VIOLATION' } } }) as number;
    expect(at(seq).event).toMatchObject({ type: 'vmexit', name: 'VMCALL', reason: 18 });
    const back = h({ kind: 'match', from: seq, match: { type: 'vmexit' }, dir: -1 }) as number;
    expect(back).toBeLessThan(seq);
    expect(at(back).event).toMatchObject({ type: 'vmexit', name: 'EPT_VIOLATION' });
    const found = h({ kind: 'match', from: 1, match: { type: 'syscall', query: 'GETPID' } }) as number;
    expect(at(found).event).toMatchObject({ type: 'syscall', name: 'getpid', via: 'vmcall' });
  });
});
