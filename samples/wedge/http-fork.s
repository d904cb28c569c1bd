; http-fork.s: Table 5, "http request" with fork (a forking server, one client): for each
; request the server forks a child that reads the 16-byte request, writes the answer's header
; and the request back, and exits; the server waits for it. As in bench.c the server is the same
; Dune process as the sthread version (sthread_init first). The requests come on stdin (the
; model has no network): REQUESTS + 1 of them, the first untimed. Prints the answers, then
; cycles per timed request.
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
    lea rdi, [wstart]
    lea rsi, [wend]
    call sthread_init
    test rax, rax
    jne failed
    call serve                      ; a first request, untimed, as in the sthread version
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
    mov rdi, 1
    call exit
; serve(): one request, in a forked child
serve:
    mov rax, SYS_fork
    syscall
    test rax, rax
    je handle
    mov rdi, rax
    xor rsi, rsi
    xor rdx, rdx
    xor r10, r10
    mov rax, SYS_wait4
    syscall
    ret

; ---- the child (outside Dune): handle one request -----------------------------------------
handle:
    xor rdi, rdi
    lea rsi, [buf]
    mov rdx, REQ
    mov rax, SYS_read
    syscall
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
    mov rax, SYS_exit
    syscall
