// The host kernel's virtual layout (kernel half of every process's address space) and selectors.
// Addresses are the model's 48-bit form of canonical kernel addresses (0xffffffff81000000 is
// stored as 0xffff81000000). World: VMX root kernel.

export const KERNEL = {
  /** Kernel text: the entry points (native routines), like Linux's _text at 0xffffffff81000000. */
  TEXT: 0xffff81000000,
  /** IDT (one page), GDT (one page), TSS (one page), and the per-process kernel stacks. */
  IDT: 0xffff82000000,
  GDT: 0xffff82001000,
  TSS: 0xffff82002000,
  STACKS: 0xffff82100000,
  /** Kernel stack size per process (two pages, THREAD_SIZE on 3.2 was 8 KiB). */
  STACK_SIZE: 0x2000,
  /** Linux's STAR: SYSRET base 0x23 (user CS 0x33, SS 0x2b), SYSCALL CS 0x10. */
  STAR: (0x23n << 48n) | (0x10n << 32n),
  /** Linux's SYSCALL RFLAGS mask: TF, DF, IF, IOPL, AC, NT. */
  FMASK: 0x47700n,
  TSS_SEL: 0x40,
} as const;

/** Native entry points in kernel text, by slot (each 16 bytes apart). */
export const ENTRY = {
  SYSCALL: 0,
  /** Exception vectors 0..31 at EXC + vector. */
  EXC: 1,
  /** VM-exit handler of the Dune module (HOST_RIP). */
  VMEXIT: 40,
  /** Return-to-user trampoline after exec. */
  RET_USER: 41,
  /** The local APIC timer interrupt (LOCAL_TIMER_VECTOR). */
  TIMER: 42,
} as const;

/** Linux's LOCAL_TIMER_VECTOR and HZ: the host timer interrupts every 1/HZ s (3.3 GHz / 250). */
export const TIMER_VECTOR = 0xef;
export const TIMER_PERIOD = 3_300_000_000 / 250;
export const entryVa = (slot: number) => KERNEL.TEXT + slot * 16;
