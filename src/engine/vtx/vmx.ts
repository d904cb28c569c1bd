// VMX operation: VMXON, VMCLEAR/VMPTRLD, VMREAD/VMWRITE, VM entry (VMLAUNCH/VMRESUME) with the
// checks that matter, VM exits (save guest state, load host state), INVEPT/INVVPID, and the
// non-root controls the CPU consults. SDM Vol. 3C "VM Entries", "VM Exits", "VMX Instruction
// Reference". World: the VMX-root software (the Dune module) calls the instructions.

import { VMCS, EXIT_NAME, EXIT_REASON, EXIT_REASON_ENTRY_FAIL, PIN, PROC, PROC2, EXIT_CTL, ENTRY_CTL,
  VM_INSTR_ERROR, INVEPT_TYPE, INVVPID_TYPE } from '../arch/vmx.ts';
import { CR0, CR4, EFER, RFLAGS, MSR, VEC } from '../arch/x86.ts';
import { Vmcs } from './vmcs.ts';
import { VmExit, CpuFault } from '../cpu/fault.ts';
import { linear, canonHi } from '../cpu/state.ts';
import { RSP } from '../asm/ir.ts';
import { hex, hexVa } from '../trace/events.ts';
import { VMFAIL_TEXT, type VmfailCheck } from './vmfail.ts';
import type { Machine } from '../machine.ts';

const F = VMCS;

/** A failure: the VM-instruction error number, which check failed (vmfail.ts) with its value, and its English. */
export type VmxResult = { ok: true } | { ok: false; error: number; check: VmfailCheck; arg: string; message: string };

export class Vmx {
  /** VMXON executed: the CPU is in VMX operation. */
  on = false;
  nonRoot = false;
  current: Vmcs | null = null;
  /** Every VMCS region in memory, by id (VMPTRLD names one; snapshots copy them all). */
  regions = new Map<number, Vmcs>();
  // Controls cached at VM entry (the VMCS cannot change while the guest runs).
  pin = 0; proc = 0; proc2 = 0; excBitmap = 0; pfecMask = 0; pfecMatch = 0;
  cr0Mask = 0; cr4Mask = 0; cr0Shadow = 0; cr4Shadow = 0; cr3Targets: bigint[] = [];
  vpid = 0; eptp = 0; eptOn = false; vpidOn = false; msrBitmap = 0; tscOffset = 0n;
  /** The last VM-instruction failure, for the UI. */
  lastError: { error: number; message: string } | null = null;

  constructor(private m: Machine) {}

  private need(what: string) {
    const c = this.m.cpu;
    if (!this.on) throw new CpuFault(VEC.UD, null, 0, `${what} outside VMX operation`);
    if (this.nonRoot) throw new Error(`${what} in VMX non-root operation would exit; root software only`);
    if (c.cpl !== 0) throw new CpuFault(VEC.GP, 0, 0, `${what} at CPL 3`);
  }

  vmxon() {
    const c = this.m.cpu;
    if (!(c.cr4 & CR4.VMXE)) throw new CpuFault(VEC.UD, null, 0, 'VMXON with CR4.VMXE = 0');
    this.on = true;
  }

  /** Allocate a VMCS region (software's kmalloc + VMCLEAR of a fresh page). */
  allocVmcs(): Vmcs {
    const v = new Vmcs(this.regions.size + 1);
    this.regions.set(v.id, v);
    return v;
  }

  vmclear(v: Vmcs) { this.need('VMCLEAR'); v.launched = false; if (this.current === v) this.current = null; }
  vmptrld(v: Vmcs) { this.need('VMPTRLD'); this.current = v; }
  vmread(enc: number): bigint { this.need('VMREAD'); return this.cur().read(enc); }
  vmwrite(enc: number, val: bigint): VmxResult {
    this.need('VMWRITE');
    const r = this.cur().write(enc, val);
    if (r === 'unsupported') return this.vmfail(12, 'vmwrite-unsupported', hex(enc));
    if (r === 'read-only') return this.vmfail(VM_INSTR_ERROR.VMWRITE_READONLY, 'vmwrite-read-only', hex(enc));
    return { ok: true };
  }
  private cur(): Vmcs {
    if (!this.current) throw new Error('no current VMCS (VMfailInvalid)');
    return this.current;
  }

