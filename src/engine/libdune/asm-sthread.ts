// Wedge's sthreads on libdune (the paper's section 5.2; apps/wedge/sthread.c): a policy (memory
// tags, fds, a system-call bitmap); sthread_create = dune_vm_clone + a protect walk (clear PTE_U,
// grant it back to the program's text, the sthread's stack and its tags) + a remap walk (the
// writable region onto a private copy of the checkpoint); the sthread id is its PCID, loaded
// with the CR3 no-flush bit; system calls are checked (-EINVAL when blocked); at exit the sthread
// is recycled by D bits (dirty pages copied back from the checkpoint, D cleared, and, as in the
// real code, no INVLPG unless __st_recycle_invlpg is set). The ring-0 checks are in
// asm-sthread-policy.ts. docs/apps.md. World: guest ring 0.

import { LAYOUT } from '../arch/linux.ts';

/** struct sc (the policy), byte offsets: 8 tags of (base, length, perm), 8 fds (fd + 1; 0 is
 *  none), a 128-bit system-call bitmap. */
export const SC = { SC_TAGS: 0, SC_FDS: 192, SC_SYS: 256, SC_SIZE: 272 } as const;
/** The sthread table's entries (the library's own), byte offsets. ST_POLICY is the policy's copy
 *  taken at sthread_create: the handler runs on the sthread's CR3, where the program's own sc
 *  (in its writable region) reads as the sthread's private copy. */
export const ST = {
  ST_STATE: 0, ST_ID: 8, ST_ROOT: 16, ST_CR3: 24, ST_SC: 32, ST_STACK: 40, ST_COPY: 48,
  ST_FN: 56, ST_ARG: 64, ST_POLICY: 72, ST_SIZE: 72 + 272,
} as const;
export const STHREAD_LIMITS = { threads: 15, stackBytes: 40 * 1024, arenaBytes: 4 * 1024 * 1024, exitCall: 666, switchCall: 667 } as const;

export const STHREAD_CONSTANTS = [...Object.entries(SC), ...Object.entries(ST)].map(([k, v]) => `${k} = ${v}`).join('\n') + `
ST_MAX = ${STHREAD_LIMITS.threads}
ST_STACK_BYTES = ${STHREAD_LIMITS.stackBytes}
ST_ARENA_BYTES = ${STHREAD_LIMITS.arenaBytes}
SYS_sthread_exit = ${STHREAD_LIMITS.exitCall}
SYS_sthread_switch = ${STHREAD_LIMITS.switchCall}
ST_EINVAL = 22
ST_EFAULT = 14
ST_PTE_ADDR = 0x000ffffffffff000
TEXT_START = ${LAYOUT.TEXT_BASE}
`;

