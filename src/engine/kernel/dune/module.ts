// The Dune kernel module: /dev/dune and its ioctls, one VMCS per process (vcpu), the VM-exit
// handlers of vmx_launch's loop, and the MMU-notifier hook that keeps the EPT in sync.
// Follows kern/core.c and kern/vmx.c (../shared/reference/dune-facts.md §2). World: VMX root, ring 0.

import { DUNE_IOCTL, DUNE_RET } from '../../arch/dune.ts';
import { EXIT_REASON, VMCS, EXIT_NAME, INTR_INFO } from '../../arch/vmx.ts';
import { ERRNO, SYSCALLS, SYSCALL_NAMES, SIGNALS } from '../../arch/linux.ts';
import { MSR, SEL, VEC_NAME } from '../../arch/x86.ts';
import { forkFrom } from '../fork.ts';
import { syscallArgs } from '../syscalls.ts';
import { RAX, RCX, RDX, RBX, RDI, RSI, R10, R8, R9, RSP, RBP, R11, R12, R13, R14, R15 } from '../../asm/ir.ts';
import { captureSyscall } from '../context.ts';
import { DUNE_LAYOUT } from './layout.ts';
import { setupVmcs, type Vcpu } from './vmcs.ts';
import { eptFault, eptInvalidateRange } from './eptfault.ts';
import { hex, hexVa } from '../../trace/events.ts';
import type { Kernel, Driver } from '../kernel.ts';
import type { Machine } from '../../machine.ts';
import { rep, tell } from '../../report.ts';
import type { VmfailCheck } from '../../vtx/vmfail.ts';
import { kernelNote, type NoteArgs } from '../../trace/notes.ts';

/** struct dune_config offsets (kern/dune.h, DUNE_CFG_*). */
export const CFG = { ret: 0x00, rax: 0x08, rbx: 0x10, rcx: 0x18, rdx: 0x20, rsi: 0x28, rdi: 0x30, rsp: 0x38, rbp: 0x40,
  rip: 0x88, rflags: 0x90, cr3: 0x98, status: 0xa0, vcpu: 0xa8, size: 0xb0 } as const;

/** libdune's signal vectors: DUNE_SIGNAL_INTR_BASE + signo (kern/dune.h). */
export const DUNE_SIGNAL_INTR_BASE = 200;

/** Linux 3.2's NR_syscalls - 1: VMCALL numbers above it return -EINVAL (vmx_handle_syscall). */
const MAX_SYSCALL = 312;

const vcpuOf = (k: Kernel): Vcpu | undefined => (k.proc as { vcpu?: Vcpu }).vcpu;

/** Load the module: register /dev/dune, the exit handlers and the MMU notifier. */
export function installDune(k: Kernel) {
  const m = k.m;
  const msrBitmap = m.mem.alloc() * 4096;
  // Intercept every MSR except FS.base and GS.base (the paper-era bitmap).
  for (let i = 0; i < 4096; i++) m.mem.write8(msrBitmap + i, 0xff);
  for (const msr of [MSR.IA32_FS_BASE, MSR.IA32_GS_BASE]) {
    const i = msr - 0xc0000000;
    for (const base of [0x400, 0xc00]) m.mem.write8(msrBitmap + base + (i >> 3), m.mem.read8(msrBitmap + base + (i >> 3)) & ~(1 << (i & 7)));
  }
  const driver: Driver = { ioctl: (kk, cmd, arg) => ioctl(kk, cmd, arg, msrBitmap) };
  k.drivers.set('/dev/dune', driver);
  k.exitHandlers[EXIT_REASON.VMCALL] = handleVmcall;
  k.exitHandlers[EXIT_REASON.CPUID] = handleCpuid;
  k.exitHandlers[EXIT_REASON.EPT_VIOLATION] = handleEptViolation;
  // Acknowledged on exit, dispatched by hand to the host's handler (the timer tick), then re-enter.
  k.exitHandlers[EXIT_REASON.EXTERNAL_INTERRUPT] = (kk, mm) => {
    mm.cycles += mm.costs.dune.exitDispatch + mm.costs.kernel.timerTick;
    mm.emit(kernelNote('vmx_handle_external_intr', 'externalIntr', { vector: hex(Number(mm.vmx.current!.read(VMCS.VM_EXIT_INTR_INFO) & 0xffn)) }));
    resume(kk, mm);
  };
  k.exitHandlers[EXIT_REASON.HLT] = handleHlt;
  k.exitHandlers[EXIT_REASON.EXCEPTION_NMI] = handleException;
  k.resumeHook = (p, ret) => resumeVcpu(k, p as { vcpu?: Vcpu }, ret);
  k.notifiers.push((start, len, why, proc) => {
    const v = (proc as { vcpu?: Vcpu }).vcpu ?? (proc as { parked?: Vcpu }).parked;
    if (v) eptInvalidateRange(k, v, start, len, why);
  });
}

