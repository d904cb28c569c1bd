; ptrace-dune.s: Table 3, "ptrace" in Dune: intercept a system call, forward it to the kernel,
; return the result. The traced code runs in ring 3 (dune_jump_to_user); its SYSCALL lands in
; libdune's syscall page in ring 0, which calls the registered handler with a dune_tf; the handler
; forwards the call with dune_passthrough_syscall (a VMCALL) and returns to ring 3 with SYSRET.
; Prints cycles per intercepted getpid (timed in ring 3).
.include "timing.inc"         ; TSC_START, TSC_STOP, PRINT_PER_OP
N = 10000
.bss
.align 4096
ustack: .zero 16384
ustack_top:
tf: .zero TF_SIZE
.text
_start:
    call dune_init_and_enter
    test rax, rax
    jne failed
    mov rdi, handler
    call dune_register_syscall_handler
    lea rax, [traced]
    mov [tf + TF_RIP], rax
    lea rax, [ustack_top]
    mov [tf + TF_RSP], rax
    mov qword ptr [tf + TF_RFLAGS], 0x202
    lea rdi, [tf]
    call dune_jump_to_user     ; returns the cycles per call, from ring 3's exit
    mov rdi, rax
    call print_u64
    mov rdi, 0
    call exit
failed:
    mov rdi, 1
    call exit

; handler(tf), ring 0: forward everything; exit ends the traced code.
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
    mov rax, SYS_getpid        ; warm up
    syscall
    TSC_START
    mov rbx, N
timed:
    mov rax, SYS_getpid
    syscall
    dec rbx
    jne timed
    TSC_STOP
    mov r13, rax
    TSC_START
    mov rbx, N
empty:
    mov rax, SYS_getpid
    dec rbx
    jne empty
    TSC_STOP
    sub r13, rax
    mov rax, r13
    xor rdx, rdx
    mov rcx, N
    div rcx
    mov rdi, rax               ; exit(cycles per call): becomes dune_jump_to_user's result
    mov rax, SYS_exit
    syscall
