; pagewalk-linux.s: Table 2, "page walk" on Linux (a 4-level walk per TLB miss).
; Touch PAGES pages once (so every page is mapped), then make M loads at random page-aligned
; addresses over them: far more pages than the TLB holds, so almost every load misses and the
; page walker runs. The paper divides the walker's cycles (a performance counter) by the number
; of memory references; `sim bench paper` reads the model's walker-cycle counter between the
; two RDTSCs around the timed loop. The program itself prints cycles per load.
.include "timing.inc"         ; TSC_START, TSC_STOP, PRINT_PER_OP
PAGES = 65536
M = 100000
.text
_start:

    mov rax, SYS_mmap
    xor rdi, rdi
    mov rsi, PAGES * 4096
    mov rdx, PROT_READ | PROT_WRITE
    mov r10, MAP_PRIVATE | MAP_ANONYMOUS
    mov r8, -1
    xor r9, r9
    syscall
    mov r14, rax               ; the region
    mov rbx, r14
    mov rcx, PAGES
touch:
    mov rax, [rbx]             ; map every page first (demand paging)
    add rbx, 4096
    dec rcx
    jne touch
    mov r15, 12345             ; the random number generator's state
    TSC_START
    mov rcx, M
timed:
    imul r15, r15, 1103515245
    add r15, 12345
    mov rax, r15
    shr rax, 16
    and rax, PAGES - 1
    shl rax, 12
    mov rax, [r14 + rax]       ; a TLB miss, nearly always
    dec rcx
    jne timed
    TSC_STOP
    PRINT_PER_OP M
failed:
    mov rdi, 1
    call exit
