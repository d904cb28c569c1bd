// Host kernel boot: the kernel half of the address space, the IDT (gates to native handlers), the
// GDT with Linux's selectors and a 64-bit TSS, SYSCALL MSRs, control registers, and VMXON (the
// Dune module is loaded). SDM Vol. 3A "Interrupt Descriptor Table (64-bit)", "Task Management
// in 64-bit Mode", "Fast System Calls in 64-Bit Mode". World: VMX root kernel, ring 0.

import { CR0, CR4, EFER, MSR, RFLAGS, SEL } from '../arch/x86.ts';
import { KERNEL, ENTRY, entryVa, TIMER_VECTOR, TIMER_PERIOD } from './layout.ts';
import { mapPage } from './pgtable.ts';
import { nativeOp, type Op } from '../cpu/decode.ts';
import type { Machine } from '../machine.ts';

export interface Natives {
  syscall: (m: Machine) => void;
  exception: (vector: number) => (m: Machine) => void;
  vmexit: (m: Machine) => void;
  timer: (m: Machine) => void;
}

/** Lay out kernel memory in a fresh master PML4 and return it (host-physical address). */
export function bootKernel(m: Machine, natives: Natives): number {
  const mem = m.mem, c = m.cpu;
  const root = mem.alloc() * 4096;
  // Kernel text: one page of native entry points (supervisor, executable, global).
  const text = mem.alloc();
  mapPage(mem, root, KERNEL.TEXT, text, { w: false, u: false, x: true, g: true });
  const code: (Op | undefined)[] = [];
  const put = (slot: number, name: string, fn: (m: Machine) => void) => {
    code[slot * 16] = nativeOp(entryVa(slot), name, fn as (m: never) => void);
  };
  put(ENTRY.SYSCALL, 'entry_SYSCALL_64', natives.syscall);
  for (let v = 0; v < 32; v++) put(ENTRY.EXC + v, `exc_vector_${v}`, natives.exception(v));
  put(ENTRY.VMEXIT, 'vmx_exit_handler', natives.vmexit);
  put(ENTRY.TIMER, 'apic_timer_interrupt', natives.timer);
  mem.wframe(text).code = code;

  // IDT, GDT, TSS pages (supervisor, read-write, no-execute, global).
  for (const va of [KERNEL.IDT, KERNEL.GDT, KERNEL.TSS]) mapPage(mem, root, va, mem.alloc(), { w: true, u: false, x: false, g: true });
  c.cr0 = (CR0.PE | CR0.MP | CR0.ET | CR0.NE | CR0.WP | CR0.PG) >>> 0;
  c.cr4 = CR4.PAE | CR4.PGE | CR4.OSFXSR | CR4.OSXMMEXCPT;
  c.efer = EFER.SCE | EFER.LME | EFER.LMA | EFER.NXE;
  c.cs = SEL.KERNEL_CS; c.ss = SEL.KERNEL_DS;
  c.cr3 = root;
  m.refresh();

  // IDT: 64-bit interrupt gates to the exception entry points; #BP is DPL 3 (int3 from user).
  for (let v = 0; v < 32; v++) writeGate(m, KERNEL.IDT, v, entryVa(ENTRY.EXC + v), SEL.KERNEL_CS, v === 3 ? 3 : 0, 0);
  writeGate(m, KERNEL.IDT, TIMER_VECTOR, entryVa(ENTRY.TIMER), SEL.KERNEL_CS, 0, 0);
  m.timerAt = m.cycles + TIMER_PERIOD;
  c.idtrBase = KERNEL.IDT; c.idtrLimit = 256 * 16 - 1;
  // GDT: null, -, kernel CS (0x10), kernel DS (0x18), user32 CS (0x23), user DS (0x2b), user CS (0x33), -, TSS (0x40).
  const gdt: [number, number][] = [[0, 0], [0, 0], [0, 0x00af9b00], [0, 0x00cf9300], [0, 0x00cffb00], [0, 0x00cff300], [0, 0x00affb00], [0, 0]];
  gdt.forEach(([lo, hi], i) => { m.store(KERNEL.GDT + i * 8, 4, lo, 0, true); m.store(KERNEL.GDT + i * 8 + 4, 4, hi, 0, true); });
  writeTssDescriptor(m, KERNEL.GDT + KERNEL.TSS_SEL, KERNEL.TSS, 0x67);
  c.gdtrBase = KERNEL.GDT; c.gdtrLimit = 0x4f;
  c.tr = KERNEL.TSS_SEL; c.trBase = KERNEL.TSS;
  // SYSCALL MSRs.
  c.msr.set(MSR.IA32_STAR, KERNEL.STAR);
  c.msr.set(MSR.IA32_LSTAR, BigInt(entryVa(ENTRY.SYSCALL)) | 0xffff000000000000n);
  c.msr.set(MSR.IA32_FMASK, KERNEL.FMASK);
  c.setRflags(RFLAGS.FIXED);
  // The Dune module is loaded: CR4.VMXE and VMXON.
  c.cr4 |= CR4.VMXE;
  m.vmx.vmxon();
  m.refresh();
  return root;
}

/** A 16-byte IA-32e interrupt gate (type 0xE). */
export function writeGate(m: Machine, idt: number, vec: number, target: number, sel: number, dpl: number, ist: number, type = 0xe) {
  const hiOff = Math.floor(target / 2 ** 32);
  const canonHigh = (hiOff & 0x8000 ? hiOff | 0xffff0000 : hiOff) >>> 0;
  const lo = ((sel << 16) | (target & 0xffff)) >>> 0;
  const hi = ((target & 0xffff0000) | 0x8000 | (dpl << 13) | (type << 8) | (ist & 7)) >>> 0;
  m.store(idt + vec * 16, 4, lo, 0, true);
  m.store(idt + vec * 16 + 4, 4, hi, 0, true);
  m.store(idt + vec * 16 + 8, 4, canonHigh, 0, true);
  m.store(idt + vec * 16 + 12, 4, 0, 0, true);
}

/** A 16-byte available 64-bit TSS descriptor (type 9). */
export function writeTssDescriptor(m: Machine, at: number, base: number, limit: number) {
  const b = base >>> 0, bh = Math.floor(base / 2 ** 32);
  m.store(at, 4, ((b & 0xffff) << 16 | (limit & 0xffff)) >>> 0, 0, true);
  m.store(at + 4, 4, ((b & 0xff000000) | 0x8900 | ((b >>> 16) & 0xff)) >>> 0, 0, true);
  m.store(at + 8, 4, ((bh & 0x8000 ? bh | 0xffff0000 : bh) >>> 0), 0, true);
  m.store(at + 12, 4, 0, 0, true);
}
