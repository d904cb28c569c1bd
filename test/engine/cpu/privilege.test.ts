// SDM oracle for protection at CPL 3 (a Linux process, VMX root): privileged instructions raise
// #GP(0), and the kernel turns each fault into the signal Linux sends.

import { describe, it, expect } from 'vitest';
import { runLinux, ofType } from '../harness.ts';

const EXIT = '\n  mov rax, 60\n  xor edi, edi\n  syscall\n.data\nm: .quad 0, 0\n';

function fault(body: string) {
  const r = runLinux(`_start:\n${body}${EXIT}`);
  const ex = ofType(r.events, 'exception');
  return { ...r, ex, first: ex[0] };
}

describe('privileged instructions at CPL 3 raise #GP(0) → SIGSEGV', () => {
  const cases: [string, string][] = [
    ['hlt', '  hlt'],
    ['cli (CPL 3 > IOPL 0)', '  cli'],
    ['sti (CPL 3 > IOPL 0)', '  sti'],
    ['mov cr3, rax', '  mov rax, 0x1000\n  mov cr3, rax'],
    ['mov rax, cr3', '  mov rax, cr3'],
    ['mov cr0, rax', '  xor eax, eax\n  mov cr0, rax'],
    ['mov rax, cr0', '  mov rax, cr0'],
    ['mov cr4, rax', '  xor eax, eax\n  mov cr4, rax'],
    ['mov rax, cr2', '  mov rax, cr2'],
    ['lidt', '  lidt [m]'],
    ['lgdt', '  lgdt [m]'],
    ['ltr', '  mov rax, 0x40\n  ltr rax'],
    ['invlpg', '  invlpg [m]'],
    ['rdmsr', '  mov ecx, 0xc0000080\n  rdmsr'],
    ['wrmsr', '  mov ecx, 0xc0000100\n  xor eax, eax\n  xor edx, edx\n  wrmsr'],
    ['sysretq', '  sysretq'],
    ['vmcall in VMX root at CPL 3', '  vmcall'],
  ];
  for (const [name, body] of cases) {
    it(name, () => {
      const r = fault(body);
      expect(r.status).toEqual({ code: 128 + 11, how: 'signal' });
      expect(r.ex).toHaveLength(1);
      expect(r.first).toMatchObject({ vector: 13, name: '#GP', errorCode: 0, to: 'host-kernel', cpl: 3, vmx: 'root' });
      // The faulting instruction is the last one of the body, and nothing after it ran.
      const last = body.trim().split('\n').at(-1)!.trim();
      const ins = r.s.program.instrs.find((i) => i.text === last)!;
      expect(r.first.rip).toBe('0x' + ins.addr.toString(16));
      expect(r.k.report.join('\n')).toMatch(/SIGSEGV/);
      expect(ofType(r.events, 'signal')[0]).toMatchObject({ signo: 11 });
    });
  }
});

describe('other user-mode faults', () => {
  it('ud2 → #UD → SIGILL (132)', () => {
    const r = fault('  ud2');
    expect(r.status).toEqual({ code: 132, how: 'signal' });
    expect(r.first).toMatchObject({ vector: 6, errorCode: null });
  });
  it('int3 → #BP through the DPL-3 gate → SIGTRAP (133), reported at the next instruction', () => {
    const r = fault('  int3');
    expect(r.status).toEqual({ code: 133, how: 'signal' });
    expect(r.first).toMatchObject({ vector: 3, errorCode: null, rip: '0x400000' });
    expect(r.k.report[0]).toMatch(/ip 0x400001/); // a trap: the saved RIP follows the int3
    expect(ofType(r.events, 'ring').map((e) => `${e.from}->${e.to} ${e.via}`)).toContain('3->0 exception');
  });
  it('div by 0 → #DE → SIGFPE (136); divide overflow too', () => {
    expect(fault('  xor ebx, ebx\n  div rbx').status).toEqual({ code: 136, how: 'signal' });
    const r = fault('  mov rdx, 1\n  mov rbx, 1\n  div rbx');
    expect(r.status).toEqual({ code: 136, how: 'signal' });
    expect(r.first).toMatchObject({ vector: 0, errorCode: null });
  });
  it('a non-canonical data address → #GP(0), not #PF', () => {
    const r = fault('  mov rbx, 0x8000000000000000\n  mov rax, [rbx]');
    expect(r.status).toEqual({ code: 139, how: 'signal' });
    expect(r.first).toMatchObject({ vector: 13, errorCode: 0 });
    expect(r.ex).toHaveLength(1);
  });
  it('a kernel address from CPL 3 → #PF with U=1, P=1 (supervisor page)', () => {
    const r = fault('  mov rbx, 0xffffffff81000000\n  mov rax, [rbx]');
    expect(r.status).toEqual({ code: 139, how: 'signal' });
    expect(r.first).toMatchObject({ vector: 14, errorCode: 5, cr2: '0xffffffff81000000' });
  });
  it('int 0x80 from CPL 3 to a not-present gate → #GP(0x80*8+2), not a double fault', () => {
    const r = fault('  int 0x80');
    expect(r.status).toEqual({ code: 139, how: 'signal' });
    expect(r.ex.map((e) => [e.vector, e.errorCode])).toEqual([[128, null], [13, 0x80 * 8 + 2]]);
    // The #GP is a fault: the frame points at the int instruction.
    expect(r.k.report[0]).toMatch(/ip 0x400000 error 1026/);
  });
  it('int 3 at CPL 3 reaches the DPL-3 #BP gate; int 0x0d (DPL 0 gate) → #GP(0x0d*8+2)', () => {
    expect(fault('  int 3').status).toEqual({ code: 133, how: 'signal' });
    const r = fault('  int 0x0d');
    expect(r.ex.map((e) => [e.vector, e.errorCode])).toEqual([[13, null], [13, 0x0d * 8 + 2]]);
  });
});
