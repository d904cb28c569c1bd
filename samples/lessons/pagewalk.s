.bss
.align 4096
buf: .zero 8192
.text
_start:
    call dune_init_and_enter
    mov rax, [buf]
    mov rax, [buf + 8]
    mov rax, [buf + 4096]
    mov rdi, 0
    call exit
