; churn.s: the GC lesson's program (src/lessons/gc-dirty). Sixteen old objects of one page each
; stay live in a root; each round the program writes into every one of them, then allocates
; short-lived cells until the collector runs. So after every collection the same sixteen old
; pages are written again: with write protection each write faults once per round, with dirty
; bits the hardware just sets D. The mode comes from stdin (linux, dune, dune-tlb, dune-dirty).
; Prints the old objects' sum (the same in every mode) and the collector's counters.
; The Dune modes are reconstructions of the paper's variants (its Boehm port is not public).
.include "driver.inc"
OLD = 16                    ; old objects, 4 KiB each (one page each)
ROUNDS = 6
CELLS = 3000                ; short-lived 32-byte cells per round (more than the trigger)
.data
old: .zero OLD * 8
old_end:
.text
_start:
    GC_INIT
    mov rdi, old
    mov rsi, old_end
    call gc_add_roots
    xor rbx, rbx
make:
    mov rdi, 4096
    call gc_alloc
    mov [old + rbx*8], rax
    inc rbx
    cmp rbx, OLD
    jb make
    mov r12, ROUNDS
round:
    xor rbx, rbx                ; write into every old object
poke:
    mov rax, [old + rbx*8]
    add qword ptr [rax + 8], 1
    inc rbx
    cmp rbx, OLD
    jb poke
    mov r13, CELLS              ; garbage: the collector runs in here
garbage:
    mov rdi, 32
    call gc_alloc
    mov [rax], r13
    dec r13
    jne garbage
    dec r12
    jne round
    xor rax, rax
    xor rbx, rbx
sum:
    mov rcx, [old + rbx*8]
    add rax, [rcx + 8]
    inc rbx
    cmp rbx, OLD
    jb sum
    GC_PRINT
.data
title: .asciz "churn: sum of the old objects"
bad: .asciz "churn: gc_init failed (stdin must name a mode: linux, dune, dune-tlb, dune-dirty)"
