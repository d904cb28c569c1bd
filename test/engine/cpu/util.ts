// Helpers for the CPU and VMX oracle tests: single-stepping a loaded program, reading guest
// memory, building a guest IDT/GDT/TSS in .data, and the sets of frames a process or guest maps.

import { runLinux, type Guest } from '../harness.ts';
import { runBatch } from '../../../src/engine/cpu/exec.ts';
import { VMCS } from '../../../src/engine/arch/vmx.ts';
import type { Machine } from '../../../src/engine/machine.ts';
import { HOT } from '../../../src/engine/cpu/block.ts';

export const M64 = (1n << 64n) - 1n;
export const u64 = (v: bigint) => BigInt.asUintN(64, v);
export const s64 = (v: bigint) => BigInt.asIntN(64, v);

/** A Linux process loaded but not started: set registers, jump to a label, run n instructions. */
export function stepper(src: string) {
  const r = runLinux(src, { budget: 0 });
  const m = r.m, c = m.cpu;
  const sym = (name: string) => {
    const v = r.s.program.symbols.get(name);
    if (v === undefined) throw new Error(`no symbol ${name}`);
    return Number(v);
  };
  return {
    ...r, sym,
    /** Run `n` instructions starting at `label` (faults propagate as the engine's own objects). */
    at(label: string, regs: Record<number, bigint> = {}, n = 1) {
      for (const [k, v] of Object.entries(regs)) c.set(Number(k), v);
      c.rip = sym(label);
      runBatch(m, n);
      return c;
    },
  };
}

/** Read `size` bytes at guest-virtual va of a hand-built guest (its frames are identity-mapped). */
export function gread(g: Guest, va: number, size = 8): bigint {
  const page = va - (va % 4096);
  const pa = g.gpaOf.get(page);
  if (pa === undefined) throw new Error(`guest page ${va.toString(16)} not mapped`);
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(g.m.mem.read8(pa + (va % 4096) + i));
  return v;
}
export const gsym = (g: Guest, name: string) => Number(g.prog.symbols.get(name)!);
export const vmcs = (g: Guest, f: keyof typeof VMCS) => g.m.vmx.current!.read(VMCS[f]);

/** `.quad` lines of a 16-byte IA-32e gate to label `h` (type 0xE interrupt, 0xF trap). */
export function gate(h: string, opts: { type?: number; dpl?: number; present?: boolean; ist?: number; sel?: number } = {}) {
  const { type = 0xe, dpl = 0, present = true, ist = 0, sel = 0x10 } = opts;
  return `  .quad (${h} & 0xffff) | (${sel} << 16) | (${ist} << 32) | (${type} << 40) | (${dpl} << 45) | (${present ? 1 : 0} << 47) | (((${h} >> 16) & 0xffff) << 48)\n  .quad ${h} >> 32\n`;
}

/** An IDT in .data: `gates` maps vectors to gate text (from `gate`); the rest are empty (not present). */
export function idt(gates: Record<number, string>, n = 256) {
  let s = '.data\n.align 16\nidt:\n';
  for (let v = 0; v < n; v++) s += gates[v] ?? '  .quad 0, 0\n';
  s += `idt_end:\nidtr: .word idt_end - idt - 1\n  .quad idt\n`;
  return s;
}

/** A GDT with Linux's selectors and a 64-bit TSS descriptor at 0x40, a TSS whose RSP0 is
 *  `kstack_top`, and the kernel stack. */
export const GDT_TSS = `.data
.align 16
gdt:
  .quad 0, 0, 0x00af9b000000ffff, 0x00cf93000000ffff, 0x00cffb000000ffff, 0x00cff3000000ffff, 0x00affb000000ffff, 0
  .quad 0x67 | ((tss & 0xffffff) << 16) | (0x89 << 40) | (((tss >> 24) & 0xff) << 56)
  .quad tss >> 32
gdt_end:
gdtr: .word gdt_end - gdt - 1
  .quad gdt
.align 16
tss: .long 0
  .quad kstack_top
  .zero 0x68 - 12
.align 16
kstack: .zero 1024
kstack_top:
`;

/** Frames (page numbers) reachable through a 4-level page table rooted at `root`: leaf targets. */
export function ptFrames(m: Machine, root: number): Set<number> {
  const out = new Set<number>();
  const mem = m.mem;
  const walk = (table: number, level: number) => {
    for (let i = 0; i < 512; i++) {
      const lo = mem.read32(table + i * 8), hi = mem.read32(table + i * 8 + 4);
      if (!(lo & 1)) continue;
      const addr = (hi & 0xfffff) * 2 ** 32 + ((lo & 0xfffff000) >>> 0);
      if (level === 1) out.add(addr / 4096);
      else if (level === 2 && (lo & 0x80)) for (let k = 0; k < 512; k++) out.add(addr / 4096 + k);
      else walk(addr, level - 1);
    }
  };
  walk(root - (root % 4096), 4);
  return out;
}

/** Frames an EPT maps (leaf targets with any of R/W/X). */
export function eptFrames(m: Machine, eptp: number): Set<number> {
  const out = new Set<number>();
  const mem = m.mem;
  const walk = (table: number, level: number) => {
    for (let i = 0; i < 512; i++) {
      const lo = mem.read32(table + i * 8), hi = mem.read32(table + i * 8 + 4);
      if (!(lo & 7)) continue;
      const addr = (hi & 0xfffff) * 2 ** 32 + ((lo & 0xfffff000) >>> 0);
      if (level === 1) out.add(addr / 4096);
      else if (level === 2 && (lo & 0x80)) for (let k = 0; k < 512; k++) out.add(addr / 4096 + k);
      else walk(addr, level - 1);
    }
  };
  walk(Math.floor(eptp / 4096) * 4096, 4);
  return out;
}

/** Marks every decoded op in the machine's memory hot (block.ts HOT), so runBatch builds and runs
 *  its check-free blocks from the first fetch (code run once otherwise never gets one). */
export function hotBlocks(m: Machine) {
  for (const f of m.mem.frames) for (const op of f?.code ?? []) if (op) op.hits = HOT;
}
