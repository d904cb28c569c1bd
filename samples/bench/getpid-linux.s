; getpid-linux.s: Table 2, "getpid" on Linux (bench_linux.c): the round trip of a near-null
; system call. SYSCALL -> kernel entry -> sys_getpid -> SYSRET. Prints cycles per call:
; (loop with the call - the same loop without it) / N, from the (modelled) TSC.
.include "timing.inc"         ; TSC_START, TSC_STOP, PRINT_PER_OP
N = 10000
.text
_start:
    mov rax, SYS_getpid        ; warm up: TLB and caches
    syscall
    TSC_START
    mov rbx, N
timed:
    mov rax, SYS_getpid
    syscall
    dec rbx
    jne timed
    TSC_STOP
    mov r13, rax               ; cycles with the calls
    TSC_START
    mov rbx, N
empty:
    mov rax, SYS_getpid
    dec rbx
    jne empty
    TSC_STOP  ; cycles of the bare loop
    sub r13, rax
    mov rax, r13
    PRINT_PER_OP N
