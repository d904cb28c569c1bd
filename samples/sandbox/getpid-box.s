; getpid-box.s: the cost of one forwarded system call in the sandbox (section 5.1): the box
; makes N getpid calls from ring 3; each traps to the monitor in ring 0 (libdune's syscall page,
; no VM exit), passes the argument checks and the strict policy, and is forwarded by VMCALL.
; The box times itself with RDTSC; the monitor prints the cycles per call (the last line).
; Linux's own figure for the same call is samples/bench/getpid-linux.s.
N = 10000
.data
box:
    .quad box_main, box_text, box_text_end, box_data, box_data_end, box_stack, box_stack_end
    .quad 0                             ; the strict policy
    .zero 32
.text
_start:
    lea rdi, [box]
    call boxer_run
    test rax, rax
    jne failed
    mov rax, [elapsed]
    xor rdx, rdx
    mov rcx, N
    div rcx
    mov rdi, rax
    call print_u64
    mov rdi, 0
    call exit
failed:
    mov rdi, 1
    call exit

.align 4096
box_text:
box_main:
    mov rax, SYS_getpid                 ; warm up
    syscall
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov r12, rax
    mov rbx, N
again:
    mov rax, SYS_getpid
    syscall
    dec rbx
    jne again
    rdtsc
    shl rdx, 32
    or rax, rdx
    sub rax, r12
    mov [elapsed], rax
    xor rdi, rdi
    mov rax, SYS_exit
    syscall
.align 4096
box_text_end:

.data
.align 4096
box_data:
elapsed: .quad 0
.align 4096
box_data_end:
.bss
.align 4096
box_stack: .zero 4096
box_stack_end:
