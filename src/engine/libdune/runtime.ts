// The runtime linked into every guest program: the small libc of guest-asm.md and libdune
// (libdune/entry.c, dune.S, trap.c, vm.c, as dune-facts.md describes them), written in the guest
// language itself so every instruction and memory access is simulated. Routines too tedious for
// assembly (page-table management, the formatter) are TypeScript natives, placed at `native_*`
// labels (natives.ts); they still reach memory only through the MMU.
// World: the caller's mode (Linux ring 3; in Dune mode, ring 0 of VMX non-root).

import { RUNTIME_FUNCS } from '../arch/dune.ts';
import { DUNE_IOCTL } from '../arch/dune.ts';

/** Pages in libdune's page pool (dune_page_init), enough for the full mapping of the three 4 GiB
 *  windows with 4 KiB pages (3 x 2048 page tables) and room for dune_vm_map_pages. */
export const POOL_PAGES = 8192;

/** libdune API functions written in assembly; they return through `native_ret_<fn>` so their
 *  returns appear as `libdune` events. */
export const ASM_API = ['dune_init', 'dune_enter', 'dune_init_and_enter', 'dune_flush_tlb_one', 'dune_flush_tlb',
  'dune_register_pgflt_handler', 'dune_register_intr_handler', 'dune_register_syscall_handler', 'dune_jump_to_user',
  'dune_passthrough_syscall', 'dune_get_ticks', 'dune_printf', 'dune_vm_page_walk'];
/** libdune API functions implemented natively (they emit their own return events). */
export const NATIVE_API = ['dune_vm_map_pages', 'dune_vm_map_phys', 'dune_vm_mprotect', 'dune_vm_unmap', 'dune_vm_lookup', 'dune_vm_clone'];
/** Functions that never return to their caller. */
const NORETURN = ['dune_ret_from_user', 'dune_die'];
export const LIBDUNE_API = [...ASM_API, ...NATIVE_API, ...NORETURN];

/** Vectors that push an error code (their stubs do not push a zero). */
const HAS_ERR = new Set([8, 10, 11, 12, 13, 14, 17]);

function slots(): string {
  return RUNTIME_FUNCS.map((f) => `${f}:\n    jmp __${f}\n    .align 16`).join('\n');
}

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
const LOAD_GPRS = (base: string, skip: string[] = []) => ['rax', 'rsi', 'rdx', 'rcx', 'r8', 'r9', 'r10', 'r11', 'rbx', 'rbp', 'r12', 'r13', 'r14', 'r15', 'rdi']
  .filter((r) => !skip.includes(r)).map((r) => `    mov ${r}, [${base} + TF_${r.toUpperCase()}]`).join('\n');

