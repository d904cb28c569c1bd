; tlb-tags.s: what the TLB's tags keep (lesson "Tagged TLBs"). VPID keeps the process's entries
; across a VM exit and entry; a PCID keeps an address space's entries across MOV CR3 when bit 63
; (no flush) is set; INVLPG drops one page. Run with vpid=off to see the exits flush the TLB.
.bss
.align 4096
buf: .zero 4096
.text
_start:
    call dune_init_and_enter
    mov rax, [buf]              ; a walk fills a TLB entry tagged VPID 1, PCID 0
    mov rax, SYS_getpid
    syscall                     ; VMCALL: a VM exit and a VM entry
    mov rax, [buf]              ; with VPID: a hit, the entry survived the exit and entry
    mov rax, cr3
    mov rbx, rax                ; the page-table root with PCID 0
    or rax, 1                   ; the same root, PCID 1
    mov cr3, rax                ; a new PCID: its own (empty) part of the TLB
    mov rax, [buf]              ; a miss: walk, fill tagged PCID 1
    mov rax, 0x8000000000000000
    or rax, rbx                 ; back to PCID 0, bit 63 set: keep PCID 0's entries
    mov cr3, rax
    mov rax, [buf]              ; a hit: PCID 0's entry was kept
    invlpg [buf]                ; drop this page's entry (this PCID)
    mov rax, [buf]              ; a miss again: walk
    mov rdi, 0
    call exit
