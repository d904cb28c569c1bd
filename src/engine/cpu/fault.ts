// Faults thrown out of an instruction: an exception to deliver, or a VM exit the hardware takes
// instead (SDM Vol. 3A "Interrupt and Exception Handling"; Vol. 3C "VM Exits"). The CPU's step
// loop catches them; the instruction then has no architectural effect (fault-like).

export class CpuFault {
  constructor(
    readonly vector: number,
    /** Error code pushed with the exception, or null when the vector has none. */
    readonly error: number | null,
    /** CR2 for #PF (a 48-bit linear address). */
    readonly cr2: number = 0,
    /** Why, in words, for diagnostics. */
    readonly why = '',
  ) {}
}

export class VmExit {
  /** IDT-vectoring information: the event whose delivery this exit interrupted (0: none). */
  idtInfo = 0;
  idtError = 0;
  idtInstrLen = 0;
  constructor(
    readonly reason: number,
    readonly qual = 0,
    readonly gpa: number | null = null,
    readonly gla: number | null = null,
    /** VM-exit instruction length for instruction-caused exits, else 0. */
    readonly instrLen = 0,
    /** VM-exit interruption information (exception or NMI exits), else 0. */
    readonly intrInfo = 0,
    readonly intrError = 0,
  ) {}
}

/** The whole machine stops: the kernel's verdict (process exit, kill) or an engine limit. */
export class Halt {
  constructor(readonly why: 'exit' | 'budget' | 'idle' | 'breakpoint') {}
}
