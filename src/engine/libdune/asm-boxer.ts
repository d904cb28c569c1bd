// The sandbox of the paper's section 5.1 (apps/sandbox: boxer.h, main.c, trap.c) as a runtime
// library: an untrusted program runs in ring 3 of a Dune process; every SYSCALL it makes traps
// to the monitor in ring 0 (no VM exit), which checks pointer arguments (-EFAULT), asks the policy
// (allow, deny with -EPERM, or the logging null policy) and forwards allowed calls by VMCALL; a
// ring-3 page fault ends the program. docs/apps.md documents it. World: guest ring 0 (monitor).

import { ERRNO, SYSCALLS } from '../arch/linux.ts';

/** Policies, the box's `policy` field (docs/apps.md): strict = the allow list, null = allow all
 *  and log open() (nullsandbox.c), deny = every call but exit gets -EPERM (no monitor registered). */
export const BOXER_POLICIES = ['strict', 'null', 'deny'] as const;

/** struct box (the argument of boxer_run), byte offsets. */
export const BOX = {
  BOX_ENTRY: 0, BOX_TEXT: 8, BOX_TEXT_END: 16, BOX_DATA: 24, BOX_DATA_END: 32, BOX_STACK: 40,
  BOX_STACK_END: 48, BOX_POLICY: 56, BOX_CALLS: 64, BOX_FORWARDED: 72, BOX_DENIED: 80, BOX_FAULTED: 88,
  BOX_SIZE: 96,
} as const;

export const BOXER_CONSTANTS = Object.entries(BOX).map(([k, v]) => `${k} = ${v}`).join('\n') + `
BOXER_STRICT = 0
BOXER_NULL = 1
BOXER_DENY = 2
BOXER_EPERM = ${ERRNO.EPERM}
BOXER_EFAULT = ${ERRNO.EFAULT}
`;

