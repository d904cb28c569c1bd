; appel2-linux.s: Table 3, "appel2" on Linux: PROTN + TRAP + UNPROT (bench_linux.c). Each round
; write-protects the 100 pages (PROTN, one mprotect per page), then writes every page; each write
; raises SIGSEGV and the handler mprotects that page read-write. Prints the cycles of one round.
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
    TSC_START
    mov r15, ROUNDS
round:
    mov rbx, r14               ; PROTN
    mov r13, PAGES
protn:
    mov rax, SYS_mprotect
    mov rdi, rbx
    mov rsi, 4096
    mov rdx, PROT_READ
    syscall
    add rbx, 4096
    dec r13
    jne protn
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

; handler(signo, siginfo, ucontext): UNPROT the faulting page.
handler:
    mov rdi, [rsi + SI_ADDR]
    and rdi, -4096
    mov rax, SYS_mprotect
    mov rsi, 4096
    mov rdx, PROT_READ | PROT_WRITE
    syscall
    ret
