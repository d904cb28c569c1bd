// The non-root controls the CPU consults, unit by unit (SDM Vol. 3C "VM-Execution Controls"):
// the exception bitmap with the #PF error-code mask/match rule, the MSR bitmap's four quarters,
// what the vmexit event carries, and the EFER exit controls.

import { describe, it, expect } from 'vitest';
import { makeGuest, ofType } from '../harness.ts';
import { VMCS, PROC, PROC2, EXIT_CTL } from '../../../src/engine/arch/vmx.ts';
import { EFER, VEC } from '../../../src/engine/arch/x86.ts';
import { RAX } from '../../../src/engine/asm/ir.ts';
import { Machine } from '../../../src/engine/machine.ts';
import { VmExit } from '../../../src/engine/cpu/fault.ts';

const EXIT = '  mov rax, 60\n  xor edi, edi\n  vmcall\n';

describe('exception bitmap and the #PF error-code rule', () => {
  const g = makeGuest(`_start:\n${EXIT}`);
  g.run();
  const vx = g.m.vmx;
  it('#PF: bit 14 = 1 exits iff (PFEC & mask) == match; bit 14 = 0 exits iff it differs', () => {
    vx.pfecMask = 0x2; vx.pfecMatch = 0x2; // write faults
    vx.excBitmap = 1 << VEC.PF;
    expect([vx.exceptionExits(VEC.PF, 0x6), vx.exceptionExits(VEC.PF, 0x4)]).toEqual([true, false]);
    vx.excBitmap = 0;
    expect([vx.exceptionExits(VEC.PF, 0x6), vx.exceptionExits(VEC.PF, 0x4)]).toEqual([false, true]);
  });
  it('other vectors follow their bit only (the error code does not matter)', () => {
    vx.pfecMask = 0; vx.pfecMatch = 0;
    vx.excBitmap = (1 << VEC.BP) | (1 << VEC.GP);
    expect([VEC.DE, VEC.BP, VEC.UD, VEC.GP].map((v) => vx.exceptionExits(v, 0))).toEqual([false, true, false, true]);
    expect(vx.exceptionExits(VEC.PF, 0)).toBe(false); // bit 14 clear and 0 & 0 == 0
  });
});

describe('MSR bitmap (read-low 0x000, read-high 0x400, write-low 0x800, write-high 0xC00)', () => {
  const g = makeGuest(`_start:\n${EXIT}`);
  g.run();
  const vx = g.m.vmx, mem = g.m.mem;
  const base = vx.msrBitmap;
  const clear = (off: number, msr: number) => mem.write8(base + off + (msr >> 3), mem.read8(base + off + (msr >> 3)) & ~(1 << (msr & 7)));
  it('every quarter is its own: clearing one bit lets exactly that access through', () => {
    clear(0x000, 0x10); // read of IA32_TIME_STAMP_COUNTER (low range)
    clear(0xc00, 0x101); // write of GS.base (0xC0000101, high range)
    expect([vx.msrExits(0x10, false), vx.msrExits(0x10, true)]).toEqual([false, true]);
    expect([vx.msrExits(0xc0000101, false), vx.msrExits(0xc0000101, true)]).toEqual([true, false]);
    expect(vx.msrExits(0x11, false)).toBe(true); // the next bit is still set
  });
  it('the ends of the two ranges are in the bitmap; outside them every access exits', () => {
    clear(0x000, 0x1fff); clear(0x400, 0x1fff);
    expect([vx.msrExits(0x1fff, false), vx.msrExits(0xc0001fff, false)]).toEqual([false, false]);
    expect([vx.msrExits(0x2000, false), vx.msrExits(0xc0002000, false), vx.msrExits(0xbfffffff, false)]).toEqual([true, true, true]);
  });
  it('without "use MSR bitmaps" every RDMSR and WRMSR exits', () => {
    const proc = vx.proc;
    vx.proc = proc & ~PROC.USE_MSR_BITMAPS;
    expect([vx.msrExits(0x10, false), vx.msrExits(0xc0000101, true)]).toEqual([true, true]);
    vx.proc = proc;
  });
});

