; ctx-fork.s: Table 5, "ctx switch" with processes (apps/wedge/bench.c): a parent and its forked
; child each write PAGES pages of their data, then sched_yield to the other, SWITCHES times in
; all. The figure is cycles per switch (the last line): schedule, switch_mm's CR3 load (which
; flushes the TLB: Linux 3.2 uses no PCIDs) and the refills after it.
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
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov r15, rax
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
    rdtsc
    shl rdx, 32
    or rax, rdx
    sub rax, r15
    mov r15, rax
    mov rdi, r14
    xor rsi, rsi
    xor rdx, rdx
    xor r10, r10
    mov rax, SYS_wait4
    syscall
    mov rax, r15
    xor rdx, rdx
    mov rcx, SWITCHES
    div rcx
    mov rdi, rax
    call print_u64
    mov rdi, 0
    call exit
child_done:
    xor rdi, rdi
    mov rax, SYS_exit
    syscall
