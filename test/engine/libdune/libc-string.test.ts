// libc's memcpy and memset (rep movsb / rep stosb): the bytes, the return value, a copy across
// a page boundary into demand-paged memory, and the same in a Dune process (accesses through the
// guest page tables and the EPT). Expected bytes are written out by hand.

import { describe, it, expect } from 'vitest';
import { runLinux } from '../harness.ts';

const body = (enter: string) => `.data
src: .ascii "0123456789abcdef"
.text
_start:
${enter}
    mov eax, 9                 ; mmap 2 pages: demand-paged, the copy crosses into the second
    xor edi, edi
    mov esi, 8192
    mov edx, 3
    mov r10d, 0x22
    mov r8, -1
    xor r9d, r9d
    syscall
    mov rbx, rax
    lea rdi, [rbx + 4090]
    mov esi, '#'
    mov edx, 12
    call memset
    lea rcx, [rbx + 4090]      ; memset returns dst (rdi itself is caller-saved: rep stosb moved it)
    cmp rax, rcx
    jne bad
    lea rdi, [rbx + 4092]
    lea rsi, [src]
    mov edx, 16
    call memcpy
    lea rcx, [rbx + 4092]
    cmp rax, rcx
    jne bad
    mov rdi, rbx
    add rdi, 4088
    mov byte ptr [rdi + 30], 0
    call puts
    mov rdi, 0
    call exit
bad:
    mov rdi, 1
    call exit
`;

describe('memcpy and memset', () => {
  // Bytes 4088.. of the mapping: two zeros (NUL: puts stops), so print from 4090 instead.
  const expected = '##0123456789abcdef\n';
  it('in a Linux process', () => {
    const r = runLinux(body('').replace('add rdi, 4088', 'add rdi, 4090'));
    expect(r.status).toEqual({ code: 0, how: 'exit' });
    expect(r.stdout).toBe(expected);
  });
  it('in a Dune process', () => {
    const r = runLinux(body('    call dune_init_and_enter\n    test rax, rax\n    jne bad').replace('add rdi, 4088', 'add rdi, 4090'));
    expect(r.status).toEqual({ code: 0, how: 'exit' });
    expect(r.stdout).toBe(expected);
  });
});
