// Test bench for the hardware model: boots the machine with the host kernel, then either runs a
// Linux process, or builds a VMX guest by hand (guest page tables + an EPT + a VMCS) and
// records every VM exit. Hardware-level, independent of the Dune module.

import { assembleSource, Session } from '../../src/engine/session.ts';
import { Machine } from '../../src/engine/machine.ts';
import { Kernel } from '../../src/engine/kernel/kernel.ts';
import { KERNEL, ENTRY, entryVa } from '../../src/engine/kernel/layout.ts';
import { mapPage } from '../../src/engine/kernel/pgtable.ts';
import { eptMap, makeEptp } from '../../src/engine/ept/ept.ts';
import { decode, type Op } from '../../src/engine/cpu/decode.ts';
import { Vmcs } from '../../src/engine/vtx/vmcs.ts';
import { VMCS, PIN, PROC, PROC2, EXIT_CTL, ENTRY_CTL, EXIT_NAME } from '../../src/engine/arch/vmx.ts';
import { CR0, CR4, EFER, SEL } from '../../src/engine/arch/x86.ts';
import { ArraySink, type TraceEvent } from '../../src/engine/trace/events.ts';
import { RAX, RDI } from '../../src/engine/asm/ir.ts';
import type { Knobs } from '../../src/engine/mmu/mmu.ts';
import type { Program } from '../../src/engine/asm/ir.ts';

export function asm(src: string): Program {
  const a = assembleSource(src, 't.s');
  if (!a.ok) throw new Error(a.diagnostics);
  return a.program;
}

/** Run a program as a Linux process; returns the session and its events. */
export function runLinux(src: string, opts: { knobs?: Partial<Knobs>; budget?: number; stdin?: string } = {}) {
  const sink = new ArraySink();
  const s = new Session(asm(src), { sink, knobs: opts.knobs, stdin: opts.stdin });
  const status = s.run(opts.budget ?? 1_000_000);
  return { s, m: s.machine, k: s.kernel, status, events: sink.events, stdout: s.stdout() };
}

export interface ExitRec { reason: number; name: string; qual: number; gpa: number; gla: number; len: number; intrInfo: number; rip: number }

export interface GuestOpts {
  /** Guest CPL (CS 0x10 or 0x33); default 0. */
  cpl?: 0 | 3;
  knobs?: Partial<Knobs>;
  eptAd?: boolean;
  /** VPID; 0 disables "enable VPID". Default 1. */
  vpid?: number;
  hltExiting?: boolean;
  invlpgExiting?: boolean;
  excBitmap?: number;
  cr0Mask?: number; cr4Mask?: number;
  /** MSRs whose reads and writes do not exit (the rest do). */
  msrPass?: number[];
  pcide?: boolean;
  /** Guest-physical = host-physical + gpaOffset for every guest frame (default 0: identity EPT).
   *  A non-zero offset makes a swap of gPA and hPA anywhere visible. */
  gpaOffset?: number;
  /** Leave these guest pages out of the EPT (by guest-physical page address). */
  eptHoles?: (gpa: number) => boolean;
  /** VMCALL handling: default treats rax=60 as exit(rdi) and otherwise resumes with rax = 0. */
  onExit?: (g: Guest, e: ExitRec) => 'resume' | 'stop';
  stackPages?: number;
}

export interface Guest {
  m: Machine; k: Kernel; prog: Program; events: TraceEvent[]; exits: ExitRec[];
  eptRoot: number; eptp: number;
  /** Guest CR3 (a guest-physical address). */
  gcr3: number;
  /** Guest-physical address backing a guest-virtual page (its host-physical one: hpa()). */
  gpaOf: Map<number, number>;
  /** The host-physical address the EPT maps a guest-physical address to. */
  hpa(gpa: number): number;
  run(budget?: number): void;
  resume(): void;
}

const STACK_TOP = 0x7ffffffff000;

/** Build a VMX guest running `src` with its own page tables and an EPT mapping each guest frame
 *  to the host frame gpaOffset below it (identity by default). */
