// The small libc of guest-asm.md (puts, print_u64, print_hex, exit, memset, memcpy, signal), in
// the guest language: each issues real system calls through the same path a C libc would (so in
// Dune mode `puts` costs a VMCALL). Part of the runtime (runtime.ts). World: the caller's mode.

export const LIBC_ASM = `
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

; memset(dst, byte, n) -> dst: rep stosb stores al rcx times at rdi (DF is clear, as the
; System V ABI requires on entry), as glibc's memset does for mid-sized blocks (ERMS).
__memset:
    mov r8, rdi
    mov eax, esi
    mov rcx, rdx
    rep stosb
    mov rax, r8
    ret

; memcpy(dst, src, n) -> dst: rep movsb copies rcx bytes from rsi to rdi.
__memcpy:
    mov rax, rdi
    mov rcx, rdx
    rep movsb
    ret

; signal(signo, handler): rt_sigaction with SA_SIGINFO and a restorer that calls rt_sigreturn.
__signal:
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
`;
