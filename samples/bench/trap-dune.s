; trap-dune.s: Table 3, "trap" in Dune: a page fault delivered by the hardware straight to the
; process's own ring-0 handler through its IDT (no VM exit, no kernel), and the return (IRETQ).
; The page is made not-present in libdune's page table; the handler skips the faulting 3-byte
; load by advancing the trap frame's RIP. Prints cycles per trap.
.include "timing.inc"         ; TSC_START, TSC_STOP, PRINT_PER_OP
N = 10000
.bss
.align 4096
victim: .zero 4096
.text
_start:
    call dune_init_and_enter
    test rax, rax
    jne failed
    mov rdi, handler
    call dune_register_pgflt_handler
    lea r14, [victim]
    mov rax, [r14]             ; map it in the EPT first
    mov rdi, [pgroot]
    mov rsi, r14
    mov rdx, 4096
    xor rcx, rcx               ; no PERM_R: not present
    call dune_vm_mprotect
    mov rax, [r14]             ; warm up the trap path
    TSC_START
    mov rbx, N
timed:
    mov rax, [r14]             ; #PF -> handler -> IRETQ past this load
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
failed:
    mov rdi, 1
    call exit

; handler(addr, fec, tf): skip the 3-byte `mov rax, [r14]`.
handler:
    add qword ptr [rdx + TF_RIP], 3
    ret
