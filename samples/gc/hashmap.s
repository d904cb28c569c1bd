; hashmap.s: Table 6, "HashMap" (after the paper's sparsehash benchmark): a chained hash map of
; 256 buckets with churn: each operation picks a pseudo-random key; a present key is deleted
; (odd keys) or replaced by a new entry (even keys, the old one becomes garbage), an absent key
; is inserted. The bucket array and old entries are written long after they were allocated.
; An entry: [0] next, [8] key, [16] value (32 bytes). The mode comes from stdin. Prints the sum
; of the values left in the map (the same in every mode), the collector's counters and cycles.
; The Dune modes are reconstructions of the paper's variants (its Boehm port is not public).
.include "driver.inc"
BUCKETS = 256
KEYS = 8192
OPS = 40000
.data
table: .quad 0
roots_end:
seed: .quad 12345
start: .quad 0
.text
_start:
    GC_INIT
    mov rdi, table
    mov rsi, roots_end
    call gc_add_roots
    GC_START
    mov rdi, BUCKETS * 8
    call gc_alloc
    mov [table], rax
    mov r15, OPS
op:
    mov rax, [seed]             ; key = next LCG value % KEYS
    imul rax, rax, 1103515245
    add rax, 12345
    mov [seed], rax
    shr rax, 16
    and rax, KEYS - 1
    mov r12, rax                ; key
    mov r13, rax
    and r13, BUCKETS - 1
    shl r13, 3
    add r13, [table]            ; r13 = the bucket's slot (the link to update)
find:
    mov rbx, [r13]
    test rbx, rbx
    je absent
    cmp [rbx + 8], r12
    je present
    mov r13, rbx                ; the entry's next field is the link (offset 0)
    jmp find
absent:
    mov rdi, 32
    call gc_alloc
    mov [rax + 8], r12
    mov [rax + 16], r15
    mov rcx, [r13]
    mov [rax], rcx
    mov [r13], rax
    jmp next
present:
    test r12, 1
    jne delete
    mov rdi, 32                 ; replace: a new entry takes the old one's place
    call gc_alloc
    mov [rax + 8], r12
    mov [rax + 16], r15
    mov rcx, [rbx]
    mov [rax], rcx
    mov [r13], rax
    jmp next
delete:
    mov rcx, [rbx]
    mov [r13], rcx
next:
    dec r15
    jne op
    xor rax, rax                ; the sum of the values left
    xor rcx, rcx
sum_bucket:
    mov rdx, [table]
    mov rbx, [rdx + rcx*8]
sum_chain:
    test rbx, rbx
    je sum_next
    add rax, [rbx + 16]
    mov rbx, [rbx]
    jmp sum_chain
sum_next:
    inc rcx
    cmp rcx, BUCKETS
    jb sum_bucket
    mov r12, rax
    GC_REPORT r12
.data
title: .asciz "hashmap: sum of values"
cyc: .asciz "cycles"
bad: .asciz "hashmap: gc_init failed (stdin must name a mode: linux, dune, dune-tlb, dune-dirty)"