  /** VMfailValid(n): ZF = 1 and the error number in the VMCS; VMfailInvalid (no VMCS): CF = 1. */
  vmfail(error: number, check: VmfailCheck, arg = ''): VmxResult {
    const message = VMFAIL_TEXT[check](arg);
    const c = this.m.cpu;
    c.cf = 0; c.pf = 0; c.af = 0; c.zf = 0; c.sf = 0; c.of = 0;
    if (this.current) { c.zf = 1; this.current.hwWrite(F.VM_INSTRUCTION_ERROR, BigInt(error)); } else c.cf = 1;
    this.lastError = { error, message };
    this.m.emit({ type: 'vmfail', instr: message.split(' ')[0], error, message });
    return { ok: false, error, check, arg, message };
  }

  // ---- VM entry ----------------------------------------------------------------------------

  vmlaunch(): VmxResult { return this.entry('launch'); }
  vmresume(): VmxResult { return this.entry('resume'); }

  private entry(kind: 'launch' | 'resume'): VmxResult {
    this.need(kind === 'launch' ? 'VMLAUNCH' : 'VMRESUME');
    const m = this.m, c = m.cpu;
    if (!this.current) return this.vmfail(0, 'no-current-vmcs');
    const v = this.current;
    if (kind === 'launch' && v.launched) return this.vmfail(VM_INSTR_ERROR.VMLAUNCH_NONCLEAR, 'launch-non-clear');
    if (kind === 'resume' && !v.launched) return this.vmfail(VM_INSTR_ERROR.VMRESUME_NONLAUNCHED, 'resume-non-launched');
    const n = (f: number) => v.num(f);
    // Checks on VMX controls (SDM "Checks on VMX Controls") -> VMfailValid(7).
    const proc = n(F.CPU_BASED_VM_EXEC_CONTROL), proc2 = proc & PROC.ACTIVATE_SECONDARY_CONTROLS ? n(F.SECONDARY_VM_EXEC_CONTROL) : 0;
    const eptp = n(F.EPT_POINTER);
    if (proc2 & PROC2.ENABLE_EPT) {
      const mt = eptp & 7, pwl = (eptp >> 3) & 7;
      if ((mt !== 0 && mt !== 6) || pwl !== 3 || (eptp & 0xf00) || eptp >= 2 ** 36)
        return this.vmfail(VM_INSTR_ERROR.INVALID_CONTROL_FIELD, 'eptp', hex(eptp));
    }
    if ((proc2 & PROC2.ENABLE_VPID) && n(F.VIRTUAL_PROCESSOR_ID) === 0)
      return this.vmfail(VM_INSTR_ERROR.INVALID_CONTROL_FIELD, 'vpid-zero');
    if ((proc2 & PROC2.UNRESTRICTED_GUEST) && !(proc2 & PROC2.ENABLE_EPT))
      return this.vmfail(VM_INSTR_ERROR.INVALID_CONTROL_FIELD, 'unrestricted-no-ept');
    if (n(F.CR3_TARGET_COUNT) > 4) return this.vmfail(VM_INSTR_ERROR.INVALID_CONTROL_FIELD, 'cr3-target-count');
    if ((proc & PROC.USE_MSR_BITMAPS) && (n(F.MSR_BITMAP) % 4096 !== 0))
      return this.vmfail(VM_INSTR_ERROR.INVALID_CONTROL_FIELD, 'msr-bitmap-align');
    // Checks on host state (SDM "Checks on Host Control Registers, MSRs, ...") -> VMfailValid(8).
    const hcr0 = n(F.HOST_CR0), hcr4 = n(F.HOST_CR4);
    if (!(hcr0 & CR0.PG) || !(hcr0 & CR0.PE) || !(hcr4 & CR4.VMXE) || !(hcr4 & CR4.PAE))
      return this.vmfail(VM_INSTR_ERROR.INVALID_HOST_STATE, 'host-cr0-cr4');
    if (!(n(F.VM_EXIT_CONTROLS) & EXIT_CTL.HOST_ADDR_SPACE_SIZE))
      return this.vmfail(VM_INSTR_ERROR.INVALID_HOST_STATE, 'host-addr-size');
    if (linear(Number(v.read(F.HOST_RIP) & 0xffffffffn), Number(v.read(F.HOST_RIP) >> 32n)) < 0 || n(F.HOST_CS_SELECTOR) === 0 || (n(F.HOST_CS_SELECTOR) & 3))
      return this.vmfail(VM_INSTR_ERROR.INVALID_HOST_STATE, 'host-rip-cs');
    // Checks on guest state -> VM-entry failure, exit reason 33 with bit 31 set.
    const gcr0 = n(F.GUEST_CR0), gcr4 = n(F.GUEST_CR4), gefer = n(F.GUEST_IA32_EFER), entryCtl = n(F.VM_ENTRY_CONTROLS);
    const bad = !(gcr0 & CR0.PE) || !(gcr0 & CR0.PG) || !(gcr4 & CR4.VMXE) ||
      (!!(entryCtl & ENTRY_CTL.IA32E_MODE) !== !!(gefer & EFER.LMA)) || !(n(F.GUEST_RFLAGS) & RFLAGS.FIXED) ||
      v.read(F.VMCS_LINK_POINTER) !== 0xffffffffffffffffn ||
      linear(Number(v.read(F.GUEST_RIP) & 0xffffffffn), Number(v.read(F.GUEST_RIP) >> 32n)) < 0;
    if (bad) {
      v.hwWrite(F.VM_EXIT_REASON, BigInt((EXIT_REASON.INVALID_GUEST_STATE | EXIT_REASON_ENTRY_FAIL) >>> 0));
      m.emit({ type: 'vmexit', reason: EXIT_REASON.INVALID_GUEST_STATE, name: 'INVALID_GUEST_STATE', qualification: '0x0', instrLen: 0, rip: hexVa(c.rip), entryFailure: true });
      return { ok: false, error: 33, check: 'guest-state', arg: '', message: VMFAIL_TEXT['guest-state']('') };
    }

    // Load the controls the CPU consults while the guest runs.
    this.pin = n(F.PIN_BASED_VM_EXEC_CONTROL); this.proc = proc; this.proc2 = proc2;
    this.excBitmap = n(F.EXCEPTION_BITMAP); this.pfecMask = n(F.PAGE_FAULT_ERROR_CODE_MASK); this.pfecMatch = n(F.PAGE_FAULT_ERROR_CODE_MATCH);
    // Natural-width fields: keep the low 32 bits exactly (an all-ones mask is 2^64 - 1, which a
    // JavaScript number cannot hold).
    const lo32 = (f: number) => Number(v.read(f) & 0xffffffffn);
    this.cr0Mask = lo32(F.CR0_GUEST_HOST_MASK); this.cr4Mask = lo32(F.CR4_GUEST_HOST_MASK);
    this.cr0Shadow = lo32(F.CR0_READ_SHADOW); this.cr4Shadow = lo32(F.CR4_READ_SHADOW);
    // MOV to CR3 does not exit for the first CR3_TARGET_COUNT target values (SDM "CR3-Target Controls").
    this.cr3Targets = [F.CR3_TARGET_VALUE0, F.CR3_TARGET_VALUE1, F.CR3_TARGET_VALUE2, F.CR3_TARGET_VALUE3]
      .slice(0, n(F.CR3_TARGET_COUNT)).map((f) => v.read(f));
    this.eptOn = (proc2 & PROC2.ENABLE_EPT) !== 0; this.eptp = eptp;
    this.vpidOn = (proc2 & PROC2.ENABLE_VPID) !== 0; this.vpid = this.vpidOn ? n(F.VIRTUAL_PROCESSOR_ID) : 0;
    this.msrBitmap = n(F.MSR_BITMAP); this.tscOffset = v.read(F.TSC_OFFSET);

    // Load guest state (SDM "Loading Guest State").
    c.cr0 = gcr0 >>> 0; c.cr4 = gcr4 >>> 0; c.cr3 = Number(v.read(F.GUEST_CR3));
    c.efer = gefer;
    c.setRflags(n(F.GUEST_RFLAGS));
    c.lo[RSP] = Number(v.read(F.GUEST_RSP) & 0xffffffffn); c.hi[RSP] = Number(v.read(F.GUEST_RSP) >> 32n);
    c.rip = Number(BigInt.asUintN(48, v.read(F.GUEST_RIP)));
    c.cs = n(F.GUEST_CS_SELECTOR); c.ss = n(F.GUEST_SS_SELECTOR); c.tr = n(F.GUEST_TR_SELECTOR);
    c.trBase = Number(BigInt.asUintN(48, v.read(F.GUEST_TR_BASE)));
    c.idtrBase = Number(BigInt.asUintN(48, v.read(F.GUEST_IDTR_BASE))); c.idtrLimit = n(F.GUEST_IDTR_LIMIT);
    c.gdtrBase = Number(BigInt.asUintN(48, v.read(F.GUEST_GDTR_BASE)));
    c.msr.set(MSR.IA32_FS_BASE, v.read(F.GUEST_FS_BASE)); c.msr.set(MSR.IA32_GS_BASE, v.read(F.GUEST_GS_BASE));
    c.halted = n(F.GUEST_ACTIVITY_STATE) === 1;
    if (kind === 'launch') v.launched = true;
    this.nonRoot = true;
    m.cycles += m.costs.vmentry;
    m.refresh();
    this.flushIfNoVpid('VM entry');
    m.emit({ type: 'vmentry', kind, rip: hexVa(c.rip) });
    v.changed.clear();

    // Event injection (SDM "Event Injection").
    const inj = n(F.VM_ENTRY_INTR_INFO_FIELD);
    if (inj & 0x80000000) {
      v.hwWrite(F.VM_ENTRY_INTR_INFO_FIELD, BigInt(inj & 0x7fffffff));
      const vec = inj & 0xff, type = (inj >> 8) & 7;
      const err = inj & (1 << 11) ? n(F.VM_ENTRY_EXCEPTION_ERROR_CODE) : null;
      m.injectEvent(vec, type, err, n(F.VM_ENTRY_INSTRUCTION_LEN));
    }
    return { ok: true };
  }

