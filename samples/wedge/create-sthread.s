; create-sthread.s: Table 5, "create" with an sthread (apps/wedge/bench.c): sthread_create of an
; empty function under an empty policy, then sthread_join; 10 runs, the figure is the mean of
; the last 5 (cycles, the last line). From the second run on the sthread is a recycled one.
.include "wedge.inc"
RUNS = 10
.data
.align 4096
wstart:
sc: .zero SC_SIZE
times: .zero RUNS * 8
.align 4096
wend:
.text
_start:
    WEDGE_INIT
    lea rdi, [sc]
    call sc_init
    xor r12, r12
run:
    TSC_TO r13
    lea rdi, [sc]
    lea rsi, [empty]
    xor rdx, rdx
    call sthread_create
    test rax, rax
    je failed
    mov rdi, rax
    call sthread_join
    TSC_SINCE r13
    lea rcx, [times]
    mov [rcx + r12*8], rax
    inc r12
    cmp r12, RUNS
    jb run
    MEAN_OF_LAST times, RUNS
    mov rbx, rax
    mov rdi, [times]                ; the first run: a new sthread (clone and both walks)
    call print_u64
    mov rdi, rbx
    call print_u64
    mov rdi, 0
    call exit
    FAILED

; The sthread: ring 3, nothing to do.
empty:
    EXIT_ZERO SYS_sthread_exit
