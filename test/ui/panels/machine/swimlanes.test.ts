import { describe, it, expect } from 'vitest';
import { laneSegments } from '../../../../src/ui/panels/machine/swimlanes.ts';
import type { TraceEvent } from '../../../../src/ui/engineClient.ts';

const ev = (seq: number, cycles: number, vmx: 'root' | 'non-root', cpl: 0 | 3, body: object) =>
  ({ seq, cycles, vmx, cpl, ...body }) as TraceEvent;

describe('swimlanes', () => {
  // A Dune getpid by hand: entry to the guest, SYSCALL in guest ring 0 (no transition), the
  // VMCALL exit to the host, the system call there, the entry back.
  const marks = [
    ev(10, 1000, 'non-root', 0, { type: 'vmentry', kind: 'launch', rip: '0x0' }),
    ev(20, 1600, 'root', 0, { type: 'vmexit', reason: 18, name: 'VMCALL', qualification: '0x0', instrLen: 3, rip: '0x0' }),
    ev(21, 1700, 'root', 0, { type: 'syscall', nr: 39, name: 'getpid', args: [], ret: '0x1', via: 'vmcall' }),
    ev(30, 1900, 'non-root', 0, { type: 'vmentry', kind: 'resume', rip: '0x0' }),
    ev(31, 1900, 'non-root', 0, { type: 'libdune', fn: 'dune_printf', args: [], ret: null }),
  ];
  it('one stay per transition, in the lane of the state after it, lasting until the next', () => {
    expect(laneSegments(marks, 25, 2500)).toEqual([
      { lane: 'nonroot-0', from: 1000, to: 1600, seq: 10, label: 'VMLAUNCH', cost: 600 },
      { lane: 'root-0', from: 1600, to: 1700, seq: 20, label: 'VMCALL', cost: 100 },
      { lane: 'root-0', from: 1700, to: 1900, seq: 21, label: 'getpid (vmcall)', cost: 200 },
      { lane: 'nonroot-0', from: 1900, to: 2500, seq: 30, label: 'VMRESUME', cost: 600 },
    ]);
  });
  it('keeps a window of transitions around the cursor', () => {
    expect(laneSegments(marks, 25, 2500, 1).map((s) => s.seq)).toEqual([20, 21, 30]);
  });
});
