; enter.s: a process becomes a Dune process (lessons "A process, not a machine" and "Entering
; Dune"). dune_init opens /dev/dune and builds libdune's page table; dune_enter issues the
; DUNE_ENTER ioctl, and the module writes a VMCS and runs VMLAUNCH. The process then reads CR3 and
; the privilege level it runs at, which a Linux process could not.
.text
_start:
    call dune_init_and_enter    ; VMX non-root, ring 0 from here
    mov rax, cr3                ; allowed in ring 0: the page-table root libdune built
    mov rdi, 0
    call exit
