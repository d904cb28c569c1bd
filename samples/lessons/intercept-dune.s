; intercept-dune.s: intercepting system calls in Dune (lesson "Intercepting system calls"). The
; traced code runs in ring 3 (dune_jump_to_user); its SYSCALL lands in libdune's ring-0 handler
; with no VM exit; the handler forwards it to the kernel with dune_passthrough_syscall (VMCALL)
; and returns to ring 3. The second getpid shows the cost alone.
.bss
.align 4096
ustack: .zero 16384
ustack_top:
tf: .zero TF_SIZE
.text
_start:
    call dune_init_and_enter
    mov rdi, handler
    call dune_register_syscall_handler
    lea rax, [traced]
    mov [tf + TF_RIP], rax
    lea rax, [ustack_top]
    mov [tf + TF_RSP], rax
    mov qword ptr [tf + TF_RFLAGS], 0x202
    lea rdi, [tf]
    call dune_jump_to_user      ; ring 3 from here until the traced code exits
    mov rdi, rax
    call exit

; handler(tf), ring 0: forward every call; exit ends the traced code.
handler:
    mov rax, [rdi + TF_RAX]
    cmp rax, SYS_exit
    je leave
    jmp dune_passthrough_syscall
leave:
    mov rdi, [rdi + TF_RDI]
    call dune_ret_from_user

; The traced code, ring 3.
traced:
    mov rax, SYS_getpid
    syscall                     ; -> the ring-0 handler, no VM exit
    mov rax, SYS_getpid
    syscall                     ; the same, warm
    mov rdi, 0
    mov rax, SYS_exit
    syscall
