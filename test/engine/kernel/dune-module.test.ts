// Unit tests of the Dune module (kernel/dune/module.ts) without a guest program: a booted
// machine, one spawned process that is not run, a struct dune_config written by hand into its
// .data, the ioctls called as the kernel's ioctl(2) would, and VM exits taken by hand
// (Vmx.exit with a VmExit) and handed to the handlers the module registered. Each test takes
// milliseconds, so mutation testing can run them for every mutant (docs/testing.md). Expected
// values are written out from dune-facts.md §2 (ioctls, struct dune_config, the exits of
// vmx_launch, the hypercall rules) and the SDM (exit information, MSR bitmap layout).

import { describe, it, expect, vi } from 'vitest';
import { asm } from '../harness.ts';
import { Session } from '../../../src/engine/session.ts';
import { VMCS, EXIT_REASON } from '../../../src/engine/arch/vmx.ts';
import { MSR, SEL } from '../../../src/engine/arch/x86.ts';
import { DUNE_IOCTL } from '../../../src/engine/arch/dune.ts';
import { SIGNALS } from '../../../src/engine/arch/linux.ts';
import { VmExit } from '../../../src/engine/cpu/fault.ts';
import { eptLookup } from '../../../src/engine/ept/ept.ts';
import { CFG, DUNE_SIGNAL_INTR_BASE } from '../../../src/engine/kernel/dune/module.ts';
import type { Vcpu } from '../../../src/engine/kernel/dune/vmcs.ts';
import type { Knobs } from '../../../src/engine/mmu/mmu.ts';
import { ArraySink, type TraceEvent } from '../../../src/engine/trace/events.ts';
import { englishReport } from '../../../src/engine/report.ts';

const U64 = 2n ** 64n;
const neg = (e: number) => U64 - BigInt(e); // -e as the 64-bit register value
const EINVAL = 22, EFAULT = 14, ENOTTY = 25, EBUSY = 16;
const GUEST = { rip: 0x401000n, rsp: 0x7fff_ffff_e000n, rflags: 0x2n };

/** A booted machine with the Dune module and one spawned process (not run). `buf` is two pages
 *  of .data with "hello" at buf + 0x800; a tiny routine `child_exit` for forked children. */
function boot(knobs: Partial<Knobs> = {}) {
  const sink = new ArraySink();
  const s = new Session(asm('.data\n.align 4096\nbuf: .zero 2048\nmsg: .ascii "hello"\n.zero 6139\n.text\n_start:\n    mov rdi, 0\n    call exit\n'), { knobs, sink });
  const m = s.machine, k = s.kernel;
  const buf = Number(s.program.symbols.get('buf'));
  const events: TraceEvent[] = sink.events;
  // In the ioctl: ring 0 of VMX root, kernel segments.
  m.cpu.cs = SEL.KERNEL_CS; m.cpu.ss = SEL.KERNEL_DS;
  const ioctl = (cmd: number, arg: number | bigint) => k.drivers.get('/dev/dune')!.ioctl(k, cmd, BigInt(arg));
  const details = (fn: string) => events.filter((e) => e.type === 'kernel' && e.fn === fn).map((e) => (e as { detail: string }).detail);
  const proc = () => k.proc as typeof k.proc & { vcpu?: Vcpu; parked?: Vcpu };
  return { s, m, k, buf, events, ioctl, details, proc };
}

/** struct dune_config as bytes: the given 8-byte fields at their DUNE_CFG_* offsets. */
function config(fields: Partial<Record<keyof typeof CFG, bigint>> & Record<number, bigint>) {
  const dv = new DataView(new ArrayBuffer(CFG.size));
  for (const [f, v] of Object.entries(fields)) dv.setBigUint64(f in CFG ? CFG[f as keyof typeof CFG] : Number(f), BigInt.asUintN(64, v), true);
  return new Uint8Array(dv.buffer);
}

/** Booted and entered: DUNE_ENTER with the guest at GUEST's RIP/RSP, CR3 = the host root. */
function entered(knobs: Partial<Knobs> = {}) {
  const b = boot(knobs);
  b.k.copyToUser(b.buf, config({ ...GUEST, cr3: BigInt(b.k.proc.root) }));
  const r = b.ioctl(DUNE_IOCTL.DUNE_ENTER, b.buf);
  const v = b.proc().vcpu!;
  /** Take a VM exit and run the module's handler for it (what the kernel's exit entry does). */
  const exit = (e: VmExit) => { b.m.vmx.exit(e); b.k.exitHandlers[e.reason]!(b.k, b.m); };
  const guestRip = () => b.m.vmx.current!.read(VMCS.GUEST_RIP);
  return { ...b, r, v, exit, guestRip };
}