function ioctl(k: Kernel, cmd: number, arg: bigint, msrBitmap: number): bigint {
  const m = k.m;
  switch (cmd) {
    case DUNE_IOCTL.DUNE_GET_SYSCALL: return m.cpu.msrGet(MSR.IA32_LSTAR);
    case DUNE_IOCTL.DUNE_GET_LAYOUT: {
      const out = [DUNE_LAYOUT.physLimit, DUNE_LAYOUT.baseMap, DUNE_LAYOUT.baseStack];
      const bytes: number[] = [];
      for (const v of out) for (let i = 0; i < 8; i++) bytes.push(Number((BigInt(v) >> BigInt(8 * i)) & 0xffn));
      return k.copyToUser(Number(arg), bytes) ? 0n : BigInt(-ERRNO.EFAULT);
    }
    case DUNE_IOCTL.DUNE_ENTER: return enter(k, Number(arg), msrBitmap);
    default: return BigInt(-ERRNO.ENOTTY);
  }
}

/** DUNE_ENTER: create the vcpu (VMCS, VPID, empty EPT) and VMLAUNCH at the config's RIP/RSP/CR3;
 *  or, for a process the module returned to Linux with DUNE_RET_SIGNAL, VMRESUME it with the guest
 *  state libdune hands back in the config. */
function enter(k: Kernel, cfgVa: number, msrBitmap: number): bigint {
  const m = k.m;
  const raw = k.copyFromUser(cfgVa, CFG.size);
  if (!raw) return BigInt(-ERRNO.EFAULT);
  const q = (off: number) => new DataView(raw.buffer).getBigUint64(off, true);
  const p = k.proc as { vcpu?: Vcpu; parked?: Vcpu };
  if (p.vcpu) return BigInt(-ERRNO.EBUSY);
  const linux = captureSyscall(m);
  if (p.parked) {
    const v = p.parked;
    p.vcpu = v; p.parked = undefined;
    v.linux = linux; v.cfg = cfgVa;
    m.vmx.vmptrld(m.vmx.regions.get(v.vmcs)!);
    CFG_GPRS.forEach(([r, off]) => m.cpu.set(r, q(off)));
    m.vmx.vmwrite(VMCS.GUEST_RIP, q(CFG.rip));
    m.vmx.vmwrite(VMCS.GUEST_RSP, q(CFG.rsp));
    m.vmx.vmwrite(VMCS.GUEST_RFLAGS, q(CFG.rflags) | 2n);
    m.emit(kernelNote('dune_enter', 'reenter', { pid: k.proc.pid, rip: hexVa(Number(BigInt.asUintN(48, q(CFG.rip)))) }));
    resume(k, m);
    return 0n;
  }
  const vpids = k.procs.map((x) => (x as { vcpu?: Vcpu; parked?: Vcpu }).vcpu?.vpid ?? (x as { parked?: Vcpu }).parked?.vpid ?? 0);
  const vcpu = setupVmcs(k, { rip: q(CFG.rip), rsp: q(CFG.rsp), cr3: q(CFG.cr3), rflags: q(CFG.rflags) },
    1 + Math.max(0, ...vpids), msrBitmap);
  vcpu.cfg = cfgVa; vcpu.linux = linux;
  p.vcpu = vcpu;
  m.emit(kernelNote('dune_enter', 'duneEnter', { pid: k.proc.pid, vmcs: vcpu.vmcs, vpid: m.knobs.vpid ? vcpu.vpid : null, eptp: hex(vcpu.eptp), cr3: hex(q(CFG.cr3)) }));
  // The general registers carry over from the ioctl caller (libdune's __dune_enter saved what it needs).
  m.cpu.set(RAX, 0n);
  const r = m.vmx.vmlaunch();
  if (!r.ok) {
    m.emit(kernelNote('vmx_launch', 'launchFailed', { why: vmInstrError(r) }));
    p.vcpu = undefined;
    return BigInt(-ERRNO.EINVAL);
  }
  return 0n;
}

