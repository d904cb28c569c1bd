; bigheap.s: a large heap for the heap view (not one of Table 6's programs).
; A chain of 4 KiB nodes grows to NODES blocks: each node is one heap page, [0] the next node,
; [8] its number. Every fourth node is dropped at once (garbage for the sweep to free), and
; every STRIDE-th allocation writes into an old node far down the chain (a write to a page that
; was protected or had its D bit cleared at the last collection). The mode comes from stdin
; (linux, dune, dune-tlb, dune-dirty). Prints the chain's sum (the same in every mode), the
; collector's counters and the cycles of the run.
; The Dune modes are reconstructions of the paper's variants (its Boehm port is not public).
.include "driver.inc"
NODES = 3000                ; blocks allocated (about 2,250 kept)
STRIDE = 64                 ; every STRIDE-th allocation also writes an old node
.data
head: .quad 0
roots_end:
old: .quad 0
total: .quad 0
start: .quad 0
.text
_start:
    GC_INIT
    mov rdi, head
    mov rsi, roots_end
    call gc_add_roots
    GC_START
    xor r12, r12                ; nodes allocated
grow:
    mov rdi, 4096
    call gc_alloc
    inc r12
    mov [rax + 8], r12
    test r12, 3                 ; every fourth: dropped (never linked)
    je next
    mov rcx, [head]
    mov [rax], rcx
    mov [head], rax
    cmp qword ptr [old], 0
    jne poke
    mov [old], rax              ; the first kept node: the far end of the chain
poke:
    test r12, STRIDE - 1        ; an old page written again
    jne next
    mov rcx, [old]
    mov rcx, [rcx]              ; (old's successor is 0: write old itself)
    mov rcx, [head]
    mov rdx, r12
    shr rdx, 6
walk:                           ; rdx steps down the chain from the head
    mov rcx, [rcx]
    test rcx, rcx
    je next
    dec rdx
    jne walk
    add qword ptr [rcx + 16], 1
next:
    cmp r12, NODES
    jb grow
    xor rax, rax                ; sum the chain
    mov rbx, [head]
sum:
    add rax, [rbx + 8]
    add rax, [rbx + 16]
    mov rbx, [rbx]
    test rbx, rbx
    jne sum
    mov [total], rax
    GC_REPORT [total]
.data
title: .asciz "bigheap: sum of the chain"
cyc: .asciz "cycles"
bad: .asciz "bigheap: gc_init failed (stdin must name a mode: linux, dune, dune-tlb, dune-dirty)"
