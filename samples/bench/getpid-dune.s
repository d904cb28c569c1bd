; getpid-dune.s: Table 2, "getpid" in Dune (bench_dune.c): the same call made as a hypercall,
; VMCALL -> VM exit -> the module's vmx_handle_syscall -> sys_getpid -> VMRESUME.
N = 10000
.text
_start:
    call dune_init_and_enter
    test rax, rax
    jne failed
    mov rax, SYS_getpid        ; warm up
    vmcall
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov r12, rax
    mov rbx, N
timed:
    mov rax, SYS_getpid
    vmcall
    dec rbx
    jne timed
    rdtsc
    shl rdx, 32
    or rax, rdx
    sub rax, r12
    mov r13, rax
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov r12, rax
    mov rbx, N
empty:
    mov rax, SYS_getpid
    dec rbx
    jne empty
    rdtsc
    shl rdx, 32
    or rax, rdx
    sub rax, r12
    sub r13, rax
    mov rax, r13
    xor rdx, rdx
    mov rcx, N
    div rcx
    mov rdi, rax
    call print_u64
    mov rdi, 0
    call exit
failed:
    mov rdi, 1
    call exit
