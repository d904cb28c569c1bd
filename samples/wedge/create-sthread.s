; create-sthread.s: Table 5, "create" with an sthread (apps/wedge/bench.c): sthread_create of an
; empty function under an empty policy, then sthread_join; 10 runs, the figure is the mean of
; the last 5 (cycles, the last line). From the second run on the sthread is a recycled one.
RUNS = 10
SC_SIZE = 272                   ; struct sc (docs/apps.md)
SYS_sthread_exit = 666
.data
.align 4096
wstart:
sc: .zero SC_SIZE
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
    lea rdi, [sc]
    call sc_init
    xor r12, r12
run:
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov r13, rax
    lea rdi, [sc]
    lea rsi, [empty]
    xor rdx, rdx
    call sthread_create
    test rax, rax
    je failed
    mov rdi, rax
    call sthread_join
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
    mov rbx, rax
    mov rdi, [times]                ; the first run: a new sthread (clone and both walks)
    call print_u64
    mov rdi, rbx
    call print_u64
    mov rdi, 0
    call exit
failed:
    mov rdi, 1
    call exit

; The sthread: ring 3, nothing to do.
empty:
    xor rdi, rdi
    mov rax, SYS_sthread_exit
    syscall
