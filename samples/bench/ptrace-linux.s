; ptrace-linux.s: Table 3, "ptrace" on Linux: a tracer intercepts the tracee's getpid with
; PTRACE_SYSCALL (a stop at entry, the kernel runs the call, a stop at exit), as a ptrace-based
; sandbox does. Every stop is a context switch to the tracer and back. The tracee times N calls
; and prints cycles per intercepted getpid.
.include "timing.inc"         ; TSC_START, TSC_STOP, PRINT_PER_OP
N = 200
WNOHANG = 1
.bss
status: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    test rax, rax
    je tracee
    mov r15, rax               ; the tracee's pid
tracer:
    mov rax, SYS_wait4         ; wait for the next stop (or the exit)
    mov rdi, r15
    lea rsi, [status]
    xor rdx, rdx
    xor r10, r10
    syscall
    mov rax, [status]
    and rax, 0x7f
    je done                    ; WIFEXITED
    mov rax, SYS_ptrace        ; resume to the next syscall entry or exit
    mov rdi, PTRACE_SYSCALL
    mov rsi, r15
    xor rdx, rdx
    xor r10, r10
    syscall
    jmp tracer
done:
    mov rdi, 0
    call exit

tracee:
    mov rax, SYS_ptrace
    mov rdi, PTRACE_TRACEME
    xor rsi, rsi
    xor rdx, rdx
    xor r10, r10
    syscall
    mov rax, SYS_getpid
    syscall
    mov rdi, rax
    mov rsi, SIGSTOP           ; stop until the tracer is ready
    mov rax, SYS_kill
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
    PRINT_PER_OP N
