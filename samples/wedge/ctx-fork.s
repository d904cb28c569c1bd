; ctx-fork.s: Table 5, "ctx switch" with processes (apps/wedge/bench.c): a parent and its forked
; child each write PAGES pages of their data, then sched_yield to the other, SWITCHES times in
; all. The figure is cycles per switch (the last line): schedule, switch_mm's CR3 load (which
; flushes the TLB: Linux 3.2 uses no PCIDs) and the refills after it.
.include "wedge.inc"
SWITCHES = 1000
PAGES = 1
.data
.align 4096
buf: .zero PAGES * 4096
.text
_start:
    mov rax, SYS_fork
    syscall
    mov r14, rax                    ; 0 in the child
    mov rax, SYS_sched_yield        ; let the child reach its loop
    syscall
    TSC_TO r15
    mov r13, SWITCHES / 2
loop:
    lea rcx, [buf]
    mov rdx, PAGES
touch:
    mov [rcx], r13
    add rcx, 4096
    dec rdx
    jne touch
    mov rax, SYS_sched_yield
    syscall
    dec r13
    jne loop
    test r14, r14
    je child_done
    TSC_SINCE r15
    mov r15, rax
    mov rdi, r14
    xor rsi, rsi
    xor rdx, rdx
    xor r10, r10
    mov rax, SYS_wait4
    syscall
    mov rax, r15
    PRINT_PER SWITCHES
child_done:
    EXIT_ZERO SYS_exit
