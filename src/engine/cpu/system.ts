// System instructions: SYSCALL/SYSRET, INT n, IRETQ, HLT, CPUID, RDTSC, RDMSR/WRMSR, VMCALL,
// INVLPG, CLI/STI, LIDT/LGDT/LTR, MOV to/from CR0/CR2/CR3/CR4; with the CPL checks (#GP) and
// the VM exits the SDM gives them in VMX non-root. SDM Vol. 2 instruction pages; Vol. 3C
// "Instructions That Cause VM Exits Conditionally/Unconditionally". World: hardware.

import { VEC, RFLAGS, MSR, CR4, EFER, SEL } from '../arch/x86.ts';
import { EXIT_REASON, PROC } from '../arch/vmx.ts';
import { CpuFault, VmExit } from './fault.ts';
import { OPC, type Op, type MemRef } from './decode.ts';
import { linear, canonHi, type CpuState, type MsrMap } from './state.ts';
import { deliver } from './interrupts.ts';
import { RAX, RCX, RDX, RBX, RSP, R11 } from '../asm/ir.ts';
import { hexVa, hex, KIND_BIT } from '../trace/events.ts';
import type { Machine } from '../machine.ts';

const { CLI, CPUID, HLT, INT, INT3, INVLPG, IRETQ, LGDT, LIDT, LTR, RDMSR, RDTSC, STI, SYSCALL, SYSRET, UD2, VMCALL, WRMSR } = OPC;

const RING = KIND_BIT.ring;
const STATUS_FLAGS = RFLAGS.CF | RFLAGS.PF | RFLAGS.AF | RFLAGS.ZF | RFLAGS.SF | RFLAGS.OF;
const gp = (why: string) => new CpuFault(VEC.GP, 0, 0, why);
const P32 = 4294967296;

function memVa(m: Machine, r: MemRef): number {
  const c = m.cpu;
  let v = BigInt.asUintN(64, (BigInt(r.dhi) << 32n) | BigInt(r.dlo));
  if (r.base >= 0) v += c.get(r.base);
  if (r.index >= 0) v += c.get(r.index) << BigInt(r.shift);
  v = BigInt.asUintN(64, v);
  return m.ea(Number(v & 0xffffffffn), Number(v >> 32n));
}

/** #GP(0) for a privileged instruction at CPL 3. */
function privileged(m: Machine, what: string) {
  if (m.cpu.cpl !== 0) throw gp(`${what} at CPL 3 (privileged instruction)`);
}

/** SYSCALL's and SYSRET's view of STAR, LSTAR and FMASK (SYSCALL's CS, entry RIP and flag mask;
 *  SYSRET's selector base), decoded from the MSRs of `map` after its `writes`-th write: decoded
 *  again after any MSR write or for another CPU's MSRs. Speed only. */
const SC = { map: null as MsrMap | null, writes: -1, cs: 0, rip: 0, mask: 0, base: 0 };
function decodeSyscallMsrs(c: CpuState) {
  const star = c.msrGet(MSR.IA32_STAR), lstar = c.msrGet(MSR.IA32_LSTAR), fmask = c.msrGet(MSR.IA32_FMASK);
  SC.map = c.msr; SC.writes = c.msr.writes;
  SC.cs = Number((star >> 32n) & 0xfffcn); SC.rip = Number(BigInt.asUintN(48, lstar)); SC.mask = Number(fmask & 0xffffffffn);
  SC.base = Number((star >> 48n) & 0xffffn);
}

