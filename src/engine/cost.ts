// The cycle-cost model: one table of primitive costs from which every modelled cycle count is
// summed (docs/cost-model.md gives each figure's source or reasoning). Calibrated against the
// paper's machine (Ivy Bridge Xeon E3-1230 v2, 3.3 GHz). World: all; pure data.

export interface CostModel {
  /** An instruction retires (ALU/branch; CPI ~1 for the simple integer ops modelled). */
  instr: number;
  /** Extra cycles for a data memory operand that hits the TLB (an L1 load-to-use, pipelined). */
  dataAccess: number;
  /** Extra cycles for DIV (64-bit divide latency) and IMUL. */
  div: number;
  imul: number;
  /** One iteration of a string instruction (MOVS/STOS/LODS/CMPS/SCAS, repeated or not), besides
   *  its data accesses (dataAccess each); the instruction's own `instr` is charged once. */
  stringIter: number;
  /** Page-walk reference served by L1D, L2, LLC, DRAM (walker latency per reference). */
  walkRef: readonly [number, number, number, number];
  /** Fixed cost of a TLB miss besides its references (walker start-up, fill). */
  tlbMiss: number;
  /** Extra cycles per EPT reference of a two-dimensional walk: each is issued after the guest
   *  reference that produced its address, with no overlap. */
  eptRef: number;
  /** Exception or interrupt delivery through the IDT (fetch gate, push frame, branch). */
  exception: number;
  /** IRETQ (serialising return). */
  iret: number;
  /** SYSCALL and SYSRET (MSR-based fast system call entry/exit). */
  syscall: number;
  sysret: number;
  /** VM exit and VM entry: the hardware world switch (state save/load), each way. */
  vmexit: number;
  vmentry: number;
  /** Serialising or microcoded instructions. */
  cpuid: number;
  rdtsc: number;
  wrmsr: number;
  rdmsr: number;
  movCr3: number;
  invlpg: number;
  /** Host-kernel work, charged by the simulated kernel for work it does in TypeScript. */
  kernel: {
    /** Entry/exit glue of the system-call path (register save, dispatch, restore). */
    syscallPath: number;
    /** A trivial system call's body (getpid). */
    getpid: number;
    /** Page-fault handler path: find the VMA, allocate a page. */
    faultPath: number;
    /** Zeroing or copying one 4 KiB page. */
    pageZero: number;
    /** Per byte written to the terminal (copy_from_user + tty). */
    writeByte: number;
    /** Fixed cost of a write() to the terminal. */
    write: number;
    /** schedule() + switch_mm (CR3 reload) + switch_to between two processes. */
    contextSwitch: number;
    /** Setting up a signal: do_signal, get_sigframe, save FPU state, copy the rt_sigframe out. */
    signalDeliver: number;
    /** rt_sigreturn's body: copy the frame in, restore registers, FPU state and the mask. */
    signalReturn: number;
    /** A ptrace stop and its resume: ptrace_stop, SIGCHLD and wakeup of the tracer, do_wait's
     *  scan, ptrace_resume and wake_up_state (the two context switches are charged apart). */
    ptraceStop: number;
    /** A timer tick's handler (update_process_times, scheduler_tick, APIC EOI). */
    timerTick: number;
    /** mprotect's fixed work: find and split/merge the VMAs, take mmap_sem, change_protection setup. */
    mprotect: number;
    /** mprotect per page: rewrite one PTE (the TLB flush is charged per INVLPG). */
    mprotectPage: number;
  };
  /** The Dune module's work in VMX root (kern/vmx.c, kern/ept.c). */
  dune: {
    /** vmx_handle_syscall around the system call: read guest registers, bounds-check, dispatch, write rax. */
    vmcallPath: number;
    /** vmx_do_ept_fault: GPA -> HVA, get_user_pages_fast, ept_set_epte (besides any host page fault). */
    eptFault: number;
    /** The exit-handler dispatch in vmx_launch's loop, per exit. */
    exitDispatch: number;
  };
}

export const DEFAULT_COSTS: CostModel = {
  instr: 1,
  dataAccess: 1,
  div: 40,
  imul: 3,
  stringIter: 1,
  walkRef: [4, 12, 30, 180],
  tlbMiss: 11,
  eptRef: 3,
  exception: 300,
  iret: 150,
  syscall: 35,
  sysret: 35,
  vmexit: 320,
  vmentry: 310,
  cpuid: 100,
  rdtsc: 25,
  wrmsr: 100,
  rdmsr: 80,
  movCr3: 50,
  invlpg: 60,
  kernel: {
    syscallPath: 48,
    getpid: 20,
    faultPath: 1400,
    pageZero: 800,
    writeByte: 2,
    write: 400,
    contextSwitch: 1500,
    signalDeliver: 500,
    signalReturn: 210,
    ptraceStop: 10000,
    timerTick: 1200,
    mprotect: 1850,
    mprotectPage: 40,
  },
  dune: {
    vmcallPath: 115,
    eptFault: 2000,
    exitDispatch: 130,
  },
};