export const RUNTIME_SOURCE = `
; ---- constants --------------------------------------------------------------------------
O_RDWR = 2
MAP_POPULATE = 0x8000
SA_SIGINFO = 4
SA_RESTORER = 0x04000000
DUNE_ENTER = ${DUNE_IOCTL.DUNE_ENTER}
DUNE_GET_SYSCALL = ${DUNE_IOCTL.DUNE_GET_SYSCALL}
DUNE_GET_LAYOUT = ${DUNE_IOCTL.DUNE_GET_LAYOUT}
POOL_BYTES = ${POOL_PAGES * 4096}
GPA_MAP = 0x100000000
CFG_RSP = 0x38
CFG_RIP = 0x88
CFG_RFLAGS = 0x90
CFG_CR3 = 0x98
GD_TSS = 0x38
GD_UT = 0x33
GD_UD = 0x2b

.text
; ---- entry slots (16 bytes each, in RUNTIME_FUNCS order) ---------------------------------
${slots()}

; ---- the small libc ----------------------------------------------------------------------
; puts(s): writes s and a newline with one write(2) (at most 4095 characters of s).
__puts:
    lea rsi, [__iobuf]
    xor rcx, rcx
__puts_copy:
    mov rax, byte ptr [rdi + rcx]
    cmp rax, 0
    je __puts_done
    mov byte ptr [rsi + rcx], rax
    inc rcx
    cmp rcx, 4095
    jb __puts_copy
__puts_done:
    mov byte ptr [rsi + rcx], 10
    lea rdx, [rcx + 1]
    mov rdi, 1
    mov rax, SYS_write
    syscall
    ret

; print_u64(x): x in decimal and a newline.
__print_u64:
    sub rsp, 40
    lea rsi, [rsp + 32]
    mov byte ptr [rsi], 10
    mov rcx, rsi
    mov rax, rdi
    mov r8, 10
__pu_digit:
    xor rdx, rdx
    div r8
    add rdx, '0'
    dec rcx
    mov byte ptr [rcx], rdx
    test rax, rax
    jne __pu_digit
    lea rdx, [rsi + 1]
    sub rdx, rcx
    mov rsi, rcx
    mov rdi, 1
    mov rax, SYS_write
    syscall
    add rsp, 40
    ret

; print_hex(x): 0x and x in hexadecimal, and a newline.
__print_hex:
    sub rsp, 40
    lea rsi, [rsp + 32]
    mov byte ptr [rsi], 10
    mov rcx, rsi
    mov rax, rdi
__ph_digit:
    mov rdx, rax
    and rdx, 15
    lea r8, [__hexdigits]
    mov rdx, byte ptr [r8 + rdx]
    dec rcx
    mov byte ptr [rcx], rdx
    shr rax, 4
    test rax, rax
    jne __ph_digit
    dec rcx
    mov byte ptr [rcx], 'x'
    dec rcx
    mov byte ptr [rcx], '0'
    lea rdx, [rsi + 1]
    sub rdx, rcx
    mov rsi, rcx
    mov rdi, 1
    mov rax, SYS_write
    syscall
    add rsp, 40
    ret

; exit(code): exit_group(2).
__exit:
    mov rax, SYS_exit_group
    syscall
    ud2

; memset(dst, byte, n) -> dst
__memset:
    mov rax, rdi
    xor rcx, rcx
__ms_loop:
    cmp rcx, rdx
    jae __ms_done
    mov byte ptr [rdi + rcx], rsi
    inc rcx
    jmp __ms_loop
__ms_done:
    ret

; memcpy(dst, src, n) -> dst
__memcpy:
    mov rax, rdi
    xor rcx, rcx
__mc_loop:
    cmp rcx, rdx
    jae __mc_done
    mov r8, byte ptr [rsi + rcx]
    mov byte ptr [rdi + rcx], r8
    inc rcx
    jmp __mc_loop
__mc_done:
    ret

; signal(signo, handler): rt_sigaction with SA_SIGINFO and a restorer that calls rt_sigreturn.
; In Dune mode the handler is also recorded for libdune's signal vectors (200 + signo).
__signal:
    lea rax, [__sig_handlers]
    mov [rax + rdi*8], rsi
    sub rsp, 40
    mov [rsp], rsi
    mov qword ptr [rsp + 8], SA_SIGINFO | SA_RESTORER
    lea rax, [__restore_rt]
    mov [rsp + 16], rax
    mov qword ptr [rsp + 24], 0
    mov rsi, rsp
    xor rdx, rdx
    mov r10, 8
    mov rax, SYS_rt_sigaction
    syscall
    add rsp, 40
    ret
__restore_rt:
    mov rax, SYS_rt_sigreturn
    syscall
    ud2

; ---- libdune: entry ----------------------------------------------------------------------
; dune_init(map_full): open /dev/dune, the page pool, the layout, LSTAR, then (natively) the
; page table, the syscall page, IDT, GDT and TSS.
__dune_init:
    push rbx
    push r12
    push r13
    mov r12, rdi
    lea rdi, [__dev_dune]
    mov rsi, O_RDWR
    xor rdx, rdx
    mov rax, SYS_open
    syscall
    test rax, rax
    js __di_fail
    mov [__dune_fd], rax
    xor rdi, rdi
    mov rsi, POOL_BYTES
    mov rdx, PROT_READ | PROT_WRITE
    mov r10, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE
    mov r8, -1
    xor r9, r9
    mov rax, SYS_mmap
    syscall
    cmp rax, -4096
    ja __di_fail
    mov [__pool_base], rax
    mov [__pool_next], rax
    mov rdi, [__dune_fd]
    mov rsi, DUNE_GET_LAYOUT
    lea rdx, [phys_limit]
    mov rax, SYS_ioctl
    syscall
    test rax, rax
    jne __di_fail
    mov rdi, [__dune_fd]
    mov rsi, DUNE_GET_SYSCALL
    mov rax, SYS_ioctl
    syscall
    mov [__lstar], rax
    xor rdi, rdi
    mov rsi, 4096
    mov rdx, PROT_READ | PROT_WRITE
    mov r10, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE
    mov r8, -1
    xor r9, r9
    mov rax, SYS_mmap
    syscall
    cmp rax, -4096
    ja __di_fail
    mov [__syscall_page], rax
    mov rdi, r12
    call native_dune_setup
    pop r13
    pop r12
    pop rbx
    jmp native_ret_dune_init
__di_fail:
    mov rax, -1
    pop r13
    pop r12
    pop rbx
    jmp native_ret_dune_init

; dune_enter(): DUNE_ENTER with RIP = __dune_ret, RSP here, CR3 = the page table's GPA.
__dune_enter:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    lea rax, [__dune_ret]
    mov [__dune_cfg + CFG_RIP], rax
    mov [__dune_cfg + CFG_RSP], rsp
    mov rax, [pgroot]
    sub rax, [mmap_base]
    mov rcx, GPA_MAP
    add rax, rcx
    mov [__dune_cfg + CFG_CR3], rax
    mov qword ptr [__dune_cfg + CFG_RFLAGS], 2
    mov rdi, [__dune_fd]
    mov rsi, DUNE_ENTER
    lea rdx, [__dune_cfg]
    mov rax, SYS_ioctl
    syscall
    ; only reached when the ioctl fails
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    jmp native_ret_dune_enter
; The first instruction in VMX non-root mode, ring 0 (dune_boot): GDT, TSS, IDT, interrupts on.
__dune_ret:
    lgdt [__gdtr]
    mov rax, GD_TSS
    ltr rax
    lidt [__idtr]
    sti
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    xor rax, rax
    jmp native_ret_dune_enter

__dune_init_and_enter:
    sub rsp, 8
    mov rdi, 1
    call __dune_init
    add rsp, 8
    test rax, rax
    jne native_ret_dune_init_and_enter
    sub rsp, 8
    call __dune_enter
    add rsp, 8
    jmp native_ret_dune_init_and_enter

; ---- libdune: small API ------------------------------------------------------------------
__dune_flush_tlb_one:
    invlpg [rdi]
    jmp native_ret_dune_flush_tlb_one
__dune_flush_tlb:
    mov rax, cr3
    mov cr3, rax
    jmp native_ret_dune_flush_tlb
__dune_register_pgflt_handler:
    mov [__pgflt_cb], rdi
    jmp native_ret_dune_register_pgflt_handler
__dune_register_intr_handler:
    lea rax, [__intr_cbs]
    mov [rax + rdi*8], rsi
    xor rax, rax
    jmp native_ret_dune_register_intr_handler
__dune_register_syscall_handler:
    mov [__syscall_cb], rdi
    jmp native_ret_dune_register_syscall_handler
__dune_get_ticks:
    rdtsc
    shl rdx, 32
    or rax, rdx
    jmp native_ret_dune_get_ticks
; dune_printf(fmt, ...): format, then write(2) as a hypercall.
__dune_printf:
    call native_format
    mov rdx, rax
    lea rsi, [__iobuf]
    mov rdi, 1
    mov rax, SYS_write
    vmcall
    jmp native_ret_dune_printf
; dune_die(): exit_group(0) as a hypercall.
__dune_die:
    xor rdi, rdi
    mov rax, SYS_exit_group
    vmcall
    ud2
; dune_passthrough_syscall(tf): the frame's system call as a hypercall; result in tf->rax.
__dune_passthrough_syscall:
    push rdi
    mov rax, [rdi + TF_RAX]
    mov rsi, [rdi + TF_RSI]
    mov rdx, [rdi + TF_RDX]
    mov r10, [rdi + TF_RCX]
    mov r8, [rdi + TF_R8]
    mov r9, [rdi + TF_R9]
    mov rdi, [rdi + TF_RDI]
    vmcall
    pop rdi
    mov [rdi + TF_RAX], rax
    jmp native_ret_dune_passthrough_syscall

; dune_jump_to_user(tf): ring 3 with CS = GD_UT, SS = GD_UD; returns when ring 3 (via a ring-0
; handler) calls dune_ret_from_user(code), with that code.
__dune_jump_to_user:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov [__ring0_rsp], rsp
    mov qword ptr [__in_usermode], 1
    mov qword ptr [rdi + TF_CS], GD_UT
    mov qword ptr [rdi + TF_SS], GD_UD
    push qword ptr [rdi + TF_SS]
    push qword ptr [rdi + TF_RSP]
    push qword ptr [rdi + TF_RFLAGS]
    push qword ptr [rdi + TF_CS]
    push qword ptr [rdi + TF_RIP]
${LOAD_GPRS('rdi')}
    iretq
__dune_ret_from_user:
    mov qword ptr [__in_usermode], 0
    mov rax, rdi
    mov rsp, [__ring0_rsp]
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    jmp native_ret_dune_jump_to_user

; dune_vm_page_walk(root, start, end, cb, arg): cb(arg, ptep, va) for each present leaf; stops
; at the first non-zero return, which it returns.
__dune_vm_page_walk:
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov r12, rcx
    mov r13, r8
    call native_pw_begin
__pw_next:
    call native_pw_next
    test rax, rax
    je __pw_done
    mov rdi, r13
    mov rsi, rax
    call r12
    test rax, rax
    je __pw_next
    mov rbx, rax
    call native_pw_end
    mov rax, rbx
    jmp __pw_ret
__pw_done:
    call native_pw_end
    xor rax, rax
__pw_ret:
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    jmp native_ret_dune_vm_page_walk

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
; dispatch: a registered vector callback wins; else #PF -> pgflt_cb(cr2, err, tf); a signal
; vector (200 + signo) -> the signal() handler; anything else is fatal.
__trap_dispatch:
    lea rax, [__intr_cbs]
    mov rax, [rax + rsi*8]
    test rax, rax
    je __td_nointr
    jmp rax
__td_nointr:
    cmp rsi, 14
    jne __td_signal
    mov rax, [__pgflt_cb]
    test rax, rax
    je __td_fatal
    mov rdx, rdi
    mov rsi, [rdi + TF_ERR]
    mov rdi, cr2
    jmp rax
__td_signal:
    cmp rsi, 200
    jb __td_fatal
    sub rsi, 200
    lea rax, [__sig_handlers]
    mov rax, [rax + rsi*8]
    cmp rax, 1
    jbe __td_fatal
    mov rdi, rsi
    xor rsi, rsi
    xor rdx, rdx
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

; ---- natives (natives.ts) ----------------------------------------------------------------
native_dune_setup: ud2
native_format: ud2
native_trap_fatal: ud2
native_pw_begin: ud2
native_pw_next: ud2
native_pw_end: ud2
${NATIVE_API.map((f) => `__${f}: ud2`).join('\n')}
${ASM_API.map((f) => `native_ret_${f}: ud2`).join('\n')}

; ---- data (libdune's globals first, at fixed addresses) ----------------------------------
.data
pgroot: .quad 0
phys_limit: .quad 0
mmap_base: .quad 0
stack_base: .quad 0
__dune_fd: .quad -1
__pool_base: .quad 0
__pool_next: .quad 0
__lstar: .quad 0
__syscall_page: .quad 0
__pgflt_cb: .quad 0
__syscall_cb: .quad 0
__in_usermode: .quad 0
__ring0_rsp: .quad 0
__user_rsp: .quad 0
__dune_cfg: .zero 176
__pw_depth: .quad 0
__pw_state: .zero 768
__dev_dune: .asciz "/dev/dune"
__hexdigits: .ascii "0123456789abcdef"
.align 16
__gdtr: .word 79
    .quad __gdt
.align 16
__idtr: .word 4095
    .quad __idt
.align 16
__gdt: .zero 80
__tss: .zero 104
.align 4096
__iobuf: .zero 4096
__intr_cbs: .zero 2048
__sig_handlers: .zero 512
.align 4096
__idt: .zero 4096
__trap_stack: .zero 8192
__trap_stack_top:
__ist_stack: .zero 4096
__ist_stack_top:
`;
