; getpid-linux.s: the same system calls from an ordinary Linux process (ring 3, VMX root):
; SYSCALL enters the kernel in ring 0 and SYSRET returns, with no VM exit. The second call is warm.
.text
_start:
    mov rax, SYS_getpid
    syscall                     ; ring 3 -> ring 0 of the kernel -> SYSRET
    mov rax, SYS_getpid
    syscall                     ; the same, warm
    mov rdi, 0
    mov rax, SYS_exit
    syscall
