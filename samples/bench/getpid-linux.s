; getpid-linux.s: Table 2, "getpid" on Linux (bench_linux.c): the round trip of a near-null
; system call. SYSCALL -> kernel entry -> sys_getpid -> SYSRET. Prints cycles per call:
; (loop with the call - the same loop without it) / N, from the (modelled) TSC.
N = 10000
.text
_start:
    mov rax, SYS_getpid        ; warm up: TLB and caches
    syscall
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov r12, rax
    mov rbx, N
timed:
    mov rax, SYS_getpid
    syscall
    dec rbx
    jne timed
    rdtsc
    shl rdx, 32
    or rax, rdx
    sub rax, r12
    mov r13, rax               ; cycles with the calls
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
    sub rax, r12               ; cycles of the bare loop
    sub r13, rax
    mov rax, r13
    xor rdx, rdx
    mov rcx, N
    div rcx
    mov rdi, rax
    call print_u64
    mov rdi, 0
    call exit
