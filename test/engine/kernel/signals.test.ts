import { describe, it, expect } from 'vitest';
import { runLinux, ofType } from '../harness.ts';
import { peek, sym, EXIT, SIGACTION, RESTORER, SA_FLAGS } from './util.ts';

describe('host kernel: signals and signal frames', () => {
  // The Appel & Li pattern: a write to a read-only page traps to a SIGSEGV handler, which reads
  // the fault address at siginfo+16, mprotects the page writable and returns; rt_sigreturn
  // restores every register and the write is retried.
  const APPEL = `
.data
act: .quad segv, ${SA_FLAGS}, restorer, 0
.bss
signo: .zero 8
addr: .zero 8
code: .zero 8
misalign: .zero 8
ucrip: .zero 8
ucrbx: .zero 8
uctrap: .zero 8
ucerr: .zero 8
uccr2: .zero 8
after: .zero 8
.text
_start:
${SIGACTION('SIGSEGV', 'act')}
    mov rax, SYS_mmap
    mov rdi, 0
    mov rsi, 4096
    mov rdx, PROT_READ | PROT_WRITE
    mov r10, MAP_PRIVATE | MAP_ANONYMOUS
    mov r8, -1
    mov r9, 0
    syscall
    mov r12, rax
    mov qword ptr [r12 + 8], 1
    mov r13, 2                     ; two rounds: the second one is the steady state
again:
    mov rax, SYS_mprotect
    mov rdi, r12
    mov rsi, 4096
    mov rdx, PROT_READ
    syscall
    mov rbx, 0x1234
fault:
    mov qword ptr [r12 + 8], 77
    mov [after], rbx
    dec r13
    jne again
    mov rdi, [r12 + 8]
    mov rax, SYS_exit
    syscall
segv:
    mov [signo], rdi
    mov rax, [rsi + 16]
    mov [addr], rax
    mov rax, [rsi + 8]
    mov [code], rax
    lea rax, [rsp + 8]
    and rax, 15
    mov [misalign], rax
    mov rax, [rdx + 40 + 128]
    mov [ucrip], rax
    mov rax, [rdx + 40 + 88]
    mov [ucrbx], rax
    mov rax, [rdx + 40 + 160]
    mov [uctrap], rax
    mov rax, [rdx + 40 + 152]
    mov [ucerr], rax
    mov rax, [rdx + 40 + 176]
    mov [uccr2], rax
    mov rbx, 999
    mov rdi, [addr]
    and rdi, -4096
    mov rsi, 4096
    mov rdx, PROT_READ | PROT_WRITE
    mov rax, SYS_mprotect
    syscall
    ret
${RESTORER}`;

  it('SIGSEGV handler: siginfo (signo, SEGV_ACCERR, address at +16), ucontext, aligned stack, rt_sigreturn', () => {
    const r = runLinux(APPEL);
    expect(r.status).toEqual({ code: 77, how: 'exit' });
    const page = Number(peek(r, "addr") - (peek(r, "addr") % 4096n));
    expect(page).toBe(0x7efffffff000);
    expect(peek(r, 'signo')).toBe(11n);
    expect(peek(r, 'addr')).toBe(BigInt(page + 8));
    expect(peek(r, 'code')).toBe(2n);                       // SEGV_ACCERR: the VMA exists
    expect(peek(r, 'misalign')).toBe(0n);                   // rsp + 8 is 16-byte aligned at entry
    expect(peek(r, 'ucrip')).toBe(BigInt(sym(r, 'fault'))); // uc_mcontext.rip: the faulting instruction
    expect(peek(r, 'ucrbx')).toBe(0x1234n);
    expect(peek(r, 'uctrap')).toBe(14n);
    expect(peek(r, 'ucerr')).toBe(7n);                      // P | W | U
    expect(peek(r, 'uccr2')).toBe(BigInt(page + 8));
    expect(peek(r, 'after')).toBe(0x1234n);                 // the handler's rbx was undone by rt_sigreturn
    const sig = ofType(r.events, 'signal');
    expect(sig).toHaveLength(2);
    expect(sig[0]).toMatchObject({ signo: 11, name: 'SIGSEGV', handler: '0x' + sym(r, 'segv').toString(16) });
    expect(r.k.report).toEqual([]);
    // The order of events: #PF, signal, handler's mprotect, rt_sigreturn, the retried store.
    const seq = r.events.filter((e) => e.type === 'signal' || e.type === 'syscall' || (e.type === 'exception')).map((e) =>
      e.type === 'syscall' ? e.name : e.type === 'signal' ? 'signal' : e.name);
    expect(seq.slice(-5)).toEqual(['#PF', 'signal', 'mprotect', 'rt_sigreturn', 'exit']);
  });

  it('a MAP_FIXED-free wild pointer: SEGV_MAPERR with the address', () => {
    const r = runLinux(`
.data
act: .quad segv, ${SA_FLAGS}, restorer, 0
.text
_start:
${SIGACTION('SIGSEGV', 'act')}
    mov rax, [0x1238]
${EXIT(1)}
segv:
    mov rdi, [rsi + 8]
    shl rdi, 4
    add rdi, [rsi + 16]
    sub rdi, 0x1200
    mov rax, SYS_exit
    syscall
${RESTORER}`);
    expect(r.status?.code).toBe(0x10 + 0x38); // SEGV_MAPERR (1) << 4 | 0x38
  });

  it('SIGFPE handler: the handler moves RIP past the div through the ucontext', () => {
    const r = runLinux(`
.data
act: .quad fpe, ${SA_FLAGS}, restorer, 0
.bss
info: .zero 8
.text
_start:
${SIGACTION('SIGFPE', 'act')}
    mov rax, 10
    xor rcx, rcx
    mov rbx, 5
bad:
    div rcx
resume:
    mov rdi, rbx
    mov rax, SYS_exit
    syscall
fpe:
    mov rax, [rsi + 8]
    shl rax, 8
    add rax, rdi
    mov [info], rax
    lea rax, [resume]
    mov [rdx + 40 + 128], rax      ; uc_mcontext.rip
    mov qword ptr [rdx + 40 + 88], 33  ; uc_mcontext.rbx
    ret
${RESTORER}`);
    expect(r.status?.code).toBe(33);
    expect(peek(r, 'info')).toBe((1n << 8n) | 8n); // FPE_INTDIV, SIGFPE
    expect(ofType(r.events, 'signal')[0]).toMatchObject({ signo: 8, name: 'SIGFPE' });
  });

  it('without a handler the default action kills with the kernel report (pid 1: status 128 + signo)', () => {
    const r = runLinux(`_start:\n    mov rax, 3\n    mov [0x10], rax\n${EXIT(0)}`);
    expect(r.status).toEqual({ code: 139, how: 'signal' });
    expect(r.k.report[0]).toMatch(/^t\.s\[1\]: segfault at 0x10 ip 0x[0-9a-f]+ sp 0x7ffffffff000 error 6$/);
    expect(r.k.report[1]).toMatch(/SIGSEGV \(signal 11\) at 0x[0-9a-f]+: `mov \[0x10\], rax` \(line 3\)/);
    expect(ofType(r.events, 'signal')[0]).toMatchObject({ signo: 11, handler: 'SIG_DFL' });
  });

  it('a blocked fault signal kills even with a handler (force_sig); a second fault inside the handler kills', () => {
    const r = runLinux(`
.data
act: .quad segv, ${SA_FLAGS}, restorer, 0
.text
_start:
${SIGACTION('SIGSEGV', 'act')}
    mov rax, [0x10]
${EXIT(0)}
segv:
    mov rax, [0x20]
    ret
${RESTORER}`);
    expect(r.status).toEqual({ code: 139, how: 'signal' });
    expect(r.k.report[0]).toMatch(/segfault at 0x20/);
    expect(ofType(r.events, 'signal').map((e) => e.handler)).toEqual([expect.stringMatching(/^0x4/), 'SIG_DFL']);
  });

  it('a child killed by a fault becomes a zombie with the signal as its status; the parent goes on', () => {
    const r = runLinux(`
.bss
status: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    cmp rax, 0
    je child
    mov r12, rax
    mov rax, SYS_wait4
    mov rdi, r12
    lea rsi, [status]
    mov rdx, 0
    mov r10, 0
    syscall
    mov rdi, [status]
    mov rax, SYS_exit
    syscall
child:
    ud2
`);
    expect(r.status).toEqual({ code: 4, how: 'exit' }); // SIGILL in the status word's low bits
    expect(r.k.report[0]).toMatch(/^t\.s\[2\]: #UD/);
  });

  it('rt_sigaction returns the old action; SIG_IGN discards; bad arguments are -EINVAL; sigprocmask blocks', () => {
    const r = runLinux(`
.data
act: .quad 1, 0, 0, 0
old: .quad 0, 0, 0, 0
mask: .quad 1 << (SIGUSR1 - 1)
.text
_start:
${SIGACTION('SIGUSR1', 'act')}
    mov rax, SYS_rt_sigaction
    mov rdi, SIGUSR1
    mov rsi, 0
    lea rdx, [old]
    mov r10, 8
    syscall
    mov rbx, [old]                 ; 1 (SIG_IGN)
    mov rax, SYS_getpid
    syscall
    mov rdi, rax
    mov rsi, SIGUSR1
    mov rax, SYS_kill
    syscall                        ; ignored
    mov rax, SYS_rt_sigaction
    mov rdi, SIGKILL
    lea rsi, [act]
    mov rdx, 0
    mov r10, 8
    syscall
    neg rax                        ; EINVAL 22
    add rbx, rax
    mov rax, SYS_rt_sigprocmask
    mov rdi, 0
    lea rsi, [mask]
    mov rdx, 0
    mov r10, 8
    syscall
    add rbx, rax
    mov rdi, rbx
    mov rax, SYS_exit
    syscall
`);
    expect(r.status?.code).toBe(23);
    expect(ofType(r.events, 'signal')).toHaveLength(0);
  });
});
