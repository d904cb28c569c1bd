import { describe, it, expect } from 'vitest';
import { matches, ChainMatcher, describeMatch } from '../../../src/engine/trace/match.ts';
import type { TraceEvent } from '../../../src/engine/trace/events.ts';

// Events written out by hand, as the trace documents them (cli-and-trace.md).
const base = { cycles: 100, vmx: 'non-root', cpl: 0 } as const;
const exitEpt: TraceEvent = { ...base, seq: 1, vmx: 'root', type: 'vmexit', reason: 48, name: 'EPT_VIOLATION', qualification: '0x181', instrLen: 0, rip: '0x400005', gpa: '0x401000', gla: '0x401000' };
const exitCall: TraceEvent = { ...base, seq: 5, vmx: 'root', type: 'vmexit', reason: 18, name: 'VMCALL', qualification: '0x0', instrLen: 3, rip: '0x300200' };
const walk24: TraceEvent = { ...base, seq: 2, type: 'walk', va: '0x401000', refs: Array.from({ length: 24 }, (_, i) => ({ space: i % 5 === 4 ? 'guest' : 'ept', level: 4 - (i % 4), addr: '0x1000', value: '0x7' })), result: '0x1d000', fault: null };
const walk3: TraceEvent = { ...base, seq: 3, type: 'walk', va: '0x402000', refs: walk24.type === 'walk' ? walk24.refs.slice(0, 3) : [], result: null, fault: 'EPT violation at EPT level 1' };
const instr: TraceEvent = { ...base, seq: 4, type: 'instr', rip: '0x40000d', text: 'mov rax, [buf + 8]' };

describe('matches', () => {
  it('compares type and scalar fields by equality', () => {
    expect(matches(exitCall, { type: 'vmexit', name: 'VMCALL' })).toBe(true);
    expect(matches(exitCall, { type: 'vmexit', reason: 18, instrLen: 3, vmx: 'root' })).toBe(true);
    expect(matches(exitCall, { type: 'vmexit', reason: 48 })).toBe(false);
    expect(matches(exitCall, { type: 'vmentry' })).toBe(false);
    expect(matches(exitCall, { type: 'vmexit', cpl: 3 })).toBe(false);
  });
  it('counts walk references exactly, at least and at most', () => {
    expect(matches(walk24, { type: 'walk', refs: 24 })).toBe(true);
    expect(matches(walk3, { type: 'walk', refs: 24 })).toBe(false);
    expect(matches(walk3, { type: 'walk', maxRefs: 3, fault: 'EPT violation at EPT level 1' })).toBe(true);
    expect(matches(walk3, { type: 'walk', minRefs: 4 })).toBe(false);
    expect(matches(walk24, { type: 'walk', fault: null })).toBe(true);
    expect(matches(walk3, { type: 'walk', fault: null })).toBe(false);
  });
  it('tests bits of a hex field: 0x181 has bits 0, 7 and 8 set, 1 and 2 clear', () => {
    expect(matches(exitEpt, { type: 'vmexit', bits: { qualification: { set: [0, 7, 8], clear: [1, 2] } } })).toBe(true);
    expect(matches(exitEpt, { type: 'vmexit', bits: { qualification: { set: [1] } } })).toBe(false);
    expect(matches(exitEpt, { type: 'vmexit', bits: { qualification: { clear: [8] } } })).toBe(false);
    expect(matches(exitEpt, { type: 'vmexit', bits: { nosuch: { set: [0] } } })).toBe(false);
  });
  it('finds substrings of an instruction\'s text and excludes with not', () => {
    expect(matches(instr, { type: 'instr', contains: '[buf + 8]' })).toBe(true);
    expect(matches(instr, { type: 'instr', contains: '[buf + 4096]' })).toBe(false);
    expect(matches(exitEpt, { type: 'vmexit', not: { name: 'EPT_VIOLATION' } })).toBe(false);
    expect(matches(exitCall, { type: 'vmexit', not: { name: 'EPT_VIOLATION' } })).toBe(true);
  });
});

describe('ChainMatcher', () => {
  const events = [exitEpt, walk24, walk3, instr, exitCall];
  it('matches each pattern after the previous one', () => {
    const c = new ChainMatcher([{ type: 'instr', contains: 'buf + 8' }, { type: 'vmexit' }]);
    const done = events.map((e) => c.feed(e));
    expect(done).toEqual([false, false, false, false, true]);
    expect(c.hits.map((e) => e.seq)).toEqual([4, 5]);
  });
  it('takes the nth match of a pattern', () => {
    const c = new ChainMatcher([{ type: 'walk', nth: 2 }]);
    events.forEach((e) => c.feed(e));
    expect(c.hits.map((e) => e.seq)).toEqual([3]);
  });
  it('is not done when a pattern never matches', () => {
    const c = new ChainMatcher([{ type: 'vmexit', name: 'VMCALL' }, { type: 'walk' }]);
    events.forEach((e) => c.feed(e));
    expect(c.done).toBe(false);
    expect(c.hits.map((e) => e.seq)).toEqual([5]);
  });
  it('describes a pattern in one line', () => {
    expect(describeMatch({ type: 'vmexit', name: 'VMCALL', bits: { qualification: { set: [7] } } })).toBe('vmexit name=VMCALL bits={"qualification":{"set":[7]}}');
  });
});