  /** Without VPIDs every VM entry and exit flushes VPID 0000H's linear and combined mappings. */
  private flushIfNoVpid(why: string) {
    if (this.vpidOn) return;
    const n = this.m.mmu.flushVpid(0);
    this.m.emit({ type: 'tlb', op: 'flush', vpid: 0, pcid: 0, scope: `${why} with "enable VPID" = 0: all of VPID 0000H`, entries: n });
  }

  // ---- VM exit -----------------------------------------------------------------------------

  /** Take a VM exit (SDM "VM Exits"): record the exit information, save guest state, load host
   *  state. Execution continues at HOST_RIP, where the VMM's exit handler runs. */
  exit(e: VmExit) {
    const m = this.m, c = m.cpu, v = this.current!;
    const name = EXIT_NAME[e.reason] ?? `reason ${e.reason}`;
    v.changed.clear();
    v.hwWrite(F.VM_EXIT_REASON, BigInt(e.reason));
    v.hwWrite(F.EXIT_QUALIFICATION, BigInt(e.qual));
    v.hwWrite(F.VM_EXIT_INSTRUCTION_LEN, BigInt(e.instrLen));
    v.hwWrite(F.VM_EXIT_INTR_INFO, BigInt(e.intrInfo));
    v.hwWrite(F.VM_EXIT_INTR_ERROR_CODE, BigInt(e.intrError));
    v.hwWrite(F.IDT_VECTORING_INFO_FIELD, BigInt(e.idtInfo));
    v.hwWrite(F.IDT_VECTORING_ERROR_CODE, BigInt(e.idtError));
    if (e.idtInfo && e.idtInstrLen) v.hwWrite(F.VM_EXIT_INSTRUCTION_LEN, BigInt(e.idtInstrLen));
    if (e.gpa !== null) v.hwWrite(F.GUEST_PHYSICAL_ADDRESS, BigInt(e.gpa));
    if (e.gla !== null) v.hwWrite(F.GUEST_LINEAR_ADDRESS, BigInt(e.gla));
    // Save guest state.
    v.hwWrite(F.GUEST_CR0, BigInt(c.cr0)); v.hwWrite(F.GUEST_CR3, BigInt(c.cr3)); v.hwWrite(F.GUEST_CR4, BigInt(c.cr4));
    v.hwWrite(F.GUEST_RSP, c.get(RSP)); v.hwWrite(F.GUEST_RIP, BigInt.asUintN(64, BigInt(c.rip) | (c.rip >= 2 ** 47 ? 0xffff000000000000n : 0n)));
    v.hwWrite(F.GUEST_RFLAGS, BigInt(c.rflags()));
    v.hwWrite(F.GUEST_CS_SELECTOR, BigInt(c.cs)); v.hwWrite(F.GUEST_SS_SELECTOR, BigInt(c.ss));
    v.hwWrite(F.GUEST_IDTR_BASE, BigInt(c.idtrBase)); v.hwWrite(F.GUEST_IDTR_LIMIT, BigInt(c.idtrLimit));
    v.hwWrite(F.GUEST_GDTR_BASE, BigInt(c.gdtrBase)); v.hwWrite(F.GUEST_TR_BASE, BigInt(c.trBase)); v.hwWrite(F.GUEST_TR_SELECTOR, BigInt(c.tr));
    v.hwWrite(F.GUEST_FS_BASE, c.msrGet(MSR.IA32_FS_BASE)); v.hwWrite(F.GUEST_GS_BASE, c.msrGet(MSR.IA32_GS_BASE));
    v.hwWrite(F.GUEST_ACTIVITY_STATE, c.halted ? 1n : 0n);
    if (v.num(F.VM_EXIT_CONTROLS) & EXIT_CTL.SAVE_EFER) v.hwWrite(F.GUEST_IA32_EFER, BigInt(c.efer));
    const cpl = c.cpl, grip = c.rip;
    // Load host state; RFLAGS = 2, IDTR/GDTR limits 0xFFFF (SDM "Loading Host State").
    c.cr0 = v.num(F.HOST_CR0) >>> 0; c.cr4 = v.num(F.HOST_CR4) >>> 0; c.cr3 = Number(v.read(F.HOST_CR3));
    if (v.num(F.VM_EXIT_CONTROLS) & EXIT_CTL.LOAD_EFER) c.efer = v.num(F.HOST_IA32_EFER);
    c.setRflags(RFLAGS.FIXED);
    c.lo[RSP] = Number(v.read(F.HOST_RSP) & 0xffffffffn); c.hi[RSP] = Number(v.read(F.HOST_RSP) >> 32n);
    c.rip = Number(BigInt.asUintN(48, v.read(F.HOST_RIP)));
    c.cs = v.num(F.HOST_CS_SELECTOR); c.ss = v.num(F.HOST_SS_SELECTOR); c.tr = v.num(F.HOST_TR_SELECTOR);
    c.trBase = Number(BigInt.asUintN(48, v.read(F.HOST_TR_BASE)));
    c.gdtrBase = Number(BigInt.asUintN(48, v.read(F.HOST_GDTR_BASE))); c.gdtrLimit = 0xffff;
    c.idtrBase = Number(BigInt.asUintN(48, v.read(F.HOST_IDTR_BASE))); c.idtrLimit = 0xffff;
    c.msr.set(MSR.IA32_FS_BASE, v.read(F.HOST_FS_BASE)); c.msr.set(MSR.IA32_GS_BASE, v.read(F.HOST_GS_BASE));
    c.halted = false;
    this.nonRoot = false;
    m.vmexits[name] = (m.vmexits[name] ?? 0) + 1;
    m.cycles += m.costs.vmexit;
    m.refresh();
    const ev: Record<string, unknown> = { type: 'vmexit', reason: e.reason, name, qualification: hex(e.qual), instrLen: e.instrLen, rip: hexVa(grip), fromCpl: cpl };
    if (e.gpa !== null) ev.gpa = hex(e.gpa);
    if (e.gla !== null) ev.gla = hexVa(e.gla);
    if (e.intrInfo) ev.intrInfo = hex(e.intrInfo);
    // The cpl/vmx fields of this event describe the state after the exit (root, CPL 0).
    m.emit(ev);
    this.flushIfNoVpid('VM exit');
    void canonHi;
  }

