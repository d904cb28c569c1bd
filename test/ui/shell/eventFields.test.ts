import { describe, it, expect } from 'vitest';
import { eventRows } from '../../../src/ui/shell/eventFields.ts';
import type { TraceEvent } from '../../../src/ui/engineClient.ts';

const base = { seq: 7, cycles: 100, vmx: 'root', cpl: 0 } as const;

describe('the event detail speaks plainly', () => {
  it('a VMCALL exit: the reason as the SDM writes it, the length in bytes, the ring it came from', () => {
    const e = { ...base, type: 'vmexit', reason: 18, name: 'VMCALL', qualification: '0x0', instrLen: 3, rip: '0x400010', fromCpl: 0 } as unknown as TraceEvent;
    expect(eventRows(e).map(([, l, v]) => `${l}: ${v}`)).toEqual([
      'exit reason: VM_EXIT_REASON 18 (VMCALL)', 'exit qualification: 0x0', 'instruction length: 3 bytes', 'at RIP: 0x400010', 'from: VMX non-root, ring 0',
    ]);
  });

  it('an EPT violation or a hardware exception: the SDM leaves the instruction length undefined, and the detail says so', () => {
    const ept = { ...base, type: 'vmexit', reason: 48, name: 'EPT_VIOLATION', qualification: '0x181', gpa: '0x1000', instrLen: 0, rip: '0x400010', fromCpl: 3 } as unknown as TraceEvent;
    const len = (e: TraceEvent) => eventRows(e).find(([k]) => k === 'instrLen')![2];
    expect(len(ept)).toBe('not defined for this exit (EPT_VIOLATION): the SDM gives a length only for exits an instruction caused');
    // #PF (interruption type 3, hardware exception): undefined; INT3 (type 6, software exception): its length.
    const pf = { ...base, type: 'vmexit', reason: 0, name: 'EXCEPTION_NMI', qualification: '0x0', instrLen: 0, rip: '0x400010', intrInfo: '0x80000b0e' } as unknown as TraceEvent;
    expect(len(pf)).toMatch(/^not defined for this exit \(EXCEPTION_NMI\)/);
    expect(eventRows(pf).find(([k]) => k === 'intrInfo')![1]).toBe('interruption information');
    const int3 = { ...base, type: 'vmexit', reason: 0, name: 'EXCEPTION_NMI', qualification: '0x0', instrLen: 1, rip: '0x400010', intrInfo: '0x80000603' } as unknown as TraceEvent;
    expect(len(int3)).toBe('1 byte');
  });

  it('no raw keys, no JSON arrays, no "null": a system call, a walk that faulted, a libdune entry', () => {
    const evs = [
      { ...base, type: 'syscall', nr: 39, name: 'getpid', args: [], ret: '0x1', via: 'vmcall' },
      { ...base, type: 'walk', va: '0x30053c', refs: [{ space: 'ept', level: 4, addr: '0x2036000', value: '0x0' }], result: null, fault: 'EPT violation at EPT level 4' },
      { ...base, type: 'libdune', fn: 'dune_init', args: ['0x1'], ret: null },
    ] as unknown as TraceEvent[];
    const text = evs.flatMap((e) => eventRows(e).map(([, l, v]) => `${l}: ${v}`));
    expect(text).toEqual([
      'call: getpid (number 39)', 'arguments: none', 'return value: 0x1', 'via: vmcall (VMCALL from the Dune process: a hypercall)',
      'linear address: 0x30053c', 'entries read: 1 of 24 at most (4 natively)', 'host-physical result: none (the walk stopped)', 'stopped by: EPT violation at EPT level 4',
      'function: dune_init', 'arguments: 0x1', 'return value: (entering; returns later)',
    ]);
  });

  it('a field no row names is still shown, under its own key (a loud fallback)', () => {
    const e = { ...base, type: 'ring', from: 3, to: 0, via: 'syscall', extra: 5 } as unknown as TraceEvent;
    expect(eventRows(e).map(([k, l, v]) => `${k}|${l}|${v}`)).toEqual(['from|from|ring 3', 'to|to|ring 0', 'via|via|syscall (the SYSCALL instruction)', 'extra|extra|5']);
  });
});
