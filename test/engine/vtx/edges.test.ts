// Edges of the VMX controls the other tests leave open: CR3-store exiting's qualification (SDM
// Vol. 3C "Exit Qualification for Control-Register Accesses") and the CR3-target count limit of
// the VM-entry checks on controls (at most 4; more is VMfailValid with error 7).

import { describe, it, expect } from 'vitest';
import { makeGuest, ofType } from '../harness.ts';
import { VMCS, PROC } from '../../../src/engine/arch/vmx.ts';
import { RAX } from '../../../src/engine/asm/ir.ts';

describe('CR3-store exiting', () => {
  it('MOV from CR3 exits with CR_ACCESS: CR 3, access type 1 (MOV from CR) in bits 5:4, RBX in bits 11:8', () => {
    let first = true;
    const g = makeGuest(`_start:\n  vmcall\nrd:\n  mov rbx, cr3\n  mov rax, 60\n  xor edi, edi\n  vmcall\n`, {
      onExit: (gg, e) => {
        if (e.reason === 18 && first) {
          first = false;
          const proc = gg.m.vmx.current!.read(VMCS.CPU_BASED_VM_EXEC_CONTROL);
          gg.m.vmx.vmwrite(VMCS.CPU_BASED_VM_EXEC_CONTROL, proc | BigInt(PROC.CR3_STORE_EXITING));
          return 'resume';
        }
        return e.reason === 18 && gg.m.cpu.lo[RAX] !== 60 ? 'resume' : 'stop';
      },
    });
    g.run();
    const cr = g.exits.find((e) => e.reason === 28)!;
    expect(cr).toMatchObject({ qual: 0x313, rip: Number(g.prog.symbols.get('rd')), len: 3 });
  });
});

describe('CR3-load exiting and the CR3-target values', () => {
  /** The guest loads CR3 with its own value, then with that value + 0x1000 (both exit unless a
   *  target); CR3-load exiting is turned on at the first VMCALL, with `targets` as the values. */
  const run = (targets: (g: ReturnType<typeof makeGuest>) => bigint[]) => {
    let first = true;
    const g = makeGuest(`_start:\n  vmcall\n  mov rbx, cr3\nsame:\n  mov cr3, rbx\n  add rbx, 0x1000\nother:\n  mov cr3, rbx\n  mov rax, 60\n  xor edi, edi\n  vmcall\n`, {
      onExit: (gg, e) => {
        if (e.reason === 18 && first) {
          first = false;
          const v = gg.m.vmx, t = targets(gg);
          v.vmwrite(VMCS.CPU_BASED_VM_EXEC_CONTROL, v.current!.read(VMCS.CPU_BASED_VM_EXEC_CONTROL) | BigInt(PROC.CR3_LOAD_EXITING));
          v.vmwrite(VMCS.CR3_TARGET_COUNT, BigInt(t.length));
          t.forEach((x, i) => v.vmwrite([VMCS.CR3_TARGET_VALUE0, VMCS.CR3_TARGET_VALUE1, VMCS.CR3_TARGET_VALUE2, VMCS.CR3_TARGET_VALUE3][i], x));
          return 'resume';
        }
        return e.reason === 28 || (e.reason === 18 && gg.m.cpu.lo[RAX] !== 60) ? 'resume' : 'stop';
      },
    });
    g.run();
    return g.exits.filter((e) => e.reason === 28).map((e) => [e.rip, e.qual]);
  };
  const at = (g: ReturnType<typeof makeGuest>, l: string) => Number(g.prog.symbols.get(l));
  it('no targets: both loads exit (CR 3, access type 0, RBX 3 in bits 11:8: qualification 0x303)', () => {
    let g!: ReturnType<typeof makeGuest>;
    const exits = run((gg) => { g = gg; return []; });
    expect(exits).toEqual([[at(g, 'same'), 0x303], [at(g, 'other'), 0x303]]);
  });
  it('the guest CR3 as target value 2 of 3: that load does not exit, the other does', () => {
    let g!: ReturnType<typeof makeGuest>;
    const exits = run((gg) => { g = gg; return [0x5000n, 0x6000n, BigInt(gg.gcr3)]; });
    expect(exits).toEqual([[at(g, 'other'), 0x303]]);
  });
  it('a target beyond the count does not count', () => {
    let g!: ReturnType<typeof makeGuest>;
    const exits = run((gg) => {
      g = gg;
      gg.m.vmx.vmwrite(VMCS.CR3_TARGET_VALUE1, BigInt(gg.gcr3));
      return [0x5000n];
    });
    expect(exits).toEqual([[at(g, 'same'), 0x303], [at(g, 'other'), 0x303]]);
  });
});

describe('VM-entry checks: CR3-target count', () => {
  const stopped = () => {
    const g = makeGuest(`_start:\n  mov rax, 60\n  xor edi, edi\n  vmcall\n`);
    g.run();
    return g;
  };
  it('4 CR3-target values are allowed', () => {
    const g = stopped();
    g.m.vmx.vmwrite(VMCS.CR3_TARGET_COUNT, 4n);
    expect(g.m.vmx.vmresume()).toEqual({ ok: true });
  });
  it('5 fail the entry: VMfailValid, VM-instruction error 7 (invalid control field)', () => {
    const g = stopped();
    g.m.vmx.vmwrite(VMCS.CR3_TARGET_COUNT, 5n);
    expect(g.m.vmx.vmresume()).toMatchObject({ ok: false, error: 7 });
    expect(g.m.vmx.current!.read(VMCS.VM_INSTRUCTION_ERROR)).toBe(7n);
    expect(g.m.vmx.nonRoot).toBe(false);
    expect(ofType(g.events, 'vmfail').at(-1)).toMatchObject({ error: 7 });
  });
});