describe('loading the module (installDune)', () => {
  it('registers /dev/dune, the exit handlers of vmx_launch, the resume hook and the MMU notifier', () => {
    const { k } = boot();
    expect(k.drivers.has('/dev/dune')).toBe(true);
    const handled = [EXIT_REASON.EXCEPTION_NMI, EXIT_REASON.EXTERNAL_INTERRUPT, EXIT_REASON.CPUID, EXIT_REASON.HLT, EXIT_REASON.VMCALL, EXIT_REASON.EPT_VIOLATION];
    expect(handled).toEqual([0, 1, 10, 12, 18, 48]);
    expect(Object.keys(k.exitHandlers).map(Number).sort((a, b) => a - b)).toEqual(handled);
    expect(k.resumeHook).not.toBeNull();
    expect(k.notifiers.length).toBeGreaterThan(0);
  });

  it('the MSR bitmap intercepts every MSR except FS.base and GS.base, for reads and writes', () => {
    const { m, r } = entered();
    expect(r).toBe(0n);
    const bm = Number(m.vmx.current!.read(VMCS.MSR_BITMAP));
    expect(bm % 4096).toBe(0);
    const bytes = Array.from({ length: 4096 }, (_, i) => m.mem.read8(bm + i));
    // SDM "MSR-Bitmap Address": read low 0x000, read high 0x400, write low 0x800, write high 0xc00;
    // FS.base is 0xc0000100 and GS.base 0xc0000101: bits 0 and 1 of byte 0x20 of the high halves.
    const clear = bytes.map((b, i) => [i, b] as const).filter(([, b]) => b !== 0xff);
    expect(clear).toEqual([[0x420, 0xfc], [0xc20, 0xfc]]);
    expect([MSR.IA32_FS_BASE, MSR.IA32_GS_BASE]).toEqual([0xc0000100, 0xc0000101]);
    expect([m.vmx.msrExits(MSR.IA32_FS_BASE, true), m.vmx.msrExits(MSR.IA32_GS_BASE, false), m.vmx.msrExits(MSR.IA32_LSTAR, false), m.vmx.msrExits(0xc0000102, true)])
      .toEqual([false, false, true, true]);
  });
});

describe('the ioctls of /dev/dune', () => {
  it('DUNE_GET_SYSCALL returns the host LSTAR', () => {
    const { m, ioctl } = boot();
    m.cpu.msr.set(MSR.IA32_LSTAR, 0xffff_ffff_8100_0123n);
    expect(ioctl(DUNE_IOCTL.DUNE_GET_SYSCALL, 0)).toBe(0xffff_ffff_8100_0123n);
  });

  it('DUNE_GET_LAYOUT copies struct dune_layout (phys_limit, base_map, base_stack) out, or -EFAULT', () => {
    const { k, buf, ioctl } = boot();
    expect(ioctl(DUNE_IOCTL.DUNE_GET_LAYOUT, buf + 8)).toBe(0n);
    const dv = new DataView(k.copyFromUser(buf, 40)!.buffer);
    expect([0, 8, 16, 24, 32].map((o) => dv.getBigUint64(o, true))).toEqual([0n, 0x3_0000_0000n, 0x7eff_0000_0000n, 0x7fff_0000_0000n, 0n]);
    expect(ioctl(DUNE_IOCTL.DUNE_GET_LAYOUT, 0x10)).toBe(BigInt(-EFAULT));
  });

  it('another command is -ENOTTY', () => {
    const { ioctl } = boot();
    expect(ioctl(0xe904, 0)).toBe(BigInt(-ENOTTY));
    expect(ioctl(0, 0)).toBe(BigInt(-ENOTTY));
  });

  it('DUNE_ENTER from a config that is not mapped is -EFAULT, with no vcpu made', () => {
    const { ioctl, proc, m } = boot();
    expect(ioctl(DUNE_IOCTL.DUNE_ENTER, 0x10)).toBe(BigInt(-EFAULT));
    expect(proc().vcpu).toBeUndefined();
    expect(m.vmx.nonRoot).toBe(false);
  });

  it('DUNE_ENTER launches the guest at the config’s RIP, RSP, CR3 and RFLAGS, VPID 1, RAX 0', () => {
    const { m, k, r, v, details, proc, buf } = entered({ vpid: true });
    expect(r).toBe(0n);
    expect(proc().vcpu).toBe(v);
    expect(v).toMatchObject({ vpid: 1, cfg: buf, regs: null });
    expect(v.linux).not.toBeNull();
    expect(m.vmx.nonRoot).toBe(true);
    expect(m.vmx.current!.launched).toBe(true);
    const f = (x: keyof typeof VMCS) => m.vmx.current!.read(VMCS[x]);
    expect([f('GUEST_RIP'), f('GUEST_RSP'), f('GUEST_CR3'), f('GUEST_RFLAGS')]).toEqual([0x401000n, 0x7fff_ffff_e000n, BigInt(k.proc.root), 0x2n]);
    expect([m.cpu.rip, m.cpu.get(4), m.cpu.get(0), m.cpu.cpl]).toEqual([0x401000, 0x7fff_ffff_e000n, 0n, 0]);
    expect(details('dune_enter')).toEqual([`pid 1: VMCS ${v.vmcs}, VPID 1, EPTP 0x${v.eptp.toString(16)} (empty: filled on EPT violations), guest CR3 0x${k.proc.root.toString(16)}`]);
  });

  it('DUNE_ENTER with VPIDs off says so; the VPID is one above every other process’s, running or parked', () => {
    const b = boot({ vpid: false });
    b.k.procs.push({ vcpu: { vpid: 4 } } as never, { parked: { vpid: 9 } } as never, {} as never);
    b.k.copyToUser(b.buf, config({ ...GUEST, cr3: BigInt(b.k.proc.root) }));
    expect(b.ioctl(DUNE_IOCTL.DUNE_ENTER, b.buf)).toBe(0n);
    expect(b.proc().vcpu!.vpid).toBe(10);
    expect(b.details('dune_enter')[0]).toMatch(/^pid 1: VMCS \d+, VPID off, EPTP /);
  });

  it('DUNE_ENTER for a process already in Dune mode is -EBUSY', () => {
    const { m, ioctl, buf, v, proc } = entered();
    m.vmx.exit(new VmExit(EXIT_REASON.HLT, 0, null, null, 1)); // back in root mode, as in a hypercall
    expect(ioctl(DUNE_IOCTL.DUNE_ENTER, buf)).toBe(BigInt(-EBUSY));
    expect(proc().vcpu).toBe(v);
  });

  it('a VMLAUNCH that fails is -EINVAL, says why and leaves no vcpu', () => {
    const b = boot();
    b.k.copyToUser(b.buf, config({ ...GUEST, rip: 0x8000_0000_0000n, cr3: BigInt(b.k.proc.root) })); // non-canonical RIP
    expect(b.ioctl(DUNE_IOCTL.DUNE_ENTER, b.buf)).toBe(BigInt(-EINVAL));
    expect(b.proc().vcpu).toBeUndefined();
    expect(b.details('vmx_launch')).toEqual([expect.stringMatching(/^VMLAUNCH failed: VM-entry failure: invalid guest state/)]);
  });
});

