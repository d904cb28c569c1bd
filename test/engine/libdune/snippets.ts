// Guest code that more than one test file runs (libdune's API, docs/guest-asm.md).

/** Run ring 3 at `user` on the stack ending at `ustack_top`: dune_jump_to_user with the frame
 *  `tf` (TF_RIP, TF_RSP, RFLAGS 2: IF clear), then exit with what dune_ret_from_user gave back.
 *  The program defines user, ustack_top and tf (TF_SIZE bytes). */
export const JUMP_TO_USER = `    lea rax, [user]
    mov [tf + TF_RIP], rax
    lea rax, [ustack_top]
    mov [tf + TF_RSP], rax
    mov qword ptr [tf + TF_RFLAGS], 2
    lea rdi, [tf]
    call dune_jump_to_user
    mov rdi, rax
    call exit`;
