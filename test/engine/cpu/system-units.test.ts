// The system instructions (cpu/system.ts) one at a time on a small machine (bare.ts), with the
// values written out by hand from their SDM Vol. 2 pages and Vol. 3C's VM-exit conditions:
// SYSCALL/SYSRET's registers and STAR/LSTAR/FMASK, IRETQ's IOPL and IF rules, the #GP(0) of every
// privileged instruction at CPL 3, the #UD cases, CPUID's table, RDTSC with TSC offsetting,
// RDMSR/WRMSR and the MSR bitmap, INVLPG's address and context, LIDT/LGDT/LTR, MOV to and from CR0
// to CR4 with the guest/host masks and read shadows, CR3-load and CR3-store exiting, and each
// instruction's cycle charge (mutation testing, docs/testing.md).

import { describe, it, expect, vi } from 'vitest';
import { bare, fault, vmexit, COSTS } from './bare.ts';
import { GDT_TSS } from './util.ts';
import { RAX, RCX, RDX, RBX, RSI, RDI, R9, R10, R11, RSP } from '../../../src/engine/asm/ir.ts';
import { MSR, EFER, CR0, CR4, RFLAGS } from '../../../src/engine/arch/x86.ts';
import { PROC, PIN } from '../../../src/engine/arch/vmx.ts';
import { interruptible, takeInterrupt, rdmsr } from '../../../src/engine/cpu/system.ts';
import { CpuFault, VmExit } from '../../../src/engine/cpu/fault.ts';
import { exec } from '../../../src/engine/cpu/system.ts';
import { OPC } from '../../../src/engine/cpu/decode.ts';

const SRC = `
i_syscall: syscall
i_sysret: sysretq
i_iret: iretq
i_hlt: hlt
i_cpuid: cpuid
i_rdtsc: rdtsc
i_rdmsr: rdmsr
i_wrmsr: wrmsr
i_vmcall: vmcall
i_invlpg: invlpg [rbx + rcx*8 + 0x10]
i_invlpg0: invlpg [rax + rax*2]
i_cli: cli
i_sti: sti
i_ud2: ud2
i_lidt: lidt [idtr]
i_lgdt: lgdt [gdtr2]
i_ltr: ltr ax
i_cr0w: mov cr0, rbx
i_cr4w: mov cr4, rsi
i_cr3w: mov cr3, rcx
i_cr2w: mov cr2, rdx
i_cr0r: mov rsi, cr0
i_cr4r: mov rdi, cr4
i_cr3r: mov r9, cr3
i_cr2r: mov r10, cr2
.data
.align 16
idtr: .word 0x0fff
  .quad 0xffff800000001000
gdtr2: .word 0x7f
  .quad 0x5000
badtr: .word 0x10
  .quad 0x0000800000000000
${GDT_TSS}`;

const STACK = 0x7ffffffff000 - 0x100;
/** The diagnostic of a fault (the trace's exception event shows it as "why"). */
const why = (e: unknown) => (e instanceof CpuFault ? e.why : String(e));
const ring = (e: { type: string }) => e.type === 'ring';

describe('SYSCALL', () => {
  function setup(cpl: 0 | 3) {
    const b = bare(SRC, { cpl });
    b.c.msr.set(MSR.IA32_STAR, 0x0023_0013_0000_0000n); // CS = 0x13 & 0xfffc = 0x10, SS = 0x18
    b.c.msr.set(MSR.IA32_LSTAR, 0xffff_8000_0040_1000n);
    b.c.msr.set(MSR.IA32_FMASK, 0xffff_ffff_0000_4700n); // only bits 31:0 count: TF, IF, DF, NT
    b.c.setRflags(0x4f43); // NT, OF, DF, IF, TF, ZF, CF
    return b;
  }

  it('RCX = next RIP, R11 = RFLAGS, RFLAGS &= ~FMASK, CS/SS from STAR[47:32], RIP = LSTAR', () => {
    const b = setup(3), { c, m } = b;
    c.set(RCX, 0xdead_beef_dead_beefn); c.set(R11, 0xdead_beef_dead_beefn);
    const seen = b.mark(), cyc = m.cycles;
    expect(b.step('i_syscall')).toBe(null);
    expect(c.get(RCX)).toBe(BigInt(b.sym('i_syscall') + 2));
    expect(c.get(R11)).toBe(0x4f43n);
    expect(c.rflags()).toBe(0x0843);
    expect([c.cs, c.ss, c.rip]).toEqual([0x10, 0x18, 0x8000_0040_1000]);
    expect(m.cycles - cyc).toBe(COSTS.syscall);
    expect(m.xc.cpl).toBe(0); // the translation context follows the new CPL
    expect(seen().filter(ring)).toMatchObject([{ from: 3, to: 0, via: 'syscall' }]);
  });

  it('from CPL 0: no ring event; EFER.SCE = 0: #UD (no error code)', () => {
    const b = setup(0);
    const seen = b.mark();
    expect(b.step('i_syscall')).toBe(null);
    expect(seen().filter(ring)).toEqual([]);
    const u = setup(3);
    u.c.efer &= ~EFER.SCE;
    const e = u.step('i_syscall');
    expect([fault(e), why(e)]).toEqual([[6, null], 'SYSCALL with EFER.SCE = 0']);
    expect(u.c.rip).toBe(u.sym('i_syscall'));
  });

  it('a new STAR is read after a WRMSR, and each CPU reads its own MSRs', () => {
    const a = setup(3);
    a.step('i_syscall');
    a.c.msr.set(MSR.IA32_STAR, 0x0023_0020_0000_0000n);
    a.ring(3);
    a.step('i_syscall');
    expect([a.c.cs, a.c.ss]).toEqual([0x20, 0x28]);
    const b = setup(3);
    b.c.msr.set(MSR.IA32_STAR, 0x0023_0030_0000_0000n); // as many writes as a's map
    a.ring(3); a.step('i_syscall');
    b.step('i_syscall');
    expect([b.c.cs, b.c.ss]).toEqual([0x30, 0x38]);
  });
});

