// The collector's "virtual dirty bits" (Boehm's VDB, os_dep.c), four ways, as the paper's Table 6
// variants: linux = MPROTECT_VDB (mprotect + a SIGSEGV handler); dune = the direct port
// (dune_vm_mprotect, whose full TLB flush stays; the #PF is handled in ring 0); dune-tlb = the
// same with one INVLPG per page; dune-dirty = no protection: read and clear the PTEs' D bits with
// dune_vm_page_walk, INVLPG each page cleared. The Dune variants are reconstructions (the port
// is not public). Part of the runtime (runtime.ts). World: Linux ring 3, or Dune ring 0.

export const GC_VDB_ASM = `
; ---- gc: the dirty set, four ways (asm-gc-vdb.ts) -----------------------------------------
; __gc_read_dirty(): at the start of a collection, complete the dirty set. With protection the
; fault handlers filled it as the mutator wrote; dune-dirty reads it from the page table.
__gc_read_dirty:
    cmp qword ptr [__gc_mode], GC_DUNE_DIRTY
    jne __grd_ret
    mov rdx, [__gc_top]
    test rdx, rdx
    je __grd_ret
    mov rdi, [pgroot]
    mov rsi, [__gc_heap]
    shl rdx, 12
    add rdx, rsi
    dec rdx
    lea rcx, [__gc_dirty_cb]
    xor r8, r8
    call dune_vm_page_walk
__grd_ret:
    ret
; dune_vm_page_walk's callback (arg, ptep, va): D set means written since D was last cleared:
; record the page, clear D, and INVLPG it (a TLB entry that says "dirty" would let later writes
; go by without setting D again).
__gc_dirty_cb:
    mov rax, [rsi]
    test rax, PTE_D
    je __gdc_clean
    and rax, ~PTE_D
    mov [rsi], rax
    invlpg [rdx]
    sub rdx, [__gc_heap]
    shr rdx, 12
    mov rax, [__gc_dirty]
    mov byte ptr [rax + rdx], 1
    inc qword ptr [__gc_dbits]
__gdc_clean:
    xor rax, rax
    ret

; __gc_rearm(): at the end of a collection, count and clear the dirty set and arm tracking for
; the next cycle: linux and dune write-protect the heap's blocks in use with one call; dune-tlb
; write-protects each page that was writable (the dirty ones) and INVLPGs it; dune-dirty has
; nothing to arm (D was cleared by the walk).
__gc_rearm:
    push rbp
    sub rsp, 8
    cmp qword ptr [__gc_top], 0
    je __gra_clear
    mov rax, [__gc_mode]
    cmp rax, GC_LINUX
    jne __gra_dune
    mov rdi, [__gc_heap]
    mov rsi, [__gc_top]
    shl rsi, 12
    mov rdx, PROT_READ
    mov rax, SYS_mprotect
    syscall
    jmp __gra_clear
__gra_dune:
    cmp rax, GC_DUNE
    jne __gra_clear
    mov rdi, [pgroot]
    mov rsi, [__gc_heap]
    mov rdx, [__gc_top]
    shl rdx, 12
    mov rcx, PERM_R | PERM_X | PERM_U
    call dune_vm_mprotect
__gra_clear:
    xor rbp, rbp
__gra_page:
    cmp rbp, [__gc_top]
    jae __gra_done
    mov rax, [__gc_dirty]
    mov rcx, byte ptr [rax + rbp]
    test rcx, rcx
    je __gra_next
    mov byte ptr [rax + rbp], 0
    inc qword ptr [__gc_dirtied]
    cmp qword ptr [__gc_mode], GC_DUNE_TLB
    jne __gra_next
    mov rdi, [pgroot]
    mov rsi, rbp
    shl rsi, 12
    add rsi, [__gc_heap]
    xor rdx, rdx
    mov rcx, rsp
    call dune_vm_lookup
    mov rax, [rsp]
    and qword ptr [rax], ~PTE_W
    mov rax, rbp
    shl rax, 12
    add rax, [__gc_heap]
    invlpg [rax]
__gra_next:
    inc rbp
    jmp __gra_page
__gra_done:
    add rsp, 8
    pop rbp
    ret

; linux: the SIGSEGV handler (signo, siginfo, ucontext), as Boehm's GC_write_fault_handler:
; record the page and make it writable again; the write then restarts.
__gc_segv:
    mov rdi, [rsi + 16]
    mov rax, rdi
    sub rax, [__gc_heap]
    jb __gc_wild
    cmp rax, GC_HEAP_BYTES
    jae __gc_wild
    shr rax, 12
    mov rcx, [__gc_dirty]
    mov byte ptr [rcx + rax], 1
    inc qword ptr [__gc_faults]
    and rdi, -4096
    mov rsi, 4096
    mov rdx, PROT_READ | PROT_WRITE
    mov rax, SYS_mprotect
    syscall
    ret

; dune, dune-tlb: the ring-0 #PF handler (addr, fec, tf): no signal, no exit. A write to a
; present heap page: record it and make it writable again, with dune_vm_mprotect (which flushes
; the whole TLB) or, in dune-tlb, by setting PTE_W and INVLPG of that page.
__gc_pgflt:
    mov rax, rdi
    sub rax, [__gc_heap]
    jb __gc_wild
    cmp rax, GC_HEAP_BYTES
    jae __gc_wild
    test rsi, FEC_W
    je __gc_wild
    test rsi, FEC_P
    je __gc_wild
    shr rax, 12
    mov rcx, [__gc_dirty]
    mov byte ptr [rcx + rax], 1
    inc qword ptr [__gc_faults]
    and rdi, -4096
    cmp qword ptr [__gc_mode], GC_DUNE_TLB
    je __gpf_tlb
    mov rsi, rdi
    mov rdi, [pgroot]
    mov rdx, 4096
    mov rcx, PERM_R | PERM_W | PERM_X | PERM_U
    call dune_vm_mprotect
    ret
__gpf_tlb:
    push rdi
    sub rsp, 8
    mov rsi, rdi
    mov rdi, [pgroot]
    xor rdx, rdx
    mov rcx, rsp
    call dune_vm_lookup
    mov rax, [rsp]
    or qword ptr [rax], PTE_W
    add rsp, 8
    pop rdi
    invlpg [rdi]
    ret
__gc_wild:
    lea rdi, [__gc_msg_wild]
    jmp __gc_die
`;
