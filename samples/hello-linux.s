; hello-linux.s: an ordinary Linux process (VMX root, ring 3).
; write(2) is a SYSCALL: the CPU switches to ring 0 at the kernel's LSTAR entry point,
; the kernel copies the string from user memory and returns with SYSRET.
.data
msg: .ascii "Hello from a Linux process!\n"
msg_len = 28

.text
_start:
    mov rax, SYS_write      ; system call number in rax
    mov rdi, 1              ; fd 1: standard output
    lea rsi, [msg]          ; the buffer
    mov rdx, msg_len        ; its length
    syscall                 ; ring 3 -> ring 0 -> ring 3
    mov rax, SYS_exit
    mov rdi, 0
    syscall
