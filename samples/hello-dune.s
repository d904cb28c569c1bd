; hello-dune.s: the same process, turned into a Dune process.
; dune_init_and_enter() opens /dev/dune, builds a guest page table, and the DUNE_ENTER ioctl
; makes the module VMLAUNCH the process into VMX non-root mode, in ring 0.
; From then on `syscall` lands on libdune's stub (mapped at the kernel's LSTAR address), which
; forwards it to the kernel as a VMCALL: a VM exit, the module runs the system call, VM entry.
.data
msg: .asciz "Hello from a Dune process: ring 0 of VMX non-root!"

.text
_start:
    call dune_init_and_enter    ; returns 0 in VMX non-root, ring 0
    test rax, rax
    jne failed
    lea rdi, [msg]
    call puts                   ; libc's write(2): SYSCALL -> libdune stub -> VMCALL
    mov rdi, 0
    call exit
failed:
    mov rdi, 1
    call exit
