; recycle-leak.s: a what-if from the real code (apps/wedge/sthread.c, recycle). An sthread is
; recycled at exit by its D bits: every page it wrote is copied back from the checkpoint and its
; D bit cleared, but without INVLPG, and the next sthread runs under the same PCID with the
; no-flush bit. Its TLB entry for the page still says "dirty", so its write does not set D
; again: the page is not restored, and the sthread after it reads the earlier one's data.
; Three requests in turn read `secret`, then write their own (111, 222, 333):
;     sim run samples/wedge/recycle-leak.s              # as the real code: the third reads 222
;     sim run samples/wedge/recycle-leak.s --stdin fixed  # INVLPG when D is cleared: 0, 0, 0
.include "wedge.inc"
.data
.align 4096
wstart:
sc: .zero SC_SIZE
secret: .quad 0
.align 4096
wend:
mode: .zero 16
fmt: .asciz "request %d read %d from the page its predecessor wrote\n"
.text
_start:
    xor rdi, rdi
    lea rsi, [mode]
    mov rdx, 15
    mov rax, SYS_read
    syscall
    WEDGE_INIT
    mov rax, byte ptr [mode]
    cmp rax, 'f'
    jne as_real
    mov rdi, 1
    call sthread_recycle_invlpg
as_real:
    lea rdi, [sc]
    call sc_init
    mov r12, 1
request:
    lea rdi, [sc]
    lea rsi, [serve]
    imul rdx, r12, 111
    call sthread_create
    mov rdi, rax
    call sthread_join
    mov rdx, rax
    mov rsi, r12
    lea rdi, [fmt]
    call dune_printf
    inc r12
    cmp r12, 3
    jbe request
    mov rdi, 0
    call exit
    FAILED

; ring 3: serve(value): read the secret, leave our own, return what we read.
serve:
    mov rax, [secret]
    mov [secret], rdi
    mov rdi, rax
    mov rax, SYS_sthread_exit
    syscall