  /** Whether an exception in non-root operation causes a VM exit (SDM "Exception Bitmap"). */
  exceptionExits(vector: number, pfec: number): boolean {
    const bit = (this.excBitmap >>> vector) & 1;
    if (vector === VEC.PF) return ((pfec & this.pfecMask) === this.pfecMatch) === (bit === 1);
    return bit === 1;
  }
  extIntExiting(): boolean { return (this.pin & PIN.EXT_INTR_EXITING) !== 0; }

  /** RDMSR/WRMSR: exit unless the MSR bitmap (in host-physical memory) clears the MSR's bit.
   *  Layout: read-low 0x000, read-high 0x400, write-low 0x800, write-high 0xC00. */
  msrExits(idx: number, write: boolean): boolean {
    if (!(this.proc & PROC.USE_MSR_BITMAPS)) return true;
    let off: number;
    if (idx <= 0x1fff) off = 0;
    else if (idx >= 0xc0000000 && idx <= 0xc0001fff) { off = 0x400; idx -= 0xc0000000; }
    else return true;
    if (write) off += 0x800;
    const byte = this.m.mem.read8(this.msrBitmap + off + (idx >> 3));
    return ((byte >> (idx & 7)) & 1) === 1;
  }

  // ---- INVEPT / INVVPID --------------------------------------------------------------------

