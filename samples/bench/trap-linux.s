; trap-linux.s: Table 3, "trap" on Linux: a page fault turned into SIGSEGV and delivered to a
; user handler (a signal frame on the user stack), and the return through rt_sigreturn. The page
; is PROT_NONE; the handler skips the faulting 3-byte load by advancing the saved RIP in the
; ucontext (uc_mcontext.rip is at offset 168). Prints cycles per trap.
.include "timing.inc"         ; TSC_START, TSC_STOP, PRINT_PER_OP
N = 2000
UC_RIP = 168
.bss
.align 4096
victim: .zero 4096
.text
_start:
    mov rdi, SIGSEGV
    mov rsi, handler
    call signal
    mov rax, SYS_mprotect
    lea rdi, [victim]
    mov rsi, 4096
    mov rdx, PROT_NONE
    syscall
    lea r14, [victim]
    mov rax, [r14]             ; warm up the trap path
    TSC_START
    mov rbx, N
timed:
    mov rax, [r14]             ; #PF -> SIGSEGV -> handler -> rt_sigreturn past this load
    dec rbx
    jne timed
    TSC_STOP
    mov r13, rax
    TSC_START
    mov rbx, N
empty:
    nop
    dec rbx
    jne empty
    TSC_STOP
    sub r13, rax
    mov rax, r13
    PRINT_PER_OP N

; handler(signo, siginfo, ucontext)
handler:
    add qword ptr [rdx + UC_RIP], 3
    ret
