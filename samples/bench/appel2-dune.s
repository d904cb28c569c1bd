; appel2-dune.s: Table 3, "appel2" in Dune: PROTN + TRAP + UNPROT (bench_dune.c). Each round
; write-protects the 100 pages (PROTN: clear PTE_W in each page's PTE, INVLPG), then writes
; every page; each write faults into the ring-0 handler, which makes that page writable again in
; its PTE and INVLPGs it. Prints the cycles of one round (the average over ROUNDS rounds).
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
    mov rdi, [pgroot]
    mov rsi, rbx
    xor rdx, rdx
    lea rcx, [ptep]
    call dune_vm_lookup
    mov rax, [ptep]
    and qword ptr [rax], ~PTE_W
    invlpg [rbx]
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
failed:
    mov rdi, 1
    call exit

; handler(addr, fec, tf): UNPROT the faulting page.
handler:
    push rbx
    mov rbx, rdi
    and rbx, -4096
    mov rdi, [pgroot]
    mov rsi, rbx
    xor rdx, rdx
    lea rcx, [ptep]
    call dune_vm_lookup
    mov rax, [ptep]
    or qword ptr [rax], PTE_P | PTE_W | PTE_U | PTE_A | PTE_D
    invlpg [rbx]
    pop rbx
    ret
