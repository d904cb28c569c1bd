// A small Boehm-style mark-sweep collector in the guest language (after ivmai/bdwgc's design:
// size-segregated 4 KiB blocks, mark bytes outside the heap, conservative scanning of the stack
// and registered roots, generational "sticky" marks with a full collection every GC_full_freq);
// the paper's section 5.3 application (Table 6). This file: the API, the allocator and the
// collector's data; the collection itself is asm-gc-mark.ts, and which heap pages the mutator
// wrote since the last collection comes from one of four mechanisms (asm-gc-vdb.ts). docs/apps.md
// documents the API. Part of the runtime (runtime.ts). World: the caller's mode (Linux ring 3,
// or ring 0 of a Dune process).

/** Collector modes, the gc_init argument (docs/apps.md): the paper's Normal, Dune, Dune TLB and
 *  Dune dirty variants, in that order. */
export const GC_MODES = ['linux', 'dune', 'dune-tlb', 'dune-dirty'] as const;
export type GcMode = (typeof GC_MODES)[number];

/** The collector's sizes (and Boehm's defaults where the name is his). */
export const GC_LIMITS = {
  /** The heap reservation: 64 MiB of 4 KiB blocks, touched only as blocks are used (room for the
   *  heap view's 10,000-page program, samples/gc/bigheap.s). */
  heapPages: 16384,
  /** Size classes 16, 32, ..., 4096 bytes (class k holds objects of 8 << k bytes). */
  classes: 9,
  /** Boehm's GC_full_freq: every 20th collection is a full one (19 partial ones in between). */
  fullFreq: 19,
  /** Collect once allocation since the last collection reaches heap / GC_free_space_divisor (3),
   *  the heap counted as at least Boehm's initial heap (MINHINCR = 64 blocks: 256 KiB). */
  freeSpaceDivisor: 3,
  initialHeap: 256 * 1024,
  markStack: 65536,
  roots: 16,
} as const;

export const GC_CONSTANTS = `
GC_LINUX = 0
GC_DUNE = 1
GC_DUNE_TLB = 2
GC_DUNE_DIRTY = 3
GC_HEAP_PAGES = ${GC_LIMITS.heapPages}
GC_HEAP_BYTES = GC_HEAP_PAGES * 4096
GC_NCLASS = ${GC_LIMITS.classes}
GC_FULL_FREQ = ${GC_LIMITS.fullFreq}
GC_DIVISOR = ${GC_LIMITS.freeSpaceDivisor}
GC_INITIAL_HEAP = ${GC_LIMITS.initialHeap}
GC_MSTACK = ${GC_LIMITS.markStack}
GC_ROOTS_MAX = ${GC_LIMITS.roots}
; the collector's tables, in one mapping: block classes, the dirty set, "has a free slot" bytes,
; state bytes, the mark stack
GC_META_CLASS = 0
GC_META_DIRTY = GC_HEAP_PAGES
GC_META_AVAIL = GC_HEAP_PAGES * 2
GC_META_STATE = GC_HEAP_PAGES * 3
GC_META_MSTACK = GC_META_STATE + GC_HEAP_PAGES * 256
GC_META_BYTES = GC_META_MSTACK + GC_MSTACK * 8
`;