export function exec(m: Machine, op: Op, next: number) {
  const c = m.cpu, costs = m.costs, v = m.vmx;
  switch (op.code) {
    case SYSCALL: {
      if (!(c.efer & EFER.SCE)) throw new CpuFault(VEC.UD, null, 0, 'SYSCALL with EFER.SCE = 0');
      if (c.msr !== SC.map || c.msr.writes !== SC.writes) decodeSyscallMsrs(c);
      c.setVa(RCX, next);
      const fl = c.rflags();
      c.lo[R11] = fl; c.hi[R11] = 0;
      const from = c.cpl;
      // RFLAGS &= ~FMASK; the status flags (CpuState's own fields) change only if FMASK names one.
      if (SC.mask & STATUS_FLAGS) c.setRflags(fl & ~SC.mask); else c.rf = ((fl & ~SC.mask) | RFLAGS.FIXED) >>> 0;
      c.cs = SC.cs; c.ss = c.cs + 8;
      c.rip = SC.rip;
      m.cycles += costs.syscall;
      m.refreshCpl();
      if (from !== 0) { if (m.wantsBit(RING)) m.emit({ type: 'ring', from, to: 0, via: 'syscall' }); else m.noteBit('ring', RING); }
      return;
    }
    case SYSRET:
      // SDM SYSRET: #UD when EFER.SCE = 0 comes before the CPL check.
      if (!(c.efer & EFER.SCE)) throw new CpuFault(VEC.UD, null, 0, 'SYSRET with EFER.SCE = 0');
      privileged(m, 'SYSRET'); sysret(m); return;
    // RIP stays at the INT instruction while delivering: a fault during delivery (#GP for the gate
    // DPL, #NP, ...) and a VM exit for INT3 report the INT itself; the frame holds `next`.
    case INT: deliver(m, op.imm, null, 0, 'soft', '', next); return;
    case INT3: deliver(m, VEC.BP, null, 0, 'soft', '', next); return;
    case IRETQ: iret(m); return;
    case HLT:
      privileged(m, 'HLT');
      if (v.nonRoot && (v.proc & PROC.HLT_EXITING)) throw new VmExit(EXIT_REASON.HLT, 0, null, null, op.len);
      c.rip = next; c.halted = true; return;
    case CPUID: {
      if (v.nonRoot) throw new VmExit(EXIT_REASON.CPUID, 0, null, null, op.len);
      cpuid(m); c.rip = next; m.cycles += costs.cpuid; return;
    }
    case RDTSC: {
      const tsc = BigInt(m.cycles) + (v.nonRoot && (v.proc & PROC.USE_TSC_OFFSETTING) ? v.tscOffset : 0n);
      c.set(RAX, tsc & 0xffffffffn); c.set(RDX, (tsc >> 32n) & 0xffffffffn);
      if (m.onRdtsc) m.onRdtsc(m);
      c.rip = next; m.cycles += costs.rdtsc; return;
    }
    case RDMSR: case WRMSR: {
      const write = op.code === WRMSR;
      privileged(m, write ? 'WRMSR' : 'RDMSR');
      const idx = c.lo[RCX];
      if (v.nonRoot && v.msrExits(idx, write)) throw new VmExit(write ? EXIT_REASON.WRMSR : EXIT_REASON.RDMSR, 0, null, null, op.len);
      if (write) wrmsr(m, idx, (BigInt(c.lo[RDX]) << 32n) | BigInt(c.lo[RAX]));
      else { const val = rdmsr(m, idx); c.set(RAX, val & 0xffffffffn); c.set(RDX, val >> 32n); }
      c.rip = next; m.cycles += write ? costs.wrmsr : costs.rdmsr; return;
    }
    case VMCALL:
      // SDM VMCALL: in non-root it always exits, whatever the CPL; in root, CPL > 0 is #GP.
      if (v.nonRoot) throw new VmExit(EXIT_REASON.VMCALL, 0, null, null, op.len);
      privileged(m, 'VMCALL');
      v.vmfail(1, 'vmcall-root');
      c.rip = next; return;
    case INVLPG: {
      privileged(m, 'INVLPG');
      const va = memVa(m, op.m!);
      if (v.nonRoot && (v.proc & PROC.INVLPG_EXITING)) throw new VmExit(EXIT_REASON.INVLPG, va, null, null, op.len);
      const vpid = v.nonRoot ? v.vpid : 0, pcid = (c.cr4 & CR4.PCIDE) ? c.cr3 % 4096 : 0;
      const n = m.mmu.invlpg(vpid, pcid, va);
      m.emit({ type: 'tlb', op: 'invlpg', vpid, pcid, va: hexVa(va), scope: 'page (+ paging-structure caches of the PCID)', entries: n });
      c.rip = next; m.cycles += costs.invlpg; return;
    }
    case CLI: case STI:
      if (c.cpl > ((c.rf >> 12) & 3)) throw gp(`${op.code === CLI ? 'CLI' : 'STI'} with CPL > IOPL`);
      if (op.code === CLI) c.rf &= ~RFLAGS.IF; else c.rf |= RFLAGS.IF;
      c.rip = next; return;
    case UD2: throw new CpuFault(VEC.UD, null, 0, 'UD2');
    case LIDT: case LGDT: {
      privileged(m, op.code === LIDT ? 'LIDT' : 'LGDT');
      const va = memVa(m, op.m!);
      m.load(va, 2); const limit = m.vlo;
      m.load(va + 2, 8);
      const base = linear(m.vlo, m.vhi);
      if (base < 0) throw gp('descriptor-table base not canonical');
      if (op.code === LIDT) { c.idtrBase = base; c.idtrLimit = limit; } else { c.gdtrBase = base; c.gdtrLimit = limit; }
      c.rip = next; return;
    }
    case LTR: ltr(m, c.lo[op.s] & 0xffff); c.rip = next; return;
    default:
      throw new CpuFault(VEC.UD, null, 0, `no semantics for ${op.name}`);
  }
}

