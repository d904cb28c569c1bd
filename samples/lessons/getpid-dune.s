; getpid-dune.s: system calls from a Dune process (lesson "A system call becomes a hypercall").
; SYSCALL in ring 0 lands on libdune's stub, whose VMCALL exits with reason 18; the module runs
; getpid through the kernel's system-call table and VMRESUME returns to the instruction after.
; The second call finds every page already in the EPT and the TLB: it shows the cost alone.
.text
_start:
    call dune_init_and_enter    ; VMX non-root, ring 0 from here
    mov rax, SYS_getpid
    syscall                     ; -> libdune's __dune_syscall -> VMCALL -> VM exit
    mov rax, SYS_getpid
    syscall                     ; the same path, warm
    mov rdi, 0
    call exit