describe('SYSRET', () => {
  function setup() {
    const b = bare(SRC);
    b.c.msr.set(MSR.IA32_STAR, 0x0020_0013_0000_0000n); // STAR[63:48] = 0x20: CS 0x33, SS 0x2b
    return b;
  }
  it('RIP = RCX, RFLAGS = R11 with RF and VM cleared, CS = STAR[63:48] + 16 | 3, SS = + 8 | 3', () => {
    const b = setup(), { c, m } = b;
    const seen = b.mark(), cyc = m.cycles;
    expect(b.step('i_sysret', { [RCX]: 0xffff_8000_1234_5678n, [R11]: 0xffff_ffff_ffff_ffffn })).toBe(null);
    expect(c.rip).toBe(0x8000_1234_5678);
    expect(c.rflags()).toBe(0x3c7fd7);
    expect([c.cs, c.ss, c.cpl, m.xc.cpl]).toEqual([0x33, 0x2b, 3, 3]);
    expect(m.cycles - cyc).toBe(COSTS.sysret);
    expect(seen().filter(ring)).toMatchObject([{ from: 0, to: 3, via: 'sysret' }]);
    // R11 with only RF and VM: RFLAGS = the fixed bit alone.
    b.ring(0);
    b.step('i_sysret', { [RCX]: 0x401000n, [R11]: BigInt(RFLAGS.RF | RFLAGS.VM) });
    expect([c.rip, c.rflags()]).toEqual([0x401000, 2]);
  });

  it('#UD with EFER.SCE = 0 before the CPL check; #GP(0) at CPL 3; #GP(0) for a non-canonical RCX', () => {
    const b = setup();
    const nc = b.step('i_sysret', { [RCX]: 0x0000_8000_0000_0000n });
    expect([fault(nc), why(nc)]).toEqual([[13, 0], 'SYSRET to a non-canonical RCX']);
    expect(b.step('i_sysret', { [RCX]: 0n })).toBe(null); // address 0 is canonical
    expect(b.c.rip).toBe(0);
    b.ring(3);
    expect(fault(b.step('i_sysret', { [RCX]: 0x401000n }))).toEqual([13, 0]);
    expect(why(b.step('i_sysret'))).toBe('SYSRET at CPL 3 (privileged instruction)');
    b.c.efer &= ~EFER.SCE;
    const ud = b.step('i_sysret');
    expect([fault(ud), why(ud)]).toEqual([[6, null], 'SYSRET with EFER.SCE = 0']);
    expect(b.c.cs).toBe(0x33);
  });

  it('reads STAR again after it changes, and another CPU\'s STAR', () => {
    const a = setup();
    a.step('i_sysret', { [RCX]: 0x401000n });
    const k = bare(SRC);
    k.c.msr.set(MSR.IA32_STAR, 0x0030_0013_0000_0000n); // as many writes as a's map
    k.step('i_sysret', { [RCX]: 0x401000n });
    expect([k.c.cs, k.c.ss]).toEqual([0x43, 0x3b]);
    const b = setup();
    b.step('i_sysret', { [RCX]: 0x401000n });
    b.c.msr.set(MSR.IA32_STAR, 0x0040_0013_0000_0000n);
    b.ring(0);
    b.step('i_sysret', { [RCX]: 0x401000n });
    expect([b.c.cs, b.c.ss]).toEqual([0x53, 0x4b]);
  });
});

describe('IRETQ', () => {
  /** A frame at STACK: RIP, CS, RFLAGS, RSP, SS. */
  function frame(b: ReturnType<typeof bare>, f: bigint[]) {
    f.forEach((v, i) => b.m.write64(STACK + 8 * i, v));
    b.c.setVa(RSP, STACK);
  }
  it('CPL 0 to 3: pops RIP, CS, RFLAGS (IOPL and IF too), RSP, SS; ring event; cycles', () => {
    const b = bare(SRC), { c, m } = b;
    frame(b, [0x401000n, 0x33n, 0x3203n, 0xffff_8000_0000_1000n, 0x2bn]);
    const seen = b.mark(), cyc = m.cycles;
    expect(b.step('i_iret')).toBe(null);
    expect([c.rip, c.cs, c.ss, c.rflags(), c.get(RSP)]).toEqual([0x401000, 0x33, 0x2b, 0x3203, 0xffff_8000_0000_1000n]);
    expect(m.cycles - cyc).toBe(COSTS.iret);
    expect(m.xc.cpl).toBe(3);
    expect(seen().filter(ring)).toMatchObject([{ from: 0, to: 3, via: 'iret' }]);
  });

  it('at CPL 3 IOPL never changes; IF changes only when CPL <= IOPL', () => {
    const b = bare(SRC, { cpl: 3 }), { c } = b;
    c.setRflags(0x202); // IOPL 0, IF 1
    frame(b, [0x401000n, 0x33n, 0x3003n, BigInt(STACK), 0x2bn]);
    const seen = b.mark();
    b.step('i_iret');
    expect(c.rflags()).toBe(0x203); // IOPL 0 and IF 1 kept, CF from the frame
    expect(seen().filter(ring)).toEqual([]);
    c.setRflags(0x3002); // IOPL 3, IF 0: CPL 3 <= IOPL may change IF
    frame(b, [0x401000n, 0x33n, 0x0203n, BigInt(STACK), 0x2bn]);
    b.step('i_iret');
    expect(c.rflags()).toBe(0x3203);
  });

  it('#GP(selector) to a more privileged CS; #GP(0) to a non-canonical RIP', () => {
    const b = bare(SRC, { cpl: 3 });
    frame(b, [0x401000n, 0x12n, 0x202n, BigInt(STACK), 0x2bn]);
    let e = b.step('i_iret');
    expect([fault(e), why(e)]).toEqual([[13, 0x10], 'IRET to a more privileged level']);
    frame(b, [0x0000_8000_0000_0000n, 0x33n, 0x202n, BigInt(STACK), 0x2bn]);
    e = b.step('i_iret');
    expect([fault(e), why(e)]).toEqual([[13, 0], 'IRET to a non-canonical RIP']);
    expect(b.c.cs).toBe(0x33);
    frame(b, [0n, 0x33n, 0x202n, BigInt(STACK), 0x2bn]);
    expect(b.step('i_iret')).toBe(null);
    expect(b.c.rip).toBe(0);
  });
});

