// dune_vm_page_walk (libdune/vm.c): it skips absent tables whole, to the next boundary of the
// region the absent entry covers, from any start; and it calls cb(arg, ptep, va) with the
// leaf's entry address and the page's virtual address. The GC's dirty scan and Wedge rely on it.

import { describe, it, expect } from 'vitest';
import { runLinux } from '../harness.ts';

const ENTER = `    call dune_init_and_enter\n    test rax, rax\n    jne enter_failed\n`;
const FAILED = `enter_failed:\n    mov rdi, 99\n    call exit\n`;

/** Map one page at 0x600200000 (PD index 1 of its PD; PD index 0 has no PT), walk [start, end)
 *  and exit with the callback count, or 64 + why when an argument was wrong. */
const walkFrom = (start: string) => runLinux(`.data
n: .quad 0
pte: .quad 0
seen_pte: .quad 0
seen_va: .quad 0
.text
_start:
${ENTER}
    mov rdi, [pgroot]
    mov rsi, 0x600200000
    mov rdx, 4096
    mov rcx, PERM_R | PERM_W
    call dune_vm_map_pages
    mov rdi, [pgroot]
    mov rsi, 0x600200000
    xor rdx, rdx
    lea rcx, [pte]
    call dune_vm_lookup
    mov rdi, [pgroot]
    mov rsi, ${start}
    mov rdx, 0x600400000
    mov rcx, record
    lea r8, [n]
    call dune_vm_page_walk
    mov rdi, 64 + 1
    mov rax, [seen_va]
    mov rcx, 0x600200000
    cmp rax, rcx
    jne done
    mov rdi, 64 + 2
    mov rax, [seen_pte]
    cmp rax, [pte]
    jne done
    mov rdi, [n]
done:
    call exit
record:                          ; cb(arg, ptep, va)
    inc qword ptr [rdi]
    mov [seen_pte], rsi
    mov [seen_va], rdx
    xor rax, rax
    ret
${FAILED}`, { budget: 50_000_000 });

describe('dune_vm_page_walk', () => {
  it('from a start that is not 2 MiB-aligned inside an absent page table: the page at the next 2 MiB boundary is visited', () => {
    expect(walkFrom('0x600123000').status).toEqual({ code: 1, how: 'exit' });
  });
  it('from a 2 MiB-aligned start, and from the page itself: the same single leaf', () => {
    expect(walkFrom('0x600000000').status?.code).toBe(1);
    expect(walkFrom('0x600200000').status?.code).toBe(1);
  });
  it('past the page: no call (the exit code says which argument check failed first: the va)', () => {
    expect(walkFrom('0x600201000').status?.code).toBe(64 + 1);
  });
});
