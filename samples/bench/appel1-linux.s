; appel1-linux.s: Table 3, "appel1" on Linux: TRAP + PROT1 + UNPROT over 100 pages with
; mprotect and SIGSEGV (bench_linux.c). Every write to a read-only page raises SIGSEGV; the
; handler mprotects the faulting page read-write and the next page read-only. Prints the cycles
; of one round over the 100 pages (the average over ROUNDS rounds).
.include "timing.inc"         ; TSC_START, TSC_STOP, PRINT_PER_OP
PAGES = 100
ROUNDS = 5
SI_ADDR = 16
.bss
.align 4096
region: .zero PAGES * 4096
.text
_start:
    mov rdi, SIGSEGV
    mov rsi, handler
    call signal
    lea r14, [region]
    mov rbx, r14
    mov rcx, PAGES
warm:
    mov qword ptr [rbx], 1
    add rbx, 4096
    dec rcx
    jne warm
    mov rax, SYS_mprotect      ; PROTN once: all read-only
    mov rdi, r14
    mov rsi, PAGES * 4096
    mov rdx, PROT_READ
    syscall
    TSC_START
    mov r15, ROUNDS
round:
    mov rbx, r14
    mov r13, PAGES
touch:
    mov qword ptr [rbx], 2     ; TRAP
    add rbx, 4096
    dec r13
    jne touch
    dec r15
    jne round
    TSC_STOP
    PRINT_PER_OP ROUNDS

; handler(signo, siginfo, ucontext): UNPROT the faulting page, PROT1 the next one.
handler:
    push rbx
    mov rbx, [rsi + SI_ADDR]
    and rbx, -4096
    mov rax, SYS_mprotect
    mov rdi, rbx
    mov rsi, 4096
    mov rdx, PROT_READ | PROT_WRITE
    syscall
    lea rdi, [rbx + 4096]
    lea rax, [region + PAGES * 4096]
    cmp rdi, rax
    jb near
    lea rdi, [region]
near:
    mov rax, SYS_mprotect
    mov rsi, 4096
    mov rdx, PROT_READ
    syscall
    pop rbx
    ret