/** The general registers in struct dune_config (offsets of DUNE_CFG_RAX ... DUNE_CFG_R15). */
const CFG_GPRS: [number, number][] = [[RAX, 0x08], [RBX, 0x10], [RCX, 0x18], [RDX, 0x20], [RSI, 0x28], [RDI, 0x30],
  [RBP, 0x40], [R8, 0x48], [R9, 0x50], [R10, 0x58], [R11, 0x60], [R12, 0x68], [R13, 0x70], [R14, 0x78], [R15, 0x80]];

/** The scheduler switches a Dune process back in (it slept in a hypercall, or was preempted):
 *  its VMCS becomes current, its guest registers come back, and it re-enters. */
function resumeVcpu(k: Kernel, p: { vcpu?: Vcpu }, ret?: bigint) {
  const m = k.m, v = p.vcpu!;
  const vmcs = m.vmx.regions.get(v.vmcs)!;
  m.vmx.vmptrld(vmcs);
  if (v.regs) v.regs.forEach((r, i) => m.cpu.set(i, r));
  v.regs = null;
  if (ret !== undefined) m.cpu.set(RAX, ret);
  resume(k, m);
}

/** VM entry again after an exit: VMRESUME (the module's vmx_launch loop). Before it, as the
 *  paper's module does, a pending signal is turned into an interrupt with vector 200 + signo
 *  (libdune dispatches it to the process's handler in ring 0). An event whose delivery the exit
 *  interrupted (IDT-vectoring information) is re-injected, as KVM's vmx_complete_interrupts does. */
export function resume(k: Kernel, m: Machine) {
  const v = m.vmx.current!;
  const idt = Number(v.read(VMCS.IDT_VECTORING_INFO_FIELD));
  if (idt & 0x80000000) {
    m.emit(kernelNote('vmx_complete_interrupts', 'reinjected', reinjected(idt, v.read(VMCS.IDT_VECTORING_ERROR_CODE), Number(v.read(VMCS.VM_EXIT_REASON) & 0xffffn))));
    m.vmx.vmwrite(VMCS.VM_ENTRY_INTR_INFO_FIELD, BigInt(idt));
    m.vmx.vmwrite(VMCS.VM_ENTRY_EXCEPTION_ERROR_CODE, v.read(VMCS.IDT_VECTORING_ERROR_CODE));
    m.vmx.vmwrite(VMCS.VM_ENTRY_INSTRUCTION_LEN, v.read(VMCS.VM_EXIT_INSTRUCTION_LEN));
    v.hwWrite(VMCS.IDT_VECTORING_INFO_FIELD, 0n);
  } else if (signalPending(k)) { exitToLinux(k, m); return; }
  const r = m.vmx.vmresume();
  if (!r.ok) {
    tell(k, rep('vmresume-failed', { why: vmInstrError(r) }));
    m.exit(128 + 9, 'unhandled-vmexit');
  }
}

/** A failed VM entry's VM-instruction error as a report line: the number and the check. */
const vmInstrError = (r: { error: number; check: VmfailCheck; arg: string }) => rep('vm-instr-error', { error: r.error, check: r.check, arg: r.arg });

/** Why an event is injected again: the model keeps KVM's re-injection (Dune's own copy of that
 *  code is under `#if 0`: on real Dune the guest re-executes and raises the exception again). */
function reinjected(idt: number, err: bigint, reason: number): NoteArgs<'reinjected'> {
  const vector = idt & 0xff, name = VEC_NAME[vector] ?? `vector ${vector}`;
  const error = idt & INTR_INFO.ERR_VALID ? hex(err) : null;
  const after = reason === EXIT_REASON.EPT_VIOLATION ? null : EXIT_NAME[reason] ?? `reason ${reason}`;
  return { name, vector, error, after };
}

/** A pending signal the process does not block (vmx_launch checks signal_pending before entry). */
function signalPending(k: Kernel): boolean {
  const p = k.proc;
  return p.sig.pending.some((s) => s.signo === SIGNALS.SIGKILL || !(p.sig.blocked & (1n << BigInt(s.signo - 1))));
}

/** DUNE_RET_SIGNAL (the module since 2015): leave Dune mode so that Linux delivers the signal. The
 *  guest state goes into the process's dune_config, and the DUNE_ENTER ioctl returns to libdune in
 *  ring 3 of VMX root; on the way out the kernel delivers the signal (a Linux handler runs), and
 *  libdune then enters again with the saved state. Simplification: the Linux stack pointer for the
 *  signal frame is placed below the guest's (red zone included), so the frame cannot overwrite the
 *  guest's live stack. */
