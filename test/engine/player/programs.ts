// Guest programs the player's tests share.

/** A system-call loop of n iterations: three landmarks (ring, syscall, ring) per four
 *  instructions (SYSCALL clobbers rcx: the count is in rbx). bench/player.ts runs the same loop. */
export const SYSCALL_LOOP = (n: number) => `
_start:
    mov rbx, ${n}
top:
    mov rax, SYS_getpid
    syscall
    dec rbx
    jne top
    mov rdi, 0
    mov rax, SYS_exit
    syscall
`;
