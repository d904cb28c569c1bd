// The simulated Linux kernel (VMX root, ring 0), written in TypeScript: it boots the machine,
// creates processes, and runs the system-call, exception and VM-exit entry points that the
// hardware model jumps to (native routines in kernel text). The process features it calls into
// live beside it: sched.ts, signals.ts, fork.ts, ptrace.ts, context.ts. World: VMX root kernel.

import { bootKernel, type Natives } from './boot.ts';
import { KERNEL, ENTRY, entryVa } from './layout.ts';
import { loadImage, findVma, newProc, type Process, type SigInfo, type SyscallVia, type UserCtx, type Cont } from './process.ts';
import { lookup, mapPage, pteAddr } from './pgtable.ts';
import { SYSCALL_TABLE, argCount, syscallArgs, type SyscallCtx, type Rax } from './syscalls.ts';
import { captureException, captureSyscall, restoreUser } from './context.ts';
import { deschedule, terminate } from './sched.ts';
import { catches, deliverSignals, queueSignal, SI } from './signals.ts';
import { breakCow, isCow } from './fork.ts';
import { ptraceStop } from './ptrace.ts';
import { SYSCALL_NAMES, SIGNALS, SIGNAL_NAMES, ERRNO, LAYOUT } from '../arch/linux.ts';
import { VEC, VEC_NAME, PFEC, RFLAGS, SEL } from '../arch/x86.ts';
import { EXIT_NAME, VMCS } from '../arch/vmx.ts';
import { REG64, RAX, RSP } from '../asm/ir.ts';
import { iret, loadCr3, sysret } from '../cpu/system.ts';
import { hex, hexVa, KIND_BIT } from '../trace/events.ts';
import type { Machine, HostSoftware } from '../machine.ts';
import type { OutOfMemory } from '../mem/phys.ts';
import type { Program } from '../asm/ir.ts';
import { rep, tell, type ReportMsg } from '../report.ts';
import { kernelNote } from '../trace/notes.ts';
import { copyState } from './statecopy.ts';

/** A character-device driver. */
export interface Driver {
  ioctl(k: Kernel, cmd: number, arg: bigint): bigint;
  release?(k: Kernel): void;
}

/** A VM-exit handler of VMX-root software (the Dune module registers these by exit reason). */
export type ExitHandler = (k: Kernel, m: Machine) => void;

export interface KernelState {
  procs: Process[]; cur: number; nextPid: number; stdin: number[]; stdinPos: number; report: string[]; reportMsgs: ReportMsg[]; fds: Map<number, string>;
  runq: number[]; frameRefs: Map<number, number>; switches: number;
}

/** How the current process entered the kernel (where its user registers are). */
type Entry = { kind: 'syscall' } | { kind: 'exception'; frame: number; vector: number; err: number };
const SYSCALL_ENTRY: Entry = { kind: 'syscall' };
const SYSCALL_BIT = KIND_BIT.syscall;
const U64_MAX = (1n << 64n) - 1n;
const syscallName = (nr: number) => SYSCALL_NAMES[nr] ?? `syscall_${nr}`;
/** rax as a system call returns it (syscalls.ts Rax), as a bigint. */
const raxBig = (r: Rax): bigint => (typeof r === 'number' ? BigInt(r) : r);

