; create-fork.s: Table 5, "create" with fork (apps/wedge/bench.c): fork a child that exits at
; once, and wait for it; 10 runs, the figure is the mean of the last 5 (cycles, the last line).
; As in bench.c the process has called sthread_init first (it is a Dune process with libdune's
; page pool, a checkpoint and an arena), so fork and wait4 are hypercalls and fork copies all of
; it copy-on-write; the child starts outside Dune and exits at once.
.include "wedge.inc"
RUNS = 10
.data
.align 4096
wstart:
times: .zero RUNS * 8
.align 4096
wend:
.text
_start:
    WEDGE_INIT
    xor r12, r12
run:
    TSC_TO r13
    mov rax, SYS_fork
    syscall
    test rax, rax
    je child
    WAIT_CHILD
    TSC_SINCE r13
    lea rcx, [times]
    mov [rcx + r12*8], rax
    inc r12
    cmp r12, RUNS
    jb run
    MEAN_OF_LAST times, RUNS
    mov rdi, rax
    call print_u64
    mov rdi, 0
    call exit
    FAILED
child:
    EXIT_ZERO SYS_exit
