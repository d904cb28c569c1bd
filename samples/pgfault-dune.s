; pgfault-dune.s: a page-fault handler in ring 0.
; In Dune the process owns the IDT: a #PF goes straight to libdune's trap entry (no VM exit,
; the exception bitmap does not include #PF) and on to the handler registered here. The handler
; maps a fresh page at the faulting address with dune_vm_map_pages and returns; libdune then
; resumes the faulting instruction.
.data
done_msg: .asciz "the handler mapped the page; the store went through"
fault_msg: .asciz "page fault at:"

.text
_start:
    call dune_init_and_enter
    test rax, rax
    jne failed
    mov rdi, handler
    call dune_register_pgflt_handler
    ; unmap one page of our own address space, then touch it
    mov rdi, [pgroot]
    mov rsi, 0x10000000          ; an address in the low 4 GiB window
    mov rdx, 4096
    call dune_vm_unmap
    mov qword ptr [0x10000000], 42   ; #PF -> handler -> retry
    mov rax, [0x10000000]
    cmp rax, 42
    jne failed
    lea rdi, [done_msg]
    call puts
    mov rdi, 0
    call exit
failed:
    mov rdi, 1
    call exit

; handler(addr, fec, tf): map a page of the pool at addr (aligned down), read+write.
handler:
    push rbx
    mov rbx, rdi
    lea rdi, [fault_msg]
    call puts
    mov rdi, rbx
    call print_hex
    mov rsi, rbx
    and rsi, -4096
    mov rdi, [pgroot]
    mov rdx, 4096
    mov rcx, PERM_R | PERM_W
    call dune_vm_map_pages
    pop rbx
    ret
