; sandbox-dune.s: a ring-3 sandbox with a system-call policy (the paper's §5.1 in miniature).
; The monitor runs in ring 0. It maps the untrusted code user-accessible (PERM_U) and enters it
; in ring 3 with dune_jump_to_user. The sandbox's SYSCALL now traps into the monitor's handler
; in ring 0 (libdune's syscall page), never directly to the kernel: the policy lets write(2)
; through with dune_passthrough_syscall (a VMCALL), turns exit into dune_ret_from_user, and
; denies everything else with -EPERM.
.data
deny_msg: .asciz "monitor: denied a system call"
back_msg: .asciz "monitor: the sandbox exited with"
ok_msg: .ascii "sandbox: hello from ring 3\n"
tf: .zero TF_SIZE

.bss
.align 4096
ustack: .zero 8192
ustack_top:

.text
_start:
    call dune_init_and_enter
    test rax, rax
    jne failed
    mov rdi, policy
    call dune_register_syscall_handler
    ; the untrusted code and its stack are user pages (the full mapping is RWXU already;
    ; a stricter monitor would map only these with PERM_U)
    lea rax, [untrusted]
    mov [tf + TF_RIP], rax
    lea rax, [ustack_top]
    mov [tf + TF_RSP], rax
    mov qword ptr [tf + TF_RFLAGS], 0x202
    lea rdi, [tf]
    call dune_jump_to_user           ; returns when the sandbox calls exit
    mov rbx, rax
    lea rdi, [back_msg]
    call puts
    mov rdi, rbx
    call print_u64
    mov rdi, 0
    call exit
failed:
    mov rdi, 1
    call exit

; policy(tf): runs in ring 0 for every SYSCALL the sandbox makes.
policy:
    push rbx
    mov rbx, rdi
    mov rax, [rbx + TF_RAX]
    cmp rax, SYS_write
    je allow
    cmp rax, SYS_exit
    je leave
    lea rdi, [deny_msg]
    call puts
    mov qword ptr [rbx + TF_RAX], -1     ; -EPERM
    pop rbx
    ret
allow:
    mov rdi, rbx
    call dune_passthrough_syscall        ; VMCALL with the frame's arguments
    pop rbx
    ret
leave:
    mov rdi, [rbx + TF_RDI]
    call dune_ret_from_user              ; back to dune_jump_to_user's caller

; The untrusted code: ring 3.
untrusted:
    mov rax, SYS_write
    mov rdi, 1
    lea rsi, [ok_msg]
    mov rdx, 27
    syscall
    mov rax, SYS_getpid                  ; denied by the policy
    syscall
    mov rdi, rax                         ; -1
    neg rdi
    add rdi, 6                           ; exit code 7
    mov rax, SYS_exit
    syscall