export const GC_ASM = `
; ---- gc: a small Boehm-style mark-sweep collector (asm-gc.ts, docs/apps.md) ---------------
; Heap: GC_HEAP_PAGES blocks; block p holds objects of one size class (class byte, 0 = free).
; One state byte per 16-byte granule, at each object's first granule: 0 free, 1 allocated,
; 2 marked. Marks are sticky: a partial collection traces only from the roots and from the
; marked ("old") objects on pages written since the last collection (the dirty set).

; gc_init(mode): reserve the heap and tables; linux: SIGSEGV handler; dune, dune-tlb: enter Dune
; (dune_init(0), then dune_enter) and register the ring-0 #PF handler; dune-dirty: enter Dune. 0 on success, -1 on failure.
; The stack is scanned from the collector up to gc_init's caller's frame.
__gc_init:
    push rbx
    push r12
    mov r12, rdi
    cmp r12, GC_DUNE_DIRTY
    ja __gi_fail
    mov [__gc_mode], r12
    lea rax, [rsp + 24]
    mov [__gc_stack_base], rax
    mov rsi, GC_HEAP_BYTES
    call __gc_map
    mov [__gc_heap], rax
    mov rsi, GC_META_BYTES
    call __gc_map
    mov [__gc_class], rax
    lea rcx, [rax + GC_META_DIRTY]
    mov [__gc_dirty], rcx
    lea rcx, [rax + GC_META_AVAIL]
    mov [__gc_avail], rcx
    lea rcx, [rax + GC_META_STATE]
    mov [__gc_state], rcx
    mov rcx, GC_META_MSTACK
    add rcx, rax
    mov [__gc_mstack], rcx
    mov rcx, GC_META_BYTES
    add rcx, rax
    mov [__gc_mstack_end], rcx
    mov qword ptr [__gc_trigger], GC_INITIAL_HEAP / GC_DIVISOR
    cmp r12, GC_LINUX
    jne __gi_dune
    mov rdi, SIGSEGV
    lea rsi, [__gc_segv]
    call signal
    jmp __gi_ok
__gi_dune:
    ; precise mode (as the sandbox): map the process's areas, the heap and tables among them
    xor rdi, rdi
    call dune_init
    test rax, rax
    jne __gi_fail
    call dune_enter
    test rax, rax
    jne __gi_fail
    cmp r12, GC_DUNE_DIRTY
    je __gi_ok
    lea rdi, [__gc_pgflt]
    call dune_register_pgflt_handler
__gi_ok:
    xor rax, rax
    pop r12
    pop rbx
    ret
__gi_fail:
    mov rax, -1
    pop r12
    pop rbx
    ret
; __gc_map(rsi = bytes): anonymous read-write memory, not populated; exits on failure.
__gc_map:
    xor rdi, rdi
    mov rdx, PROT_READ | PROT_WRITE
    mov r10, MAP_PRIVATE | MAP_ANONYMOUS
    mov r8, -1
    xor r9, r9
    mov rax, SYS_mmap
    syscall
    cmp rax, -4096
    ja __gc_oom
    ret

; gc_add_roots(start, end): scan [start, end) as roots at every collection. 0, or -1 if full.
__gc_add_roots:
    mov rax, [__gc_nroots]
    cmp rax, GC_ROOTS_MAX
    jae __gar_full
    shl rax, 4
    lea rcx, [__gc_roots]
    mov [rcx + rax], rdi
    mov [rcx + rax + 8], rsi
    inc qword ptr [__gc_nroots]
    xor rax, rax
    ret
__gar_full:
    mov rax, -1
    ret

; gc_alloc(n): a zeroed object of at least n bytes (n <= 4096), or 0 if n is larger. Collects
; when the allocation since the last collection reaches the trigger, else takes a free block.
__gc_alloc:
    push rbx
    push r12
    push r13
    push r14
    mov r12, 1
    mov r13, 16
__ga_cls:
    cmp r13, rdi
    jae __ga_have_cls
    shl r13, 1
    inc r12
    cmp r12, GC_NCLASS
    jbe __ga_cls
    xor rax, rax
    jmp __ga_ret
__ga_have_cls:
    xor r14, r14
    lea rax, [__gc_cur_page]
    mov rbx, [rax + r12*8]
    lea rax, [__gc_cur_off]
    mov rcx, [rax + r12*8]
; r12 = class, r13 = object size, rbx = block, rcx = offset in it; r14 = 1 once collected here
__ga_page:
    cmp rbx, [__gc_top]
    jae __ga_fresh
    mov rax, [__gc_class]
    mov rax, byte ptr [rax + rbx]
    cmp rax, r12
    jne __ga_skip
    mov rax, [__gc_avail]
    mov rax, byte ptr [rax + rbx]
    test rax, rax
    je __ga_skip
    mov r8, rbx
    shl r8, 8
    add r8, [__gc_state]
__ga_slot:
    cmp rcx, 4096
    jae __ga_exhausted
    mov rdx, rcx
    shr rdx, 4
    mov rax, byte ptr [r8 + rdx]
    test rax, rax
    je __ga_found
    add rcx, r13
    jmp __ga_slot
__ga_exhausted:
    mov rax, [__gc_avail]
    mov byte ptr [rax + rbx], 0
__ga_skip:
    inc rbx
    xor rcx, rcx
    jmp __ga_page
__ga_fresh:
    test r14, r14
    jne __ga_take
    mov rax, [__gc_since]
    cmp rax, [__gc_trigger]
    jb __ga_take
__ga_collect:
    call gc_collect
    mov r14, 1
    xor rbx, rbx
    xor rcx, rcx
    jmp __ga_page
; a free block: the first with class 0 below the top, else the block at the top
__ga_take:
    mov rbx, [__gc_free_scan]
    mov rax, [__gc_class]
__ga_take_scan:
    cmp rbx, [__gc_top]
    jae __ga_grow
    mov rdx, byte ptr [rax + rbx]
    test rdx, rdx
    je __ga_claim
    inc rbx
    jmp __ga_take_scan
__ga_grow:
    cmp rbx, GC_HEAP_PAGES
    jae __ga_full
    inc qword ptr [__gc_top]
__ga_claim:
    lea rdx, [rbx + 1]
    mov [__gc_free_scan], rdx
    mov byte ptr [rax + rbx], r12
    mov rax, [__gc_avail]
    mov byte ptr [rax + rbx], 1
    ; a block given to a class counts as written: it may never have been protected (dune-tlb
    ; re-protects only the pages in the dirty set)
    mov rax, [__gc_dirty]
    mov byte ptr [rax + rbx], 1
    xor rcx, rcx
    jmp __ga_page
__ga_full:
    test r14, r14
    je __ga_collect
    jmp __gc_oom
__ga_found:
    mov byte ptr [r8 + rdx], 1
    lea rax, [rcx + r13]
    lea rdx, [__gc_cur_off]
    mov [rdx + r12*8], rax
    lea rdx, [__gc_cur_page]
    mov [rdx + r12*8], rbx
    add [__gc_since], r13
    mov rax, rbx
    shl rax, 12
    add rax, rcx
    add rax, [__gc_heap]
    mov rcx, r13
    shr rcx, 3
__ga_zero:
    mov qword ptr [rax + rcx*8 - 8], 0
    loop __ga_zero
__ga_ret:
    pop r14
    pop r13
    pop r12
    pop rbx
    ret


__gc_overflow:
    lea rdi, [__gc_msg_overflow]
    jmp __gc_die
__gc_oom:
    lea rdi, [__gc_msg_oom]
; __gc_die(msg): write msg to stderr and exit_group(1) (a system call in either mode).
__gc_die:
    mov rsi, rdi
    xor rdx, rdx
__gdie_len:
    mov rax, byte ptr [rsi + rdx]
    test rax, rax
    je __gdie_write
    inc rdx
    jmp __gdie_len
__gdie_write:
    mov rdi, 2
    mov rax, SYS_write
    syscall
    mov rdi, 1
    mov rax, SYS_exit_group
    syscall
    ud2

; gc_print_stats(): the collector's counters, one "name value" line each.
__gc_print_stats:
    push rbx
    xor rbx, rbx
__gps_next:
    lea rax, [__gc_stat_names]
    mov rdi, [rax + rbx]
    test rdi, rdi
    je __gps_done
    call __gc_write_str
    lea rax, [__gc_stat_names]
    mov rax, [rax + rbx + 8]
    mov rdi, [rax]
    call print_u64
    add rbx, 16
    jmp __gps_next
__gps_done:
    pop rbx
    ret
; __gc_write_str(rdi): write the string to stdout, no newline.
__gc_write_str:
    mov rsi, rdi
    xor rdx, rdx
__gws_len:
    mov rax, byte ptr [rsi + rdx]
    test rax, rax
    je __gws_write
    inc rdx
    jmp __gws_len
__gws_write:
    mov rdi, 1
    mov rax, SYS_write
    syscall
    ret

; gc_mode_from_stdin(): the mode named on stdin (linux, dune, dune-tlb, dune-dirty; nothing
; means linux), or -1 for anything else.
__gc_mode_from_stdin:
    push rbx
    sub rsp, 48
    xor rdi, rdi
    mov rsi, rsp
    mov rdx, 40
    mov rax, SYS_read
    syscall
    test rax, rax
    jns __gms_cut
    xor rax, rax
__gms_cut:
    mov byte ptr [rsp + rax], 0
    xor rcx, rcx
__gms_trim:
    mov rax, byte ptr [rsp + rcx]
    cmp rax, 32
    jbe __gms_end
    inc rcx
    jmp __gms_trim
__gms_end:
    mov byte ptr [rsp + rcx], 0
    xor rax, rax
    test rcx, rcx
    je __gms_ret
    xor rbx, rbx
__gms_try:
    lea rax, [__gc_mode_names]
    mov rdi, [rax + rbx*8]
    xor rcx, rcx
__gms_cmp:
    mov rax, byte ptr [rdi + rcx]
    mov rdx, byte ptr [rsp + rcx]
    cmp rax, rdx
    jne __gms_other
    inc rcx
    test rax, rax
    jne __gms_cmp
    mov rax, rbx
    jmp __gms_ret
__gms_other:
    inc rbx
    cmp rbx, GC_DUNE_DIRTY
    jbe __gms_try
    mov rax, -1
__gms_ret:
    add rsp, 48
    pop rbx
    ret
`;

