import { describe, it, expect } from 'vitest';
import { runLinux, ofType } from '../harness.ts';
import { runSource } from '../../../src/engine/session.ts';

const EXIT = (code: number | string) => `    mov rdi, ${code}\n    mov rax, SYS_exit\n    syscall\n`;

describe('host kernel: processes and system calls', () => {
  it('write(1) reaches stdout and exit sets the status', () => {
    const r = runLinux(`
.data
msg: .ascii "hi\\n"
.text
_start:
    mov rax, SYS_write
    mov rdi, 1
    lea rsi, [msg]
    mov rdx, 3
    syscall
    mov r12, rax
${EXIT('r12')}`);
    expect(r.stdout).toBe('hi\n');
    expect(r.status).toEqual({ code: 3, how: 'exit' });
    const sc = ofType(r.events, 'syscall');
    expect(sc.map((e) => e.name)).toEqual(['write', 'exit']);
    expect(sc[0]).toMatchObject({ nr: 1, args: ['0x1', '0x401000', '0x3'], ret: '0x3', via: 'syscall', vmx: 'root', cpl: 0 });
  });

  it('an unknown system call returns -ENOSYS, loudly', () => {
    const r = runLinux(`_start:\n    mov rax, 999\n    syscall\n    neg rax\n${EXIT('rax')}`);
    expect(r.status?.code).toBe(38);
    expect(ofType(r.events, 'kernel').some((e) => e.fn === 'sys_ni_syscall')).toBe(true);
  });

  it('write to a bad buffer returns -EFAULT; to a bad fd -EBADF', () => {
    const r = runLinux(`_start:
    mov rax, SYS_write
    mov rdi, 1
    mov rsi, 0x10
    mov rdx, 4
    syscall
    mov rbx, rax
    mov rax, SYS_write
    mov rdi, 7
    mov rsi, 0x400000
    mov rdx, 1
    syscall
    add rax, rbx
    neg rax
${EXIT('rax')}`);
    expect(r.status?.code).toBe(14 + 9);
  });

  it('getpid and gettid return the pid; brk grows the heap with zero-filled pages on demand', () => {
    const r = runLinux(`_start:
    mov rax, SYS_getpid
    syscall
    mov r12, rax
    mov rax, SYS_brk
    mov rdi, 0
    syscall
    mov r13, rax
    lea rdi, [rax + 8192]
    mov rax, SYS_brk
    syscall
    mov rbx, [r13 + 4096]
    mov qword ptr [r13 + 4096], 42
    add rbx, [r13 + 4096]
    add rbx, r12
${EXIT('rbx')}`);
    expect(r.status?.code).toBe(43);
    expect(ofType(r.events, 'kernel').filter((e) => e.fn === 'handle_mm_fault').length).toBeGreaterThanOrEqual(1);
  });

  it('the stack is demand-paged: the first push faults in a zero page through the host #PF path', () => {
    const r = runLinux(`_start:\n    push 7\n    pop rax\n${EXIT('rax')}`);
    expect(r.status?.code).toBe(7);
    const exc = ofType(r.events, 'exception');
    expect(exc[0]).toMatchObject({ vector: 14, name: '#PF', errorCode: 6, cr2: '0x7fffffffeff8', to: 'host-kernel' });
    const rings = ofType(r.events, 'ring').map((e) => `${e.from}->${e.to} ${e.via}`);
    expect(rings).toContain('3->0 exception');
    expect(rings).toContain('0->3 iret');
  });

  it('mmap gives demand-paged anonymous memory; mprotect to read-only then a write kills with SIGSEGV', () => {
    const r = runLinux(`_start:
    mov rax, SYS_mmap
    mov rdi, 0
    mov rsi, 8192
    mov rdx, PROT_READ | PROT_WRITE
    mov r10, MAP_PRIVATE | MAP_ANONYMOUS
    mov r8, -1
    mov r9, 0
    syscall
    mov r12, rax
    mov qword ptr [r12], 5
    mov rax, SYS_mprotect
    mov rdi, r12
    mov rsi, 4096
    mov rdx, PROT_READ
    syscall
    mov rax, [r12]
    mov qword ptr [r12], 6
${EXIT(0)}`);
    expect(r.status).toEqual({ code: 139, how: 'signal' });
    expect(r.k.report[0]).toMatch(/segfault at 0x7effffffe000 ip 0x[0-9a-f]+ sp 0x7ffffffff000 error 7/);
    expect(r.k.report[1]).toMatch(/SIGSEGV \(signal 11\) at 0x[0-9a-f]+: `mov qword ptr \[r12\], 6` \(line 18\)/);
    expect(r.k.report.some((l) => l.startsWith('RAX: 0000000000000005'))).toBe(true);
    expect(ofType(r.events, 'signal')[0]).toMatchObject({ signo: 11, name: 'SIGSEGV' });
  });

  it('read() takes standard input', () => {
    const r = runLinux(`.bss
buf: .zero 16
.text
_start:
    mov rax, SYS_read
    mov rdi, 0
    lea rsi, [buf]
    mov rdx, 16
    syscall
    mov rdx, rax
    mov rax, SYS_write
    mov rdi, 1
    lea rsi, [buf]
    syscall
${EXIT(0)}`, { stdin: 'echo!' });
    expect(r.stdout).toBe('echo!');
  });

  it('a NULL dereference, ud2, int3 and divide by zero end with the right signal', () => {
    const status = (body: string) => runSource(`_start:\n${body}\n${EXIT(0)}`).exitCode;
    expect(status('    mov rax, [0]')).toBe(128 + 11);
    expect(status('    ud2')).toBe(128 + 4);
    expect(status('    int3')).toBe(128 + 5);
    expect(status('    xor rcx, rcx\n    div rcx')).toBe(128 + 8);
  });

  it('jumping into the data page faults on the NX bit (fetch, error code P|U|I)', () => {
    const r = runLinux(`.data\nd: .quad 0\n.text\n_start:\n    lea rax, [d]\n    jmp rax`);
    expect(r.status?.code).toBe(139);
    expect(ofType(r.events, 'exception')[0]).toMatchObject({ vector: 14, errorCode: 0x15, cr2: '0x401000' });
  });

  it('runs past the budget stop with status null and can resume', () => {
    const r = runLinux(`_start:\n    mov rcx, 1000\nl:  loop l\n${EXIT(9)}`, { budget: 100 });
    expect(r.status).toBeNull();
    expect(r.m.instret).toBe(100);
    expect(r.m.run(10_000)).toEqual({ code: 9, how: 'exit' });
  });
});
