; http-fork.s: Table 5, "http request" with fork (a forking server, one client): for each
; request the server forks a child that reads the 16-byte request, writes the answer's header
; and the request back, and exits; the server waits for it. As in bench.c the server is the same
; Dune process as the sthread version (sthread_init first). The requests come on stdin (the
; model has no network): REQUESTS + 1 of them, the first untimed. Prints the answers, then
; cycles per timed request.
.include "wedge.inc"
REQUESTS = 20
REQ = 16
.data
.align 4096
wstart:
buf: .zero 64
header: .ascii "HTTP/1.0 200 OK\r\nContent-Length: 16\r\n\r\n"
header_len = $ - header
.align 4096
wend:
.text
_start:
    WEDGE_INIT
    call serve                      ; a first request, untimed, as in the sthread version
    TSC_TO r13
    mov r12, REQUESTS
request:
    call serve
    dec r12
    jne request
    TSC_SINCE r13
    PRINT_PER REQUESTS
    FAILED
; serve(): one request, in a forked child
serve:
    mov rax, SYS_fork
    syscall
    test rax, rax
    je handle
    WAIT_CHILD
    ret

; ---- the child (outside Dune): handle one request -----------------------------------------
handle:
    xor rdi, rdi
    lea rsi, [buf]
    mov rdx, REQ
    mov rax, SYS_read
    syscall
    ANSWER
    EXIT_ZERO SYS_exit