export const GC_DATA = `
; ---- gc data (asm-gc.ts) -------------------------------------------------------------------
.align 8
__gc_mode: .quad 0
__gc_heap: .quad 0
__gc_top: .quad 0
__gc_class: .quad 0
__gc_dirty: .quad 0
__gc_state: .quad 0
__gc_avail: .quad 0
__gc_mstack: .quad 0
__gc_mstack_end: .quad 0
__gc_stack_base: .quad 0
__gc_since: .quad 0
__gc_trigger: .quad 0
__gc_free_scan: .quad 0
__gc_partial_run: .quad 0
__gc_is_full: .quad 0
__gc_t0: .quad 0
__gc_nroots: .quad 0
__gc_roots: .zero GC_ROOTS_MAX * 16
__gc_cur_page: .zero (GC_NCLASS + 1) * 8
__gc_cur_off: .zero (GC_NCLASS + 1) * 8
; counters (gc_print_stats)
__gc_collections: .quad 0
__gc_fulls: .quad 0
__gc_freed: .quad 0
__gc_dirtied: .quad 0
__gc_scanned: .quad 0
__gc_faults: .quad 0
__gc_dbits: .quad 0
__gc_cycles: .quad 0
__gc_stat_names:
    .quad __gcs_coll, __gc_collections, __gcs_full, __gc_fulls, __gcs_freed, __gc_freed
    .quad __gcs_dirty, __gc_dirtied, __gcs_scanned, __gc_scanned, __gcs_faults, __gc_faults
    .quad __gcs_dbits, __gc_dbits, __gcs_cycles, __gc_cycles, 0, 0
__gcs_coll: .asciz "gc collections "
__gcs_full: .asciz "gc full "
__gcs_freed: .asciz "gc freed "
__gcs_dirty: .asciz "gc dirty pages "
__gcs_scanned: .asciz "gc dirty blocks scanned "
__gcs_faults: .asciz "gc write faults "
__gcs_dbits: .asciz "gc D bits cleared "
__gcs_cycles: .asciz "gc cycles "
__gc_mode_names: .quad __gcn_linux, __gcn_dune, __gcn_tlb, __gcn_dirty
__gcn_linux: .asciz "linux"
__gcn_dune: .asciz "dune"
__gcn_tlb: .asciz "dune-tlb"
__gcn_dirty: .asciz "dune-dirty"
__gc_msg_oom: .asciz "gc: out of memory (the heap is GC_HEAP_PAGES blocks)\\n"
__gc_msg_overflow: .asciz "gc: mark stack overflow\\n"
__gc_msg_wild: .asciz "gc: write fault outside the heap: a real segmentation fault\\n"
`;
