; linkedlist.s: Table 6, "LinkedList": build lists of integers that grow from round to round,
; sum each, drop it. A cell: [0] next, [8] value (16 bytes). The mode comes from stdin (linux,
; dune, dune-tlb, dune-dirty). Prints the sum of all sums (the same in every mode), the
; collector's counters and the cycles of the run.
; The Dune modes are reconstructions of the paper's variants (its Boehm port is not public).
ROUNDS = 18
STEP = 500                  ; round r builds a list of r * STEP cells
.data
total: .quad 0
start: .quad 0
.text
_start:
    call gc_mode_from_stdin
    mov rdi, rax
    call gc_init
    test rax, rax
    jne failed
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov [start], rax
    mov r12, 1                  ; round
round:
    imul r13, r12, STEP         ; cells to build
    xor rbx, rbx                ; the list
build:
    mov rdi, 16
    call gc_alloc
    mov [rax], rbx
    mov [rax + 8], r13
    mov rbx, rax
    dec r13
    jne build
    xor rax, rax                ; sum it
sum:
    add rax, [rbx + 8]
    mov rbx, [rbx]
    test rbx, rbx
    jne sum
    add [total], rax
    inc r12
    cmp r12, ROUNDS
    jbe round
    rdtsc
    shl rdx, 32
    or rax, rdx
    sub rax, [start]
    mov rbx, rax
    lea rdi, [title]
    call puts
    mov rdi, [total]
    call print_u64
    call gc_print_stats
    lea rdi, [cyc]
    call puts
    mov rdi, rbx
    call print_u64
    mov rdi, 0
    call exit
failed:
    lea rdi, [bad]
    call puts
    mov rdi, 1
    call exit
.data
title: .asciz "linkedlist: sum of sums"
cyc: .asciz "cycles"
bad: .asciz "linkedlist: gc_init failed (stdin must name a mode: linux, dune, dune-tlb, dune-dirty)"