describe('HLT, CPUID, RDTSC', () => {
  it('HLT: #GP(0) at CPL 3; halts at CPL 0; exits with HLT exiting (reason 12, length 1)', () => {
    const b = bare(SRC, { cpl: 3 });
    expect(fault(b.step('i_hlt'))).toEqual([13, 0]);
    for (const [l, name] of [['i_hlt', 'HLT'], ['i_rdmsr', 'RDMSR'], ['i_wrmsr', 'WRMSR'], ['i_invlpg', 'INVLPG'], ['i_lidt', 'LIDT'], ['i_lgdt', 'LGDT'],
      ['i_ltr', 'LTR'], ['i_cr0w', 'MOV to CR'], ['i_cr0r', 'MOV from CR']]) expect(why(b.step(l))).toBe(`${name} at CPL 3 (privileged instruction)`);
    b.m.vmx.nonRoot = false;
    expect(why(b.step('i_vmcall'))).toBe('VMCALL at CPL 3 (privileged instruction)');
    b.m.vmx.nonRoot = true;
    b.ring(0);
    expect(b.step('i_hlt')).toBe(null);
    expect([b.c.halted, b.c.rip]).toEqual([true, b.sym('i_hlt') + 1]);
    b.c.halted = false;
    b.m.vmx.proc |= PROC.HLT_EXITING;
    expect(vmexit(b.step('i_hlt'))).toEqual([12, 0, 1]);
  });

  it('CPUID exits unconditionally in non-root (reason 10, length 2); in root, the modelled Ivy Bridge', () => {
    expect(vmexit(bare(SRC).step('i_cpuid'))).toEqual([10, 0, 2]);
    const b = bare(SRC, { root: true }), { c, m } = b;
    const leaf = (eax: bigint) => {
      for (const r of [RBX, RCX, RDX]) c.set(r, 0xdead_beef_dead_beefn);
      const cyc = m.cycles;
      b.step('i_cpuid', { [RAX]: eax });
      expect(m.cycles - cyc).toBe(COSTS.cpuid);
      expect(c.rip).toBe(b.sym('i_cpuid') + 2);
      return [RAX, RBX, RCX, RDX].map((r) => c.get(r));
    };
    expect(leaf(0xffff_ffff_0000_0000n)).toEqual([0xdn, 0x756e6547n, 0x6c65746en, 0x49656e69n]); // "GenuineIntel"; RAX[63:32] ignored
    expect(leaf(1n)).toEqual([0x306a9n, 0x10800n, 0x20021n, 0x178bfbffn]); // VMX (5), PCID (17), SSE3 (0)
    expect(leaf(0x8000_0000n)).toEqual([0x8000_0008n, 0n, 0n, 0n]);
    expect(leaf(0x8000_0001n)).toEqual([0n, 0n, 1n, 0x2010_0800n]); // SYSCALL (11), NX (20), LM (29)
    expect(leaf(0x8000_0008n)).toEqual([0x3024n, 0n, 0n, 0n]); // 36-bit physical, 48-bit linear
    expect(leaf(7n)).toEqual([0n, 0n, 0n, 0n]);
  });

  it('RDTSC: EDX:EAX = cycles (+ TSC offset in non-root with "use TSC offsetting"), the hook, the cost', () => {
    const b = bare(SRC), { c, m } = b;
    expect(b.step('i_rdtsc')).toBe(null); // no hook installed
    const hook = vi.fn();
    m.onRdtsc = hook;
    const tsc = () => { m.cycles = 0x1_2345_6789; c.set(RAX, -1n); c.set(RDX, -1n); b.step('i_rdtsc'); return [c.get(RDX), c.get(RAX)]; };
    m.vmx.tscOffset = 0x10_0000_0000n;
    expect(tsc()).toEqual([1n, 0x2345_6789n]); // offsetting off
    m.vmx.proc |= PROC.USE_TSC_OFFSETTING;
    expect(tsc()).toEqual([0x11n, 0x2345_6789n]);
    expect(m.cycles).toBe(0x1_2345_6789 + COSTS.rdtsc);
    m.vmx.nonRoot = false;
    expect(tsc()).toEqual([1n, 0x2345_6789n]); // root: no offset
    expect(hook).toHaveBeenCalledTimes(3);
    expect(hook).toHaveBeenCalledWith(m);
    expect(c.rip).toBe(b.sym('i_rdtsc') + 2);
  });
});