function exitToLinux(k: Kernel, m: Machine) {
  const p = k.proc as { vcpu?: Vcpu; parked?: Vcpu }, v = p.vcpu!, c = m.cpu, vm = m.vmx.current!;
  const cfg = new Uint8Array(CFG.size);
  const dv = new DataView(cfg.buffer);
  const raw = k.copyFromUser(v.cfg, CFG.size);
  if (raw) cfg.set(raw);
  CFG_GPRS.forEach(([r, off]) => dv.setBigUint64(off, c.get(r), true));
  dv.setBigUint64(CFG.rsp, vm.read(VMCS.GUEST_RSP), true);
  dv.setBigUint64(CFG.rip, vm.read(VMCS.GUEST_RIP), true);
  dv.setBigUint64(CFG.rflags, vm.read(VMCS.GUEST_RFLAGS), true);
  dv.setBigUint64(CFG.ret, BigInt(DUNE_RET.DUNE_RET_SIGNAL), true);
  k.copyToUser(v.cfg, cfg);
  p.parked = v; p.vcpu = undefined;
  const ctx = { ...v.linux!, regs: v.linux!.regs.slice() };
  ctx.regs[RAX] = 0n;
  ctx.regs[RSP] = BigInt.asUintN(64, vm.read(VMCS.GUEST_RSP) - 256n);
  ctx.via = 'exception';
  (k.proc as { ctx: unknown }).ctx = ctx;
  m.emit(kernelNote('vmx_launch', 'signalPending', { pid: k.proc.pid }));
  k.exitToUser(k.proc);
}

const guestRip = (m: Machine) => m.vmx.current!.read(VMCS.GUEST_RIP);
function advance(m: Machine) {
  const len = m.vmx.current!.read(VMCS.VM_EXIT_INSTRUCTION_LEN);
  m.vmx.vmwrite(VMCS.GUEST_RIP, guestRip(m) + len);
}

/** VMCALL: the hypercall is a Linux system call (vmx_handle_syscall). */
function handleVmcall(k: Kernel, m: Machine) {
  const c = m.cpu;
  m.cycles += m.costs.dune.exitDispatch + m.costs.dune.vmcallPath;
  advance(m); // RIP past the 3-byte VMCALL
  const raw = c.get(RAX);
  const nr = raw <= BigInt(MAX_SYSCALL) ? Number(raw) : -1;
  let ret: bigint;
  if (nr < 0) {
    ret = BigInt.asUintN(64, BigInt(-ERRNO.EINVAL));
    m.emit({ type: 'syscall', nr: Number(BigInt.asUintN(32, raw)), name: 'invalid', args: [], ret: hex(ret), via: 'vmcall' });
  } else if (nr === SYSCALLS.sigaltstack || nr === SYSCALLS.iopl) {
    ret = BigInt.asUintN(64, BigInt(-ERRNO.EINVAL));
    m.emit({ type: 'syscall', nr, name: SYSCALL_NAMES[nr], args: [], ret: hex(ret), via: 'vmcall' });
  } else if (nr === SYSCALLS.fork || nr === SYSCALLS.vfork || nr === SYSCALLS.clone) {
    ret = forkGuest(k, m, nr);
  } else {
    // The call may sleep and let another process run: keep the guest registers (they are not in
    // the VMCS) until the scheduler resumes this vcpu through resumeHook.
    const v = vcpuOf(k)!, sw = k.switches;
    v.regs = Array.from({ length: 16 }, (_, i) => c.get(i));
    ret = k.dispatch(nr, syscallArgs(c, nr), 'vmcall');
    if (m.status || k.switches !== sw) return; // the process ended, or another one runs now
    v.regs = null;
  }
  c.set(RAX, ret);
  resume(k, m);
}

/** fork/clone/vfork from a Dune process: the child starts outside Dune, as a normal Linux process
 *  in ring 3 returning 0 from the call at the guest's next instruction (kern/vmx.c dune_dofork).
 *  It may enter Dune again with dune_enter. */
