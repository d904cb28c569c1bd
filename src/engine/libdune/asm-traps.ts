// libdune's trap entry (dune.S __dune_intr: 256 stubs building a dune_tf, trap.c's dispatch to the
// registered handlers) and the system-call page (__dune_syscall, copied to LSTAR's address): a
// ring-0 SYSCALL becomes a VMCALL, a ring-3 one goes to the registered handler. Part of the runtime
// (runtime.ts). World: guest ring 0 (VMX non-root).

/** Vectors that push an error code (their stubs do not push a zero). */
const HAS_ERR = new Set([8, 10, 11, 12, 13, 14, 17]);

function trapStubs(): string {
  const out: string[] = [];
  for (let v = 0; v < 256; v++) {
    out.push(`__trap_${v}:`);
    if (!HAS_ERR.has(v)) out.push('    push 0');
    out.push('    sub rsp, 120', '    mov [rsp + TF_RAX], rax', `    mov rax, ${v}`, '    jmp __trap_common');
  }
  return out.join('\n');
}

const SAVE_GPRS = ['rdi', 'rsi', 'rdx', 'rcx', 'r8', 'r9', 'r10', 'r11', 'rbx', 'rbp', 'r12', 'r13', 'r14', 'r15']
  .map((r) => `    mov [rsp + TF_${r.toUpperCase()}], ${r}`).join('\n');
/** Load the general registers from the dune_tf at `base` (skipping some). */
export const LOAD_GPRS = (base: string, skip: string[] = []) => ['rax', 'rsi', 'rdx', 'rcx', 'r8', 'r9', 'r10', 'r11', 'rbx', 'rbp', 'r12', 'r13', 'r14', 'r15', 'rdi']
  .filter((r) => !skip.includes(r)).map((r) => `    mov ${r}, [${base} + TF_${r.toUpperCase()}]`).join('\n');

export const TRAPS_ASM = `
; ---- libdune: traps (dune.S __dune_intr, trap.c dune_trap_handler) -----------------------
${trapStubs()}
__trap_common:
${SAVE_GPRS}
    mov rdi, rsp
    mov rsi, rax
    mov rbx, rsp
    and rsp, -16
    mov r12, [rbx + TF_CS]
    and r12, 3
    je __tc_ring0
    mov qword ptr [__in_usermode], 0      ; from ring 3: the handler runs as ring-0 code
__tc_ring0:
    call __trap_dispatch
    test r12, r12
    je __tc_back
    mov qword ptr [__in_usermode], 1
__tc_back:
    mov rsp, rbx
${LOAD_GPRS('rsp', ['rdi'])}
    mov rdi, [rsp + TF_RDI]
    add rsp, 128
    iretq
; dispatch: a registered vector callback wins; else #PF -> pgflt_cb(cr2, err, tf); anything
; else is fatal.
__trap_dispatch:
    lea rax, [__intr_cbs]
    mov rax, [rax + rsi*8]
    test rax, rax
    je __td_nointr
    jmp rax
__td_nointr:
    cmp rsi, 14
    jne __td_fatal
    mov rax, [__pgflt_cb]
    test rax, rax
    je __td_fatal
    mov rdx, rdi
    mov rsi, [rdi + TF_ERR]
    mov rdi, cr2
    jmp rax
__td_fatal:
    call native_trap_fatal
    mov rdx, rax
    lea rsi, [__iobuf]
    mov rdi, 2
    mov rax, SYS_write
    vmcall
    mov rdi, 128 + SIGSEGV
    mov rax, SYS_exit_group
    vmcall
    ud2

; ---- libdune: the system-call page (dune.S __dune_syscall), copied to LSTAR's page ---------
; SYSCALL lands here in ring 0. From ring 0 it becomes a VMCALL; from ring 3 (a sandbox under
; dune_jump_to_user) it builds a dune_tf and calls the registered syscall handler.
.align 4096
__dune_syscall:
    cmp qword ptr [__in_usermode], 0
    jne __ds_user
    vmcall
    jmp rcx
__ds_user:
    mov [__user_rsp], rsp
    lea rsp, [__trap_stack_top - 176]
    mov [rsp + TF_RAX], rax
${SAVE_GPRS}
    mov [rsp + TF_RIP], rcx
    mov [rsp + TF_RFLAGS], r11
    mov [rsp + TF_RCX], r10
    mov rax, [__user_rsp]
    mov [rsp + TF_RSP], rax
    mov qword ptr [rsp + TF_CS], GD_UT
    mov qword ptr [rsp + TF_SS], GD_UD
    mov qword ptr [rsp + TF_ERR], 0
    mov qword ptr [__in_usermode], 0
    mov rdi, rsp
    mov rax, [__syscall_cb]
    test rax, rax
    je __ds_nocb
    call rax
    jmp __ds_back
__ds_nocb:
    mov rax, -38
    mov [rsp + TF_RAX], rax
__ds_back:
    mov qword ptr [__in_usermode], 1
    mov rcx, [rsp + TF_RIP]
    mov r11, [rsp + TF_RFLAGS]
${LOAD_GPRS('rsp', ['rcx', 'r11', 'rdi'])}
    mov rdi, [rsp + TF_RDI]
    mov rsp, [rsp + TF_RSP]
    sysretq
__dune_syscall_end:
`;
