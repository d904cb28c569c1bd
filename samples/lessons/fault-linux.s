; fault-linux.s: a page fault in a Linux process (lesson "What Dune costs"): the first write to a
; fresh anonymous page raises #PF; the kernel's fault path maps a zeroed page and IRET returns.
.text
_start:
    mov rax, SYS_mmap
    xor rdi, rdi
    mov rsi, 8192
    mov rdx, PROT_READ | PROT_WRITE
    mov r10, MAP_PRIVATE | MAP_ANONYMOUS
    mov r8, -1
    xor r9, r9
    syscall
    mov rbx, rax
    mov qword ptr [rbx], 1      ; #PF: the kernel maps a zeroed page
    mov qword ptr [rbx + 4096], 1 ; the next page: the same, warm
    mov rdi, 0
    mov rax, SYS_exit
    syscall
