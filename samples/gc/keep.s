; keep.s: the GC lesson's XML-like program (src/lessons/gc-dirty): it allocates and keeps
; everything, a list of cells that only grows, as xml.s's parse keeps its tree. Allocation about
; equals the heap, so nearly every write goes to a page the allocator has just taken (never
; protected, so no write fault to save), and in Dune every fresh page costs an EPT violation.
; The mode comes from stdin (linux, dune, dune-tlb, dune-dirty). Prints the list's sum (the same
; in every mode) and the collector's counters.
; The Dune modes are reconstructions of the paper's variants (its Boehm port is not public).
.include "driver.inc"
CELLS = 6000                ; 48-byte cells (64-byte class), all kept
.data
head: .quad 0
head_end:
.text
_start:
    GC_INIT
    mov rdi, head
    mov rsi, head_end
    call gc_add_roots
    mov r12, CELLS
grow:
    mov rdi, 48
    call gc_alloc
    mov rcx, [head]
    mov [rax], rcx
    mov [rax + 8], r12
    mov [head], rax
    dec r12
    jne grow
    xor rax, rax
    mov rbx, [head]
sum:
    add rax, [rbx + 8]
    mov rbx, [rbx]
    test rbx, rbx
    jne sum
    GC_PRINT
.data
title: .asciz "keep: sum of the list"
bad: .asciz "keep: gc_init failed (stdin must name a mode: linux, dune, dune-tlb, dune-dirty)"
