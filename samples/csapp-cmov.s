; csapp-cmov.s: CS:APP chapter 3 style (Bryant & O'Hallaron, 3.6): a comparison as a value with
; setcc + movzx, and a branch-free absolute difference with cmovcc, over pairs of signed bytes
; loaded with movsx. A macro prints one labelled result. A plain Linux process.

; SHOW label, value: puts(label), then print_u64(value)
.macro SHOW label, value
    push \value                ; puts may change any caller-saved register (rax is its result)
    lea rdi, [\label]
    call puts
    pop rdi
    call print_u64
.endm

N = 4
.data
xs: .byte 3, -7, 100, -128
ys: .byte 10, -2, 100, 127
s_diff: .asciz "absdiff:"
s_lt:   .asciz "x < y:"
s_cnt:  .asciz "pairs with x < y:"

.text
; long absdiff(long x, long y): x < y ? y - x : x - y, without a branch (CS:APP Figure 3.17)
absdiff:
    mov rax, rsi
    sub rax, rdi               ; rval = y - x
    mov rdx, rdi
    sub rdx, rsi               ; eval = x - y
    cmp rdi, rsi
    cmovge rax, rdx            ; x >= y: rval = eval
    ret

; int lt(long x, long y): 1 if x < y, else 0 (CS:APP Figure 3.14: cmpq, setl, movzbl)
lt:
    cmp rdi, rsi
    setl al
    movzx eax, al              ; a 32-bit write: rax's upper half is cleared too
    ret

_start:
    xor r12d, r12d             ; i
    xor r13d, r13d             ; how many pairs have x < y
next:
    lea rbx, [xs]
    movsx r14, byte ptr [rbx + r12]   ; x (sign-extended: -7 stays -7)
    lea rbx, [ys]
    movsx r15, byte ptr [rbx + r12]   ; y
    mov rdi, r14
    mov rsi, r15
    call absdiff
    SHOW s_diff, rax
    mov rdi, r14
    mov rsi, r15
    call lt
    add r13, rax
    SHOW s_lt, rax
    inc r12
    cmp r12, N
    jl next                    ; a short (rel8) branch: the loop is small
    SHOW s_cnt, r13
    mov rdi, 0
    call exit