describe('RDMSR, WRMSR', () => {
  it('#GP(0) at CPL 3 (before the MSR bitmap); exits by the bitmap: read 31, write 32, length 2', () => {
    const b = bare(SRC, { cpl: 3, msrPass: [MSR.IA32_STAR] });
    expect(fault(b.step('i_rdmsr', { [RCX]: BigInt(MSR.IA32_LSTAR) }))).toEqual([13, 0]);
    expect(fault(b.step('i_wrmsr'))).toEqual([13, 0]);
    b.ring(0);
    expect(vmexit(b.step('i_rdmsr', { [RCX]: BigInt(MSR.IA32_LSTAR) }))).toEqual([31, 0, 2]);
    expect(vmexit(b.step('i_wrmsr'))).toEqual([32, 0, 2]);
    // STAR passes both ways; then set its write bit only (write-high bitmap at 0xc00, MSR 0x81).
    expect(b.step('i_rdmsr', { [RCX]: 0xffff_ffff_0000_0000n | BigInt(MSR.IA32_STAR) })).toBe(null);
    const a = b.m.vmx.msrBitmap + 0xc00 + (0x81 >> 3);
    b.m.mem.write8(a, b.m.mem.read8(a) | (1 << (0x81 & 7)));
    expect(b.step('i_rdmsr')).toBe(null);
    expect(vmexit(b.step('i_wrmsr'))).toEqual([32, 0, 2]);
  });

  it('WRMSR writes EDX:EAX (upper halves ignored); RDMSR returns it in EDX:EAX, zero-extended; costs', () => {
    const b = bare(SRC, { root: true }), { c, m } = b;
    let cyc = m.cycles;
    b.step('i_wrmsr', { [RCX]: BigInt(MSR.IA32_STAR), [RDX]: 0xffff_ffff_0023_0010n, [RAX]: 0xffff_ffff_8765_4321n });
    expect(c.msrGet(MSR.IA32_STAR)).toBe(0x0023_0010_8765_4321n);
    expect(m.cycles - cyc).toBe(COSTS.wrmsr);
    expect(c.rip).toBe(b.sym('i_wrmsr') + 2);
    c.set(RAX, -1n); c.set(RDX, -1n);
    cyc = m.cycles;
    b.step('i_rdmsr');
    expect([c.get(RDX), c.get(RAX)]).toEqual([0x0023_0010n, 0x8765_4321n]);
    expect(m.cycles - cyc).toBe(COSTS.rdmsr);
    expect(c.rip).toBe(b.sym('i_rdmsr') + 2);
  });

  it('RDMSR of EFER, the TSC and IA32_FEATURE_CONTROL (locked, VMX outside SMX); #GP for an unknown MSR', () => {
    const b = bare(SRC, { root: true }), { m } = b;
    m.cycles = 12345;
    expect(rdmsr(m, MSR.IA32_EFER)).toBe(BigInt(EFER.LME | EFER.LMA | EFER.SCE | EFER.NXE));
    expect(rdmsr(m, MSR.IA32_TIME_STAMP_COUNTER)).toBe(12345n);
    expect(rdmsr(m, MSR.IA32_FEATURE_CONTROL)).toBe(5n);
    expect(rdmsr(m, MSR.IA32_KERNEL_GS_BASE)).toBe(0n);
    const e = b.step('i_rdmsr', { [RCX]: 0x1234n });
    expect([fault(e), why(e)]).toEqual([[13, 0], 'RDMSR of unknown MSR 0x1234']);
  });

  it('WRMSR: EFER.LMA is read-only; #GP for IA32_FEATURE_CONTROL, unknown MSRs and non-canonical bases', () => {
    const b = bare(SRC, { root: true }), { c, m } = b;
    const wr = (idx: number, v: bigint) => fault(b.step('i_wrmsr', { [RCX]: BigInt(idx), [RDX]: v >> 32n, [RAX]: v & 0xffff_ffffn }));
    expect(wr(MSR.IA32_EFER, BigInt(EFER.LME | EFER.SCE))).toBe(null);
    expect([c.efer, m.xc.efer]).toEqual([EFER.LME | EFER.SCE | EFER.LMA, EFER.LME | EFER.SCE | EFER.LMA]);
    c.efer = EFER.LME;
    wr(MSR.IA32_EFER, BigInt(EFER.LMA | EFER.NXE));
    expect(c.efer).toBe(EFER.NXE);
    expect(wr(MSR.IA32_FEATURE_CONTROL, 5n)).toEqual([13, 0]);
    expect(wr(0x1234, 0n)).toEqual([13, 0]);
    expect(why(b.step('i_wrmsr', { [RCX]: 0x1234n }))).toBe('WRMSR to MSR 0x1234');
    expect(why(b.step('i_wrmsr', { [RCX]: BigInt(MSR.IA32_LSTAR), [RDX]: 0x8000n }))).toBe('non-canonical address in MSR');
    expect(wr(MSR.IA32_LSTAR, 0n)).toBe(null);
    for (const idx of [MSR.IA32_LSTAR, MSR.IA32_FS_BASE, MSR.IA32_GS_BASE, MSR.IA32_KERNEL_GS_BASE]) {
      expect(wr(idx, 0x0000_8000_0000_0000n)).toEqual([13, 0]);
      expect(wr(idx, 0xffff_8000_0000_0000n)).toBe(null);
      expect(c.msrGet(idx)).toBe(0xffff_8000_0000_0000n);
    }
    expect(wr(MSR.IA32_STAR, 0x0000_8000_0000_0000n)).toBe(null); // STAR holds selectors, not an address
  });
});