describe('the vmexit event', () => {
  it('VMCALL: no gpa, gla or intrInfo; EXCEPTION_NMI carries intrInfo', () => {
    const g = makeGuest(`_start:\n  vmcall\n  int3\n${EXIT}`, { excBitmap: 1 << VEC.BP, onExit: (_g, e) => (e.reason === 18 && _g.exits.length === 1 ? 'resume' : 'stop') });
    g.run();
    const [call, bp] = ofType(g.events, 'vmexit');
    expect(call).toMatchObject({ reason: 18, name: 'VMCALL', qualification: '0x0', instrLen: 3, fromCpl: 0 });
    for (const k of ['gpa', 'gla', 'intrInfo']) expect(call).not.toHaveProperty(k);
    expect(bp).toMatchObject({ reason: 0, name: 'EXCEPTION_NMI', intrInfo: '0x80000603' });
    expect(g.m.vmexits).toMatchObject({ VMCALL: 1, EXCEPTION_NMI: 1 });
  });
  it('EPT_VIOLATION: gpa and gla', () => {
    let hole = 0;
    const probe = makeGuest(`.data\nx: .quad 1\n.text\n_start:\n  mov rax, [x]\n${EXIT}`);
    hole = probe.gpaOf.get(probe.prog.data.base)!;
    const g = makeGuest(`.data\nx: .quad 1\n.text\n_start:\n  mov rax, [x]\n${EXIT}`, { eptHoles: (gpa) => gpa === hole });
    g.run();
    expect(ofType(g.events, 'vmexit')[0]).toMatchObject({ name: 'EPT_VIOLATION', gpa: '0x' + hole.toString(16), gla: '0x401000' });
  });
});

describe('EFER at VM exit ("save IA32_EFER", "load IA32_EFER")', () => {
  const run = (ctl: number) => {
    let first = true;
    // After the first VMCALL the guest clears EFER.NXE itself (WRMSR of EFER passes through).
    const g = makeGuest(`_start:\n  vmcall\n  mov ecx, 0xc0000080\n  rdmsr\n  and eax, 0xfffff7ff\n  wrmsr\n${EXIT}`, {
      msrPass: [0xc0000080],
      onExit: (gg, e) => {
        if (e.reason !== 18 || !first) return 'stop';
        first = false;
        const v = gg.m.vmx;
        v.vmwrite(VMCS.VM_EXIT_CONTROLS, v.current!.read(VMCS.VM_EXIT_CONTROLS) | BigInt(ctl));
        v.vmwrite(VMCS.HOST_IA32_EFER, BigInt(EFER.LME | EFER.LMA | EFER.SCE | EFER.FFXSR));
        v.vmwrite(VMCS.GUEST_IA32_EFER, BigInt(EFER.LME | EFER.LMA | EFER.SCE | EFER.NXE));
        gg.m.cpu.set(RAX, 0n);
        return 'resume';
      },
    });
    g.run();
    return { efer: g.m.cpu.efer, saved: Number(g.m.vmx.current!.read(VMCS.GUEST_IA32_EFER)) };
  };
  it('with both: the guest EFER is saved (NXE cleared by the guest) and the host EFER (with FFXSR) loaded', () => {
    expect(run(EXIT_CTL.SAVE_EFER | EXIT_CTL.LOAD_EFER)).toEqual({ efer: EFER.LME | EFER.LMA | EFER.SCE | EFER.FFXSR, saved: EFER.LME | EFER.LMA | EFER.SCE });
  });
  it('with neither: EFER keeps the guest value and the VMCS keeps the value written before entry', () => {
    expect(run(0)).toEqual({ efer: EFER.LME | EFER.LMA | EFER.SCE, saved: EFER.LME | EFER.LMA | EFER.SCE | EFER.NXE });
  });
});

