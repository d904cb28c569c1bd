; getpid-dune.s: Table 2, "getpid" in Dune (bench_dune.c): the same call made as a hypercall,
; VMCALL -> VM exit -> the module's vmx_handle_syscall -> sys_getpid -> VMRESUME.
.include "timing.inc"         ; TSC_START, TSC_STOP, PRINT_PER_OP
N = 10000
.text
_start:
    call dune_init_and_enter
    test rax, rax
    jne failed
    mov rax, SYS_getpid        ; warm up
    vmcall
    TSC_START
    mov rbx, N
timed:
    mov rax, SYS_getpid
    vmcall
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
    PRINT_PER_OP N
failed:
    mov rdi, 1
    call exit
