; trap-dune.s: a page fault handled by the process itself (lesson "Exceptions without the
; kernel"). The page is made not present in libdune's page table; each load of it raises #PF,
; which the CPU delivers through the process's own IDT to its ring-0 handler: no VM exit, no
; kernel. The handler skips the faulting 3-byte load. The second fault shows the cost alone.
.bss
.align 4096
victim: .zero 4096
.text
_start:
    call dune_init_and_enter
    mov rdi, handler
    call dune_register_pgflt_handler
    lea r14, [victim]
    mov rax, [r14]              ; map it in the EPT first
    mov rdi, [pgroot]
    mov rsi, r14
    mov rdx, 4096
    xor rcx, rcx                ; no PERM_R: not present
    call dune_vm_mprotect
    mov rax, [r14]              ; #PF -> the process's handler -> IRETQ past this load
    mov rax, [r14]              ; the same, warm
    mov rdi, 0
    call exit

; handler(addr, fec, tf): skip the 3-byte `mov rax, [r14]`.
handler:
    add qword ptr [rdx + TF_RIP], 3
    ret