function forkGuest(k: Kernel, m: Machine, nr: number): bigint {
  const c = m.cpu, v = m.vmx.current!;
  const regs = Array.from({ length: 16 }, (_, i) => c.get(i));
  regs[RSP] = v.read(VMCS.GUEST_RSP); // after the exit RSP is the host's; the guest's is in the VMCS
  let rip = Number(BigInt.asUintN(48, v.read(VMCS.GUEST_RIP)));
  // Called through libdune's syscall page (a kernel-half address): the child returns to the
  // SYSCALL's caller, whose address is in RCX (as dune_dofork does).
  if (rip >= 2 ** 47) rip = c.va(RCX);
  const ctx = { regs, rip, rflags: Number(v.read(VMCS.GUEST_RFLAGS) & 0xffffffffn) | 0x200, cs: SEL.USER_CS, ss: SEL.USER_DS,
    origRax: BigInt(nr), via: 'exception' as const, trapno: 0, err: 0, cr2: 0 };
  const child = forkFrom(k, ctx);
  m.emit(kernelNote('dune_dofork', 'duneFork', { pid: child.pid, rip: hexVa(rip) }));
  return BigInt(child.pid);
}

function handleCpuid(k: Kernel, m: Machine) {
  m.cycles += m.costs.dune.exitDispatch + m.costs.cpuid;
  const c = m.cpu;
  // Native CPUID passed through (vmx_handle_cpuid), executed by the module in root mode.
  const leaf = c.lo[RAX] >>> 0;
  const r = cpuidValues(leaf);
  c.set(RAX, BigInt(r[0])); c.set(RBX, BigInt(r[1])); c.set(RCX, BigInt(r[2])); c.set(RDX, BigInt(r[3]));
  advance(m);
  resume(k, m);
}

/** The modelled CPU's CPUID (the same table the CPU answers in root mode). */
function cpuidValues(leaf: number): [number, number, number, number] {
  const t: Record<number, [number, number, number, number]> = {
    0: [0xd, 0x756e6547, 0x6c65746e, 0x49656e69],
    1: [0x306a9, 0x00010800, (1 << 5) | (1 << 17) | 1, 0x178bfbff],
    0x80000000: [0x80000008, 0, 0, 0],
    0x80000001: [0, 0, 1, (1 << 11) | (1 << 20) | (1 << 29)],
    0x80000008: [0x3024, 0, 0, 0],
  };
  return t[leaf] ?? [0, 0, 0, 0];
}

function handleEptViolation(k: Kernel, m: Machine) {
  m.cycles += m.costs.dune.exitDispatch;
  const v = m.vmx.current!;
  const qual = Number(v.read(VMCS.EXIT_QUALIFICATION));
  const gpa = Number(v.read(VMCS.GUEST_PHYSICAL_ADDRESS));
  const gla = Number(BigInt.asUintN(48, v.read(VMCS.GUEST_LINEAR_ADDRESS)));
  const vcpu = vcpuOf(k)!;
  const err = (qual & (1 << 7)) ? eptFault(k, vcpu, gpa, (qual & 2) !== 0) : rep('ept-no-linear');
  if (err) {
    // DUNE_RET_EPT_VIOLATION: libdune reports it and the process exits.
    tell(k, rep('ept-violation', { gpa: hex(gpa), gla: hexVa(gla), qual: hex(qual), why: err }),
      rep('dune-exit-ept', { code: DUNE_RET.DUNE_RET_EPT_VIOLATION, rip: hexVa(Number(BigInt.asUintN(48, guestRip(m)))) }),
      ...k.regDump('vmcs'));
    m.emit(kernelNote('vmx_do_ept_fault', 'eptRefused', { reason: err }));
    m.exit(128 + 9, 'unhandled-vmexit');
    return;
  }
  resume(k, m);
}

/** HLT exits (HLT exiting on): the paper treats HLT as a yield of the CPU. */
function handleHlt(k: Kernel, m: Machine) {
  m.cycles += m.costs.dune.exitDispatch;
  advance(m);
  m.emit(kernelNote('vmx_handle_hlt', 'hlt', {}));
  resume(k, m);
}

/** Exceptions in the bitmap (#DB, #BP): DUNE_RET_INTERRUPT to libdune, which reports and exits. */
function handleException(k: Kernel, m: Machine) {
  const v = m.vmx.current!;
  const info = Number(v.read(VMCS.VM_EXIT_INTR_INFO));
  const vec = info & 0xff;
  tell(k, rep('dune-exit-interrupt', { code: DUNE_RET.DUNE_RET_INTERRUPT, vec, rip: hexVa(Number(BigInt.asUintN(48, guestRip(m)))) }),
    ...k.regDump('vmcs'));
  m.emit(kernelNote('vmx_launch', 'exceptionExit', { exit: EXIT_NAME[0], vector: vec }));
  m.exit(128 + 5, 'signal');
}
