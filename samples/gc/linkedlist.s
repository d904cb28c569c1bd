; linkedlist.s: Table 6, "LinkedList": build lists of integers that grow from round to round,
; sum each, drop it. A cell: [0] next, [8] value (16 bytes). The mode comes from stdin (linux,
; dune, dune-tlb, dune-dirty). Prints the sum of all sums (the same in every mode), the
; collector's counters and the cycles of the run.
; The Dune modes are reconstructions of the paper's variants (its Boehm port is not public).
.include "driver.inc"
ROUNDS = 18
STEP = 500                  ; round r builds a list of r * STEP cells
.data
total: .quad 0
start: .quad 0
.text
_start:
    GC_INIT
    GC_START
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
    GC_REPORT [total]
.data
title: .asciz "linkedlist: sum of sums"
cyc: .asciz "cycles"
bad: .asciz "linkedlist: gc_init failed (stdin must name a mode: linux, dune, dune-tlb, dune-dirty)"