export class Kernel implements HostSoftware, SyscallCtx {
  root: number;
  procs: Process[] = [];
  cur = -1;
  nextPid = 1;
  stdin: number[] = [];
  stdinPos = 0;
  /** Lines the kernel prints about a process it kills (the CLI sends them to stderr). */
  report: string[] = [];
  /** The report's lines as keys with parameters (report.ts), for a page to say in its language. */
  reportMsgs: ReportMsg[] = [];
  /** VM-exit dispatch, keyed by basic exit reason; an exit with no handler is reported, never skipped. */
  exitHandlers: Partial<Record<number, ExitHandler>> = {};
  /** Character-device drivers by path (the Dune module registers /dev/dune). */
  drivers = new Map<string, Driver>();
  /** Open device files: fd -> path (fds 0-2 are the terminal). */
  fds = new Map<number, string>();
  /** MMU-notifier subscribers (the Dune module keeps its EPT in sync through this). */
  notifiers: ((start: number, len: number, why: string, p: Process) => void)[] = [];
  /** Run queue: pids of runnable processes, first in first out. */
  runq: number[] = [];
  /** Sharers of copy-on-write frames: frame number -> number of PTEs mapping it (absent = 1). */
  frameRefs = new Map<number, number>();
  /** Bumped each time the scheduler resumes a process: a caller of dispatch that sees it change
   *  must not return to its process (it slept, stopped or exited, and another one runs). */
  switches = 0;
  /** Set by the Dune module: switching in a process with a vcpu calls this instead of returning to
   *  ring 3; ret is the result of the system call it slept in, if any. */
  resumeHook: ((p: Process, ret?: bigint) => void) | null = null;
  // Scheduler bookkeeping for the native routine now running (never set between instructions).
  depth = 0;
  resched = false;
  sleeping: string | null = null;
  yielding = false;
  private entry: Entry = SYSCALL_ENTRY;

  constructor(readonly m: Machine) {
    m.host = this;
    this.root = bootKernel(m, ENTRIES);
  }

  get proc(): Process { return this.procs[this.cur]; }

  // ---- processes ---------------------------------------------------------------------------

  /** Create a process from an assembled program and switch to it in ring 3 at its entry point. */
  spawn(prog: Program, opts: { name?: string; stdin?: string; runtime?: Program[] } = {}): Process {
    const m = this.m, mem = m.mem;
    const p = this.newProcess(opts.name ?? prog.file, 0);
    const pid = p.pid;
    p.state = 'running';
    loadImage(mem, p, prog, opts.runtime ?? []);
    if (opts.stdin !== undefined) this.stdin = [...new TextEncoder().encode(opts.stdin)];
    m.emit(kernelNote('execve', 'execve', { pid, name: p.name, text: hex(prog.text.base), entry: hex(prog.entry), brk: hex(prog.brk) }));
    this.switchTo(this.procs.length - 1);
    // Start in user mode as start_thread() + IRET does: RIP = entry, RSP = top of stack.
    const c = m.cpu;
    c.rip = prog.entry;
    c.setVa(RSP, LAYOUT.STACK_TOP);
    c.cs = SEL.USER_CS; c.ss = SEL.USER_DS;
    c.setRflags(RFLAGS.FIXED | RFLAGS.IF);
    m.cycles += m.costs.iret;
    m.refresh();
    m.emit({ type: 'ring', from: 0, to: 3, via: 'iret' });
    return p;
  }

  /** A process record with its own PML4 (sharing the kernel half) and kernel stack. */
  newProcess(name: string, ppid: number): Process {
    const mem = this.m.mem;
    const pid = this.nextPid++;
    const root = mem.alloc() * 4096;
    // Share the kernel half: copy the master PML4's upper 256 entries.
    for (let i = 256; i < 512; i++) {
      mem.write32(root + i * 8, mem.read32(this.root + i * 8));
      mem.write32(root + i * 8 + 4, mem.read32(this.root + i * 8 + 4));
    }
    const kstack = KERNEL.STACKS + pid * (KERNEL.STACK_SIZE + 0x2000);
    for (let o = 0; o < KERNEL.STACK_SIZE; o += 4096) mapPage(mem, this.root, kstack + o, mem.alloc(), { w: true, u: false, x: false, g: true });
    const p = newProc(pid, ppid, name, root, kstack + KERNEL.STACK_SIZE);
    this.procs.push(p);
    return p;
  }

  byPid(pid: number): Process | undefined { return this.procs.find((q) => q.pid === pid); }

  /** Load the address space and kernel stack of procs[i]: CR3 and TSS.RSP0 (the scheduler's
   *  contextSwitch in sched.ts charges and reports the switch). */
  switchTo(i: number) {
    const m = this.m, p = this.procs[i];
    this.cur = i;
    m.store(KERNEL.TSS + 4, 8, p.kstackTop >>> 0, (Math.floor(p.kstackTop / 2 ** 32) | 0xffff0000) >>> 0, true);
    loadCr3(m, BigInt(p.root));
  }

