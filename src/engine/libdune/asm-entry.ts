// libdune's entry and small API in the guest language (libdune/entry.c, dune.S): dune_init,
// dune_enter and the first instructions in VMX non-root (dune_boot), the register/flush/ticks
// helpers, dune_printf, dune_passthrough_syscall, dune_jump_to_user / dune_ret_from_user and
// dune_vm_page_walk's loop. Part of the runtime (runtime.ts). World: Linux ring 3, then guest ring 0.

import { LOAD_GPRS } from './asm-traps.ts';

export const ENTRY_ASM = `
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
; The ioctl returns to Linux only when the module leaves Dune mode: DUNE_RET_SIGNAL means Linux
; has delivered a signal to the process (its handler ran in ring 3 of VMX root); then go back into
; Dune mode with the guest state the module saved in the config (__dune_go_dune).
__dune_back_in_linux:
    cmp qword ptr [__dune_cfg + CFG_RET], DUNE_RET_SIGNAL
    jne __de_failed
    mov qword ptr [__dune_cfg + CFG_RET], 0
    mov rdi, [__dune_fd]
    mov rsi, DUNE_ENTER
    lea rdx, [__dune_cfg]
    mov rax, SYS_ioctl
    syscall
    jmp __dune_back_in_linux
__de_failed:
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
`;