export const BOXER_ASM = `
; ---- boxer: the sandbox monitor (asm-boxer.ts, docs/apps.md) ------------------------------
; __BOXER_MPROTECT start, end, perm (in __boxer_run, rbx = the box): dune_vm_mprotect the box's
; region from [rbx + start] to [rbx + end] with perm; on failure to __br_fail.
.macro __BOXER_MPROTECT start, end, perm
    mov rdi, [pgroot]
    mov rsi, [rbx + \\start]
    mov rdx, [rbx + \\end]
    sub rdx, rsi
    mov rcx, \\perm
    call dune_vm_mprotect
    test rax, rax
    jne __br_fail
.endm

; boxer_run(box): enter Dune (precise mode) if not yet in it, make every page supervisor-only,
; give PERM_U back to the box's text (R X), data and stack (R W), and run the box in ring 3 at
; its entry. Returns the box's exit code, or -EFAULT if a ring-3 page fault ended it.
__boxer_run:
    push rbx
    push r12
    mov rbx, rdi
    mov [__boxer_box], rbx
    cmp qword ptr [__dune_fd], -1
    jne __br_in
    xor rdi, rdi
    call dune_init
    test rax, rax
    jne __br_fail
    call dune_enter
    test rax, rax
    jne __br_fail
__br_in:
    ; every present leaf loses PTE_U: the monitor, libdune, the page pool and the page tables
    ; become supervisor-only (in the real sandbox the runtime is linked at 0x70000000 for this)
    mov rdi, [pgroot]
    xor rsi, rsi
    mov rdx, 0x7fffffffffff
    lea rcx, [__boxer_strip_u]
    xor r8, r8
    call dune_vm_page_walk
    __BOXER_MPROTECT BOX_TEXT, BOX_TEXT_END, PERM_R | PERM_X | PERM_U
    __BOXER_MPROTECT BOX_DATA, BOX_DATA_END, PERM_R | PERM_W | PERM_U
    __BOXER_MPROTECT BOX_STACK, BOX_STACK_END, PERM_R | PERM_W | PERM_U
    lea rdi, [__boxer_syscall]
    call dune_register_syscall_handler
    lea rdi, [__boxer_pgflt]
    call dune_register_pgflt_handler
    lea rdi, [__boxer_tf]
    mov rax, [rbx + BOX_ENTRY]
    mov [rdi + TF_RIP], rax
    mov rax, [rbx + BOX_STACK_END]
    mov [rdi + TF_RSP], rax
    mov qword ptr [rdi + TF_RFLAGS], 0x202
    call dune_jump_to_user
    pop r12
    pop rbx
    ret
__br_fail:
    mov rax, -1
    pop r12
    pop rbx
    ret
__boxer_strip_u:
    and qword ptr [rsi], ~PTE_U
    xor rax, rax
    ret

; __boxer_in_box(rdi = start, rsi = length, rdx = 1 if the text counts): 1 if [start, start +
; length) lies inside one of the box's regions (syscall_check_params), else 0.
__boxer_in_box:
    mov r8, [__boxer_box]
    lea r9, [rdi + rsi]
    cmp r9, rdi
    jb __bib_no
    test rdx, rdx
    je __bib_data
    cmp rdi, [r8 + BOX_TEXT]
    jb __bib_data
    cmp r9, [r8 + BOX_TEXT_END]
    jbe __bib_yes
__bib_data:
    cmp rdi, [r8 + BOX_DATA]
    jb __bib_stack
    cmp r9, [r8 + BOX_DATA_END]
    jbe __bib_yes
__bib_stack:
    cmp rdi, [r8 + BOX_STACK]
    jb __bib_no
    cmp r9, [r8 + BOX_STACK_END]
    jbe __bib_yes
__bib_no:
    xor rax, rax
    ret
__bib_yes:
    mov rax, 1
    ret

; __BOXER_REFUSE msg, errno (in __boxer_syscall, rbx = the frame, r12 = the box): the call is
; refused: counted in BOX_DENIED, logged with msg (its number), and -errno is its result.
.macro __BOXER_REFUSE msg, errno
    inc qword ptr [r12 + BOX_DENIED]
    lea rdi, [\\msg]
    mov rsi, [rbx + TF_RAX]
    call dune_printf
    mov qword ptr [rbx + TF_RAX], -\\errno
.endm

; The monitor's system-call handler (tf): runs in ring 0 for every SYSCALL of the box.
__boxer_syscall:
    push rbx
    push r12
    mov rbx, rdi
    mov r12, [__boxer_box]
    inc qword ptr [r12 + BOX_CALLS]
    mov rax, [rbx + TF_RAX]
    cmp rax, SYS_exit
    je __bs_exit
    cmp rax, SYS_exit_group
    je __bs_exit
    ; 1. the arguments: buffers of read and write, the path of open, must be the box's own
    cmp rax, SYS_write
    je __bs_buf_text
    cmp rax, SYS_read
    je __bs_buf
    cmp rax, SYS_open
    jne __bs_policy
    mov rdi, [rbx + TF_RDI]
    mov rsi, 1
    mov rdx, 1
    call __boxer_in_box
    test rax, rax
    je __bs_efault
    jmp __bs_policy
__bs_buf_text:
    mov rdx, 1
    jmp __bs_buf_check
__bs_buf:
    xor rdx, rdx
__bs_buf_check:
    mov rdi, [rbx + TF_RSI]
    mov rsi, [rbx + TF_RDX]
    call __boxer_in_box
    test rax, rax
    je __bs_efault
; 2. the policy
__bs_policy:
    mov rax, [rbx + TF_RAX]
    mov rcx, [r12 + BOX_POLICY]
    cmp rcx, BOXER_NULL
    je __bs_null
    cmp rcx, BOXER_STRICT
    jne __bs_deny
    cmp rax, 512
    jae __bs_deny
    lea rcx, [__boxer_allow]
    mov rcx, byte ptr [rcx + rax]
    test rcx, rcx
    je __bs_deny
    jmp __bs_forward
__bs_null:
    cmp rax, SYS_open
    jne __bs_forward
    lea rdi, [__boxer_msg_open]
    mov rsi, [rbx + TF_RDI]
    call dune_printf
; 3. forward it to the kernel: a VMCALL with the frame's arguments
__bs_forward:
    inc qword ptr [r12 + BOX_FORWARDED]
    mov rdi, rbx
    call dune_passthrough_syscall
    jmp __bs_ret
__bs_deny:
    __BOXER_REFUSE __boxer_msg_deny, BOXER_EPERM
    jmp __bs_ret
__bs_efault:
    __BOXER_REFUSE __boxer_msg_efault, BOXER_EFAULT
__bs_ret:
    pop r12
    pop rbx
    ret
__bs_exit:
    mov rdi, [rbx + TF_RDI]
    call dune_ret_from_user

; The monitor's #PF handler (addr, fec, tf): a fault in ring 3 ends the box with -EFAULT (the
; real sandbox kills the app the same way); a fault in the monitor itself is fatal.
__boxer_pgflt:
    test rsi, FEC_U
    je __bp_monitor
    mov rax, [__boxer_box]
    inc qword ptr [rax + BOX_FAULTED]
    mov rcx, [rdx + TF_RIP]
    mov rdx, rsi
    mov rsi, rdi
    lea rdi, [__boxer_msg_fault]
    call dune_printf
    mov rdi, -BOXER_EFAULT
    call dune_ret_from_user
__bp_monitor:
    lea rdi, [__boxer_msg_monitor]
    call dune_printf
    call dune_die
`;

/** The allow list of the strict policy: system-call numbers that are forwarded. */
const STRICT_ALLOW = ['read', 'write', 'getpid', 'gettid', 'exit', 'exit_group'];

export function boxerData(): string {
  const allowed = new Set<number>(STRICT_ALLOW.map((n) => SYSCALLS[n as keyof typeof SYSCALLS]));
  const bytes = Array.from({ length: 512 }, (_, i) => (allowed.has(i) ? 1 : 0));
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 64) rows.push(`    .byte ${bytes.slice(i, i + 64).join(', ')}`);
  return `
; ---- boxer data (asm-boxer.ts) --------------------------------------------------------------
.align 8
__boxer_box: .quad 0
__boxer_tf: .zero TF_SIZE
__boxer_allow:
${rows.join('\n')}
__boxer_msg_open: .asciz "boxer: open(\\"%s\\") (null policy: logged, allowed)\\n"
__boxer_msg_deny: .asciz "boxer: system call %d denied (-EPERM)\\n"
__boxer_msg_efault: .asciz "boxer: system call %d: a pointer outside the box (-EFAULT)\\n"
__boxer_msg_fault: .asciz "boxer: ring-3 page fault at %p (error 0x%x, RIP %p): the box is ended\\n"
__boxer_msg_monitor: .asciz "boxer: page fault in the monitor (ring 0)\\n"
`;
}
