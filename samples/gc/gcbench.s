; gcbench.s: Table 6, "GCBench" (Hans Boehm's binary-tree benchmark, scaled down): a long-lived
; tree and array stay live while trees of depth 4..10 are built top-down (populate: children
; stored into older nodes) and bottom-up (make_tree), and dropped. The collector's mode comes
; from stdin (linux, dune, dune-tlb, dune-dirty): sim run samples/gc/gcbench.s --stdin dune-dirty
; Prints a checksum (the same in every mode), the collector's counters and the cycles of the run.
; A node: [0] left, [8] right, [16] i, [24] j (32 bytes).
; The Dune modes are reconstructions of the paper's variants (its Boehm port is not public).
.include "driver.inc"
STRETCH = 10                ; the stretch tree's depth (GCBench: 18)
LONG_LIVED = 9              ; the long-lived tree's depth (GCBench: 16)
MIN_DEPTH = 4
MAX_DEPTH = 10              ; (GCBench: 16)
.data
longlived: .quad 0
roots_end:
checksum: .quad 0
start: .quad 0
.text
_start:
    GC_INIT
    mov rdi, longlived
    mov rsi, roots_end
    call gc_add_roots
    GC_START
    mov rdi, STRETCH            ; a stretch tree, dropped at once
    call make_tree
    mov rdi, LONG_LIVED         ; the long-lived tree, kept in a registered root
    call make_tree
    mov [longlived], rax
    mov r12, MIN_DEPTH
depth:
    ; iterations = 2 * size(STRETCH) / size(depth) = 2^(STRETCH - depth + 1), roughly
    mov rcx, STRETCH + 1
    sub rcx, r12
    mov r13, 1
    shl r13, cl
iter:
    mov rdi, 32                 ; top-down: allocate the root, then populate it
    call gc_alloc
    mov rbx, rax
    mov rdi, r12
    mov rsi, rbx
    call populate
    mov rdi, rbx
    call count
    add [checksum], rax
    mov rdi, r12                ; bottom-up
    call make_tree
    mov rdi, rax
    call count
    add [checksum], rax
    dec r13
    jne iter
    add r12, 2
    cmp r12, MAX_DEPTH
    jbe depth
    mov rdi, [longlived]        ; the long-lived tree is still whole
    call count
    add [checksum], rax
    GC_REPORT [checksum]

; make_tree(depth): a complete tree, children first (bottom-up).
make_tree:
    push rbx
    push r12
    push r13
    mov rbx, rdi
    xor r12, r12
    xor r13, r13
    test rbx, rbx
    je mt_leaf
    lea rdi, [rbx - 1]
    call make_tree
    mov r12, rax
    lea rdi, [rbx - 1]
    call make_tree
    mov r13, rax
mt_leaf:
    mov rdi, 32
    call gc_alloc
    mov [rax], r12
    mov [rax + 8], r13
    mov [rax + 16], rbx
    pop r13
    pop r12
    pop rbx
    ret

; populate(depth, node): give node two new children, then populate them (top-down).
populate:
    push rbx
    push r12
    mov rbx, rdi
    mov r12, rsi
    test rbx, rbx
    je pop_done
    dec rbx
    mov rdi, 32
    call gc_alloc
    mov [r12], rax
    mov rdi, 32
    call gc_alloc
    mov [r12 + 8], rax
    mov [r12 + 24], rbx
    mov rdi, rbx
    mov rsi, [r12]
    call populate
    mov rdi, rbx
    mov rsi, [r12 + 8]
    call populate
pop_done:
    pop r12
    pop rbx
    ret

; count(node): the number of nodes in the tree.
count:
    push rbx
    push r12
    xor rax, rax
    test rdi, rdi
    je cnt_done
    mov rbx, rdi
    mov rdi, [rbx]
    call count
    mov r12, rax
    mov rdi, [rbx + 8]
    call count
    lea rax, [rax + r12 + 1]
cnt_done:
    pop r12
    pop rbx
    ret

.data
title: .asciz "gcbench: nodes counted"
cyc: .asciz "cycles"
bad: .asciz "gcbench: gc_init failed (stdin must name a mode: linux, dune, dune-tlb, dune-dirty)"