describe('VMCALL: the hypercall is a system call (vmx_handle_syscall)', () => {
  const vmcall = new VmExit(EXIT_REASON.VMCALL, 0, null, null, 3);

  it('getpid: RIP past the 3-byte VMCALL, RAX the result, then VMRESUME', () => {
    const { m, exit, guestRip, v, events } = entered();
    m.cpu.set(0, 39n);
    exit(vmcall);
    expect([guestRip(), m.cpu.rip, m.cpu.get(0), m.vmx.nonRoot]).toEqual([0x401003n, 0x401003, 1n, true]);
    expect(v.regs).toBeNull();
    expect(events.filter((e) => e.type === 'syscall').at(-1)).toMatchObject({ nr: 39, name: 'getpid', via: 'vmcall', ret: '0x1' });
    expect(events.at(-1)).toMatchObject({ type: 'vmentry', kind: 'resume', rip: '0x401003' });
  });

  it('the arguments are rdi, rsi, rdx, r10, r8, r9 (write(1, "hello", 5))', () => {
    const { m, exit, buf } = entered();
    const set = (r: number, x: number) => m.cpu.set(r, BigInt(x));
    set(0, 1); set(7, 1); set(6, buf + 2048); set(2, 5); set(10, 0xdead); set(8, 0xbeef); set(9, 0xf00d);
    exit(vmcall);
    expect(m.cpu.get(0)).toBe(5n);
    expect(m.out.map((o) => o.text).join('')).toBe('hello');
  });

  it('the cost: exit dispatch and the VMCALL path, then the entry', () => {
    const { m, k } = entered();
    m.cpu.set(0, 313n);
    m.vmx.exit(vmcall);
    const before = m.cycles;
    k.exitHandlers[EXIT_REASON.VMCALL]!(k, m);
    expect(m.cycles - before).toBe(m.costs.dune.exitDispatch + m.costs.dune.vmcallPath + m.costs.vmentry);
  });

  it('numbers above 312 are -EINVAL (the event shows the low 32 bits); 312 itself is dispatched', () => {
    const { m, exit, events } = entered();
    m.cpu.set(0, 313n);
    exit(vmcall);
    expect(m.cpu.get(0)).toBe(neg(EINVAL));
    expect(events.filter((e) => e.type === 'syscall').at(-1)).toMatchObject({ nr: 313, name: 'invalid', args: [], ret: '0xffffffffffffffea', via: 'vmcall' });
    m.cpu.set(0, 0x1_0000_0027n); // 2^32 + 39: not getpid
    exit(vmcall);
    expect(m.cpu.get(0)).toBe(neg(EINVAL));
    expect(events.filter((e) => e.type === 'syscall').at(-1)).toMatchObject({ nr: 39, name: 'invalid' });
    m.cpu.set(0, 312n);
    exit(vmcall);
    expect(m.cpu.get(0)).not.toBe(neg(EINVAL));
    expect(events.filter((e) => e.type === 'syscall').at(-1)).toMatchObject({ nr: 312 });
    expect(m.vmx.nonRoot).toBe(true);
  });

  it('number 0 (read) is a system call like any other: read(99, ...) is -EBADF', () => {
    const { m, exit, events } = entered();
    m.cpu.set(0, 0n); m.cpu.set(7, 99n);
    exit(vmcall);
    expect(m.cpu.get(0)).toBe(neg(9));
    expect(events.filter((e) => e.type === 'syscall').at(-1)).toMatchObject({ nr: 0, name: 'read', via: 'vmcall' });
  });

  it('a hypercall that sleeps (wait4 for a running child): another process runs, the vcpu keeps its registers', () => {
    const { m, k, exit, v } = entered();
    m.cpu.set(0, 57n);
    exit(vmcall); // fork: pid 2, runnable
    const sw = k.switches;
    m.cpu.set(0, 61n); m.cpu.set(7, U64 - 1n); m.cpu.set(6, 0n); m.cpu.set(2, 0n); m.cpu.set(10, 0n); m.cpu.set(12, 0x1212n);
    m.vmx.exit(vmcall);
    const regs = Array.from({ length: 16 }, (_, i) => m.cpu.get(i));
    k.exitHandlers[EXIT_REASON.VMCALL]!(k, m);
    expect(k.switches).toBeGreaterThan(sw);
    expect([k.proc.pid, m.vmx.nonRoot, m.cpu.cpl]).toEqual([2, false, 3]);
    expect(v.regs).toEqual(regs);
  });

  it('sigaltstack and iopl are refused with -EINVAL', () => {
    const { m, exit, events } = entered();
    for (const [nr, name] of [[131, 'sigaltstack'], [172, 'iopl']] as const) {
      m.cpu.set(0, BigInt(nr)); m.cpu.set(7, 0n);
      exit(vmcall);
      expect(m.cpu.get(0)).toBe(neg(EINVAL));
      expect(events.filter((e) => e.type === 'syscall').at(-1)).toEqual(expect.objectContaining({ nr, name, args: [], ret: '0xffffffffffffffea', via: 'vmcall' }));
    }
  });

  it('fork, vfork and clone: the child starts outside Dune in ring 3 at the next instruction, RAX 0', () => {
    for (const nr of [57, 58, 56]) {
      const { m, k, exit, details } = entered();
      m.cpu.set(0, BigInt(nr)); m.cpu.set(3, 0x1234n); m.cpu.set(1, 0x401777n);
      m.vmx.current!.hwWrite(VMCS.GUEST_RFLAGS, 0x46n); // the exit saves RFLAGS: set it after
      m.cpu.set(4, 0x7fff_ffff_d000n); // guest RSP, saved by the exit
      m.vmx.exit(vmcall);
      m.vmx.current!.hwWrite(VMCS.GUEST_RFLAGS, 0x1_0000_0046n);
      k.exitHandlers[EXIT_REASON.VMCALL]!(k, m);
      const child = k.procs.at(-1)!;
      expect(child.pid).toBe(2);
      expect(m.cpu.get(0)).toBe(2n);
      expect(child.ctx).toMatchObject({ rip: 0x401003, rflags: 0x246, cs: SEL.USER_CS, ss: SEL.USER_DS, origRax: BigInt(nr), via: 'exception' });
      expect(child.ctx!.regs[4]).toBe(0x7fff_ffff_d000n);
      expect(child.ctx!.regs[0]).toBe(0n);
      expect(child.ctx!.regs[3]).toBe(0x1234n);
      expect(details('dune_dofork')).toEqual(['pid 2 starts outside Dune, in ring 3 at 0x401003']);
      void exit;
    }
  });

  it('fork through libdune’s syscall page (a kernel-half RIP): the child returns to RCX', () => {
    const { m, k, details } = entered();
    m.cpu.set(0, 57n); m.cpu.set(1, 0x401777n);
    m.vmx.exit(vmcall);
    // A VMCALL whose next instruction is the lowest kernel-half address, 2^47 (sign-extended).
    m.vmx.current!.hwWrite(VMCS.GUEST_RIP, 0xffff_7fff_ffff_fffdn);
    k.exitHandlers[EXIT_REASON.VMCALL]!(k, m);
    expect(k.procs.at(-1)!.ctx!.rip).toBe(0x401777);
    expect(details('dune_dofork')).toEqual(['pid 2 starts outside Dune, in ring 3 at 0x401777']);
  });

  it('exit from the guest ends the run: no RAX written, no VM entry, the registers kept', () => {
    const { m, k, exit, v, events } = entered();
    m.cpu.set(0, 60n); m.cpu.set(7, 7n); m.cpu.set(15, 0xf15n);
    m.vmx.exit(vmcall);
    const regs = Array.from({ length: 16 }, (_, i) => m.cpu.get(i));
    k.exitHandlers[EXIT_REASON.VMCALL]!(k, m);
    void exit;
    expect(m.status).toMatchObject({ code: 7, how: 'exit' });
    expect(m.cpu.get(0)).toBe(60n);
    expect(v.regs).toEqual(regs);
    expect(events.filter((e) => e.type === 'vmentry')).toHaveLength(1); // the launch only
  });
});

