; ctx-sthread.s: Table 5, "ctx switch" with sthreads (apps/wedge/bench.c, "bench 2 1 N"): two
; sthreads; ring-3 code writes PAGES pages of its writable region (its private copy), then
; switches to the other sthread (SYS_sthread_switch: a trap into the monitor, no VM exit, CR3 =
; the other's table | its PCID | the no-flush bit), and so on. The figure is cycles per switch
; (the last line); the line before is the same with a flushing CR3 load.
.include "wedge.inc"
SWITCHES = 1000
PAGES = 1
.data
.align 4096
wstart:
sc: .zero SC_SIZE
buf: .zero PAGES * 4096
.align 4096
wend:
.text
_start:
    WEDGE_INIT
    lea rdi, [sc]
    call sc_init
    mov rdi, 1                      ; with a flushing CR3 load
    call measure
    mov rdi, rax
    call print_u64
    xor rdi, rdi                    ; with the sthread's PCID and the no-flush bit
    call measure
    mov rdi, rax
    call print_u64
    mov rdi, 0
    call exit
    FAILED
; measure(flush): cycles per switch. B is only an address space to switch to; A runs pingpong
; with arg = B | flush (sthreads are 8-byte aligned).
measure:
    push rbx
    push r12
    push r13
    mov r13, rdi
    lea rdi, [sc]
    lea rsi, [pingpong]
    xor rdx, rdx
    call sthread_create
    mov rbx, rax
    lea rdi, [sc]
    lea rsi, [pingpong]
    mov rdx, rbx
    or rdx, r13
    call sthread_create
    mov rdi, rax
    call sthread_join
    pop r13
    pop r12
    pop rbx
    ret

; ---- ring 3: pingpong(B | flush, A), running as sthread A ----------------------------------
pingpong:
    mov r12, rsi
    mov rbx, rdi
    and rbx, -8
    mov r14, rdi
    and r14, 1
    TSC_TO r15
    mov r13, SWITCHES / 2
pp_loop:
    lea rcx, [buf]
    mov rdx, PAGES
pp_ta:
    mov [rcx], r13
    add rcx, 4096
    dec rdx
    jne pp_ta
    mov rdi, rbx
    mov rsi, r14
    mov rax, SYS_sthread_switch
    syscall
    lea rcx, [buf]
    mov rdx, PAGES
pp_tb:
    mov [rcx], r13
    add rcx, 4096
    dec rdx
    jne pp_tb
    mov rdi, r12
    mov rsi, r14
    mov rax, SYS_sthread_switch
    syscall
    dec r13
    jne pp_loop
    TSC_SINCE r15
    xor rdx, rdx
    mov rcx, SWITCHES
    div rcx
    mov rdi, rax
    mov rax, SYS_sthread_exit
    syscall
