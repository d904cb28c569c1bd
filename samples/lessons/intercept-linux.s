; intercept-linux.s: intercepting system calls with ptrace (lesson "Intercepting system calls").
; The tracer forks a tracee that asks to be traced, then resumes it with PTRACE_SYSCALL: each of
; the tracee's system calls stops it twice (entry and exit) and wakes the tracer, a context
; switch each way. The tracee's second getpid shows the cost alone.
.bss
status: .zero 8
.text
_start:
    mov rax, SYS_fork
    syscall
    test rax, rax
    je tracee
    mov r15, rax                ; the tracee's pid
tracer:
    mov rax, SYS_wait4          ; wait for the next stop (or the exit)
    mov rdi, r15
    lea rsi, [status]
    xor rdx, rdx
    xor r10, r10
    syscall
    mov rax, [status]
    and rax, 0x7f
    je done                     ; WIFEXITED
    mov rax, SYS_ptrace         ; resume to the next system-call entry or exit
    mov rdi, PTRACE_SYSCALL
    mov rsi, r15
    xor rdx, rdx
    xor r10, r10
    syscall
    jmp tracer
done:
    mov rdi, 0
    call exit

tracee:
    mov rax, SYS_ptrace
    mov rdi, PTRACE_TRACEME
    xor rsi, rsi
    xor rdx, rdx
    xor r10, r10
    syscall
    mov rax, SYS_getpid
    syscall
    mov rdi, rax
    mov rsi, SIGSTOP            ; stop until the tracer is ready
    mov rax, SYS_kill
    syscall
    mov rax, SYS_getpid
    syscall                     ; stopped at entry and at exit by the tracer
    mov rax, SYS_getpid
    syscall                     ; the same, warm
    mov rdi, 0
    mov rax, SYS_exit
    syscall