  // ---- system calls ------------------------------------------------------------------------

  /** entry_SYSCALL_64. */
  syscallEntry(m: Machine) {
    const c = m.cpu;
    m.cycles += m.costs.kernel.syscallPath;
    this.entry = SYSCALL_ENTRY;
    const p = this.proc;
    // Linux compares the full 64-bit rax with NR_syscall_max.
    const nr = c.hi[RAX] === 0 && c.lo[RAX] < 0x10000 ? c.lo[RAX] : -1;
    if (p.trace && p.trace.mode !== 'cont') {
      // Syscall-entry stop: rax reads -ENOSYS, orig_rax the number (syscall_trace_enter).
      this.ctxOf(p).regs[RAX] = BigInt.asUintN(64, BigInt(-ERRNO.ENOSYS));
      return ptraceStop(this, p, 'syscall-entry', { kind: 'sysenter', emu: p.trace.mode === 'sysemu' });
    }
    const args = syscallArgs(c, nr);
    const sw = this.switches;
    const ret = this.call(nr, args, 'syscall');
    // The process ended, slept or stopped (another one runs now), or the call entered VMX
    // non-root (DUNE_ENTER): no return to user here.
    if (m.status || m.vmx.nonRoot || this.switches !== sw) return;
    if (p.trace?.mode === 'syscall') {
      this.ctxOf(p).regs[RAX] = raxBig(ret);
      return ptraceStop(this, p, 'syscall-exit', { kind: 'user' });
    }
    if (!p.ctx && !p.sig.pending.length) {
      if (typeof ret === 'number') { c.lo[RAX] = ret; c.hi[RAX] = 0; } else c.set(RAX, ret);
      sysret(m);
      return;
    }
    this.ctxOf(p).regs[RAX] = raxBig(ret);
    this.exitToUser(p);
  }

  /** Run system call nr; returns rax (negative errno as two's complement). Used by SYSCALL and,
   *  in Dune mode, by the module's VMCALL handler. */
  dispatch(nr: number, args: bigint[], via: SyscallVia): bigint { return raxBig(this.call(nr, args, via)); }

  /** dispatch() with rax as the call gave it: a number when it is in [0, 2^32) and the call
   *  returned a number (a pid: the system-call path sets RAX from it without BigInt arithmetic;
   *  each bigint comparison or conversion costs tens of ns, and a getpid made four), else a
   *  bigint in [0, 2^64). */
  private call(nr: number, args: bigint[], via: SyscallVia): Rax {
    const m = this.m, p = this.proc;
    const fn = SYSCALL_TABLE[nr];
    let ret: Rax;
    if (!fn) {
      m.emit(kernelNote('sys_ni_syscall', 'noSyscall', { nr }));
      ret = BigInt(-ERRNO.ENOSYS);
    } else ret = fn(this, args);
    if (this.sleeping !== null) {
      // The call sleeps (wait4): it is re-run from the top when the process is woken.
      const why = this.sleeping;
      this.sleeping = null;
      if (p.vcpu === undefined) this.ctxOf(p);
      p.state = 'blocked'; p.waitOn = why; p.cont = { kind: 'restart', nr, args, via };
      m.emit(kernelNote('schedule', 'sleeps', { pid: p.pid, call: syscallName(nr), on: why }));
      deschedule(this);
      return 0n;
    }
    if (typeof ret === 'number') { if (ret < 0 || ret > 0xffffffff || !Number.isInteger(ret)) ret = BigInt.asUintN(64, BigInt(ret)); }
    else if (ret < 0n || ret > U64_MAX) ret = BigInt.asUintN(64, ret);
    // Built only when the sink wants it (a recorder only marks where system calls are).
    if (m.wantsBit(SYSCALL_BIT)) m.emit({ type: 'syscall', nr, name: syscallName(nr), args: args.slice(0, argCount(nr)).map((a) => hex(BigInt.asUintN(64, a))), ret: hex(raxBig(ret)), via });
    else m.noteBit('syscall', SYSCALL_BIT);
    if (p.exitCode !== null && p.state === 'running') {
      terminate(this, p, p.exitCode << 8);
      if (p.pid !== 1) deschedule(this);
    } else if (this.yielding) {
      this.yielding = false;
      if (this.anyRunnable()) {
        if (p.vcpu === undefined) this.ctxOf(p).regs[RAX] = raxBig(ret);
        p.state = 'runnable'; p.cont = { kind: 'user', ret: raxBig(ret) }; this.runq.push(p.pid);
        deschedule(this);
      }
    }
    return ret;
  }