describe('VMCALL', () => {
  it('exits in non-root at any CPL (reason 18, length 3); in root #GP(0) at CPL 3, else VMfailValid(1)', () => {
    const b = bare(SRC, { cpl: 3 });
    expect(vmexit(b.step('i_vmcall'))).toEqual([18, 0, 3]);
    b.m.vmx.nonRoot = false;
    expect(fault(b.step('i_vmcall'))).toEqual([13, 0]);
    b.ring(0);
    expect(b.step('i_vmcall')).toBe(null);
    expect(b.m.vmx.lastError).toEqual({ error: 1, message: 'VMCALL executed in VMX root operation' });
    expect([b.c.zf, b.c.rip]).toEqual([1, b.sym('i_vmcall') + 3]);
  });
});

describe('INVLPG', () => {
  it('the address is base + index*scale + disp (64-bit, wrapping); #GP(0) at CPL 3 or non-canonical', () => {
    const b = bare(SRC, { cpl: 3 });
    expect(fault(b.step('i_invlpg', { [RBX]: 0x1000n, [RCX]: 0x20n }))).toEqual([13, 0]);
    b.ring(0);
    b.m.vmx.proc |= PROC.INVLPG_EXITING;
    expect(vmexit(b.step('i_invlpg'))).toEqual([14, 0x1110, 5]);
    expect(vmexit(b.step('i_invlpg', { [RBX]: 0xffff_ffff_ffff_f000n, [RCX]: 0x200n }))).toEqual([14, 0x10, 5]);
    expect(fault(b.step('i_invlpg', { [RBX]: 0x0000_7fff_ffff_f000n, [RCX]: 0x200n }))).toEqual([13, 0]);
    expect(vmexit(b.step('i_invlpg', { [RBX]: 0xffff_8000_0000_0000n, [RCX]: 0n }))).toEqual([14, 0x8000_0000_0010, 5]);
    expect(vmexit(b.step('i_invlpg', { [RBX]: 0n, [RCX]: 0x1fff_f000_0000_0002n }))).toEqual([14, 0x8000_0000_0020, 5]);
    expect(vmexit(b.step('i_invlpg0', { [RAX]: 0x1000n }))).toEqual([14, 0x3000, 4]); // RAX as base and as index (0F 01 3C 40)
  });

  it('flushes the page in the current VPID and PCID; the tlb event; the cost', () => {
    const b = bare(SRC), { c, m } = b;
    const inv = vi.spyOn(m.mmu, 'invlpg');
    const seen = b.mark(), cyc = m.cycles;
    b.step('i_invlpg', { [RBX]: 0x1000n, [RCX]: 0x20n });
    c.cr4 |= CR4.PCIDE; c.cr3 += 5;
    b.step('i_invlpg');
    m.vmx.nonRoot = false;
    b.step('i_invlpg');
    expect(inv.mock.calls).toEqual([[1, 0, 0x1110], [1, 5, 0x1110], [0, 5, 0x1110]]);
    expect(seen().filter((e) => e.type === 'tlb' && e.op === 'invlpg')).toMatchObject([{ vpid: 1, pcid: 0, va: '0x1110', scope: 'page (+ paging-structure caches of the PCID)' }, { vpid: 1, pcid: 5 }, { vpid: 0, pcid: 5 }]);
    expect(m.cycles - cyc).toBe(3 * COSTS.invlpg);
    expect(c.rip).toBe(b.sym('i_invlpg') + 5);
  });
});

describe('CLI, STI, UD2', () => {
  it('#GP(0) when CPL > IOPL; CPL 3 with IOPL 3 may; IF cleared or set; UD2 is #UD', () => {
    const b = bare(SRC, { cpl: 3 }), { c } = b;
    c.setRflags(0x202);
    expect(fault(b.step('i_cli'))).toEqual([13, 0]);
    expect([why(b.step('i_cli')), why(b.step('i_sti'))]).toEqual(['CLI with CPL > IOPL', 'STI with CPL > IOPL']);
    c.setRflags(0x3202);
    expect(b.step('i_cli')).toBe(null);
    expect([c.rflags(), c.rip]).toEqual([0x3002, b.sym('i_cli') + 1]);
    expect(b.step('i_sti')).toBe(null);
    expect([c.rflags(), c.rip]).toEqual([0x3202, b.sym('i_sti') + 1]);
    c.setRflags(0x1002); // IOPL 1 < CPL 3
    expect(fault(b.step('i_sti'))).toEqual([13, 0]);
    b.ring(0);
    c.setRflags(0x2);
    b.step('i_sti');
    expect(c.rflags()).toBe(0x202);
    const ud = b.step('i_ud2');
    expect([fault(ud), why(ud)]).toEqual([[6, null], 'UD2']);
    const nop = { ...b.op('i_ud2'), code: OPC.NOP, name: 'nop' };
    const e = (() => { try { exec(b.m, nop, 0); } catch (x) { return x; } })();
    expect([fault(e), why(e)]).toEqual([[6, null], 'no semantics for nop']);
  });
});

