; create-fork.s: Table 5, "create" with fork (apps/wedge/bench.c): fork a child that exits at
; once, and wait for it; 10 runs, the figure is the mean of the last 5 (cycles, the last line).
; As in bench.c the process has called sthread_init first (it is a Dune process with libdune's
; page pool, a checkpoint and an arena), so fork and wait4 are hypercalls and fork copies all of
; it copy-on-write; the child starts outside Dune and exits at once.
RUNS = 10
.data
.align 4096
wstart:
times: .zero RUNS * 8
.align 4096
wend:
.text
_start:
    lea rdi, [wstart]
    lea rsi, [wend]
    call sthread_init
    test rax, rax
    jne failed
    xor r12, r12
run:
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov r13, rax
    mov rax, SYS_fork
    syscall
    test rax, rax
    je child
    mov rdi, rax
    xor rsi, rsi
    xor rdx, rdx
    xor r10, r10
    mov rax, SYS_wait4
    syscall
    rdtsc
    shl rdx, 32
    or rax, rdx
    sub rax, r13
    lea rcx, [times]
    mov [rcx + r12*8], rax
    inc r12
    cmp r12, RUNS
    jb run
    xor rax, rax
    mov rcx, RUNS / 2
last:
    lea rdx, [times]
    add rax, [rdx + rcx*8]
    inc rcx
    cmp rcx, RUNS
    jb last
    xor rdx, rdx
    mov rcx, RUNS - RUNS / 2
    div rcx
    mov rdi, rax
    call print_u64
    mov rdi, 0
    call exit
failed:
    mov rdi, 1
    call exit
child:
    xor rdi, rdi
    mov rax, SYS_exit
    syscall