  invept(type: number, eptp: number): VmxResult {
    this.need('INVEPT');
    if (type !== INVEPT_TYPE.SINGLE_CONTEXT && type !== INVEPT_TYPE.ALL_CONTEXT)
      return this.vmfail(VM_INSTR_ERROR.INVALID_INVEPT_INVVPID, 'invept-type', String(type));
    const ep = type === INVEPT_TYPE.SINGLE_CONTEXT ? Math.floor(eptp / 4096) : null;
    const n = this.m.mmu.flushEpt(ep);
    this.m.emit({ type: 'tlb', op: 'invept', vpid: 0, pcid: 0, scope: ep === null ? 'all-context' : 'single-context', ept: ep === null ? undefined : hex(ep * 4096), entries: n });
    this.m.cycles += this.m.costs.invlpg;
    return { ok: true };
  }

  invvpid(type: number, vpid: number, va = 0): VmxResult {
    this.need('INVVPID');
    if (vpid === 0 && type !== INVVPID_TYPE.ALL_CONTEXT) return this.vmfail(VM_INSTR_ERROR.INVALID_INVEPT_INVVPID, 'invvpid-vpid-zero');
    let n: number, scope: string;
    switch (type) {
      case INVVPID_TYPE.INDIVIDUAL_ADDR: n = this.m.mmu.flushVpidAddr(vpid, va); scope = 'individual-address'; break;
      case INVVPID_TYPE.SINGLE_CONTEXT: n = this.m.mmu.flushVpid(vpid); scope = 'single-context'; break;
      case INVVPID_TYPE.ALL_CONTEXT: n = this.m.mmu.flushAllVpids(); scope = 'all-context (every VPID but 0000H)'; break;
      case INVVPID_TYPE.SINGLE_CONTEXT_RETAIN_GLOBALS: n = this.m.mmu.flushVpid(vpid, true); scope = 'single-context, retaining globals'; break;
      default: return this.vmfail(VM_INSTR_ERROR.INVALID_INVEPT_INVVPID, 'invvpid-type', String(type));
    }
    this.m.emit({ type: 'tlb', op: 'invvpid', vpid, pcid: 0, ...(type === 0 ? { va: hexVa(va) } : {}), scope, entries: n });
    this.m.cycles += this.m.costs.invlpg;
    return { ok: true };
  }

  save(): unknown {
    const { m: _m, current, regions, ...rest } = this;
    return { ...rest, cr3Targets: [...this.cr3Targets], current: current?.id ?? null,
      regions: new Map([...regions].map(([id, v]) => [id, v.clone()])) };
  }
  restore(s: unknown) {
    const o = s as Record<string, unknown> & { current: number | null; regions: Map<number, Vmcs> };
    const regions = new Map([...o.regions].map(([id, v]) => [id, v.clone()]));
    Object.assign(this, o, { regions, cr3Targets: [...(o.cr3Targets as bigint[])],
      current: o.current === null ? null : regions.get(o.current) ?? null });
  }
}
