; ept-lazy.s: the EPT starts empty and follows Linux's mappings (lesson "The EPT starts empty").
; A fresh anonymous page is written (EPT violation: the module fills the EPT from Linux's page
; table), unmapped (the MMU notifier clears the EPT entry; INVEPT), mapped again and read.
.text
_start:
    call dune_init_and_enter
    mov rax, SYS_mmap
    xor rdi, rdi
    mov rsi, 4096
    mov rdx, PROT_READ | PROT_WRITE
    mov r10, MAP_PRIVATE | MAP_ANONYMOUS
    mov r8, -1
    xor r9, r9
    syscall                     ; a hypercall: Linux maps the page, the EPT knows nothing yet
    mov rbx, rax
    mov qword ptr [rbx], 42     ; first touch, a write: EPT_VIOLATION, vmx_do_ept_fault
    mov rax, SYS_munmap
    mov rdi, rbx
    mov rsi, 4096
    syscall                     ; the MMU notifier clears the EPT entry, then INVEPT
    mov rax, SYS_mmap
    mov rdi, rbx
    mov rsi, 4096
    mov rdx, PROT_READ | PROT_WRITE
    mov r10, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED
    mov r8, -1
    xor r9, r9
    syscall                     ; the same address again: a new, zeroed page
    mov rax, [rbx]              ; a read: another EPT_VIOLATION; the value is 0, not 42
    mov rdi, rax
    call exit
