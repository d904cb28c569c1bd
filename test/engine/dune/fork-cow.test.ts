// A Dune parent's write after fork: the write EPT violation must break copy-on-write in the host
// (get_user_pages with write) before the EPT maps the page writable, or the parent would write
// into the frame its child still shares.

import { describe, it, expect } from 'vitest';
import { runLinux } from '../harness.ts';

const ENTER = `    call dune_init_and_enter\n    test rax, rax\n    jne enter_failed\n`;
const FAILED = `enter_failed:\n    mov rdi, 99\n    call exit\n`;

describe('fork from Dune and copy-on-write', () => {
  it("the parent's write after fork leaves the child's value unchanged", () => {
    const r = runLinux(`.data
status: .quad 0
.align 4096
x: .quad 1
.align 4096
.text
_start:
${ENTER}
    mov rax, [x]                 ; the EPT maps x's page R+X (a read fault)
    mov rax, SYS_fork
    syscall
    test rax, rax
    je child
    mov r12, rax
    mov qword ptr [x], 2         ; write EPT violation: COW is broken for the parent
    mov rdi, r12
    lea rsi, [status]
    xor rdx, rdx
    xor r10, r10
    mov rax, SYS_wait4
    syscall
    mov rdi, [status]
    shr rdi, 8
    add rdi, [x]
    add rdi, [x]                 ; child's x + 2 * parent's x
    call exit
child:
    mov rdi, [x]
    call exit
${FAILED}`, { budget: 50_000_000 });
    expect(r.status).toEqual({ code: 1 + 2 * 2, how: 'exit' });
  });
});