/** SYSRETQ to 64-bit user mode: RIP = RCX, RFLAGS = R11 (masked), CS/SS from STAR[63:48]. */
export function sysret(m: Machine) {
  const c = m.cpu;
  const target = c.va(RCX);
  if (target < 0) throw gp('SYSRET to a non-canonical RCX');
  if (c.msr !== SC.map || c.msr.writes !== SC.writes) decodeSyscallMsrs(c);
  const base = SC.base;
  c.setRflags((c.lo[R11] & 0x3c7fd7) | RFLAGS.FIXED);
  c.cs = (base + 16) | 3; c.ss = (base + 8) | 3;
  c.rip = target;
  m.cycles += m.costs.sysret;
  m.refreshCpl();
  if (m.wantsBit(RING)) m.emit({ type: 'ring', from: 0, to: 3, via: 'sysret' }); else m.noteBit('ring', RING);
}

/** IRETQ in 64-bit mode: pop RIP, CS, RFLAGS, RSP, SS. */
export function iret(m: Machine) {
  const c = m.cpu;
  const sp = c.va(RSP);
  m.load(sp, 8); const ripLo = m.vlo, ripHi = m.vhi;
  m.load(sp + 8, 8); const cs = m.vlo;
  m.load(sp + 16, 8); const fl = m.vlo;
  m.load(sp + 24, 8); const rspLo = m.vlo, rspHi = m.vhi;
  m.load(sp + 32, 8); const ss = m.vlo;
  const from = c.cpl, to = cs & 3;
  if (to < from) throw new CpuFault(VEC.GP, cs & ~3, 0, 'IRET to a more privileged level');
  const rip = linear(ripLo, ripHi);
  if (rip < 0) throw gp('IRET to a non-canonical RIP');
  // IOPL and IF change only at CPL 0 (IF also when CPL <= IOPL).
  let flags = fl;
  if (from !== 0) flags = (flags & ~(3 << 12)) | (c.rf & (3 << 12));
  if (from > ((c.rf >> 12) & 3)) flags = (flags & ~RFLAGS.IF) | (c.rf & RFLAGS.IF);
  c.setRflags(flags);
  c.cs = cs; c.ss = ss;
  c.lo[RSP] = rspLo; c.hi[RSP] = rspHi;
  c.rip = rip;
  m.cycles += m.costs.iret;
  if (to !== from) { m.refresh(); m.emit({ type: 'ring', from, to, via: 'iret' }); }
}

/** LTR: load the TSS descriptor (16 bytes in the GDT), check it is an available 64-bit TSS, mark it busy. */
function ltr(m: Machine, sel: number) {
  const c = m.cpu;
  if (c.cpl !== 0) throw gp('LTR at CPL 3 (privileged instruction)');
  if ((sel & ~7) + 15 > c.gdtrLimit || (sel & ~7) === 0) throw new CpuFault(VEC.GP, sel & ~3, 0, 'TSS selector outside the GDT');
  const d = c.gdtrBase + (sel & ~7);
  m.load(d, 8, true); const lo = m.vlo, hi = m.vhi;
  m.load(d + 8, 8, true); const hi2 = m.vlo;
  if (((hi >>> 8) & 0xf) !== 9) throw new CpuFault(VEC.GP, sel & ~3, 0, 'not an available 64-bit TSS');
  if (!((hi >>> 15) & 1)) throw new CpuFault(VEC.NP, sel & ~3, 0, 'TSS not present');
  c.trBase = (((lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)) >>> 0) + (hi2 & 0xffff) * P32;
  c.tr = sel;
  m.store(d + 4, 4, (hi | 0x200) >>> 0, 0, true); // busy
}

