; appel1-dune.s: Table 3, "appel1" in Dune: Appel and Li's TRAP + PROT1 + UNPROT over 100
; protected pages (bench_dune.c). Every write faults into the ring-0 handler, which makes the
; faulting page writable by editing its PTE and write-protects the next page, with INVLPG only
; if that page's accessed bit was set (its translation may be cached). Prints the cycles of one
; round over the 100 pages (the average over ROUNDS rounds).
.include "timing.inc"         ; TSC_START, TSC_STOP, PRINT_PER_OP
PAGES = 100
ROUNDS = 20
.bss
.align 4096
region: .zero PAGES * 4096
ptep: .zero 8
.text
_start:
    call dune_init_and_enter
    test rax, rax
    jne failed
    mov rdi, handler
    call dune_register_pgflt_handler
    lea r14, [region]
    mov rbx, r14
    mov rcx, PAGES
warm:
    mov qword ptr [rbx], 1     ; map every page in the EPT, writable
    add rbx, 4096
    dec rcx
    jne warm
    mov rdi, [pgroot]          ; PROTN once: all read-only
    mov rsi, r14
    mov rdx, PAGES * 4096
    mov rcx, PERM_R | PERM_U
    call dune_vm_mprotect
    TSC_START
    mov r15, ROUNDS
round:
    mov rbx, r14
    mov r13, PAGES
touch:
    mov qword ptr [rbx], 2     ; TRAP: a write to a read-only page
    add rbx, 4096
    dec r13
    jne touch
    dec r15
    jne round
    TSC_STOP
    PRINT_PER_OP ROUNDS
failed:
    mov rdi, 1
    call exit

; handler(addr, fec, tf): UNPROT the faulting page, PROT1 the next one.
handler:
    push rbx
    push r12
    sub rsp, 8
    mov rbx, rdi
    and rbx, -4096
    mov rdi, [pgroot]          ; UNPROT: P|W|U|A|D on the faulting page's PTE
    mov rsi, rbx
    xor rdx, rdx
    lea rcx, [ptep]
    call dune_vm_lookup
    mov rax, [ptep]
    or qword ptr [rax], PTE_P | PTE_W | PTE_U | PTE_A | PTE_D
    invlpg [rbx]
    lea r12, [rbx + 4096]      ; PROT1: the next page (wrapping) loses PTE_W
    lea rax, [region + PAGES * 4096]
    cmp r12, rax
    jb near
    lea r12, [region]
near:
    mov rdi, [pgroot]
    mov rsi, r12
    xor rdx, rdx
    lea rcx, [ptep]
    call dune_vm_lookup
    mov rax, [ptep]
    mov rcx, [rax]
    and rcx, ~PTE_W
    mov [rax], rcx
    test rcx, PTE_A            ; INVLPG only if the page may be in the TLB
    je done
    invlpg [r12]
done:
    add rsp, 8
    pop r12
    pop rbx
    ret
