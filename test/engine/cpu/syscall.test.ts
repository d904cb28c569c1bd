// SDM oracle for SYSCALL/SYSRET in 64-bit mode, in a hand-built guest that programs STAR, LSTAR
// and FMASK itself (the MSR bitmap passes them through): RCX/R11, the RFLAGS mask, CS/SS from
// STAR, and the #GP/#UD cases.

import { describe, it, expect } from 'vitest';
import { makeGuest, ofType, type Guest } from '../harness.ts';
import { gsym, vmcs } from './util.ts';
import { RCX, R11 } from '../../../src/engine/asm/ir.ts';
import { MSR } from '../../../src/engine/arch/x86.ts';

const PASS = [MSR.IA32_STAR, MSR.IA32_LSTAR, MSR.IA32_FMASK, MSR.IA32_EFER];
function toRing0(g: Guest) { g.m.cpu.cs = 0x10; g.m.cpu.ss = 0x18; g.m.refresh(); }

const SETUP = `
  mov ecx, 0xc0000081
  xor eax, eax
  mov edx, 0x00230010
  wrmsr
  mov ecx, 0xc0000082
  lea rax, [rip + entry]
  mov rdx, rax
  shr rdx, 32
  wrmsr
  mov ecx, 0xc0000084
  mov eax, 0x47700
  xor edx, edx
  wrmsr
`;

describe('SYSCALL / SYSRET', () => {
  const g = makeGuest(`_start:${SETUP}
  lea rcx, [rip + user]
  mov r11, 0x203
  sysretq
user:
  mov rbx, 1
  cmp rbx, 2
  syscall
after_sys:
  hlt
entry:
  mov rax, 60
  mov rdi, 0
  vmcall
`, { cpl: 3, msrPass: PASS, excBitmap: 0xffffffff });
  toRing0(g);
  g.run();
  const c = g.m.cpu;

  it('the WRMSRs did not exit (passthrough) and the guest reached the kernel entry', () => {
    expect(g.exits.map((e) => e.name)).toEqual(['VMCALL']);
    expect(g.m.status).toEqual({ code: 0, how: 'exit' });
  });
  it('SYSCALL: RCX = return RIP, R11 = RFLAGS, RIP = LSTAR', () => {
    expect(c.get(RCX)).toBe(BigInt(gsym(g, 'after_sys')));
    // IF from SYSRET's R11; CF, PF, AF and SF from the cmp (1 - 2 = all ones: even parity, and a
    // borrow out of bit 3).
    expect(c.get(R11)).toBe(0x297n);
    expect(g.exits[0].rip).toBe(g.prog.instrs.find((i) => i.text === 'vmcall' && i.addr > gsym(g, 'entry'))!.addr);
  });
  it('SYSCALL masks RFLAGS with FMASK and loads CS = STAR[47:32], SS = CS + 8', () => {
    expect(vmcs(g, 'GUEST_RFLAGS')).toBe(0x297n & ~0x47700n);
    expect(vmcs(g, 'GUEST_CS_SELECTOR')).toBe(0x10n);
    expect(vmcs(g, 'GUEST_SS_SELECTOR')).toBe(0x18n);
  });
  it('SYSRET: CS = STAR[63:48] + 16 | 3, SS = STAR[63:48] + 8 | 3, RFLAGS from R11; ring events', () => {
    const rings = ofType(g.events, 'ring');
    expect(rings.map((e) => `${e.from}->${e.to} ${e.via}`)).toEqual(['0->3 sysret', '3->0 syscall']);
    const instrs = ofType(g.events, 'instr');
    const userInstr = instrs.find((e) => e.text === 'mov rbx, 1')!;
    expect(userInstr.cpl).toBe(3);
  });
});

describe('SYSCALL / SYSRET faults', () => {
  it('SYSRET with a non-canonical RCX is #GP(0) at CPL 0', () => {
    const g = makeGuest(`_start:${SETUP}
  mov rcx, 0x0000800000000000
  mov r11, 0x202
sr:
  sysretq
entry:
  hlt
`, { msrPass: PASS, excBitmap: 1 << 13 });
    g.run();
    expect(g.exits).toHaveLength(1);
    expect(g.exits[0]).toMatchObject({ reason: 0, intrInfo: 0x80000b0d, rip: gsym(g, 'sr') });
    expect(vmcs(g, 'VM_EXIT_INTR_ERROR_CODE')).toBe(0n);
    expect(vmcs(g, 'GUEST_CS_SELECTOR')).toBe(0x10n);
  });
  it('SYSCALL and SYSRET with EFER.SCE = 0 are #UD', () => {
    for (const ins of ['syscall', 'sysretq']) {
      const g = makeGuest(`_start:
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0xfffffffe
  wrmsr
  lea rcx, [rip + x]
x:
  ${ins}
`, { msrPass: PASS, excBitmap: 1 << 6 });
      g.run();
      expect(g.exits.map((e) => [e.reason, e.intrInfo, e.rip])).toEqual([[0, 0x80000306, gsym(g, 'x')]]);
    }
  });
});
