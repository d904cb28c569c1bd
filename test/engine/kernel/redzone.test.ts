// setup_rt_frame leaves the x86-64 ABI's 128-byte red zone below the interrupted RSP alone: a
// leaf function's data there survives a signal and rt_sigreturn.

import { describe, it, expect } from 'vitest';
import { runLinux } from '../harness.ts';
import { peek, SIGACTION, RESTORER, SA_FLAGS } from './util.ts';

describe('the signal frame and the red zone', () => {
  it('sentinels at [rsp - 8], [rsp - 64] and [rsp - 128] survive a SIGUSR1 handler and sigreturn', () => {
    const r = runLinux(`.data
act: .quad handler, ${SA_FLAGS}, restorer, 0
ran: .quad 0
.text
_start:
${SIGACTION('SIGUSR1', 'act')}
    mov rax, 0x5e5e5e5e11112222
    mov [rsp - 8], rax
    mov [rsp - 64], rax
    mov [rsp - 128], rax
    mov rax, SYS_getpid
    syscall
    mov rdi, rax
    mov rsi, SIGUSR1
    mov rax, SYS_kill
    syscall
    mov rax, 0x5e5e5e5e11112222
    xor edi, edi
    cmp [rsp - 8], rax
    jne bad
    cmp [rsp - 64], rax
    jne bad
    cmp [rsp - 128], rax
    jne bad
    mov rdi, [ran]
    mov rax, SYS_exit
    syscall
bad:
    mov rdi, 99
    mov rax, SYS_exit
    syscall
handler:
    mov qword ptr [ran], 7
    ret
${RESTORER}`);
    expect(peek(r, 'ran')).toBe(7n);
    expect(r.status).toEqual({ code: 7, how: 'exit' });
  });
});