describe('VM entry: what it reads only when enabled, and the activity state', () => {
  const stopped = () => {
    const g = makeGuest(`_start:\n${EXIT}`);
    g.run();
    return g;
  };
  it('the EPTP is not checked when "enable EPT" is 0', () => {
    const g = stopped(), v = g.m.vmx;
    v.vmwrite(VMCS.SECONDARY_VM_EXEC_CONTROL, v.current!.read(VMCS.SECONDARY_VM_EXEC_CONTROL) & ~BigInt(PROC2.ENABLE_EPT));
    v.vmwrite(VMCS.EPT_POINTER, 0x1234n); // memory type 4, walk length 7: invalid if it were used
    expect(v.vmresume()).toEqual({ ok: true });
    expect(v.eptOn).toBe(false);
  });
  it('activity state 1 (HLT) enters halted; 0 enters active', () => {
    const g = stopped(), v = g.m.vmx;
    v.vmwrite(VMCS.GUEST_ACTIVITY_STATE, 1n);
    expect(v.vmresume()).toEqual({ ok: true });
    expect(g.m.cpu.halted).toBe(true);
    const h = stopped();
    expect(h.m.vmx.vmresume()).toEqual({ ok: true });
    expect(h.m.cpu.halted).toBe(false);
  });
  it('VMLAUNCH marks the VMCS launched; a failed one does not', () => {
    const g = stopped(), v = g.m.vmx, cur = v.current!;
    v.vmclear(cur); v.vmptrld(cur);
    v.vmwrite(VMCS.VIRTUAL_PROCESSOR_ID, 0n);
    expect(v.vmlaunch().ok).toBe(false);
    expect(cur.launched).toBe(false);
    v.vmwrite(VMCS.VIRTUAL_PROCESSOR_ID, 1n);
    expect(v.vmlaunch()).toEqual({ ok: true });
    expect(cur.launched).toBe(true);
  });
});

describe('edges the first mutation runs found', () => {
  const stopped = () => {
    const g = makeGuest(`_start:\n${EXIT}`);
    g.run();
    return g;
  };
  it('a fresh machine is outside VMX operation, with no EPT, VPID or CR3 targets', () => {
    const vx = new Machine().vmx;
    expect([vx.on, vx.nonRoot, vx.eptOn, vx.vpidOn, vx.cr3Targets, vx.current]).toEqual([false, false, false, false, [], null]);
  });
  it('the #PF rule is for #PF only: with mask = match = 1, #BP still follows its bit', () => {
    const vx = stopped().m.vmx;
    vx.pfecMask = 1; vx.pfecMatch = 1; vx.excBitmap = 1 << VEC.BP;
    expect([vx.exceptionExits(VEC.BP, 0), vx.exceptionExits(VEC.UD, 0)]).toEqual([true, false]);
  });
  it('external-interrupt exiting follows its pin-based control', () => {
    const vx = stopped().m.vmx;
    expect(vx.extIntExiting()).toBe(true);
    vx.pin = 0;
    expect(vx.extIntExiting()).toBe(false);
  });
  it('MSR 0xC0000000 is the first of the high range; above 0xC0001FFF nothing is looked up', () => {
    const g = stopped(), vx = g.m.vmx, mem = g.m.mem, base = vx.msrBitmap;
    mem.write8(base + 0x400, mem.read8(base + 0x400) & ~1); // read of 0xC0000000
    mem.write8(base + 0x800, mem.read8(base + 0x800) & ~1); // write of MSR 0
    expect(vx.msrExits(0xc0000000, false)).toBe(false);
    expect(vx.msrExits(0xc0002000, false)).toBe(true);
  });
  it('host RIP 0 and guest RIP 0 are canonical: the entry goes ahead', () => {
    const g = stopped(), v = g.m.vmx;
    v.vmwrite(VMCS.HOST_RIP, 0n);
    v.vmwrite(VMCS.GUEST_RIP, 0n);
    expect(v.vmresume()).toEqual({ ok: true });
  });
  it('a VM entry and a VM exit each add their cost', () => {
    const g = stopped(), v = g.m.vmx, c0 = g.m.cycles;
    expect(v.vmresume()).toEqual({ ok: true });
    expect(g.m.cycles - c0).toBe(g.m.costs.vmentry);
    v.exit(new VmExit(70));
    expect(g.m.cycles - c0).toBe(g.m.costs.vmentry + g.m.costs.vmexit);
    expect(ofType(g.events, 'vmexit').at(-1)).toMatchObject({ reason: 70, name: 'reason 70' });
    expect(g.m.vmexits['reason 70']).toBe(1);
  });
  it('the CR3-target values go through a checkpoint', () => {
    const g = stopped(), vx = g.m.vmx;
    vx.cr3Targets = [0x5000n];
    const saved = vx.save();
    vx.cr3Targets = [];
    vx.restore(saved);
    expect(vx.cr3Targets).toEqual([0x5000n]);
  });
});
