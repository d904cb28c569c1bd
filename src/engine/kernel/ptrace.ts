// ptrace: what the paper's ptrace benchmark needs (a tracer intercepting a tracee's system calls):
// TRACEME, ATTACH, SYSCALL (stops at entry and exit), SYSEMU (stop at entry, skip the call),
// GETREGS/SETREGS (struct user_regs_struct), CONT, KILL, DETACH, PEEKDATA/POKEDATA.
// kernel/ptrace.c, arch/x86/kernel/ptrace.c. World: VMX root kernel.

import { ERRNO, PTRACE as PT, SIGNALS as S, SIGNAL_NAMES } from '../arch/linux.ts';
import { RFLAGS } from '../arch/x86.ts';
import { canonHi } from '../cpu/state.ts';
import { findVma, type Cont, type Process, type UserCtx } from './process.ts';
import { entryFrame, lookup, pteAddr } from './pgtable.ts';
import { breakCow, isCow } from './fork.ts';
import { deschedule, wake } from './sched.ts';
import { queueSignal } from './signals.ts';
import type { Kernel } from './kernel.ts';
import { kernelNote } from '../trace/notes.ts';

/** struct user_regs_struct, in order, as register numbers (-1: a field that is not a GPR). */
const USER_REGS = ['r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx', 'rdx', 'rsi', 'rdi',
  'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base', 'gs_base', 'ds', 'es', 'fs', 'gs'] as const;
const GPR: Record<string, number> = { rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7,
  r8: 8, r9: 9, r10: 10, r11: 11, r12: 12, r13: 13, r14: 14, r15: 15 };
/** RFLAGS bits a tracer may set (arch/x86/kernel/ptrace.c FLAG_MASK). */
const FLAG_MASK = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000 | 0x10000;
const E = (e: number) => BigInt(-e);

/** ptrace_stop: the tracee stops with sig (SIGTRAP for a syscall stop), its tracer is woken from
 *  wait4, and another process runs. The caller has saved the tracee's context. */
export function ptraceStop(k: Kernel, p: Process, kind: 'signal' | 'syscall-entry' | 'syscall-exit', cont: Cont, sig: number = S.SIGTRAP) {
  const m = k.m;
  k.ctxOf(p);
  p.state = 'stopped';
  p.stop = { sig, kind, reported: false };
  p.cont = cont;
  m.cycles += m.costs.kernel.ptraceStop;
  m.emit(kernelNote('ptrace_stop', 'ptraceStop', { pid: p.pid, signal: SIGNAL_NAMES[sig], kind, tracer: p.trace!.tracer }));
  const t = k.byPid(p.trace!.tracer);
  if (t && t.state === 'blocked' && t.waitOn === 'wait4') wake(k, t);
  deschedule(k);
}

export function sysPtrace(k: Kernel, [req, pid, addr, data]: bigint[]): bigint {
  const p = k.proc, r = Number(req);
  if (r === PT.PTRACE_TRACEME) {
    if (p.trace) return E(ERRNO.EPERM);
    p.trace = { tracer: p.ppid, mode: 'cont' };
    return 0n;
  }
  const t = k.byPid(Number(BigInt.asIntN(64, pid)));
  if (!t || t.state === 'dead' || t.state === 'zombie') return E(ERRNO.ESRCH);
  if (r === PT.PTRACE_ATTACH) {
    if (t === p || t.trace) return E(ERRNO.EPERM);
    t.trace = { tracer: p.pid, mode: 'cont' };
    queueSignal(k, t, { signo: S.SIGSTOP, code: 0, addr: 0, pid: p.pid });
    return 0n;
  }
  if (!t.trace || t.trace.tracer !== p.pid) return E(ERRNO.ESRCH);
  if (r === PT.PTRACE_KILL) { queueSignal(k, t, { signo: S.SIGKILL, code: 0, addr: 0, pid: p.pid }); return 0n; }
  if (t.state !== 'stopped') return E(ERRNO.ESRCH);
  const ctx = t.ctx!;
  switch (r) {
    case PT.PTRACE_PEEKDATA: {
      const v = remote(k, t, Number(BigInt.asUintN(48, addr)), null);
      if (!v) return E(ERRNO.EIO);
      return k.copyToUser(Number(BigInt.asUintN(48, data)), v) ? 0n : E(ERRNO.EFAULT);
    }
    case PT.PTRACE_POKEDATA: {
      const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, data), true);
      return remote(k, t, Number(BigInt.asUintN(48, addr)), b) ? 0n : E(ERRNO.EIO);
    }
    case PT.PTRACE_GETREGS:
      return k.copyToUser(Number(BigInt.asUintN(48, data)), userRegs(ctx)) ? 0n : E(ERRNO.EFAULT);
    case PT.PTRACE_SETREGS: {
      const b = k.copyFromUser(Number(BigInt.asUintN(48, data)), USER_REGS.length * 8);
      if (!b) return E(ERRNO.EFAULT);
      return setUserRegs(ctx, b) ? 0n : E(ERRNO.EIO);
    }
    case PT.PTRACE_CONT: case PT.PTRACE_SYSCALL: case PT.PTRACE_SYSEMU: case PT.PTRACE_DETACH: {
      const sig = Number(data);
      if (data < 0n || data > 31n) return E(ERRNO.EIO);
      if (r === PT.PTRACE_DETACH) t.trace = null;
      else t.trace.mode = r === PT.PTRACE_SYSCALL ? 'syscall' : r === PT.PTRACE_SYSEMU ? 'sysemu' : 'cont';
      if (sig) t.sig.pending.unshift({ signo: sig, code: 0, addr: 0, pid: p.pid, injected: true });
      t.stop = null;
      wake(k, t);
      return 0n;
    }
    default:
      k.m.emit(kernelNote('ptrace', 'ptraceRequest', { request: r }));
      return E(ERRNO.EIO);
  }
}