describe('LIDT, LGDT, LTR', () => {
  it('LIDT and LGDT load a 16-bit limit and a 64-bit base (linear form); #GP(0) at CPL 3 or non-canonical', () => {
    const b = bare(SRC), { c } = b;
    c.gdtrBase = 0x777; c.gdtrLimit = 7;
    expect(b.step('i_lidt')).toBe(null);
    expect([c.idtrBase, c.idtrLimit, c.gdtrBase, c.gdtrLimit]).toEqual([0x8000_0000_1000, 0xfff, 0x777, 7]);
    b.step('i_lgdt');
    expect([c.idtrBase, c.idtrLimit, c.gdtrBase, c.gdtrLimit]).toEqual([0x8000_0000_1000, 0xfff, 0x5000, 0x7f]);
    expect(c.rip).toBe(b.sym('i_lgdt') + b.op('i_lgdt').len);
    b.m.write64(b.sym('idtr') + 2, 0n);
    expect(b.step('i_lidt')).toBe(null);
    expect(c.idtrBase).toBe(0);
    b.m.write64(b.sym('idtr') + 2, 0x0000_8000_0000_0000n);
    const e = b.step('i_lidt');
    expect([fault(e), why(e)]).toEqual([[13, 0], 'descriptor-table base not canonical']);
    b.ring(3);
    expect(fault(b.step('i_lgdt'))).toEqual([13, 0]);
    expect(fault(b.step('i_lidt'))).toEqual([13, 0]);
  });

  function tr() {
    const b = bare(SRC);
    b.c.gdtrBase = b.sym('gdt'); b.c.gdtrLimit = 0x4f;
    return b;
  }
  it('LTR loads the 64-bit TSS base from the 16-byte descriptor and marks it busy', () => {
    const b = tr(), { c, m } = b, d = b.sym('gdt') + 0x40;
    expect(b.step('i_ltr', { [RAX]: 0xffff_0043n })).toBe(null); // only AX is the selector
    expect([c.tr, c.trBase, c.rip]).toEqual([0x43, b.sym('tss'), b.sym('i_ltr') + 3]);
    expect((m.read64(d) >> 40n) & 0xffn).toBe(0x8bn); // type 9 -> 11 (busy)
    expect(fault(b.step('i_ltr', { [RAX]: 0x40n }))).toEqual([13, 0x40]); // busy: not available
    // A base above 4 GiB: bits 15:0 at 16, 23:16 at 32, 31:24 at 56, 63:32 in the second quadword.
    const base = 0x1234_5678_9abcn;
    m.write64(d, 0x67n | ((base & 0xffffffn) << 16n) | (0x89n << 40n) | (((base >> 24n) & 0xffn) << 56n));
    m.write64(d + 8, base >> 32n);
    b.step('i_ltr', { [RAX]: 0x40n });
    expect(c.trBase).toBe(0x1234_5678_9abc);
  });

  it('LTR: #GP(0) at CPL 3; #GP(selector) outside the GDT, null, or not a TSS; #NP(selector) not present', () => {
    const b = tr(), { c, m } = b, d = b.sym('gdt') + 0x40;
    c.gdtrLimit = 0x4e;
    expect(fault(b.step('i_ltr', { [RAX]: 0x43n }))).toEqual([13, 0x40]);
    expect(why(b.step('i_ltr', { [RAX]: 0x43n }))).toBe('TSS selector outside the GDT');
    c.gdtrLimit = 0x4f;
    b.m.write64(b.sym('gdt'), m.read64(d)); // even with an available TSS descriptor in slot 0
    expect(fault(b.step('i_ltr', { [RAX]: 0x3n }))).toEqual([13, 0]);
    const e = b.step('i_ltr', { [RAX]: 0x10n }); // the kernel code segment
    expect([fault(e), why(e)]).toEqual([[13, 0x10], 'not an available 64-bit TSS']);
    m.write64(d, m.read64(d) & ~(1n << 47n));
    const np = b.step('i_ltr', { [RAX]: 0x42n });
    expect([fault(np), why(np)]).toEqual([[11, 0x40], 'TSS not present']);
    expect(c.tr).toBe(0);
    b.ring(3);
    expect(fault(b.step('i_ltr', { [RAX]: 0x40n }))).toEqual([13, 0]);
  });
});

