; http-sthread.s: Table 5, "http request" with sthreads (apps/wedge/httpd.c, one client): for
; each request the server creates an sthread that may only read fd 0 and write fd 1; the sthread
; reads the 16-byte request (into its private copy: the monitor rewrites the buffer), writes the
; answer's header and the request back, and exits; it is recycled for the next request. The
; requests come on stdin (the model has no network): REQUESTS + 1 of them, the first untimed.
; Prints the answers, then cycles per timed request.
.include "wedge.inc"
REQUESTS = 20
REQ = 16
.data
.align 4096
wstart:
sc: .zero SC_SIZE
buf: .zero 64
header: .ascii "HTTP/1.0 200 OK\r\nContent-Length: 16\r\n\r\n"
header_len = $ - header
.align 4096
wend:
no_request: .asciz "http-sthread: a request was not 16 bytes (stdin: lines like GET /page-00001)\n"
.text
_start:
    WEDGE_INIT
    lea rdi, [sc]
    call sc_init
    lea rdi, [sc]
    xor rsi, rsi
    call sc_fd_add
    lea rdi, [sc]
    mov rsi, 1
    call sc_fd_add
    call serve                      ; a first request, untimed: it builds the sthread
    TSC_TO r13
    mov r12, REQUESTS
request:
    call serve
    dec r12
    jne request
    TSC_SINCE r13
    PRINT_PER REQUESTS
failed:
    lea rdi, [no_request]
    call dune_printf
    mov rdi, 1
    call exit
; serve(): one request, in a (recycled) sthread
serve:
    lea rdi, [sc]
    lea rsi, [handle]
    xor rdx, rdx
    call sthread_create
    test rax, rax
    je failed
    mov rdi, rax
    call sthread_join
    test rax, rax
    jne failed
    ret

; ---- ring 3: handle one request ----------------------------------------------------------
handle:
    xor rdi, rdi
    lea rsi, [buf]
    mov rdx, REQ
    mov rax, SYS_read
    syscall
    cmp rax, REQ
    jne h_bad
    ANSWER
    EXIT_ZERO SYS_sthread_exit
h_bad:
    mov rdi, 1
    mov rax, SYS_sthread_exit
    syscall
