; getpid-dune.s: one system call from a Dune process, the path of the lesson "A system call
; becomes a hypercall". Step to the VM exits: the first ones are EPT violations (the module fills
; the empty EPT on demand); then SYSCALL in ring 0 reaches libdune's stub, whose VMCALL exits with
; reason 18, the module runs getpid, and VMRESUME returns.
.text
_start:
    call dune_init_and_enter    ; VMX non-root, ring 0 from here
    test rax, rax
    jne failed
    mov rax, SYS_getpid
    syscall                     ; -> libdune's stub -> VMCALL -> VM exit
    mov rdi, rax                ; the pid (1)
    call print_u64
    mov rdi, 0
    call exit
failed:
    mov rdi, 1
    call exit
