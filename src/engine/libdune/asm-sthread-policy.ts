// Wedge's checks in ring 0 (apps/wedge/sthread.c's system-call path): the sthreads' system-call
// handler (exit, switch, read/write against the fd list and the sthread's own page table,
// everything else against the bitmap: -EINVAL), their page-fault handler, and the policy
// builders sc_init, sc_mem_add, sc_fd_add, sc_sys_add. asm-sthread.ts creates and runs the
// sthreads. Part of the runtime (runtime.ts). World: guest ring 0 (VMX non-root).

export const STHREAD_POLICY_ASM = `
; ---- Wedge sthreads: the checks (asm-sthread-policy.ts) -----------------------------------
; The system-call handler (tf) for sthreads (ring 3 -> ring 0, no exit): 666 ends the sthread,
; 667 switches to another;
; read and write are checked against the fd list and the buffer must be P|U (and W for read) in
; the sthread's table, and a buffer in the writable region is rewritten to the private copy's
; address (the kernel sees the parent's mappings); anything else must be in the bitmap.
__st_syscall:
    push rbx
    push r12
    push r13
    sub rsp, 8
    mov rbx, rdi
    mov r12, [__st_cur]
    mov rax, [rbx + TF_RAX]
    cmp rax, SYS_sthread_exit
    je __ss_exit
    cmp rax, SYS_sthread_switch
    je __ss_switch
    cmp rax, SYS_read
    je __ss_rw
    cmp rax, SYS_write
    je __ss_rw
    cmp rax, 128
    jae __ss_einval
    mov rcx, rax
    shr rcx, 6
    lea rdx, [r12 + ST_POLICY]
    mov rdx, [rdx + SC_SYS + rcx*8]
    mov rcx, rax
    and rcx, 63
    shr rdx, cl
    test rdx, 1
    je __ss_einval
    jmp __ss_forward
__ss_rw:
    lea rdx, [r12 + ST_POLICY]
    mov rax, [rbx + TF_RDI]
    inc rax
    xor rcx, rcx
__ss_fd:
    cmp rcx, 64
    jae __ss_einval
    cmp [rdx + SC_FDS + rcx], rax
    je __ss_fd_ok
    add rcx, 8
    jmp __ss_fd
__ss_fd_ok:
    mov rdi, [r12 + ST_ROOT]
    mov rsi, [rbx + TF_RSI]
    xor rdx, rdx
    mov rcx, rsp
    call dune_vm_lookup
    test rax, rax
    jne __ss_efault
    mov rax, [rsp]
    mov rax, [rax]
    mov r13, PTE_P | PTE_U
    cmp qword ptr [rbx + TF_RAX], SYS_read
    jne __ss_perm
    or r13, PTE_W
__ss_perm:
    and rax, r13
    cmp rax, r13
    jne __ss_efault
    mov rdi, [rbx + TF_RSI]
    mov rsi, [__st_wstart]
    mov rdx, [__st_wlen]
    call __st_in
    mov r13, [rbx + TF_RSI]
    test rax, rax
    je __ss_rw_go
    mov rax, r13
    sub rax, [__st_wstart]
    add rax, [r12 + ST_COPY]
    mov [rbx + TF_RSI], rax
__ss_rw_go:
    mov rdi, rbx
    call dune_passthrough_syscall
    mov [rbx + TF_RSI], r13
    jmp __ss_ret
__ss_forward:
    mov rdi, rbx
    call dune_passthrough_syscall
    jmp __ss_ret
__ss_einval:
    inc qword ptr [__st_blocked]
    mov qword ptr [rbx + TF_RAX], -ST_EINVAL
    jmp __ss_ret
__ss_efault:
    inc qword ptr [__st_blocked]
    mov qword ptr [rbx + TF_RAX], -ST_EFAULT
__ss_ret:
    add rsp, 8
    pop r13
    pop r12
    pop rbx
    ret
__ss_exit:
    mov rdi, [rbx + TF_RDI]
    call dune_ret_from_user
; 667 (sthread_switch(st, flush)): a cooperative switch: the caller continues in st's address
; space, CR3 = st's table | st's PCID | no-flush (flush = 1: without the no-flush bit). Wedge
; switches on read(); this is that switch without the read.
__ss_switch:
    mov rcx, [rbx + TF_RDI]
    mov [__st_cur], rcx
    mov rax, [rcx + ST_CR3]
    cmp qword ptr [rbx + TF_RSI], 0
    jne __ss_flush
    mov rcx, 1
    shl rcx, 63
    or rax, rcx
__ss_flush:
    mov cr3, rax
    mov qword ptr [rbx + TF_RAX], 0
    jmp __ss_ret

; An sthread's page fault (ring 3) ends it with -EFAULT; one in ring 0 is fatal.
__st_pgflt:
    test rsi, FEC_U
    je __sp_fatal
    mov rdi, -ST_EFAULT
    call dune_ret_from_user
__sp_fatal:
    lea rdi, [__st_msg_fatal]
    call dune_printf
    call dune_die

; sthread_recycle_invlpg(on): the what-if: 1 makes recycling INVLPG each page whose D it clears.
__sthread_recycle_invlpg:
    mov [__st_recycle_invlpg], rdi
    xor rax, rax
    ret

; sc_init(sc): an empty policy. sc_mem_add(sc, base, len) grants a tag; sc_fd_add(sc, fd);
; sc_sys_add(sc, nr) allows system call nr (< 128). Each returns 0, or -1 when full or invalid.
__sc_init:
    xor rsi, rsi
    mov rdx, SC_SIZE
    jmp memset
__sc_mem_add:
    xor rcx, rcx
__sma_next:
    cmp rcx, 192
    jae __sc_full
    cmp qword ptr [rdi + SC_TAGS + rcx + 8], 0
    je __sma_put
    add rcx, 24
    jmp __sma_next
__sma_put:
    mov [rdi + SC_TAGS + rcx], rsi
    mov [rdi + SC_TAGS + rcx + 8], rdx
    xor rax, rax
    ret
__sc_fd_add:
    xor rcx, rcx
    inc rsi
__sfa_next:
    cmp rcx, 64
    jae __sc_full
    cmp qword ptr [rdi + SC_FDS + rcx], 0
    je __sfa_put
    add rcx, 8
    jmp __sfa_next
__sfa_put:
    mov [rdi + SC_FDS + rcx], rsi
    xor rax, rax
    ret
__sc_sys_add:
    cmp rsi, 128
    jae __sc_full
    mov rcx, rsi
    shr rsi, 6
    and rcx, 63
    mov rax, 1
    shl rax, cl
    or [rdi + SC_SYS + rsi*8], rax
    xor rax, rax
    ret
__sc_full:
    mov rax, -1
    ret
`;