  /** Is a process on the run queue runnable? (A method, not a closure in call(): one there that
   *  reads `this` made every system call allocate its context, 57 bytes.) */
  private anyRunnable(): boolean {
    for (const pid of this.runq) if (this.byPid(pid)?.state === 'runnable') return true;
    return false;
  }

  // ---- the way back to user mode -----------------------------------------------------------

  /** The user context of p: the saved one, or the live registers of the current kernel entry
   *  (kept as p.ctx unless cache is false). */
  ctxOf(p: Process, cache = true): UserCtx {
    if (p.ctx) return p.ctx;
    const e = this.entry;
    const ctx = e.kind === 'syscall' ? captureSyscall(this.m) : captureException(this.m, e.frame, e.vector, e.err);
    if (cache) p.ctx = ctx;
    return ctx;
  }

  /** Deliver pending signals, then return to ring 3 with p's saved context. */
  exitToUser(p: Process) {
    if (p.sig.pending.length && deliverSignals(this, p) !== 'ok') return;
    const ctx = this.ctxOf(p);
    p.ctx = null;
    restoreUser(this.m, ctx, p.kstackTop);
  }

  queueSignal(p: Process, info: SigInfo) { queueSignal(this, p, info); }
  ptraceStop(p: Process, kind: 'signal' | 'syscall-entry' | 'syscall-exit', cont: Cont, sig?: number) { ptraceStop(this, p, kind, cont, sig); }

  /** Drop one mapping of a frame: free it when no other copy-on-write sharer is left. */
  putFrame(fn: number) {
    const n = this.frameRefs.get(fn) ?? 1;
    if (n > 2) this.frameRefs.set(fn, n - 1);
    else if (n === 2) this.frameRefs.delete(fn);
    else this.m.mem.release(fn);
  }