export function makeGuest(src: string, o: GuestOpts = {}): Guest {
  const prog = asm(src);
  const m = new Machine({ knobs: o.knobs });
  const k = new Kernel(m);
  const mem = m.mem;
  const sink = new ArraySink();
  const gpaOf = new Map<number, number>();
  const off = o.gpaOffset ?? 0;
  const firstFrame = mem.alloc(); mem.release(firstFrame);
  // Guest page tables (GPA = HPA: the EPT below is an identity map of the guest's frames).
  const gcr3 = mem.alloc() * 4096;
  const put = (va: number, bytes: Uint8Array | null, ops: (Op | undefined)[] | null, w: boolean, x: boolean) => {
    const fn = mem.alloc();
    const f = mem.wframe(fn);
    if (bytes) f.u8.set(bytes.subarray(0, 4096));
    f.code = ops;
    mapPage(mem, gcr3, va, fn, { w, u: o.cpl === 3, x });
    gpaOf.set(va, fn * 4096 + off);
  };
  const byPage = (base: number, bytes: Uint8Array, withOps: boolean, w: boolean, x: boolean) => {
    for (let off = 0; off < Math.max(bytes.length, 1); off += 4096) {
      const va = base + off;
      const ops: (Op | undefined)[] = [];
      if (withOps) for (const ins of prog.instrs) if (ins.addr >= va && ins.addr < va + 4096) ops[ins.addr - va] = decode(ins);
      put(va, bytes.subarray(off, off + 4096), withOps ? ops : null, w, x);
    }
  };
  byPage(prog.text.base, prog.text.bytes, true, false, true);
  const dataLen = Math.max(prog.data.bytes.length, prog.bss.base + prog.bss.size - prog.data.base, 1);
  const data = new Uint8Array(Math.ceil(dataLen / 4096) * 4096); data.set(prog.data.bytes);
  byPage(prog.data.base, data, false, true, false);
  for (let i = 1; i <= (o.stackPages ?? 4); i++) put(STACK_TOP - i * 4096, null, null, true, false);
  const lastFrame = mem.alloc(); mem.release(lastFrame);

  // The tables were built with host frame addresses: move every entry up by the offset.
  const relocate = (table: number, level: number) => {
    for (let i = 0; i < 512; i++) {
      const e = mem.read64(table + i * 8);
      if (!(e & 1n)) continue;
      mem.write64(table + i * 8, e + BigInt(off));
      if (level > 1) relocate(Number(e & 0xffffffffff000n), level - 1);
    }
  };
  if (off) relocate(gcr3, 4);
  // The EPT over the guest's frames: GPA fn * 4096 + off -> HPA fn * 4096.
  const eptRoot = mem.alloc() * 4096;
  for (let fn = firstFrame; fn < lastFrame; fn++) {
    if (o.eptHoles?.(fn * 4096 + off)) continue;
    eptMap(mem, eptRoot, fn * 4096 + off, fn * 4096, { r: true, w: true, x: true });
  }
  const eptp = makeEptp(eptRoot, o.eptAd ?? m.knobs.eptAd);

  // MSR bitmap: all exits except o.msrPass.
  const bitmap = mem.alloc() * 4096;
  for (let i = 0; i < 4096; i++) mem.write8(bitmap + i, 0xff);
  for (const msr of o.msrPass ?? []) {
    const hiRange = msr >= 0xc0000000, i = msr - (hiRange ? 0xc0000000 : 0);
    for (const base of [hiRange ? 0x400 : 0, hiRange ? 0xc00 : 0x800]) {
      const a = bitmap + base + (i >> 3);
      mem.write8(a, mem.read8(a) & ~(1 << (i & 7)));
    }
  }

  const vx = m.vmx;
  const v = new Vmcs(1);
  vx.vmclear(v); vx.vmptrld(v);
  const c = m.cpu;
  const w = (f: keyof typeof VMCS, val: number | bigint) => { const r = vx.vmwrite(VMCS[f], BigInt(val)); if (!r.ok) throw new Error(r.message); };
  const vpid = o.vpid ?? 1;
  w('PIN_BASED_VM_EXEC_CONTROL', PIN.EXT_INTR_EXITING | PIN.NMI_EXITING);
  w('CPU_BASED_VM_EXEC_CONTROL', PROC.ACTIVATE_SECONDARY_CONTROLS | PROC.USE_MSR_BITMAPS | (o.hltExiting ? PROC.HLT_EXITING : 0) | (o.invlpgExiting ? PROC.INVLPG_EXITING : 0));
  w('SECONDARY_VM_EXEC_CONTROL', PROC2.ENABLE_EPT | (vpid ? PROC2.ENABLE_VPID : 0));
  w('VIRTUAL_PROCESSOR_ID', vpid);
  w('EPT_POINTER', eptp);
  w('MSR_BITMAP', bitmap);
  w('EXCEPTION_BITMAP', o.excBitmap ?? 0);
  w('CR0_GUEST_HOST_MASK', o.cr0Mask ?? 0); w('CR4_GUEST_HOST_MASK', o.cr4Mask ?? 0);
  const gcr0 = (CR0.PE | CR0.PG | CR0.WP | CR0.NE | CR0.ET | CR0.MP) >>> 0;
  const gcr4 = CR4.PAE | CR4.PGE | CR4.VMXE | (o.pcide ? CR4.PCIDE : 0);
  w('CR0_READ_SHADOW', gcr0); w('CR4_READ_SHADOW', gcr4 & ~CR4.VMXE);
  w('VM_EXIT_CONTROLS', EXIT_CTL.HOST_ADDR_SPACE_SIZE | EXIT_CTL.ACK_INTR_ON_EXIT);
  w('VM_ENTRY_CONTROLS', ENTRY_CTL.IA32E_MODE);
  w('VMCS_LINK_POINTER', 0xffffffffffffffffn);
  w('GUEST_CR0', gcr0); w('GUEST_CR3', gcr3 + off); w('GUEST_CR4', gcr4);
  w('GUEST_IA32_EFER', EFER.LME | EFER.LMA | EFER.SCE | EFER.NXE);
  w('GUEST_CS_SELECTOR', o.cpl === 3 ? SEL.USER_CS : SEL.KERNEL_CS);
  w('GUEST_SS_SELECTOR', o.cpl === 3 ? SEL.USER_DS : SEL.KERNEL_DS);
  w('GUEST_RIP', prog.entry); w('GUEST_RSP', STACK_TOP); w('GUEST_RFLAGS', 2);
  w('HOST_CR0', c.cr0); w('HOST_CR3', c.cr3); w('HOST_CR4', c.cr4);
  w('HOST_CS_SELECTOR', SEL.KERNEL_CS); w('HOST_SS_SELECTOR', SEL.KERNEL_DS); w('HOST_TR_SELECTOR', KERNEL.TSS_SEL);
  w('HOST_TR_BASE', BigInt(KERNEL.TSS) | 0xffff000000000000n);
  w('HOST_GDTR_BASE', BigInt(KERNEL.GDT) | 0xffff000000000000n);
  w('HOST_IDTR_BASE', BigInt(KERNEL.IDT) | 0xffff000000000000n);
  w('HOST_RIP', BigInt(entryVa(ENTRY.VMEXIT)) | 0xffff000000000000n);
  w('HOST_RSP', BigInt(KERNEL.STACKS + 0x1000) | 0xffff000000000000n);

  const exits: ExitRec[] = [];
  const g: Guest = {
    m, k, prog, events: sink.events, exits, eptRoot, eptp, gcr3: gcr3 + off, gpaOf, hpa: (gpa) => gpa - off,
    run(budget = 100_000) { m.run(budget); },
    resume() { const r = vx.vmresume(); if (!r.ok) throw new Error(r.message); },
  };
  const handler = () => {
    const cur = vx.current!;
    const rd = (f: keyof typeof VMCS) => Number(cur.read(VMCS[f]));
    const e: ExitRec = { reason: rd('VM_EXIT_REASON') & 0xffff, name: '', qual: rd('EXIT_QUALIFICATION'), gpa: rd('GUEST_PHYSICAL_ADDRESS'),
      gla: Number(BigInt.asUintN(48, cur.read(VMCS.GUEST_LINEAR_ADDRESS))), len: rd('VM_EXIT_INSTRUCTION_LEN'), intrInfo: rd('VM_EXIT_INTR_INFO'),
      rip: Number(BigInt.asUintN(48, cur.read(VMCS.GUEST_RIP))) };
    e.name = EXIT_NAME[e.reason];
    exits.push(e);
    const verdict = o.onExit ? o.onExit(g, e) : e.reason === 18 ? (c.lo[RAX] === 60 ? 'stop' : 'resume') : e.reason === 10 ? 'resume' : 'stop';
    if (verdict === 'stop') { m.exit(e.reason === 18 && c.lo[RAX] === 60 ? c.lo[RDI] : 200 + e.reason, 'exit'); return; }
    if (e.reason === 18 || e.reason === 10 || e.reason === 12 || e.reason === 31 || e.reason === 32 || e.reason === 28 || e.reason === 14) {
      vx.vmwrite(VMCS.GUEST_RIP, cur.read(VMCS.GUEST_RIP) + BigInt(e.len));
      if (e.reason === 18) c.set(RAX, 0n);
    }
    g.resume();
  };
  for (let r = 0; r < 65; r++) k.exitHandlers[r] = handler;
  m.attach(sink);
  const r = vx.vmlaunch();
  if (!r.ok) throw new Error(r.message);
  return g;
}


export const ofType = <T extends TraceEvent['type']>(ev: TraceEvent[], t: T) =>
  ev.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === t);