describe('MOV to CR0, CR2, CR3, CR4', () => {
  it('#GP(0) at CPL 3 and for bits 63:32 of CR0 or CR4; CR0 in root; CR2 keeps 48 bits', () => {
    const b = bare(SRC, { root: true }), { c, m } = b;
    const cr0 = 0x8005_0033n;
    expect(b.step('i_cr0w', { [RBX]: cr0 })).toBe(null);
    expect([c.cr0, m.xc.cr0, c.rip]).toEqual([0x8005_0033, 0x8005_0033, b.sym('i_cr0w') + 3]);
    const e = b.step('i_cr0w', { [RBX]: cr0 | (1n << 32n) });
    expect([fault(e), why(e)]).toEqual([[13, 0], 'reserved bits in CR0']);
    // Root ignores the guest/host masks.
    m.vmx.cr0Mask = CR0.NE; m.vmx.cr0Shadow = CR0.NE;
    expect(b.step('i_cr0w', { [RBX]: cr0 & ~BigInt(CR0.NE) })).toBe(null);
    expect(c.cr0).toBe(0x8005_0013);
    expect(fault(b.step('i_cr4w', { [RSI]: BigInt(c.cr4) | (1n << 63n) }))).toEqual([13, 0]);
    b.step('i_cr2w', { [RDX]: 0xffff_8000_1234_5678n });
    expect(c.cr2).toBe(0x8000_1234_5678);
    b.ring(3);
    for (const l of ['i_cr0w', 'i_cr4w', 'i_cr3w', 'i_cr2w', 'i_cr0r', 'i_cr3r']) expect(fault(b.step(l))).toEqual([13, 0]);
  });

  it('non-root: a change to a bit the mask owns, against the read shadow, exits (qualification: CR, type 0, register)', () => {
    const b = bare(SRC, { cr0Mask: CR0.NE, cr4Mask: CR4.PGE }), { c, m } = b;
    const shadow0 = m.vmx.cr0Shadow, shadow4 = m.vmx.cr4Shadow;
    expect(vmexit(b.step('i_cr0w', { [RBX]: BigInt((shadow0 & ~CR0.NE) >>> 0) }))).toEqual([28, 0x300, 3]);
    expect(vmexit(b.step('i_cr4w', { [RSI]: BigInt((shadow4 & ~CR4.PGE) >>> 0) }))).toEqual([28, 0x604, 3]);
    // Matching the shadow: no exit; the owned bit keeps the real register's value, the rest is written.
    c.cr0 &= ~CR0.NE;
    expect(b.step('i_cr0w', { [RBX]: BigInt((shadow0 & ~CR0.MP) >>> 0) })).toBe(null);
    expect(c.cr0).toBe((shadow0 & ~CR0.MP & ~CR0.NE) >>> 0);
    c.cr4 &= ~CR4.PGE; // the shadow says PGE = 1
    expect(b.step('i_cr4w', { [RSI]: BigInt(shadow4 | CR4.OSFXSR) })).toBe(null);
    expect(c.cr4).toBe(CR4.PAE | CR4.OSFXSR);
    // CR0 is compared with CR0's shadow (MP, bit 1: set in CR0's, clear in CR4's), CR4 keeps CR4's bits.
    m.vmx.cr0Mask = CR0.MP; m.vmx.cr0Shadow = CR0.MP | CR0.PG | CR0.PE;
    expect(b.step('i_cr0w', { [RBX]: BigInt((CR0.MP | CR0.PG | CR0.PE) >>> 0) })).toBe(null);
    m.vmx.cr4Shadow = CR4.PAE; c.cr4 = CR4.PAE | CR4.PGE; // the guest believes PGE = 0; it is 1
    expect(b.step('i_cr4w', { [RSI]: BigInt(CR4.PAE) })).toBe(null);
    expect(c.cr4).toBe(CR4.PAE | CR4.PGE);
  });

  it('CR4: PGE or PCIDE cleared flush the VPID (globals too); setting PCIDE needs CR3[11:0] = 0 and IA-32e mode', () => {
    const b = bare(SRC, { root: true }), { c, m } = b;
    const flush = vi.spyOn(m.mmu, 'flushVpid');
    const cr4 = c.cr4;
    b.step('i_cr4w', { [RSI]: BigInt(cr4 | CR4.OSFXSR) });
    expect(flush).not.toHaveBeenCalled();
    const seen0 = b.mark();
    b.step('i_cr4w', { [RSI]: BigInt(cr4 & ~CR4.PGE) });
    expect(flush.mock.calls).toEqual([[0]]);
    expect(seen0().filter((e) => e.type === 'tlb' && e.op !== 'fill')).toMatchObject([
      { op: 'flush', vpid: 0, pcid: 0, scope: 'MOV to CR4 (PGE or PCIDE change): all PCIDs, including global' }]);
    expect([c.cr4, m.xc.cr4]).toEqual([cr4 & ~CR4.PGE, cr4 & ~CR4.PGE]);
    c.cr3 += 1;
    const e = b.step('i_cr4w', { [RSI]: BigInt(cr4 | CR4.PCIDE) });
    expect([fault(e), why(e)]).toEqual([[13, 0], 'setting CR4.PCIDE needs CR3[11:0] = 0 and IA-32e mode']);
    c.cr3 -= 1; c.efer &= ~EFER.LMA;
    expect(fault(b.step('i_cr4w', { [RSI]: BigInt(cr4 | CR4.PCIDE) }))).toEqual([13, 0]);
    c.efer |= EFER.LMA;
    expect(b.step('i_cr4w', { [RSI]: BigInt(cr4 | CR4.PCIDE) })).toBe(null);
    expect(flush).toHaveBeenCalledTimes(2); // PGE set again
    c.cr3 += 7; // PCIDE already set: CR3[11:0] may be anything
    expect(b.step('i_cr4w', { [RSI]: BigInt(cr4 | CR4.PCIDE | CR4.OSFXSR) })).toBe(null);
    expect(flush).toHaveBeenCalledTimes(2);
    b.step('i_cr4w', { [RSI]: BigInt(cr4 | CR4.OSFXSR) });
    expect(flush).toHaveBeenCalledTimes(3);
    const seen = b.mark();
    b.step('i_cr4w', { [RSI]: BigInt(cr4) });
    expect(seen().filter((e) => e.type === 'tlb' && e.op !== 'fill')).toEqual([]);
    m.vmx.nonRoot = true;
    b.step('i_cr4w', { [RSI]: BigInt(cr4 & ~CR4.PGE) });
    expect(flush.mock.calls[3]).toEqual([1]);
  });

  it('CR3: bit 63 with PCIDE keeps the PCID (not stored); bits above 35 are #GP(0); the flush; the cost', () => {
    const b = bare(SRC, { root: true }), { c, m } = b;
    const flush = vi.spyOn(m.mmu, 'flushPcid');
    const cr3 = c.cr3;
    let cyc = m.cycles;
    const seen0 = b.mark();
    b.step('i_cr3w', { [RCX]: BigInt(cr3) | (1n << 63n) });
    expect(seen0().filter((e) => e.type === 'tlb' && e.op !== 'fill')).toMatchObject([{ op: 'flush', vpid: 0, pcid: 0, scope: 'MOV to CR3: PCID, except global' }]);
    expect([c.cr3, m.xc.cr3, m.cycles - cyc]).toEqual([cr3, cr3, COSTS.instr + COSTS.movCr3]);
    expect(flush.mock.calls).toEqual([[0, 0, true]]);
    c.cr4 |= CR4.PCIDE;
    const seen = b.mark();
    b.step('i_cr3w', { [RCX]: BigInt(cr3 + 3) | (1n << 63n) });
    expect(c.cr3).toBe(cr3 + 3);
    expect(flush).toHaveBeenCalledTimes(1);
    expect(seen().filter((e) => e.type === 'tlb' && e.op !== 'fill')).toMatchObject([{ op: 'noflush', vpid: 0, pcid: 3, scope: 'MOV to CR3 with bit 63 (PCID kept)' }]);
    b.step('i_cr3w', { [RCX]: BigInt(cr3 + 4) });
    expect(flush.mock.calls[1]).toEqual([0, 4, true]);
    const e = b.step('i_cr3w', { [RCX]: 1n << 36n });
    expect([fault(e), why(e)]).toEqual([[13, 0], 'CR3 sets bits above MAXPHYADDR']);
    expect(b.step('i_cr3w', { [RCX]: BigInt(cr3) + (1n << 35n) - (1n << 35n) })).toBe(null);
    m.vmx.nonRoot = true;
    cyc = m.cycles;
    b.step('i_cr3w', { [RCX]: BigInt(cr3 + 2) });
    expect(flush.mock.calls[3]).toEqual([1, 2, true]);
    expect(m.cycles - cyc).toBe(COSTS.instr + COSTS.movCr3);
  });

  it('CR3-load exiting: exits (qualification 3 | register << 8) unless the value is a CR3-target value', () => {
    const b = bare(SRC), { c, m } = b;
    m.vmx.proc |= PROC.CR3_LOAD_EXITING;
    m.vmx.cr3Targets = [BigInt(c.cr3)];
    expect(vmexit(b.step('i_cr3w', { [RCX]: BigInt(c.cr3 + 0x1000) }))).toEqual([28, 0x103, 3]);
    expect(b.step('i_cr3w', { [RCX]: BigInt(c.cr3) })).toBe(null);
  });
});

