; http-sthread.s: Table 5, "http request" with sthreads (apps/wedge/httpd.c, one client): for
; each request the server creates an sthread that may only read fd 0 and write fd 1; the sthread
; reads the 16-byte request (into its private copy: the monitor rewrites the buffer), writes the
; answer's header and the request back, and exits; it is recycled for the next request. The
; requests come on stdin (the model has no network): REQUESTS + 1 of them, the first untimed.
; Prints the answers, then cycles per timed request.
SC_SIZE = 272
SYS_sthread_exit = 666
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
    lea rdi, [wstart]
    lea rsi, [wend]
    call sthread_init
    test rax, rax
    jne failed
    lea rdi, [sc]
    call sc_init
    lea rdi, [sc]
    xor rsi, rsi
    call sc_fd_add
    lea rdi, [sc]
    mov rsi, 1
    call sc_fd_add
    call serve                      ; a first request, untimed: it builds the sthread
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov r13, rax
    mov r12, REQUESTS
request:
    call serve
    dec r12
    jne request
    rdtsc
    shl rdx, 32
    or rax, rdx
    sub rax, r13
    xor rdx, rdx
    mov rcx, REQUESTS
    div rcx
    mov rdi, rax
    call print_u64
    mov rdi, 0
    call exit
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
    mov rdi, 1
    lea rsi, [header]
    mov rdx, header_len
    mov rax, SYS_write
    syscall
    mov rdi, 1
    lea rsi, [buf]
    mov rdx, REQ
    mov rax, SYS_write
    syscall
    xor rdi, rdi
    mov rax, SYS_sthread_exit
    syscall
h_bad:
    mov rdi, 1
    mov rax, SYS_sthread_exit
    syscall