export const STHREAD_ASM = `
; ---- Wedge sthreads (asm-sthread.ts, docs/apps.md) ----------------------------------------
; sthread_init(wstart, wend): checkpoint the program's writable region [wstart, wend) (page
; aligned), reserve the arena for stacks and private copies, enter Dune (precise mode: the
; areas mapped now are the ones the page table has), register the ring-0 handlers. 0 or -1.
__sthread_init:
    push rbx
    mov [__st_wstart], rdi
    mov [__st_wend], rsi
    sub rsi, rdi
    mov [__st_wlen], rsi
    call __gc_map
    mov [__st_ckpt], rax
    mov rsi, ST_ARENA_BYTES
    call __gc_map
    mov [__st_arena], rax
    mov rdi, [__st_ckpt]
    mov rsi, [__st_wstart]
    mov rdx, [__st_wlen]
    call memcpy
    xor rdi, rdi
    call dune_init
    test rax, rax
    jne __si_fail
    call dune_enter
    test rax, rax
    jne __si_fail
    lea rdi, [__st_syscall]
    call dune_register_syscall_handler
    lea rdi, [__st_pgflt]
    call dune_register_pgflt_handler
    xor rax, rax
    pop rbx
    ret
__si_fail:
    mov rax, -1
    pop rbx
    ret

; sthread_create(sc, fn, arg): an sthread under policy sc that will run fn(arg) in ring 3 when
; joined. A dead sthread with the same policy is reused (it was recycled at its exit); else a
; new one is built. Returns the sthread, or 0 when the table or the arena is full.
__sthread_create:
    push rbx
    push r12
    push r13
    push r14
    mov r12, rdi
    mov r13, rsi
    mov r14, rdx
    lea rbx, [__st_table]
    xor rcx, rcx
__sc_find:
    cmp rcx, ST_MAX
    jae __sc_new
    cmp qword ptr [rbx + ST_STATE], 2
    jne __sc_find_next
    cmp [rbx + ST_SC], r12
    je __sc_ready
__sc_find_next:
    add rbx, ST_SIZE
    inc rcx
    jmp __sc_find
__sc_new:
    lea rbx, [__st_table]
    xor rcx, rcx
__sc_free:
    cmp rcx, ST_MAX
    jae __sc_fail
    cmp qword ptr [rbx + ST_STATE], 0
    je __sc_build
    add rbx, ST_SIZE
    inc rcx
    jmp __sc_free
__sc_build:
    lea rax, [rcx + 1]
    mov [rbx + ST_ID], rax
    mov [rbx + ST_SC], r12
    ; a 40 KiB stack and a private copy of the checkpoint, from the arena
    mov rax, [__st_arena_used]
    mov rdx, rax
    add rdx, ST_STACK_BYTES
    add rdx, [__st_wlen]
    cmp rdx, ST_ARENA_BYTES
    ja __sc_fail
    mov [__st_arena_used], rdx
    add rax, [__st_arena]
    mov [rbx + ST_STACK], rax
    add rax, ST_STACK_BYTES
    mov [rbx + ST_COPY], rax
    mov rdi, rax
    mov rsi, [__st_ckpt]
    mov rdx, [__st_wlen]
    call memcpy
    mov rdi, rbx
    mov rsi, r12
    call __st_take_policy
    ; the sthread's page table: a clone, then the protect and remap walks
    mov rdi, [pgroot]
    call dune_vm_clone
    test rax, rax
    je __sc_fail
    mov [rbx + ST_ROOT], rax
    sub rax, [mmap_base]
    mov rcx, GPA_MAP
    add rax, rcx
    or rax, [rbx + ST_ID]
    mov [rbx + ST_CR3], rax
    mov rdi, [rbx + ST_ROOT]
    xor rsi, rsi
    mov rdx, 0x7fffffffffff
    lea rcx, [__st_protect_cb]
    mov r8, rbx
    call dune_vm_page_walk
    mov rdi, [rbx + ST_ROOT]
    mov rsi, [__st_wstart]
    mov rdx, [__st_wend]
    dec rdx
    lea rcx, [__st_remap_cb]
    mov r8, rbx
    call dune_vm_page_walk
__sc_ready:
    mov rdi, rbx
    mov rsi, r12
    call __st_take_policy
    mov [rbx + ST_FN], r13
    mov [rbx + ST_ARG], r14
    mov qword ptr [rbx + ST_STATE], 1
    mov rax, rbx
    jmp __sc_ret
__sc_fail:
    xor rax, rax
__sc_ret:
    pop r14
    pop r13
    pop r12
    pop rbx
    ret

; __st_take_policy(st, sc): copy the policy into the sthread's entry, 8 bytes at a time.
__st_take_policy:
    xor rcx, rcx
__stp_next:
    mov rax, [rsi + rcx]
    mov [rdi + ST_POLICY + rcx], rax
    add rcx, 8
    cmp rcx, SC_SIZE
    jb __stp_next
    ret

; __st_in(rdi = va, rsi = base, rdx = length): 1 if base <= va < base + length.
__st_in:
    xor rax, rax
    cmp rdi, rsi
    jb __sti_ret
    add rsi, rdx
    cmp rdi, rsi
    jae __sti_ret
    mov rax, 1
__sti_ret:
    ret
; walk_protect's callback (st, ptep, va): PTE_U only for the program's text, the sthread's stack,
; its writable region (remapped next) and its policy's tags.
__st_protect_cb:
    push rbx
    push r12
    push r13
    mov rbx, rdi
    mov r12, rsi
    mov r13, rdx
    mov rdi, r13
    mov rsi, TEXT_START
    mov rdx, [__st_wstart]
    sub rdx, rsi
    call __st_in
    test rax, rax
    jne __spc_user
    mov rdi, r13
    mov rsi, [rbx + ST_STACK]
    mov rdx, ST_STACK_BYTES
    call __st_in
    test rax, rax
    jne __spc_user
    mov rdi, r13
    mov rsi, [__st_wstart]
    mov rdx, [__st_wlen]
    call __st_in
    test rax, rax
    jne __spc_user
    lea rcx, [rbx + ST_POLICY]
    xor r8, r8
__spc_tag:
    mov rdi, r13
    mov rsi, [rcx + r8 + SC_TAGS]
    mov rdx, [rcx + r8 + SC_TAGS + 8]
    push rcx
    push r8
    call __st_in
    pop r8
    pop rcx
    test rax, rax
    jne __spc_user
    add r8, 24
    cmp r8, 192
    jb __spc_tag
    and qword ptr [r12], ~PTE_U
    jmp __spc_ret
__spc_user:
    or qword ptr [r12], PTE_U
__spc_ret:
    xor rax, rax
    pop r13
    pop r12
    pop rbx
    ret
; walk_remap's callback (st, ptep, va): the writable region's page now maps the private copy's
; frame (its address from the copy's PTE in the parent's table), with D clear.
__st_remap_cb:
    push rbx
    push r12
    sub rsp, 8
    mov rbx, rsi
    mov rsi, rdx
    sub rsi, [__st_wstart]
    add rsi, [rdi + ST_COPY]
    mov rdi, [pgroot]
    xor rdx, rdx
    mov rcx, rsp
    call dune_vm_lookup
    mov rax, [rsp]
    mov rax, [rax]
    mov rcx, ST_PTE_ADDR
    and rax, rcx
    mov rdx, [rbx]
    not rcx
    and rdx, rcx
    and rdx, ~PTE_D
    or rdx, PTE_U
    or rdx, rax
    mov [rbx], rdx
    add rsp, 8
    pop r12
    pop rbx
    xor rax, rax
    ret

; sthread_join(st): run the sthread: CR3 = its table | its PCID | no-flush, then ring 3 at
; fn(arg, st) on its stack until it calls SYS_sthread_exit (666); it is recycled, then the
; parent's CR3 is loaded again. Returns the sthread's exit value.
__sthread_join:
    push rbx
    push r12
    mov rbx, rdi
    mov [__st_cur], rbx
    mov rax, [rbx + ST_CR3]
    mov rcx, 1
    shl rcx, 63
    or rax, rcx
    mov cr3, rax
    lea rdi, [__st_tf]
    mov rax, [rbx + ST_FN]
    mov [rdi + TF_RIP], rax
    mov rax, [rbx + ST_ARG]
    mov [rdi + TF_RDI], rax
    mov [rdi + TF_RSI], rbx
    mov rax, [rbx + ST_STACK]
    add rax, ST_STACK_BYTES
    mov [rdi + TF_RSP], rax
    mov qword ptr [rdi + TF_RFLAGS], 0x202
    call dune_jump_to_user
    mov r12, rax
    ; recycle while the sthread's CR3 is still loaded (as the exit path does): an INVLPG here,
    ; if enabled, drops the sthread's own (PCID-tagged) entry
    mov rdi, rbx
    call __st_recycle
    mov rax, [pgroot]               ; back to the parent's table, PCID 0, no flush
    sub rax, [mmap_base]
    mov rcx, GPA_MAP
    add rax, rcx
    mov rcx, 1
    shl rcx, 63
    or rax, rcx
    mov cr3, rax
    mov qword ptr [__st_cur], 0
    mov rax, r12
    pop r12
    pop rbx
    ret

; __st_recycle(st): walk the writable region and the stack in the sthread's table; a page with
; D set was written: copy it back from the checkpoint (stack pages: zero them) and clear D. The
; real code does not INVLPG (the TLB entry, still "dirty", lets a later write skip D): set
; __st_recycle_invlpg to 1 for the fix. Runs on the sthread's CR3: INVLPG acts on the current
; PCID only (SDM: INVLPG), so from the parent's CR3 it would not reach the sthread's entries.
__st_recycle:
    push rbx
    mov rbx, rdi
    mov rdi, [rbx + ST_ROOT]
    mov rsi, [__st_wstart]
    mov rdx, [__st_wend]
    dec rdx
    lea rcx, [__st_recycle_cb]
    mov r8, rbx
    call dune_vm_page_walk
    mov rdi, [rbx + ST_ROOT]
    mov rsi, [rbx + ST_STACK]
    lea rdx, [rsi + ST_STACK_BYTES - 1]
    lea rcx, [__st_recycle_cb]
    mov r8, rbx
    call dune_vm_page_walk
    mov qword ptr [rbx + ST_STATE], 2
    pop rbx
    ret
__st_recycle_cb:
    mov rax, [rsi]
    test rax, PTE_D
    je __src_clean
    push rbx
    push r12
    push r13
    mov rbx, rdi
    mov r12, rsi
    mov r13, rdx
    and qword ptr [r12], ~PTE_D
    inc qword ptr [__st_recycled_pages]
    cmp qword ptr [__st_recycle_invlpg], 0
    je __src_copy
    invlpg [r13]
__src_copy:
    mov rdi, r13
    mov rsi, [rbx + ST_STACK]
    mov rdx, ST_STACK_BYTES
    call __st_in
    test rax, rax
    jne __src_zero
    mov rdi, r13                    ; the private copy's page <- the checkpoint's page
    sub rdi, [__st_wstart]
    mov rsi, rdi
    add rdi, [rbx + ST_COPY]
    add rsi, [__st_ckpt]
    mov rdx, 4096
    call memcpy
    jmp __src_done
__src_zero:
    mov rdi, r13
    xor rsi, rsi
    mov rdx, 4096
    call memset
__src_done:
    pop r13
    pop r12
    pop rbx
__src_clean:
    xor rax, rax
    ret

`;

export const STHREAD_DATA = `
; ---- sthread data (asm-sthread.ts) ---------------------------------------------------------
.align 8
__st_wstart: .quad 0
__st_wend: .quad 0
__st_wlen: .quad 0
__st_ckpt: .quad 0
__st_arena: .quad 0
__st_arena_used: .quad 0
__st_cur: .quad 0
__st_recycle_invlpg: .quad 0
__st_recycled_pages: .quad 0
__st_blocked: .quad 0
__st_tf: .zero TF_SIZE
__st_table: .zero ST_MAX * ST_SIZE
__st_msg_fatal: .asciz "sthread: page fault in ring 0\\n"
`;