/** struct user_regs_struct from a saved context (27 x 8 bytes; fs/gs bases and ds..gs are 0). */
export function userRegs(ctx: UserCtx): Uint8Array {
  const b = new Uint8Array(USER_REGS.length * 8), dv = new DataView(b.buffer);
  const canon = (va: number) => (BigInt(canonHi(va)) << 32n) | BigInt(va >>> 0);
  USER_REGS.forEach((name, i) => {
    const v = name in GPR ? ctx.regs[GPR[name]] : name === 'orig_rax' ? ctx.origRax : name === 'rip' ? canon(ctx.rip)
      : name === 'cs' ? BigInt(ctx.cs) : name === 'ss' ? BigInt(ctx.ss) : name === 'eflags' ? BigInt(ctx.rflags) : 0n;
    dv.setBigUint64(i * 8, BigInt.asUintN(64, v), true);
  });
  return b;
}

/** Load a user_regs_struct into the saved context; CS/SS and the segment fields are not
 *  changeable here (a tracer cannot leave ring 3 through them). */
function setUserRegs(ctx: UserCtx, b: Uint8Array): boolean {
  const dv = new DataView(b.buffer, b.byteOffset);
  const w = (name: string) => dv.getBigUint64(USER_REGS.indexOf(name as never) * 8, true);
  const rip = w('rip'), top = rip >> 47n;
  if (top !== 0n && top !== 0x1ffffn) return false;
  for (const [name, r] of Object.entries(GPR)) ctx.regs[r] = w(name);
  ctx.origRax = w('orig_rax');
  ctx.rip = Number(BigInt.asUintN(48, rip));
  ctx.rflags = ((ctx.rflags & ~FLAG_MASK) | (Number(w('eflags') & 0xffffffffn) & FLAG_MASK)) | RFLAGS.FIXED;
  ctx.via = 'signal'; // leave by IRET: RCX/R11 no longer describe the return
  return true;
}

/** access_process_vm: read (bytes null) or write 8 bytes of t's memory through t's page tables,
 *  faulting pages in and breaking copy-on-write as get_user_pages(FOLL_FORCE) does. */
function remote(k: Kernel, t: Process, va: number, bytes: Uint8Array | null): Uint8Array | null {
  const mem = k.m.mem, out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) {
    const a = va + i, pg = a - (a % 4096);
    const vma = findVma(t, pg);
    if (!vma) return null;
    if (!lookup(mem, t.root, pg)) k.demandPage(pg, vma.w, vma.x, 'access_process_vm', t);
    if (bytes && isCow(k, t, pg)) breakCow(k, t, pg, vma.w);
    const [lo, hi] = [mem.read32(pteAddr(mem, t.root, pg, false)!), mem.read32(pteAddr(mem, t.root, pg, false)! + 4)];
    const pa = entryFrame(lo, hi) * 4096 + (a % 4096);
    if (bytes) mem.write8(pa, bytes[i]); else out[i] = mem.read8(pa);
  }
  return out;
}
