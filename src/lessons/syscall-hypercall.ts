// Lesson: "A system call becomes a hypercall". Engine identifiers named here: kernel/dune/module.ts
// handleVmcall, libdune/asm-traps.ts __dune_syscall, cpu/system.ts (SYSCALL), vtx/vmx.ts exit().

import type { Lesson } from './types.ts';

const PROGRAM = `; A Dune process makes one system call from ring 0.
.text
_start:
    call dune_init_and_enter   ; now in VMX non-root, ring 0
    mov rax, SYS_getpid
    syscall                    ; in ring 0: lands on libdune's stub, which does VMCALL
    mov rdi, 0
    call exit
`;

const LINUX = `; The same call from an ordinary Linux process (ring 3, VMX root).
.text
_start:
    mov rax, SYS_getpid
    syscall                    ; ring 3 -> ring 0 of the kernel -> SYSRET
    mov rdi, 0
    mov rax, SYS_exit
    syscall
`;

export const syscallHypercall: Lesson = {
  id: 'syscall-hypercall',
  title: 'A system call becomes a hypercall',
  summary: 'SYSCALL in ring 0 -> the libdune stub -> VMCALL -> VM exit -> the module runs the system call -> VM entry; and the same call from a Linux process.',
  steps: [
    {
      id: 'enter', title: 'A process in VMX non-root ring 0',
      text: ['dune_init_and_enter() built a page table and asked /dev/dune to VMLAUNCH the process. From now on it runs in VMX non-root mode, in ring 0: it owns the IDT, its page table and CR3.',
        'Find the `vmentry` event with kind `launch`: the first instruction after it is libdune\'s `__dune_ret`.'],
      program: { source: PROGRAM }, goTo: { type: 'vmentry', fromStart: true }, show: ['privilege', 'source', 'cpu', 'timeline'],
    },
    {
      id: 'syscall', title: 'SYSCALL in ring 0',
      text: ['The program executes SYSCALL exactly as a Linux program would. SYSCALL does not exit to the hypervisor: the CPU jumps to the address in the LSTAR MSR, in ring 0 of the guest.',
        'LSTAR still holds the host kernel\'s entry point, but libdune mapped that virtual page to its own copy of `__dune_syscall`.'],
      goTo: { type: 'instr', text: 'syscall', vmx: 'non-root', fromStart: true }, show: ['privilege', 'source', 'cpu', 'timeline'],
    },
    {
      id: 'vmcall', title: 'The stub issues VMCALL',
      text: ['The stub checks that the caller was in ring 0 (`in_usermode` is 0), then executes VMCALL: an instruction that always causes a VM exit in non-root mode.',
        'Note that VMCALL never retires as an instruction: the exit happens instead (a fault-like exit), and the module will move GUEST_RIP past it.'],
      goTo: { type: 'instr', text: 'jne __ds_user', vmx: 'non-root' }, show: ['privilege', 'cpu', 'timeline'],
    },
    {
      id: 'exit', title: 'VM exit, reason 18 (VMCALL)',
      text: ['The CPU saves the guest state in the VMCS, records exit reason 18 and the instruction length (3 bytes), and loads the host state: it is now in VMX root, ring 0, at the module\'s exit handler.',
        'Look at the VMCS panel: VM_EXIT_REASON, VM_EXIT_INSTRUCTION_LEN and GUEST_RIP changed at this exit. The exit and the entry cost about 630 cycles in the model.'],
      goTo: { type: 'vmexit', name: 'VMCALL' }, show: ['privilege', 'vmcs', 'cpu', 'timeline'],
    },
    {
      id: 'kernel', title: 'The module runs the system call',
      text: ['`vmx_handle_syscall` moves GUEST_RIP past the VMCALL and calls the kernel\'s system-call table with the guest\'s registers: getpid runs as if the process had called it.',
        'The `syscall` event says `via: vmcall`.'],
      goTo: { type: 'syscall', via: 'vmcall' }, show: ['privilege', 'vmcs', 'timeline'],
    },
    {
      id: 'entry', title: 'VM entry: back to the guest',
      text: ['VMRESUME loads the guest state from the VMCS; the stub jumps back to the instruction after SYSCALL. With VPIDs, neither the exit nor the entry flushed the TLB.'],
      goTo: { type: 'vmentry' }, show: ['privilege', 'cpu', 'timeline', 'tlb'],
    },
    {
      id: 'linux', title: 'The same call from a Linux process',
      text: ['A Linux process makes the same call without leaving VMX root: SYSCALL enters the kernel in ring 0, SYSRET returns. Compare the cycles: about 138 here against about 895 in Dune (Table 2 of the paper).'],
      program: { source: LINUX }, goTo: { type: 'syscall', fromStart: true }, show: ['privilege', 'source', 'cpu', 'timeline'],
    },
  ],
};
