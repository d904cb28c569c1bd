; xml.s: Table 6, "XML" (after the paper's MiniXML run): "parse" a generated document of
; records, each an element with an author and a title child whose text is copied into its own
; string, and keep the whole tree (as MiniXML keeps the document: allocation is about the size of
; the heap, so there is little garbage); then count the records per author. An element: [0] tag,
; [8] first child, [16] next sibling, [24] text (32 bytes); text: 48 bytes. The mode comes from
; stdin. Prints a checksum of the counts (the same in every mode), the counters and the cycles.
; The Dune modes are reconstructions of the paper's variants (its Boehm port is not public).
.include "driver.inc"
RECORDS = 9000
AUTHORS = 16
TAG_RECORD = 1
TAG_AUTHOR = 2
TAG_TITLE = 3
.data
doc: .quad 0
roots_end:
seed: .quad 4242
start: .quad 0
counts: .zero AUTHORS * 8
.text
_start:
    GC_INIT
    mov rdi, doc
    mov rsi, roots_end
    call gc_add_roots
    GC_START
    mov rdi, 32                 ; the document element
    call gc_alloc
    mov [doc], rax
    mov r14, rax                ; the last record (records are appended as siblings)
    mov r15, RECORDS
record:
    mov rdi, TAG_RECORD
    call element
    mov rbx, rax
    cmp r14, [doc]
    jne rec_sibling
    mov [r14 + 8], rbx          ; the first record: the document's child
    jmp rec_linked
rec_sibling:
    mov [r14 + 16], rbx         ; append: a store into an older element
rec_linked:
    mov r14, rbx
    mov rdi, TAG_AUTHOR
    call element
    mov r12, rax
    mov [rbx + 8], r12
    call rand
    and rax, AUTHORS - 1
    mov rdi, rax
    call text
    mov [r12 + 24], rax
    mov rdi, TAG_TITLE
    call element
    mov r13, rax
    mov [r12 + 16], r13
    call rand
    and rax, 255
    mov rdi, rax
    call text
    mov [r13 + 24], rax
    dec r15
    jne record
    ; count per author: walk the records, read each author's text
    mov rbx, [doc]
    mov rbx, [rbx + 8]
count:
    test rbx, rbx
    je counted
    mov rax, [rbx + 8]          ; the author element
    mov rax, [rax + 24]         ; its text
    mov rax, byte ptr [rax + 7] ; the author's letter
    sub rax, 'a'
    lea rcx, [counts]
    inc qword ptr [rcx + rax*8]
    mov rbx, [rbx + 16]
    jmp count
counted:
    xor rax, rax
    xor rcx, rcx
mix:
    imul rax, rax, 31
    lea rdx, [counts]
    add rax, [rdx + rcx*8]
    inc rcx
    cmp rcx, AUTHORS
    jb mix
    mov r12, rax
    GC_REPORT r12

; element(tag): a new element.
element:
    push rdi
    mov rdi, 32
    call gc_alloc
    pop rdi
    mov [rax], rdi
    ret
; text(n): a 48-byte string "author-X-n..." copied byte by byte, as a parser copies its input.
text:
    push rbx
    push r12
    mov r12, rdi
    mov rdi, 48
    call gc_alloc
    mov rbx, rax
    xor rcx, rcx
tx_copy:
    lea rdx, [proto]
    mov rax, byte ptr [rdx + rcx]
    mov byte ptr [rbx + rcx], rax
    inc rcx
    cmp rcx, 40
    jb tx_copy
    mov rax, r12
    and rax, 15
    add rax, 'a'
    mov byte ptr [rbx + 7], rax
    mov rax, rbx
    pop r12
    pop rbx
    ret
; rand(): the next pseudo-random number.
rand:
    mov rax, [seed]
    imul rax, rax, 1103515245
    add rax, 12345
    mov [seed], rax
    shr rax, 16
    ret
.data
proto: .asciz "author-?: Medical Publications, vol. 1, 2012"
title: .asciz "xml: checksum of the counts per author"
cyc: .asciz "cycles"
bad: .asciz "xml: gc_init failed (stdin must name a mode: linux, dune, dune-tlb, dune-dirty)"
