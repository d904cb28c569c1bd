; box.s: the sandbox of the paper's section 5.1 (apps/sandbox). The monitor (ring 0 of a Dune
; process) runs an untrusted program in ring 3 with boxer_run: every page but the box's own is
; supervisor-only, every SYSCALL the box makes traps to the monitor (no VM exit), which checks
; pointer arguments (-EFAULT), applies the policy and forwards allowed calls by VMCALL. The
; policy comes from stdin: strict (the default: read, write, getpid, gettid, exit), null (allow
; everything, log open) or deny (everything but exit gets -EPERM):
;     npm run -s sim -- run samples/sandbox/box.s --stdin null
; The box then reads the monitor's memory: a ring-3 page fault, which ends it.
.data
box:
    .quad box_main, box_text, box_text_end, box_data, box_data_end, box_stack, box_stack_end
    .quad 0                             ; policy
    .zero 32                            ; counters: calls, forwarded, denied, faulted
policy_in: .zero 16
done_fmt: .asciz "monitor: the box ended with %d: %d system calls, %d forwarded, %d refused, %d page fault(s)\n"

.text
_start:
    xor rdi, rdi                        ; the policy's name from stdin: its first letter
    lea rsi, [policy_in]
    mov rdx, 15
    mov rax, SYS_read
    syscall
    mov rax, byte ptr [policy_in]
    cmp rax, 'n'
    jne not_null
    mov qword ptr [box + 56], 1
not_null:
    cmp rax, 'd'
    jne run
    mov qword ptr [box + 56], 2
run:
    lea rdi, [box]
    call boxer_run
    lea rdi, [done_fmt]
    mov rsi, rax
    mov rdx, [box + 64]
    mov rcx, [box + 72]
    mov r8, [box + 80]
    mov r9, [box + 88]
    call dune_printf
    mov rdi, 0
    call exit

; ---- the untrusted program: its own pages, ring 3, no runtime (it is supervisor-only) ------
.align 4096
box_text:
box_main:
    lea rsi, [m_hello]
    mov rdx, m_hello_len
    call say
    mov rax, SYS_getpid                 ; allowed by strict and null: forwarded
    syscall
    test rax, rax
    jle gp_refused
    lea rsi, [m_getpid]
    mov rdx, m_getpid_len
    call say
    jmp try_open
gp_refused:
    lea rsi, [m_getpid_no]
    mov rdx, m_getpid_no_len
    call say
try_open:
    mov rax, SYS_open                   ; denied by strict (-EPERM), logged under null
    lea rdi, [path]
    xor rsi, rsi
    xor rdx, rdx
    syscall
    cmp rax, -1
    jne open_not_eperm
    lea rsi, [m_eperm]
    mov rdx, m_eperm_len
    call say
    jmp try_efault
open_not_eperm:
    lea rsi, [m_opened]
    mov rdx, m_opened_len
    call say
try_efault:
    mov rax, SYS_write                  ; a buffer outside the box: the monitor's data
    mov rdi, 1
    mov rsi, 0x380000
    mov rdx, 32
    syscall
    cmp rax, -14
    jne try_fault
    lea rsi, [m_efault]
    mov rdx, m_efault_len
    call say
try_fault:
    lea rsi, [m_peek]
    mov rdx, m_peek_len
    call say
    mov rax, [0x380000]                 ; read the monitor's memory: a ring-3 #PF
    mov rdi, 0                          ; (never reached)
    mov rax, SYS_exit
    syscall
; say(rsi = text, rdx = length): write(1, ...), which the policy may refuse
say:
    mov rax, SYS_write
    mov rdi, 1
    syscall
    ret
.align 4096
box_text_end:

.data
.align 4096
box_data:
path: .asciz "/etc/passwd"
m_hello: .ascii "box: hello from ring 3\n"
m_hello_len = $ - m_hello
m_getpid: .ascii "box: getpid was forwarded\n"
m_getpid_len = $ - m_getpid
m_getpid_no: .ascii "box: getpid was refused\n"
m_getpid_no_len = $ - m_getpid_no
m_eperm: .ascii "box: open was denied (-EPERM)\n"
m_eperm_len = $ - m_eperm
m_opened: .ascii "box: open was forwarded\n"
m_opened_len = $ - m_opened
m_efault: .ascii "box: write from the monitor's memory: -EFAULT\n"
m_efault_len = $ - m_efault
m_peek: .ascii "box: now reading the monitor's memory...\n"
m_peek_len = $ - m_peek
.align 4096
box_data_end:

.bss
.align 4096
box_stack: .zero 8192
box_stack_end:
