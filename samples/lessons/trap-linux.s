; trap-linux.s: the same page fault in a Linux process (lesson "Exceptions without the kernel"):
; #PF goes to the kernel, which turns it into SIGSEGV, builds a signal frame on the user stack
; and runs the handler; rt_sigreturn comes back. The handler skips the faulting 3-byte load by
; advancing the saved RIP (uc_mcontext.rip, offset 168). The second fault shows the cost alone.
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
    mov rax, [r14]              ; #PF -> SIGSEGV -> handler -> rt_sigreturn past this load
    mov rax, [r14]              ; the same, warm
    mov rdi, 0
    mov rax, SYS_exit
    syscall
handler:
    add qword ptr [rdx + UC_RIP], 3
    ret