export function movToCr(m: Machine, op: Op) {
  const c = m.cpu, v = m.vmx;
  if (c.cpl !== 0) throw gp('MOV to CR at CPL 3 (privileged instruction)');
  const val = c.get(op.s);
  const qual = op.cr | (0 << 4) | (op.s << 8); // access type 0: MOV to CR
  switch (op.cr) {
    case 0: case 4: {
      const n = Number(val & 0xffffffffn);
      if (val >> 32n) throw gp(`reserved bits in CR${op.cr}`);
      if (v.nonRoot) {
        const mask = op.cr === 0 ? v.cr0Mask : v.cr4Mask, shadow = op.cr === 0 ? v.cr0Shadow : v.cr4Shadow;
        if (((n ^ shadow) & mask) !== 0) throw new VmExit(EXIT_REASON.CR_ACCESS, qual, null, null, op.len);
        const cur = op.cr === 0 ? c.cr0 : c.cr4;
        const eff = ((n & ~mask) | (cur & mask)) >>> 0;
        setCr(m, op.cr, eff);
      } else setCr(m, op.cr, n);
      break;
    }
    case 2: c.cr2 = Number(BigInt.asUintN(48, val)); break;
    case 3: {
      if (v.nonRoot && (v.proc & PROC.CR3_LOAD_EXITING) && !v.cr3Targets.includes(val)) throw new VmExit(EXIT_REASON.CR_ACCESS, qual, null, null, op.len);
      loadCr3(m, val);
      m.cycles += m.costs.movCr3;
      break;
    }
  }
  c.rip += op.len;
}

/** MOV to CR3 (SDM "MOV to CR3" and "Invalidation ... MOV to CR3"): with CR4.PCIDE, bit 63 set
 *  means no flush and is not stored; otherwise the new PCID's non-global entries are flushed. */
export function loadCr3(m: Machine, val: bigint) {
  const c = m.cpu, v = m.vmx;
  const pcide = (c.cr4 & CR4.PCIDE) !== 0;
  const noflush = pcide && (val >> 63n) === 1n;
  val &= ~(1n << 63n);
  if (val >> 36n) throw gp('CR3 sets bits above MAXPHYADDR');
  c.cr3 = Number(val);
  const vpid = v.nonRoot ? v.vpid : 0, pcid = pcide ? c.cr3 % 4096 : 0;
  if (!noflush) {
    const n = m.mmu.flushPcid(vpid, pcid, true);
    m.emit({ type: 'tlb', op: 'flush', vpid, pcid, scope: 'MOV to CR3: PCID, except global', entries: n });
  } else m.emit({ type: 'tlb', op: 'noflush', vpid, pcid, scope: 'MOV to CR3 with bit 63 (PCID kept)' });
  m.refresh();
}

function setCr(m: Machine, cr: 0 | 4, val: number) {
  const c = m.cpu, v = m.vmx;
  if (cr === 0) { c.cr0 = val; m.refresh(); return; }
  const old = c.cr4;
  if ((val & CR4.PCIDE) && !(old & CR4.PCIDE) && (c.cr3 % 4096 !== 0 || !(c.efer & EFER.LMA)))
    throw gp('setting CR4.PCIDE needs CR3[11:0] = 0 and IA-32e mode');
  c.cr4 = val;
  const vpid = v.nonRoot ? v.vpid : 0;
  if (((old ^ val) & CR4.PGE) || ((old & CR4.PCIDE) && !(val & CR4.PCIDE))) {
    const n = m.mmu.flushVpid(vpid);
    m.emit({ type: 'tlb', op: 'flush', vpid, pcid: 0, scope: 'MOV to CR4 (PGE or PCIDE change): all PCIDs, including global', entries: n });
  }
  m.refresh();
}

export function movFromCr(m: Machine, op: Op) {
  const c = m.cpu, v = m.vmx;
  if (c.cpl !== 0) throw gp('MOV from CR at CPL 3 (privileged instruction)');
  let val: number;
  switch (op.cr) {
    case 0: val = v.nonRoot ? ((c.cr0 & ~v.cr0Mask) | (v.cr0Shadow & v.cr0Mask)) >>> 0 : c.cr0; break;
    case 4: val = v.nonRoot ? ((c.cr4 & ~v.cr4Mask) | (v.cr4Shadow & v.cr4Mask)) >>> 0 : c.cr4; break;
    case 2: c.setVa(op.d, c.cr2); c.rip += op.len; return;
    default:
      if (v.nonRoot && (v.proc & PROC.CR3_STORE_EXITING)) throw new VmExit(EXIT_REASON.CR_ACCESS, 3 | (1 << 4) | (op.d << 8), null, null, op.len);
      val = c.cr3;
  }
  c.setNum(op.d, val);
  c.rip += op.len;
}

