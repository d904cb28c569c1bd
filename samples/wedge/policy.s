; policy.s: what an sthread (Wedge on Dune, section 5.2) may and may not do. Each sthread runs
; in ring 3 on its own page table (a clone of the parent's) under the policy sc:
;  1. it writes a global: the write lands in its private copy, the parent's global is unchanged;
;  2. it writes its copy of the global to stdout: the buffer is checked and rewritten;
;  3. getpid is not in the policy's bitmap: -EINVAL (22); after sc_sys_add it is forwarded;
;  4. it reads memory outside its policy (the runtime's data): a page fault ends it (-EFAULT).
.include "wedge.inc"
.data
.align 4096
wstart:
sc: .zero SC_SIZE
counter: .quad 0
msg: .ascii "sthread: my counter is now ?\n"
msg_len = $ - msg
.align 4096
wend:
fmt1: .asciz "parent: the sthread returned %d; my counter is still %d\n"
fmt3: .asciz "parent: getpid from the sthread returned %d (not allowed), then %d (allowed)\n"
fmt4: .asciz "parent: the sthread that read the runtime's memory ended with %d\n"
.text
_start:
    WEDGE_INIT
    lea rdi, [sc]
    call sc_init
    lea rdi, [sc]
    mov rsi, 1
    call sc_fd_add
    lea rdi, [sc]                   ; 1 and 2
    lea rsi, [bump]
    mov rdx, 5
    call sthread_create
    mov rdi, rax
    call sthread_join
    mov rsi, rax
    lea rdi, [fmt1]
    mov rdx, [counter]
    call dune_printf
    lea rdi, [sc]                   ; 3
    lea rsi, [pid]
    xor rdx, rdx
    call sthread_create
    mov rdi, rax
    call sthread_join
    mov rbx, rax
    lea rdi, [sc]
    mov rsi, SYS_getpid
    call sc_sys_add
    lea rdi, [sc]
    lea rsi, [pid]
    xor rdx, rdx
    call sthread_create
    mov rdi, rax
    call sthread_join
    mov rdx, rax
    mov rsi, rbx
    lea rdi, [fmt3]
    call dune_printf
    lea rdi, [sc]                   ; 4
    lea rsi, [peek]
    xor rdx, rdx
    call sthread_create
    mov rdi, rax
    call sthread_join
    mov rsi, rax
    lea rdi, [fmt4]
    call dune_printf
    mov rdi, 0
    call exit
    FAILED

; ---- sthread code: ring 3 ----------------------------------------------------------------
; bump(n): counter += n, print it, return it.
bump:
    add [counter], rdi
    mov rax, [counter]
    add rax, '0'
    mov byte ptr [msg + msg_len - 2], rax
    mov rax, SYS_write
    mov rdi, 1
    lea rsi, [msg]
    mov rdx, msg_len
    syscall
    mov rdi, [counter]
    mov rax, SYS_sthread_exit
    syscall
pid:
    mov rax, SYS_getpid
    syscall
    mov rdi, rax
    mov rax, SYS_sthread_exit
    syscall
peek:
    mov rax, [pgroot]
    EXIT_ZERO SYS_sthread_exit