  openDevice(path: string): bigint {
    if (!this.drivers.has(path)) return BigInt(-ERRNO.ENOENT);
    let fd = 3;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, path);
    return BigInt(fd);
  }
  closeFd(fd: number): bigint {
    if (!this.fds.has(fd)) return BigInt(-ERRNO.EBADF);
    this.drivers.get(this.fds.get(fd)!)?.release?.(this);
    this.fds.delete(fd);
    return 0n;
  }
  ioctl(fd: number, cmd: number, arg: bigint): bigint {
    const path = this.fds.get(fd);
    if (!path) return BigInt(-ERRNO.EBADF);
    return this.drivers.get(path)!.ioctl(this, cmd, arg);
  }
  /** The MMU notifier chain for p's address space (invalidate_range_start, release at exit). */
  notifyRange(start: number, len: number, why: string, p: Process = this.proc) {
    for (const n of this.notifiers) n(start, len, why, p);
  }

  output(fd: number, text: string) {
    this.m.out.push({ fd, text });
    this.m.emit({ type: 'output', fd, text });
  }

  /** exit/exit_group: the process ends once the system call event is recorded. */
  exitProcess(code: number) {
    this.proc.exitCode = code & 0xff;
  }

  // ---- user memory (copy_from_user / copy_to_user with demand paging, as get_user_pages) ---

  /** Make sure [va, va+n) is mapped for the access, faulting pages in; false on a bad address (EFAULT). */
  faultIn(va: number, n: number, write: boolean): boolean {
    const p = this.proc;
    for (let pg = va - (va % 4096); pg < va + n; pg += 4096) {
      const vma = findVma(p, pg);
      if (!vma || (write && !vma.w) || (!write && !vma.r)) return false;
      if (!lookup(this.m.mem, p.root, pg)) {
        this.m.cycles += this.m.costs.kernel.faultPath; // handle_mm_fault, reached from get_user_pages
        this.demandPage(pg, vma.w, vma.x, 'get_user_pages');
      }
      else if (write && isCow(this, p, pg)) breakCow(this, p, pg, true);
    }
    return true;
  }
  copyFromUser(va: number, n: number): Uint8Array | null {
    if (!this.faultIn(va, n, false)) return null;
    return this.m.readBytes(va, n, true);
  }
  copyToUser(va: number, bytes: ArrayLike<number>): boolean {
    if (!this.faultIn(va, bytes.length, true)) return false;
    this.m.writeBytes(va, bytes, true);
    return true;
  }

  /** Allocate a zeroed frame and map it at page va (the anonymous-memory fault path). */
  demandPage(va: number, w: boolean, x: boolean, why: string, p: Process = this.proc) {
    const m = this.m;
    const fn = m.mem.alloc();
    m.cycles += m.costs.kernel.pageZero;
    mapPage(m.mem, p.root, va, fn, { w, u: true, x });
    m.emit(kernelNote('handle_mm_fault', 'zeroPage', { why, frame: hex(fn * 4096), va: hexVa(va) }));
  }

  // ---- exceptions --------------------------------------------------------------------------

  exceptionEntry(m: Machine, vector: number) {
    const c = m.cpu;
    const sp = c.va(RSP);
    const hasErr = vector === VEC.DF || vector === VEC.GP || vector === VEC.PF || vector === VEC.NP || vector === VEC.SS || vector === VEC.TS || vector === VEC.AC;
    const err = hasErr ? Number(m.read64(sp) & 0xffffffffn) : 0;
    const frame = sp + (hasErr ? 8 : 0);
    const rip = Number(BigInt.asUintN(48, m.read64(frame)));
    const cs = Number(m.read64(frame + 8));
    const user = (cs & 3) === 3;
    const p = this.proc;
    this.entry = { kind: 'exception', frame, vector, err };
    if (vector === VEC.PF && user) {
      m.cycles += m.costs.kernel.faultPath;
      const addr = c.cr2, page = addr - (addr % 4096);
      const vma = findVma(p, addr);
      const write = (err & PFEC.W) !== 0, fetch = (err & PFEC.I) !== 0;
      const cow = vma !== undefined && (err & PFEC.P) !== 0 && write && vma.w && isCow(this, p, page);
      if (cow || (vma && !(err & PFEC.P) && (write ? vma.w : fetch ? vma.x : vma.r))) {
        if (cow) breakCow(this, p, page, true);
        else this.demandPage(page, vma!.w, vma!.x, 'page fault');
        c.setVa(RSP, frame);
        iret(m);
        return;
      }
      if (catches(p, SIGNALS.SIGSEGV)) return this.signalFault(p, { signo: SIGNALS.SIGSEGV, code: vma ? SI.SEGV_ACCERR : SI.SEGV_MAPERR, addr, pid: 0 });
      return this.kill(SIGNALS.SIGSEGV, rip, rep('segfault', { who: `${p.name}[${p.pid}]`, addr: hexVa(addr), ip: hexVa(rip), sp: hexVa(Number(BigInt.asUintN(48, m.read64(frame + 24)))), err: err & 0x1f }), frame);
    }
    const sig = vector === VEC.DE ? SIGNALS.SIGFPE : vector === VEC.UD ? SIGNALS.SIGILL : vector === VEC.BP || vector === VEC.DB ? SIGNALS.SIGTRAP : SIGNALS.SIGSEGV;
    if (!user) {
      m.emit(kernelNote('die', 'kernelOops', { vector: VEC_NAME[vector], rip: hexVa(rip) }));
      tell(this, rep('bug-kernel-mode', { vec: VEC_NAME[vector], rip: hexVa(rip) }));
      m.exit(128 + SIGNALS.SIGKILL, 'signal');
      return;
    }
    if (catches(p, sig)) {
      const code = sig === SIGNALS.SIGFPE ? SI.FPE_INTDIV : sig === SIGNALS.SIGILL ? SI.ILL_ILLOPN : SI.KERNEL;
      return this.signalFault(p, { signo: sig, code, addr: code === SI.KERNEL ? 0 : rip, pid: 0 });
    }
    this.kill(sig, rip, rep('trap', { who: `${p.name}[${p.pid}]`, vec: VEC_NAME[vector], trap: trapName(vector), ip: hexVa(rip), ...(hasErr ? { err } : {}) }), frame);
  }

  /** A fault the process has a handler for: the signal goes first, delivered on this return. */
  private signalFault(p: Process, info: SigInfo) {
    p.sig.pending.unshift(info);
    this.ctxOf(p);
    this.exitToUser(p);
  }

  /** Deliver a fatal signal (no handler installed): report as the kernel does and end the process.
   *  first: the report's first line ('segfault' or 'trap'), which force_sig's event says too. */
  kill(signo: number, rip: number, first: ReportMsg, frame?: number) {
    const m = this.m, p = this.proc;
    const name = SIGNAL_NAMES[signo] ?? `signal ${signo}`;
    m.emit({ type: 'signal', signo, name, handler: 'SIG_DFL' });
    const op = this.opAt(rip);
    tell(this, first, rep('signal-at', { name, signo, rip: hexVa(rip), ...(op ? { op: op.text, line: op.line } : {}) }), ...this.regDump(frame));
    m.emit(kernelNote('force_sig', 'reportLine', { line: first }));
    // pid 1's death ends the run (status 128 + signo); another process becomes a zombie.
    terminate(this, p, signo);
    if (p.pid !== 1) deschedule(this);
  }

  /** The decoded instruction at a user address of the current process, if any. */
  opAt(va: number) {
    const e = lookup(this.m.mem, this.proc.root, va);
    if (!e) return undefined;
    const pa = ((e[1] & 0xfffff) * 2 ** 32) + ((e[0] & 0xfffff000) >>> 0);
    return this.m.mem.frames[pa / 4096]?.code?.[va % 4096];
  }

  /** Registers as the kernel prints them. User values: RIP, RSP and RFLAGS from the exception
   *  frame; after a VM exit ('vmcs'), from the VMCS guest-state area, as Dune's vmx_dump_cpu reads
   *  GUEST_RIP, GUEST_RSP and GUEST_RFLAGS (the exit loaded HOST_RSP into RSP; the other general
   *  registers are still the guest's: a VM exit does not save them). */
  regDump(from?: number | 'vmcs'): ReportMsg[] {
    const m = this.m, c = m.cpu, v = m.vmx.current;
    const vmcs = from === 'vmcs' && v !== null;
    const frame = typeof from === 'number' ? from : undefined;
    const rip = vmcs ? v.read(VMCS.GUEST_RIP) : frame !== undefined ? m.read64(frame) : BigInt(c.rip);
    const rsp = vmcs ? v.read(VMCS.GUEST_RSP) : frame !== undefined ? m.read64(frame + 24) : c.get(RSP);
    const fl = vmcs ? v.read(VMCS.GUEST_RFLAGS) : frame !== undefined ? m.read64(frame + 16) : BigInt(c.rflags());
    const h = (v: bigint) => v.toString(16).padStart(16, '0');
    const regs = REG64.map((n, i) => `${n.toUpperCase().padEnd(3)}: ${h(i === RSP ? rsp : c.get(i))}`);
    const rows = [`RIP: ${h(rip)} RFLAGS: ${h(fl)}`];
    for (let i = 0; i < 16; i += 4) rows.push(regs.slice(i, i + 4).join(' '));
    const lines = rows.map((text) => rep('regs', { text }));
    return vmcs ? [rep('regs-vmcs'), ...lines] : lines;
  }

  /** The timer interrupt from ring 3 (a tick: account it, acknowledge the APIC, IRETQ). This
   *  kernel does not preempt on ticks; processes switch when they block, yield or exit. */
  timerEntry(m: Machine) {
    m.cycles += m.costs.kernel.timerTick;
    m.emit(kernelNote('local_apic_timer_interrupt', 'timerTick', {}));
    iret(m);
  }

  /** The OOM killer: host-physical memory is exhausted; the current process is killed. */
  outOfMemory(e: OutOfMemory) {
    const p = this.proc;
    tell(this, rep('oom', { pid: p.pid, name: p.name, frames: e.frames }));
    this.m.emit(kernelNote('oom_kill_process', 'oom', { pid: p.pid, frames: e.frames }));
    this.m.exit(128 + SIGNALS.SIGKILL, 'signal');
  }

  // ---- VM exits ----------------------------------------------------------------------------

  vmexitEntry(m: Machine) {
    const v = m.vmx.current!;
    const reason = Number(v.read(VMCS.VM_EXIT_REASON) & 0xffffn);
    const h = this.exitHandlers[reason];
    if (h) { h(this, m); return; }
    // Loud fallback: an exit nobody handles ends the process with its reason and qualification.
    const qual = v.read(VMCS.EXIT_QUALIFICATION);
    const name = EXIT_NAME[reason] ?? `reason ${reason}`;
    m.emit(kernelNote('vmx_launch', 'unhandledExit', { reason, name, qualification: hex(qual) }));
    const grip = Number(BigInt.asUintN(48, v.read(VMCS.GUEST_RIP)));
    tell(this, rep('unhandled-vmexit', { reason, name, qual: hex(qual), rip: hexVa(grip),
      ...(reason === 48 ? { gpa: hex(v.read(VMCS.GUEST_PHYSICAL_ADDRESS)), gla: hex(v.read(VMCS.GUEST_LINEAR_ADDRESS)) } : {}) }),
      ...this.regDump('vmcs'));
    m.exit(128 + SIGNALS.SIGKILL, 'unhandled-vmexit');
  }

  // ---- snapshots ---------------------------------------------------------------------------

  save(): KernelState {
    return copyState({ procs: this.procs, cur: this.cur, nextPid: this.nextPid, stdin: this.stdin, stdinPos: this.stdinPos, report: this.report, reportMsgs: this.reportMsgs, fds: this.fds,
      runq: this.runq, frameRefs: this.frameRefs, switches: this.switches });
  }
  restore(s: unknown) {
    const k = copyState(s as KernelState);
    this.procs = k.procs; this.cur = k.cur; this.nextPid = k.nextPid; this.stdin = k.stdin; this.stdinPos = k.stdinPos; this.report = k.report; this.reportMsgs = k.reportMsgs; this.fds = k.fds;
    this.runq = k.runq; this.frameRefs = k.frameRefs; this.switches = k.switches;
  }
}

/** The kernel's entry points as native routines: one function each for every Kernel (the kernel
 *  is the machine's host software), not closures made per instance, so the interpreter's call of
 *  a native routine sees the same targets in every session and V8 keeps runBatch optimised (a new
 *  closure there deoptimises it: "wrong call target"). */
const kernelOf = (m: Machine) => m.host as Kernel;
const EXCEPTION_ENTRIES = Array.from({ length: 32 }, (_, v) => (m: Machine) => kernelOf(m).exceptionEntry(m, v));
const ENTRIES: Natives = {
  syscall: (m) => kernelOf(m).syscallEntry(m),
  exception: (v) => EXCEPTION_ENTRIES[v],
  vmexit: (m) => kernelOf(m).vmexitEntry(m),
  timer: (m) => kernelOf(m).timerEntry(m),
};

function trapName(v: number): string {
  return ({ 0: 'divide error', 6: 'invalid opcode', 13: 'general protection', 3: 'int3', 1: 'debug' } as Record<number, string>)[v] ?? 'trap';
}

export { entryVa, ENTRY, pteAddr };