/** CPUID of the modelled CPU: an Ivy Bridge (family 6, model 0x3A) with VMX, PCID, NX, 36-bit
 *  physical addresses and no 1-GByte pages. */
function cpuid(m: Machine) {
  const c = m.cpu;
  const leaf = c.lo[RAX] >>> 0;
  const table: Record<number, [number, number, number, number]> = {
    0: [0xd, 0x756e6547, 0x6c65746e, 0x49656e69],
    1: [0x306a9, 0x00010800, (1 << 5) | (1 << 17) | (1 << 0), 0x178bfbff],
    0x80000000: [0x80000008, 0, 0, 0],
    0x80000001: [0, 0, 1, (1 << 11) | (1 << 20) | (1 << 29)],
    0x80000008: [0x3024, 0, 0, 0],
  };
  const [a, b, cx, d] = table[leaf] ?? [0, 0, 0, 0];
  c.lo[RAX] = a >>> 0; c.hi[RAX] = 0; c.lo[RBX] = b >>> 0; c.hi[RBX] = 0;
  c.lo[RCX] = cx >>> 0; c.hi[RCX] = 0; c.lo[RDX] = d >>> 0; c.hi[RDX] = 0;
}

export function rdmsr(m: Machine, idx: number): bigint {
  const c = m.cpu;
  if (idx === MSR.IA32_EFER) return BigInt(c.efer);
  if (idx === MSR.IA32_TIME_STAMP_COUNTER) return BigInt(m.cycles);
  if (idx === MSR.IA32_FEATURE_CONTROL) return 5n; // locked, VMX outside SMX
  if (!KNOWN_MSRS.has(idx)) throw gp(`RDMSR of unknown MSR ${hex(idx)}`);
  return c.msrGet(idx);
}

export function wrmsr(m: Machine, idx: number, val: bigint) {
  const c = m.cpu;
  if (idx === MSR.IA32_EFER) {
    const n = Number(val & 0xffffffffn);
    c.efer = (n & ~EFER.LMA) | (c.efer & EFER.LMA); // LMA is read-only
    m.refresh();
    return;
  }
  if (!KNOWN_MSRS.has(idx) || idx === MSR.IA32_FEATURE_CONTROL) throw gp(`WRMSR to MSR ${hex(idx)}`);
  if ((idx === MSR.IA32_LSTAR || idx === MSR.IA32_FS_BASE || idx === MSR.IA32_GS_BASE || idx === MSR.IA32_KERNEL_GS_BASE) &&
      linear(Number(val & 0xffffffffn), Number(val >> 32n)) < 0) throw gp('non-canonical address in MSR');
  c.msr.set(idx, val);
}
const KNOWN_MSRS = new Set<number>([MSR.IA32_STAR, MSR.IA32_LSTAR, MSR.IA32_FMASK, MSR.IA32_FS_BASE, MSR.IA32_GS_BASE,
  MSR.IA32_KERNEL_GS_BASE, MSR.IA32_FEATURE_CONTROL]);

/** Maskable external interrupts are taken when RFLAGS.IF = 1; in VMX non-root with "external-
 *  interrupt exiting", RFLAGS.IF does not block them (SDM "Pin-Based VM-Execution Controls"). */
export function interruptible(m: Machine): boolean {
  return (m.cpu.rf & RFLAGS.IF) !== 0 || (m.vmx.nonRoot && m.vmx.extIntExiting());
}

/** Take the pending external interrupt: a VM exit in non-root when "external-interrupt exiting"
 *  is set, else delivery through the IDT. */
export function takeInterrupt(m: Machine) {
  const vec = m.pendingIntr;
  m.pendingIntr = -1;
  if (m.vmx.nonRoot && m.vmx.extIntExiting()) {
    m.vmx.exit(new VmExit(EXIT_REASON.EXTERNAL_INTERRUPT, 0, null, null, 0, (vec | 0x80000000) >>> 0));
    return;
  }
  deliver(m, vec, null, 0, 'intr', 'external interrupt', m.cpu.rip);
}

export { canonHi, SEL, RSP };
