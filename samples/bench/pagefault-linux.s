; pagefault-linux.s: Table 2, "page fault" on Linux: a kernel-handled fault on a fresh page.
; mmap N pages (nothing is mapped yet), then write one word in each: every write is a #PF
; that the kernel satisfies with a zeroed page (demand paging). Prints cycles per fault.
.include "timing.inc"         ; TSC_START, TSC_STOP, PRINT_PER_OP
N = 2000
.text
_start:
    mov rax, SYS_mmap
    xor rdi, rdi
    mov rsi, N * 4096
    mov rdx, PROT_READ | PROT_WRITE
    mov r10, MAP_PRIVATE | MAP_ANONYMOUS
    mov r8, -1
    xor r9, r9
    syscall
    mov r14, rax               ; the region
    TSC_START
    mov rbx, r14
    mov rcx, N
timed:
    mov qword ptr [rbx], 1     ; first touch: #PF, the kernel maps a zero page
    add rbx, 4096
    dec rcx
    jne timed
    TSC_STOP
    mov r13, rax
    TSC_START  ; the same loop over the now-mapped pages
    mov rbx, r14
    mov rcx, N
again:
    mov qword ptr [rbx], 1
    add rbx, 4096
    dec rcx
    jne again
    TSC_STOP
    sub r13, rax
    mov rax, r13
    PRINT_PER_OP N
