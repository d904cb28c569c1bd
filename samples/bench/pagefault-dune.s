; pagefault-dune.s: Table 2, "page fault" in Dune. The guest page table already maps the mmap
; window (dune_init's full mapping), but the EPT starts empty: the first write to each fresh
; page is an EPT violation; the module asks Linux for the page (get_user_pages: the kernel's
; fault path zeroes one), fills the EPT entry and resumes. Prints cycles per fault.
.include "timing.inc"         ; TSC_START, TSC_STOP, PRINT_PER_OP
N = 2000
.text
_start:
    call dune_init_and_enter
    test rax, rax
    jne failed
    mov rax, SYS_mmap
    xor rdi, rdi
    mov rsi, N * 4096
    mov rdx, PROT_READ | PROT_WRITE
    mov r10, MAP_PRIVATE | MAP_ANONYMOUS
    mov r8, -1
    xor r9, r9
    vmcall
    mov r14, rax
    TSC_START
    mov rbx, r14
    mov rcx, N
timed:
    mov qword ptr [rbx], 1     ; EPT violation -> VM exit -> EPT fill -> VM entry
    add rbx, 4096
    dec rcx
    jne timed
    TSC_STOP
    mov r13, rax
    TSC_START
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
failed:
    mov rdi, 1
    call exit