describe('resuming: the scheduler’s hook, pending signals, re-injection, failures', () => {
  it('resumeHook: the vcpu’s VMCS becomes current, its saved registers come back, RAX the result', () => {
    const { m, k, v } = entered();
    const mine = m.vmx.current!;
    v.regs = Array.from({ length: 16 }, (_, i) => BigInt(0x100 + i));
    m.vmx.exit(new VmExit(EXIT_REASON.VMCALL, 0, null, null, 3));
    for (let i = 0; i < 16; i++) m.cpu.set(i, 0n);
    m.vmx.vmptrld(m.vmx.allocVmcs());
    k.resumeHook!(k.proc, 0x55n);
    expect(m.vmx.current).toBe(mine);
    expect(m.vmx.nonRoot).toBe(true);
    expect(v.regs).toBeNull();
    expect(Array.from({ length: 16 }, (_, i) => m.cpu.get(i)).filter((_, i) => i !== 4)).toEqual([0x55n, ...Array.from({ length: 15 }, (_, i) => BigInt(0x101 + i))].filter((_, i) => i !== 4));
  });

  it('resumeHook without a result leaves RAX; without saved registers leaves them all', () => {
    const { m, k, v } = entered();
    v.regs = Array.from({ length: 16 }, (_, i) => BigInt(0x100 + i));
    m.vmx.exit(new VmExit(EXIT_REASON.VMCALL, 0, null, null, 3));
    k.resumeHook!(k.proc);
    expect(m.cpu.get(0)).toBe(0x100n);
    m.vmx.exit(new VmExit(EXIT_REASON.VMCALL, 0, null, null, 3));
    m.cpu.set(3, 0x77n);
    k.resumeHook!(k.proc, 1n);
    expect([m.cpu.get(0), m.cpu.get(3)]).toEqual([1n, 0x77n]);
  });

  it('a pending, unblocked signal: DUNE_RET_SIGNAL, the guest state into the config, back to Linux', () => {
    const { m, k, exit, proc, v, buf, details } = entered();
    k.queueSignal(k.proc, { signo: SIGNALS.SIGUSR1, code: 0, addr: 0, pid: 1 });
    const toUser = vi.spyOn(k, 'exitToUser').mockImplementation(() => {});
    m.vmx.exit(new VmExit(EXIT_REASON.HLT, 0, null, null, 1));
    for (const r of [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) m.cpu.set(r, BigInt(0x1000 + r));
    m.vmx.current!.hwWrite(VMCS.GUEST_RFLAGS, 0x246n);
    k.exitHandlers[EXIT_REASON.HLT]!(k, m);
    void exit;
    expect(toUser).toHaveBeenCalledWith(k.proc);
    expect([proc().vcpu, proc().parked]).toEqual([undefined, v]);
    expect(m.vmx.nonRoot).toBe(false);
    const dv = new DataView(k.copyFromUser(buf, CFG.size)!.buffer);
    const q = (o: number) => dv.getBigUint64(o, true);
    expect(q(CFG.ret)).toBe(4n); // DUNE_RET_SIGNAL
    expect([q(CFG.rip), q(CFG.rsp), q(CFG.rflags), q(CFG.cr3)]).toEqual([0x401001n, 0x7fff_ffff_e000n, 0x246n, BigInt(k.proc.root)]);
    const gprs = [[0, 0x08], [3, 0x10], [1, 0x18], [2, 0x20], [6, 0x28], [7, 0x30], [5, 0x40], [8, 0x48], [9, 0x50], [10, 0x58], [11, 0x60], [12, 0x68], [13, 0x70], [14, 0x78], [15, 0x80]];
    expect(gprs.map(([r, o]) => [r, q(o)])).toEqual(gprs.map(([r]) => [r, BigInt(0x1000 + r)]));
    const ctx = k.proc.ctx!;
    expect([ctx.regs[0], ctx.regs[4], ctx.via]).toEqual([0n, 0x7fff_ffff_df00n, 'exception']);
    expect(ctx.rip).toBe(v.linux!.rip);
    expect(details('vmx_launch')).toEqual(['pid 1: a signal is pending: DUNE_RET_SIGNAL, back to Linux to deliver it']);
  });

  it('a config that can no longer be read: the exit to Linux still happens (the copy-out fails)', () => {
    const { k, exit, proc, v } = entered();
    v.cfg = 0x10;
    k.queueSignal(k.proc, { signo: SIGNALS.SIGUSR1, code: 0, addr: 0, pid: 1 });
    vi.spyOn(k, 'exitToUser').mockImplementation(() => {});
    exit(new VmExit(EXIT_REASON.HLT, 0, null, null, 1));
    expect(proc().parked).toBe(v);
  });

  it('a blocked signal waits; SIGKILL is never blocked', () => {
    const { m, k, exit, proc } = entered();
    k.proc.sig.blocked = 1n << BigInt(SIGNALS.SIGUSR1 - 1);
    k.queueSignal(k.proc, { signo: SIGNALS.SIGUSR1, code: 0, addr: 0, pid: 1 });
    exit(new VmExit(EXIT_REASON.HLT, 0, null, null, 1));
    expect([m.vmx.nonRoot, proc().parked]).toEqual([true, undefined]);
    k.proc.sig.blocked = ~0n;
    vi.spyOn(k, 'exitToUser').mockImplementation(() => {});
    k.proc.sig.pending.push({ signo: SIGNALS.SIGKILL, code: 0, addr: 0, pid: 1 });
    exit(new VmExit(EXIT_REASON.HLT, 0, null, null, 1));
    expect([m.vmx.nonRoot, proc().parked !== undefined]).toEqual([false, true]);
  });

  it('a signal below the lowest: signal 1 blocked by bit 0 only', () => {
    const { m, k, exit } = entered();
    k.proc.sig.blocked = 1n; // SIGHUP
    k.proc.sig.pending.push({ signo: SIGNALS.SIGHUP, code: 0, addr: 0, pid: 1 });
    exit(new VmExit(EXIT_REASON.HLT, 0, null, null, 1));
    expect(m.vmx.nonRoot).toBe(true);
    k.proc.sig.blocked = 2n;
    vi.spyOn(k, 'exitToUser').mockImplementation(() => {});
    exit(new VmExit(EXIT_REASON.HLT, 0, null, null, 1));
    expect(m.vmx.nonRoot).toBe(false);
  });

  it('the config kept and then re-entered: DUNE_ENTER of a parked vcpu VMRESUMEs with the config’s state', () => {
    const { m, k, exit, proc, v, buf, ioctl, details } = entered();
    k.queueSignal(k.proc, { signo: SIGNALS.SIGUSR1, code: 0, addr: 0, pid: 1 });
    vi.spyOn(k, 'exitToUser').mockImplementation(() => { k.proc.sig.pending = []; k.proc.ctx = null; });
    exit(new VmExit(EXIT_REASON.HLT, 0, null, null, 1));
    expect(proc().parked).toBe(v);
    const gprs: Record<number, bigint> = {};
    for (const [i, o] of [0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x58, 0x60, 0x68, 0x70, 0x78, 0x80].entries()) gprs[o] = BigInt(0x2000 + i);
    k.copyToUser(buf, config({ ...gprs, rip: 0x401040n, rsp: 0x7fff_ffff_c000n, rflags: 0x200n, cr3: 0x999000n }));
    m.cpu.cs = SEL.KERNEL_CS;
    const vmcs = m.vmx.current!;
    m.vmx.vmptrld(m.vmx.allocVmcs());
    expect(ioctl(DUNE_IOCTL.DUNE_ENTER, buf)).toBe(0n);
    expect([proc().vcpu, proc().parked]).toEqual([v, undefined]);
    expect(m.vmx.current).toBe(vmcs);
    expect(v.cfg).toBe(buf);
    expect(m.vmx.nonRoot).toBe(true);
    const f = (x: keyof typeof VMCS) => m.vmx.current!.read(VMCS[x]);
    expect([f('GUEST_RIP'), f('GUEST_RSP'), f('GUEST_RFLAGS'), f('GUEST_CR3')]).toEqual([0x401040n, 0x7fff_ffff_c000n, 0x202n, BigInt(k.proc.root)]);
    expect([m.cpu.rip, m.cpu.get(4)]).toEqual([0x401040, 0x7fff_ffff_c000n]);
    // rax rbx rcx rdx rsi rdi rbp r8..r15 in the config's order.
    const order = [0, 3, 1, 2, 6, 7, 5, 8, 9, 10, 11, 12, 13, 14, 15];
    expect(order.map((r) => m.cpu.get(r))).toEqual(order.map((_, i) => BigInt(0x2000 + i)));
    expect(details('dune_enter').at(-1)).toBe('pid 1 re-enters Dune mode at 0x401040 (after a signal)');
  });

  it('an event whose delivery the exit interrupted is injected again at entry (IDT-vectoring information)', () => {
    const b0 = entered();
    const { m, exit, details } = b0;
    const inject = vi.spyOn(m, 'injectEvent').mockImplementation(() => {});
    const { buf } = b0;
    const e = new VmExit(EXIT_REASON.EPT_VIOLATION, 0x81, buf, buf);
    e.idtInfo = 0x8000_0b0e; e.idtError = 6; // #PF, hardware exception (3), error code valid
    exit(e);
    expect(inject).toHaveBeenCalledWith(14, 3, 6, 0);
    expect(m.vmx.current!.read(VMCS.IDT_VECTORING_INFO_FIELD)).toBe(0n);
    expect(details('vmx_complete_interrupts')).toEqual(['#PF (vector 14, error code 0x6) re-injected: delivered again after the EPT fill (IDT-vectoring information, as KVM does; Dune\'s code has this path under #if 0, so on real Dune the guest re-executes the instruction and raises it again)']);
    // A software interrupt (type 4) with its instruction length, no error code, after another exit.
    const e2 = new VmExit(EXIT_REASON.EXTERNAL_INTERRUPT, 0, null, null, 0, 0x8000_0020);
    e2.idtInfo = 0x8000_0480; e2.idtInstrLen = 2;
    exit(e2);
    expect(inject).toHaveBeenLastCalledWith(0x80, 4, null, 2);
    expect(details('vmx_complete_interrupts')[1]).toMatch(/^vector 128 \(vector 128\) re-injected: delivered again after the EXTERNAL_INTERRUPT exit \(/);
  });

  it('re-injection goes before a pending signal; an unknown exit reason is named by number', () => {
    const { m, k, proc, details } = entered();
    vi.spyOn(m, 'injectEvent').mockImplementation(() => {});
    k.queueSignal(k.proc, { signo: SIGNALS.SIGUSR1, code: 0, addr: 0, pid: 1 });
    const e = new VmExit(EXIT_REASON.HLT, 0, null, null, 1);
    e.idtInfo = 0x8000_0306; // #UD
    m.vmx.exit(e);
    m.vmx.current!.hwWrite(VMCS.VM_EXIT_REASON, 77n);
    k.exitHandlers[EXIT_REASON.HLT]!(k, m);
    expect([m.vmx.nonRoot, proc().parked]).toEqual([true, undefined]);
    expect(details('vmx_complete_interrupts')[0]).toMatch(/^#UD \(vector 6\) re-injected: delivered again after the reason 77 exit \(/);
  });

  it('a VMRESUME that fails ends the process with a report', () => {
    const { m, k, exit } = entered();
    vi.spyOn(m.vmx, 'vmresume').mockReturnValue({ ok: false, error: 5, check: 'resume-non-launched', arg: '', message: 'VMRESUME with a non-launched VMCS' });
    exit(new VmExit(EXIT_REASON.HLT, 0, null, null, 1));
    expect(k.report).toEqual(['dune: VMRESUME failed: VMRESUME with a non-launched VMCS']);
    expect(m.status).toMatchObject({ code: 137, how: 'unhandled-vmexit' });
  });
});

describe('the other exits: CPUID, EPT violation, HLT, external interrupt, exceptions', () => {
  it('CPUID passes the modelled CPU’s values through (leaf = EAX), RIP past the 2-byte CPUID', () => {
    const { m, exit, guestRip } = entered();
    const cases: [bigint, number[]][] = [
      [0n, [0xd, 0x756e6547, 0x6c65746e, 0x49656e69]], // max leaf 0xd, "GenuineIntel"
      [0xffff_ffff_0000_0001n, [0x306a9, 0x10800, 0x20021, 0x178bfbff]], // the high half of RAX is ignored; SSE3, VMX, PCID
      [0x8000_0000n, [0x8000_0008, 0, 0, 0]],
      [0x8000_0001n, [0, 0, 1, 0x2010_0800]], // LAHF; SYSCALL, NX, LM
      [0x8000_0008n, [0x3024, 0, 0, 0]], // 36-bit physical, 48-bit linear
      [2n, [0, 0, 0, 0]],
    ];
    let rip = 0x401000n;
    for (const [leaf, want] of cases) {
      m.cpu.set(0, leaf);
      exit(new VmExit(EXIT_REASON.CPUID, 0, null, null, 2));
      rip += 2n;
      expect([0, 3, 1, 2].map((r) => Number(m.cpu.get(r)))).toEqual(want);
      expect(guestRip()).toBe(rip);
    }
    expect(m.vmx.nonRoot).toBe(true);
  });

  it('CPUID in the guest answers what the CPU answers in root mode', () => {
    const { m, exit } = entered();
    for (const leaf of [0, 1, 0x8000_0000, 0x8000_0001, 0x8000_0008]) {
      m.cpu.set(0, BigInt(leaf));
      exit(new VmExit(EXIT_REASON.CPUID, 0, null, null, 2));
      expect([0, 3, 1, 2].map((r) => m.cpu.get(r))).toEqual(rootCpuid(leaf));
    }
  });

  it('CPUID and HLT cost: exit dispatch plus CPUID; exit dispatch alone', () => {
    const { m, k } = entered();
    m.vmx.exit(new VmExit(EXIT_REASON.CPUID, 0, null, null, 2));
    let before = m.cycles;
    k.exitHandlers[EXIT_REASON.CPUID]!(k, m);
    expect(m.cycles - before).toBe(m.costs.dune.exitDispatch + m.costs.cpuid + m.costs.vmentry);
    m.vmx.exit(new VmExit(EXIT_REASON.HLT, 0, null, null, 1));
    before = m.cycles;
    k.exitHandlers[EXIT_REASON.HLT]!(k, m);
    expect(m.cycles - before).toBe(m.costs.dune.exitDispatch + m.costs.vmentry);
  });

  it('HLT: a yield, RIP past the 1-byte HLT, re-enter', () => {
    const { m, exit, guestRip, details } = entered();
    exit(new VmExit(EXIT_REASON.HLT, 0, null, null, 1));
    expect([guestRip(), m.vmx.nonRoot]).toEqual([0x401001n, true]);
    expect(details('vmx_handle_hlt')).toEqual(['HLT: yield the CPU, then re-enter']);
  });

  it('external interrupt: the host’s handler (the timer tick), then re-enter at the same RIP', () => {
    const { m, k, guestRip, details } = entered();
    m.vmx.exit(new VmExit(EXIT_REASON.EXTERNAL_INTERRUPT, 0, null, null, 0, 0x8000_0020));
    const before = m.cycles;
    k.exitHandlers[EXIT_REASON.EXTERNAL_INTERRUPT]!(k, m);
    expect(m.cycles - before).toBe(m.costs.dune.exitDispatch + m.costs.kernel.timerTick + m.costs.vmentry);
    expect([guestRip(), m.vmx.nonRoot]).toEqual([0x401000n, true]);
    expect(details('vmx_handle_external_intr')).toEqual(['vector 0x20: host handler, then re-enter']);
  });

  it('EPT violation with the linear address valid: the EPT is filled (R-X for a read, RWX for a write), re-enter', () => {
    const { m, k, exit, v, buf } = entered({ eptAd: false });
    m.vmx.exit(new VmExit(EXIT_REASON.EPT_VIOLATION, 0x81, buf, buf));
    k.exitHandlers[EXIT_REASON.EPT_VIOLATION]!(k, m);
    expect(eptLookup(m.mem, v.eptRoot, buf)!.lo & 7).toBe(5);
    expect(m.vmx.nonRoot).toBe(true);
    exit(new VmExit(EXIT_REASON.EPT_VIOLATION, 0x82, buf + 4096, buf + 4096));
    expect(eptLookup(m.mem, v.eptRoot, buf + 4096)!.lo & 7).toBe(7);
    expect(k.report).toEqual([]);
  });

  it('EPT violation with bit 7 clear: refused, DUNE_RET_EPT_VIOLATION, the process ends', () => {
    const { m, k, v, buf, details } = entered();
    m.vmx.exit(new VmExit(EXIT_REASON.EPT_VIOLATION, 0x1, buf, null));
    const before = m.cycles;
    k.exitHandlers[EXIT_REASON.EPT_VIOLATION]!(k, m);
    expect(m.cycles - before).toBe(m.costs.dune.exitDispatch);
    expect(eptLookup(m.mem, v.eptRoot, buf)).toBeNull();
    expect(k.report.slice(0, 2)).toEqual([
      `dune: EPT violation at GPA 0x${buf.toString(16)} (guest linear 0x0, qualification 0x1): exit qualification bit 7 (linear address valid) is clear`,
      'dune: exit code 2 (DUNE_RET_EPT_VIOLATION), guest RIP 0x401000']);
    expect(k.report.slice(2)).toEqual(k.regDump('vmcs').map(englishReport));
    expect(k.report[2]).toBe('guest state at the VM exit (RIP, RSP, RFLAGS from the VMCS guest-state area):');
    expect(details('vmx_do_ept_fault')).toEqual(['refused: exit qualification bit 7 (linear address valid) is clear']);
    expect(m.status).toMatchObject({ code: 137, how: 'unhandled-vmexit' });
    expect(m.vmx.nonRoot).toBe(false);
  });

  it('EPT violation the fill refuses (beyond phys_limit): the reason and the guest linear address reported', () => {
    const { m, k, exit } = entered();
    m.vmx.exit(new VmExit(EXIT_REASON.EPT_VIOLATION, 0x84, 0x3_0000_0000, 0x7fff_0000_1000));
    m.vmx.current!.hwWrite(VMCS.GUEST_LINEAR_ADDRESS, 0xffff_8000_0000_1000n);
    m.vmx.current!.hwWrite(VMCS.GUEST_RIP, 0xffff_8000_0000_0040n);
    k.exitHandlers[EXIT_REASON.EPT_VIOLATION]!(k, m);
    void exit;
    expect(k.report.slice(0, 2)).toEqual([
      'dune: EPT violation at GPA 0x300000000 (guest linear 0xffff800000001000, qualification 0x84): GPA 0x300000000 is beyond phys_limit (the three 4 GiB windows)',
      'dune: exit code 2 (DUNE_RET_EPT_VIOLATION), guest RIP 0xffff800000000040']);
    expect(m.status).toMatchObject({ code: 137, how: 'unhandled-vmexit' });
  });

  it('an exception in the bitmap (#BP): DUNE_RET_INTERRUPT, reported, the process ends as by a signal', () => {
    const { m, k, exit, events } = entered();
    exit(new VmExit(EXIT_REASON.EXCEPTION_NMI, 0, null, null, 1, 0x8000_0603));
    expect(k.report[0]).toBe('dune: exit code 3 (DUNE_RET_INTERRUPT): exception vector 3 trapped to the module (exception bitmap), guest RIP 0x401000');
    expect(k.report.slice(1)).toEqual(k.regDump('vmcs').map(englishReport));
    expect(k.report[1]).toBe('guest state at the VM exit (RIP, RSP, RFLAGS from the VMCS guest-state area):');
    expect(events.filter((e) => e.type === 'kernel' && e.fn === 'vmx_launch').map((e) => (e as { detail: string }).detail)).toEqual(['EXCEPTION_NMI vector 3: DUNE_RET_INTERRUPT']);
    expect(m.status).toMatchObject({ code: 133, how: 'signal' });
  });
});

describe('the MMU notifier', () => {
  it('clears EPT entries behind a changed host range, for a running vcpu and a parked one; not for a process outside Dune', () => {
    const { m, k, exit, v, buf, proc } = entered();
    exit(new VmExit(EXIT_REASON.EPT_VIOLATION, 0x81, buf, buf));
    exit(new VmExit(EXIT_REASON.EPT_VIOLATION, 0x81, buf + 4096, buf + 4096));
    m.vmx.exit(new VmExit(EXIT_REASON.HLT, 0, null, null, 1)); // the notifier runs in root mode
    k.notifyRange(buf, 4096, 'test');
    expect([eptLookup(m.mem, v.eptRoot, buf), eptLookup(m.mem, v.eptRoot, buf + 4096) !== null]).toEqual([null, true]);
    const p = proc();
    p.parked = v; p.vcpu = undefined;
    k.notifyRange(buf + 4096, 4096, 'test');
    expect(eptLookup(m.mem, v.eptRoot, buf + 4096)).toBeNull();
    p.parked = undefined;
    exit; // a process with no vcpu: nothing to do (and nothing throws)
    expect(() => k.notifyRange(buf, 8192, 'test')).not.toThrow();
  });
});

it('DUNE_SIGNAL_INTR_BASE is 200 (kern/dune.h)', () => {
  expect(DUNE_SIGNAL_INTR_BASE).toBe(200);
});

/** CPUID executed by the CPU in root mode (a bare machine running `cpuid`). */
function rootCpuid(leaf: number): bigint[] {
  const s = new Session(asm(`.text\n_start:\n    mov eax, ${leaf}\n    cpuid\n    mov rdi, 0\n    call exit\n`), {});
  const m = s.machine;
  while (m.cpu.rip !== Number(s.program.symbols.get('_start')) + 7 && m.status === null) m.step(1);
  return [0, 3, 1, 2].map((r) => m.cpu.get(r));
}