describe('MOV from CR0, CR2, CR3, CR4', () => {
  it('root: the registers; CR2 in canonical form', () => {
    const b = bare(SRC, { root: true }), { c } = b;
    c.cr2 = 0x8000_0000_1000;
    b.step('i_cr0r'); b.step('i_cr4r'); b.step('i_cr3r');
    b.step('i_cr2r', { [R10]: 0n });
    expect([c.get(RSI), c.get(RDI), c.get(R9), c.get(R10)]).toEqual([BigInt(c.cr0), BigInt(c.cr4), BigInt(c.cr3), 0xffff_8000_0000_1000n]);
    expect(c.rip).toBe(b.sym('i_cr2r') + 4);
    c.cr3 = 0x8_0000_1000; // above 4 GiB
    b.step('i_cr3r', { [R9]: -1n });
    expect([c.get(R9), c.rip]).toEqual([0x8_0000_1000n, b.sym('i_cr3r') + 4]);
  });

  it('non-root: the read shadow for the bits the mask owns; CR3-store exiting (qualification 3 | 1 << 4 | register << 8)', () => {
    const b = bare(SRC, { cr0Mask: CR0.NE | CR0.MP, cr4Mask: CR4.VMXE | CR4.PGE }), { c, m } = b;
    m.vmx.cr0Shadow = CR0.MP; m.vmx.cr4Shadow = CR4.PGE;
    c.cr0 = (CR0.PG | CR0.PE | CR0.NE) >>> 0; c.cr4 = CR4.PAE | CR4.VMXE;
    b.step('i_cr0r'); b.step('i_cr4r');
    expect([c.get(RSI), c.get(RDI)]).toEqual([BigInt((CR0.PG | CR0.PE | CR0.MP) >>> 0), BigInt(CR4.PAE | CR4.PGE)]);
    expect(b.step('i_cr3r')).toBe(null);
    m.vmx.proc |= PROC.CR3_STORE_EXITING;
    expect(vmexit(b.step('i_cr3r'))).toEqual([28, 0x913, 4]);
  });
});

describe('external interrupts', () => {
  it('interruptible: RFLAGS.IF, or in non-root with external-interrupt exiting', () => {
    const b = bare(SRC), { c, m } = b;
    c.setRflags(2);
    expect(interruptible(m)).toBe(true); // makeGuest sets external-interrupt exiting
    m.vmx.pin &= ~PIN.EXT_INTR_EXITING;
    expect(interruptible(m)).toBe(false);
    c.setRflags(0x202);
    expect(interruptible(m)).toBe(true);
    m.vmx.pin |= PIN.EXT_INTR_EXITING; m.vmx.nonRoot = false; c.setRflags(2);
    expect(interruptible(m)).toBe(false);
  });

  it('takeInterrupt in non-root with exiting: exit 1 with the vector in the interruption information', () => {
    const b = bare(SRC), { m } = b;
    const exit = vi.spyOn(m.vmx, 'exit').mockImplementation(() => {});
    m.pendingIntr = 0xef;
    takeInterrupt(m);
    expect(m.pendingIntr).toBe(-1);
    const e = exit.mock.calls[0][0] as VmExit;
    expect([e.reason, e.qual, e.instrLen, e.intrInfo]).toEqual([1, 0, 0, 0x8000_00ef]);
  });
});
