; pagewalk-linux.s: the page walks of lessons/pagewalk.s in a Linux process (lesson "What Dune
; costs"): a TLB miss reads the four levels of one page table, not two dimensions of them.
.bss
.align 4096
buf: .zero 8192
.text
_start:
    mov rax, [buf]
    mov rax, [buf + 8]
    mov rax, [buf + 4096]       ; the next page: a TLB miss, a 1-D walk
    mov rdi, 0
    mov rax, SYS_exit
    syscall
