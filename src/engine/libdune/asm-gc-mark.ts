// The collector's collection (asm-gc.ts is the allocator): roots (the stack, conservatively,
// and the registered ranges), marking with an explicit mark stack, the dirty blocks' old objects
// in a partial collection, mark clearing for a full one, and the sweep. Boehm-style (bdwgc's
// mark.c and reclaim.c in miniature). Part of the runtime (runtime.ts). World: the caller's mode.

export const GC_MARK_ASM = `
; ---- gc: collection (asm-gc-mark.ts) -------------------------------------------------------
; gc_collect(): one collection; every GC_FULL_FREQ+1-th (and the first) is full.
__gc_collect:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov [__gc_t0], rax
    call __gc_read_dirty
    mov r12, [__gc_heap]
    mov r13, [__gc_top]
    shl r13, 12
    add r13, r12
    mov r14, [__gc_class]
    mov r15, [__gc_state]
    mov rbx, [__gc_mstack]
    inc qword ptr [__gc_collections]
    mov qword ptr [__gc_is_full], 0
    cmp qword ptr [__gc_collections], 1
    je __gc_full
    cmp qword ptr [__gc_partial_run], GC_FULL_FREQ
    jb __gc_partial
__gc_full:
    mov qword ptr [__gc_partial_run], 0
    mov qword ptr [__gc_is_full], 1
    inc qword ptr [__gc_fulls]
    call __gc_clear_marks
    jmp __gc_roots_phase
__gc_partial:
    inc qword ptr [__gc_partial_run]
; the roots: the stack (with the callee-saved registers pushed above), then the registered ranges
__gc_roots_phase:
    mov rdi, rsp
    mov rsi, [__gc_stack_base]
    call __gc_scan_range
    call __gc_drain
    xor rbp, rbp
__gc_root_next:
    cmp rbp, [__gc_nroots]
    jae __gc_roots_done
    mov rax, rbp
    shl rax, 4
    lea rcx, [__gc_roots]
    mov rdi, [rcx + rax]
    mov rsi, [rcx + rax + 8]
    call __gc_scan_range
    call __gc_drain
    inc rbp
    jmp __gc_root_next
__gc_roots_done:
    cmp qword ptr [__gc_is_full], 0
    jne __gc_marked
    call __gc_scan_dirty
__gc_marked:
    call __gc_sweep
    call __gc_rearm
    ; the next cycle: cursors back to the first block, trigger = heap / GC_DIVISOR
    xor rax, rax
__gc_reset:
    lea rcx, [__gc_cur_page]
    mov qword ptr [rcx + rax*8], 0
    lea rcx, [__gc_cur_off]
    mov qword ptr [rcx + rax*8], 0
    inc rax
    cmp rax, GC_NCLASS
    jbe __gc_reset
    mov qword ptr [__gc_free_scan], 0
    mov qword ptr [__gc_since], 0
    mov rax, [__gc_top]
    shl rax, 12
    cmp rax, GC_INITIAL_HEAP
    jae __gc_trig
    mov rax, GC_INITIAL_HEAP
__gc_trig:
    xor rdx, rdx
    mov rcx, GC_DIVISOR
    div rcx
    mov [__gc_trigger], rax
    rdtsc
    shl rdx, 32
    or rax, rdx
    sub rax, [__gc_t0]
    add [__gc_cycles], rax
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

; Mark-phase registers: r12 heap, r13 heap end (top block), r14 class bytes, r15 state bytes,
; rbx mark-stack top. __gc_mark_word clobbers rax, rcx, rdx; __gc_scan_range also rdi, rsi.
; __gc_mark_word(rax): if rax points into an allocated, unmarked object, mark and push it.
__gc_mark_word:
    cmp rax, r12
    jb __gmw_ret
    cmp rax, r13
    jae __gmw_ret
    sub rax, r12
    mov rdx, rax
    shr rdx, 12
    mov rcx, byte ptr [r14 + rdx]
    test rcx, rcx
    je __gmw_ret
    add rcx, 3
    shr rax, cl
    shl rax, cl
    mov rdx, rax
    shr rdx, 4
    mov rcx, byte ptr [r15 + rdx]
    cmp rcx, 1
    jne __gmw_ret
    mov byte ptr [r15 + rdx], 2
    add rax, r12
    mov [rbx], rax
    add rbx, 8
    cmp rbx, [__gc_mstack_end]
    jae __gc_overflow
__gmw_ret:
    ret
; __gc_scan_range(rdi, rsi): every aligned word of [rdi, rsi) is a possible pointer.
__gc_scan_range:
    and rdi, -8
__gsr_next:
    cmp rdi, rsi
    jae __gsr_done
    mov rax, [rdi]
    call __gc_mark_word
    add rdi, 8
    jmp __gsr_next
__gsr_done:
    ret
; __gc_scan_object(rdi): the words of the object at rdi (its block's size).
__gc_scan_object:
    mov rsi, rdi
    sub rsi, r12
    shr rsi, 12
    mov rcx, byte ptr [r14 + rsi]
    add rcx, 3
    mov rsi, 1
    shl rsi, cl
    add rsi, rdi
    jmp __gc_scan_range
; __gc_drain(): scan the objects on the mark stack until it is empty.
__gc_drain:
    cmp rbx, [__gc_mstack]
    jbe __gd_done
    sub rbx, 8
    mov rdi, [rbx]
    call __gc_scan_object
    jmp __gc_drain
__gd_done:
    ret
; __gc_scan_dirty(): a partial collection also scans the marked objects on dirty pages (they
; may point to objects allocated since). Uses rbp, r8, r9 (untouched by the scan routines).
__gc_scan_dirty:
    xor rbp, rbp
__gsd_page:
    mov rax, rbp
    shl rax, 12
    add rax, r12
    cmp rax, r13
    jae __gsd_done
    mov rax, [__gc_dirty]
    mov rax, byte ptr [rax + rbp]
    test rax, rax
    je __gsd_next
    mov rcx, byte ptr [r14 + rbp]
    test rcx, rcx
    je __gsd_next
    inc qword ptr [__gc_scanned]
    add rcx, 3
    mov r9, 1
    shl r9, cl
    xor r8, r8
__gsd_slot:
    mov rax, rbp
    shl rax, 8
    mov rdx, r8
    shr rdx, 4
    add rax, rdx
    mov rax, byte ptr [r15 + rax]
    cmp rax, 2
    jne __gsd_slot_next
    mov rdi, rbp
    shl rdi, 12
    add rdi, r8
    add rdi, r12
    call __gc_scan_object
    call __gc_drain
__gsd_slot_next:
    add r8, r9
    cmp r8, 4096
    jb __gsd_slot
__gsd_next:
    inc rbp
    jmp __gsd_page
__gsd_done:
    ret
; __gc_clear_marks(): a full collection starts with every mark cleared (2 -> 1), 8 bytes at a
; time: state bytes are 0, 1 or 2, so (v | v >> 1) & 0x0101.. maps 2 to 1 and keeps 0 and 1.
__gc_clear_marks:
    mov rdi, r15
    mov rsi, [__gc_top]
    shl rsi, 8
    add rsi, r15
    mov rdx, 0x0101010101010101
__gcm_next:
    cmp rdi, rsi
    jae __gcm_done
    mov rax, [rdi]
    mov rcx, rax
    shr rcx, 1
    or rax, rcx
    and rax, rdx
    mov [rdi], rax
    add rdi, 8
    jmp __gcm_next
__gcm_done:
    ret
; __gc_sweep(): unmarked objects are freed; a block with nothing left goes back to class 0; a
; block with a free slot is marked available to the allocator.
__gc_sweep:
    xor rbp, rbp
__gsw_page:
    mov rax, rbp
    shl rax, 12
    add rax, r12
    cmp rax, r13
    jae __gsw_done
    mov rcx, byte ptr [r14 + rbp]
    test rcx, rcx
    je __gsw_next
    add rcx, 3
    mov r9, 1
    shl r9, cl
    shr r9, 4
    mov r11, rbp
    shl r11, 8
    add r11, r15
    xor r8, r8
    xor r10, r10
__gsw_slot:
    mov rax, byte ptr [r11 + r8]
    cmp rax, 1
    jne __gsw_keep
    mov byte ptr [r11 + r8], 0
    inc qword ptr [__gc_freed]
    jmp __gsw_slot_next
__gsw_keep:
    cmp rax, 2
    jne __gsw_slot_next
    inc r10
__gsw_slot_next:
    add r8, r9
    cmp r8, 256
    jb __gsw_slot
    mov rax, [__gc_avail]
    mov byte ptr [rax + rbp], 1
    test r10, r10
    je __gsw_empty
    mov rax, 256
    xor rdx, rdx
    div r9
    cmp r10, rax
    jb __gsw_next
    mov rax, [__gc_avail]
    mov byte ptr [rax + rbp], 0
    jmp __gsw_next
__gsw_empty:
    mov byte ptr [r14 + rbp], 0
__gsw_next:
    inc rbp
    jmp __gsw_page
__gsw_done:
    ret
`;
