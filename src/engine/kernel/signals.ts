// Signals: rt_sigaction, rt_sigprocmask, the queue, delivery on the way back to user mode with a
// Linux x86-64 rt_sigframe on the user stack (arch/x86/kernel/signal.c, uapi asm/sigcontext.h),
// default actions, and rt_sigreturn. World: VMX root kernel; the handler runs in guest ring 3.

import { ERRNO, SIGNALS as S, SIGNAL_NAMES } from '../arch/linux.ts';
import { RAX, RDI, RSI, RDX, RSP } from '../asm/ir.ts';
import { RFLAGS, SEL } from '../arch/x86.ts';
import { hex } from '../trace/events.ts';
import { deschedule, terminate, wake } from './sched.ts';
import type { Kernel } from './kernel.ts';
import type { Process, SigInfo, UserCtx } from './process.ts';
import { rep, tell } from '../report.ts';
import { kernelNote } from '../trace/notes.ts';

export const SA = { SIGINFO: 4, RESTORER: 0x04000000, NODEFER: 0x40000000, RESETHAND: 0x80000000 } as const;
export const SI = { USER: 0, KERNEL: 0x80, SEGV_MAPERR: 1, SEGV_ACCERR: 2, FPE_INTDIV: 1, ILL_ILLOPN: 2 } as const;
const SIG_DFL = 0, SIG_IGN = 1;
/** Signals whose default action is to do nothing (SIGCONT's "continue" included: no job control). */
const DEFAULT_IGNORE = new Set<number>([S.SIGCHLD, S.SIGURG, S.SIGWINCH, S.SIGCONT]);
/** Job-control stops are not modelled (no terminal sessions): they are ignored, loudly. */
const DEFAULT_STOP = new Set<number>([S.SIGSTOP, S.SIGTSTP, S.SIGTTIN, S.SIGTTOU]);
const bit = (sig: number) => 1n << BigInt(sig - 1);
const UNBLOCKABLE = bit(S.SIGKILL) | bit(S.SIGSTOP);

// struct rt_sigframe: pretcode (8), struct ucontext (304: flags, link, uc_stack (24),
// uc_mcontext = struct sigcontext (256), uc_sigmask (8)), struct siginfo (128).
const UC = 8, MC = UC + 40, SIGMASK = UC + 296, INFO = UC + 304, FRAME_SIZE = INFO + 128;
/** struct sigcontext's first 18 words, in order (register numbers). */
const MC_REGS = [8, 9, 10, 11, 12, 13, 14, 15, 7, 6, 5, 3, 2, 0, 1, 4] as const; // r8..r15 rdi rsi rbp rbx rdx rax rcx rsp
/** RFLAGS bits user code may change through sigreturn (Linux FIX_EFLAGS). */
const FIX_EFLAGS = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x10000 | 0x40000;

export const handlerName = (h: number) => h === SIG_DFL ? 'SIG_DFL' : h === SIG_IGN ? 'SIG_IGN' : hex(h);

/** Whether a fault signal will reach a handler (force_sig_info: blocked or ignored means the
 *  default action). */
export function catches(p: Process, sig: number): boolean {
  return (p.sig.act[sig]?.handler ?? SIG_DFL) > SIG_IGN && !(p.sig.blocked & bit(sig));
}

/** A pending signal that is not blocked: it would interrupt a sleeping call. */
export function deliverable(p: Process): boolean {
  return p.sig.pending.some((s) => s.signo === S.SIGKILL || !(p.sig.blocked & bit(s.signo)));
}

/** send_signal: queue for p; discard what p ignores (unless traced); wake p if it must act. */
export function queueSignal(k: Kernel, p: Process, info: SigInfo) {
  const h = p.sig.act[info.signo]?.handler ?? SIG_DFL;
  if (!p.trace && info.signo !== S.SIGKILL && (h === SIG_IGN || (h === SIG_DFL && DEFAULT_IGNORE.has(info.signo)))) return;
  if (info.signo !== S.SIGKILL && p.sig.pending.some((s) => s.signo === info.signo)) return; // standard signals do not queue twice
  p.sig.pending.push(info);
  if (p.state === 'blocked' && (info.signo === S.SIGKILL || !(p.sig.blocked & bit(info.signo)))) wake(k, p);
  if (p.state === 'stopped' && info.signo === S.SIGKILL) wake(k, p);
}

/** do_signal, on the way to user mode: take one deliverable signal. 'ok' means the process may
 *  return to ring 3 (to a handler if one was set up); otherwise it stopped or died. */
export function deliverSignals(k: Kernel, p: Process): 'ok' | 'gone' {
  for (;;) {
    const i = p.sig.pending.findIndex((s) => s.signo === S.SIGKILL || !(p.sig.blocked & bit(s.signo)));
    if (i < 0) return 'ok';
    const info = p.sig.pending.splice(i, 1)[0];
    const sig = info.signo, name = SIGNAL_NAMES[sig] ?? `signal ${sig}`;
    if (p.trace && sig !== S.SIGKILL && !info.injected) {
      // Signal-delivery stop: the tracer sees it in wait4 and chooses what to deliver on resume.
      k.ptraceStop(p, 'signal', { kind: 'user' }, sig);
      return 'gone';
    }
    const act = p.sig.act[sig];
    const h = act?.handler ?? SIG_DFL;
    k.m.emit({ type: 'signal', signo: sig, name, handler: handlerName(h) });
    if (h === SIG_IGN || (h === SIG_DFL && DEFAULT_IGNORE.has(sig))) continue;
    if (h === SIG_DFL && DEFAULT_STOP.has(sig)) {
      k.m.emit(kernelNote('get_signal_to_deliver', 'jobStopIgnored', { signal: name }));
      continue;
    }
    if (h === SIG_DFL || sig === S.SIGKILL) {
      tell(k, rep('killed-by', { who: `${p.name}[${p.pid}]`, name, sig, from: info.pid }));
      terminate(k, p, sig);
      if (p.pid !== 1) deschedule(k);
      return 'gone';
    }
    if (!setupFrame(k, p, info, act!)) {
      tell(k, rep('bad-signal-frame', { who: `${p.name}[${p.pid}]`, name, stack: hex(BigInt.asUintN(64, p.ctx!.regs[RSP])), restorer: act!.flags & SA.RESTORER ? 1 : 0 }));
      terminate(k, p, S.SIGSEGV);
      if (p.pid !== 1) deschedule(k);
      return 'gone';
    }
    return 'ok';
  }
}

/** setup_rt_frame: below the red zone, a 16-byte-aligned-minus-8 rt_sigframe (so the handler sees
 *  RSP+8 aligned, as after a CALL), then enter the handler with RDI, RSI, RDX as SA_SIGINFO says. */
function setupFrame(k: Kernel, p: Process, info: SigInfo, act: { handler: number; flags: number; restorer: number; mask: bigint }): boolean {
  const m = k.m, ctx = k.ctxOf(p);
  if (!(act.flags & SA.RESTORER)) return false;
  const usp = Number(BigInt.asUintN(48, ctx.regs[RSP]));
  const frame = Math.floor((usp - 128 - FRAME_SIZE) / 16) * 16 - 8;
  const b = new Uint8Array(FRAME_SIZE), dv = new DataView(b.buffer);
  const q = (off: number, v: bigint | number) => dv.setBigUint64(off, BigInt.asUintN(64, BigInt(v)), true);
  q(0, act.restorer);
  q(UC + 16 + 8, 2); // uc_stack.ss_flags = SS_DISABLE (no sigaltstack)
  MC_REGS.forEach((r, i) => q(MC + i * 8, ctx.regs[r]));
  q(MC + 128, BigInt(ctx.rip) | (ctx.rip >= 2 ** 47 ? 0xffff000000000000n : 0n));
  q(MC + 136, ctx.rflags);
  q(MC + 144, ctx.cs);         // cs, gs, fs, __pad0 (16 bits each)
  q(MC + 152, ctx.err);
  q(MC + 160, ctx.trapno);
  q(MC + 168, p.sig.blocked);  // oldmask
  q(MC + 176, ctx.cr2);
  q(SIGMASK, p.sig.blocked);
  dv.setInt32(INFO, info.signo, true);
  dv.setInt32(INFO + 8, info.code, true);
  if (info.pid) dv.setInt32(INFO + 16, info.pid, true); // si_pid (si_uid = 0)
  else q(INFO + 16, info.addr);                          // si_addr
  if (!k.copyToUser(frame, b)) return false;
  m.cycles += m.costs.kernel.signalDeliver;
  ctx.regs[RDI] = BigInt(info.signo);
  ctx.regs[RSI] = BigInt(frame + INFO);
  ctx.regs[RDX] = BigInt(frame + UC);
  ctx.regs[RAX] = 0n;
  ctx.regs[RSP] = BigInt(frame);
  ctx.rip = act.handler;
  ctx.rflags = (ctx.rflags & ~(RFLAGS.TF | RFLAGS.DF)) | RFLAGS.FIXED;
  ctx.cs = SEL.USER_CS; ctx.ss = SEL.USER_DS;
  ctx.via = 'signal';
  if (!(act.flags & SA.NODEFER)) p.sig.blocked |= bit(info.signo);
  p.sig.blocked = (p.sig.blocked | act.mask) & ~UNBLOCKABLE;
  if (act.flags & SA.RESETHAND) act.handler = SIG_DFL;
  return true;
}

/** rt_sigreturn: the restorer's SYSCALL comes with RSP just above pretcode (the handler's RET
 *  popped it), so the frame is at RSP - 8. Restores every register and the signal mask. */
export function sysRtSigreturn(k: Kernel): bigint {
  const m = k.m, p = k.proc, ctx = k.ctxOf(p);
  const frame = Number(BigInt.asUintN(48, ctx.regs[RSP])) - 8;
  const b = k.copyFromUser(frame + MC, 256 + 8 + 8);
  m.cycles += m.costs.kernel.signalReturn;
  if (!b) {
    tell(k, rep('bad-sigreturn-frame', { who: `${p.name}[${p.pid}]`, frame: hex(frame) }));
    k.queueSignal(p, { signo: S.SIGSEGV, code: SI.KERNEL, addr: 0, pid: 0 });
    return BigInt(-ERRNO.EFAULT);
  }
  const dv = new DataView(b.buffer);
  const w = (i: number) => dv.getBigUint64(i * 8, true);
  MC_REGS.forEach((r, i) => { ctx.regs[r] = w(i); });
  ctx.rip = Number(BigInt.asUintN(48, w(16)));
  ctx.rflags = ((ctx.rflags & ~FIX_EFLAGS) | (Number(w(17) & 0xffffffffn) & FIX_EFLAGS)) | RFLAGS.FIXED;
  ctx.cs = SEL.USER_CS; ctx.ss = SEL.USER_DS;
  ctx.via = 'signal';
  ctx.origRax = -1n;
  p.sig.blocked = dv.getBigUint64(SIGMASK - MC, true) & ~UNBLOCKABLE;
  return ctx.regs[RAX];
}

/** rt_sigaction(sig, act, oact, sigsetsize): struct sigaction {handler, flags, restorer, mask}. */
export function sysRtSigaction(k: Kernel, [sig, act, oact, size]: bigint[]): bigint {
  const p = k.proc, n = Number(sig);
  if (size !== 8n) return BigInt(-ERRNO.EINVAL);
  if (sig < 1n || sig > 31n || n === S.SIGKILL || n === S.SIGSTOP) return BigInt(-ERRNO.EINVAL);
  const cur = p.sig.act[n] ?? { handler: SIG_DFL, flags: 0, restorer: 0, mask: 0n };
  let next = cur;
  if (act !== 0n) {
    const b = k.copyFromUser(Number(BigInt.asUintN(48, act)), 32);
    if (!b) return BigInt(-ERRNO.EFAULT);
    const dv = new DataView(b.buffer);
    next = { handler: Number(BigInt.asUintN(48, dv.getBigUint64(0, true))), flags: Number(dv.getBigUint64(8, true) & 0xffffffffn),
      restorer: Number(BigInt.asUintN(48, dv.getBigUint64(16, true))), mask: dv.getBigUint64(24, true) & ~UNBLOCKABLE };
  }
  if (oact !== 0n) {
    const o = new Uint8Array(32), dv = new DataView(o.buffer);
    dv.setBigUint64(0, BigInt(cur.handler), true); dv.setBigUint64(8, BigInt(cur.flags), true);
    dv.setBigUint64(16, BigInt(cur.restorer), true); dv.setBigUint64(24, cur.mask, true);
    if (!k.copyToUser(Number(BigInt.asUintN(48, oact)), o)) return BigInt(-ERRNO.EFAULT);
  }
  p.sig.act[n] = next;
  // Setting SIG_IGN (or SIG_DFL for a default-ignored signal) discards what is pending.
  if (next.handler === SIG_IGN || (next.handler === SIG_DFL && DEFAULT_IGNORE.has(n))) p.sig.pending = p.sig.pending.filter((s) => s.signo !== n);
  return 0n;
}

/** rt_sigprocmask(how, set, oset, sigsetsize): SIG_BLOCK 0, SIG_UNBLOCK 1, SIG_SETMASK 2. */
export function sysRtSigprocmask(k: Kernel, [how, set, oset, size]: bigint[]): bigint {
  const p = k.proc;
  if (size !== 8n) return BigInt(-ERRNO.EINVAL);
  const old = p.sig.blocked;
  if (set !== 0n) {
    const b = k.copyFromUser(Number(BigInt.asUintN(48, set)), 8);
    if (!b) return BigInt(-ERRNO.EFAULT);
    const v = new DataView(b.buffer).getBigUint64(0, true);
    if (how === 0n) p.sig.blocked |= v;
    else if (how === 1n) p.sig.blocked &= ~v;
    else if (how === 2n) p.sig.blocked = v;
    else return BigInt(-ERRNO.EINVAL);
    p.sig.blocked &= ~UNBLOCKABLE;
  }
  if (oset !== 0n) {
    const o = new Uint8Array(8); new DataView(o.buffer).setBigUint64(0, old, true);
    if (!k.copyToUser(Number(BigInt.asUintN(48, oset)), o)) return BigInt(-ERRNO.EFAULT);
  }
  return 0n;
}

/** kill(pid, sig): pid > 0 only (process groups are not modelled); sig 0 checks the target. */
export function sysKill(k: Kernel, [pid, sig]: bigint[]): bigint {
  const n = Number(BigInt.asIntN(64, pid)), s = Number(sig);
  if (sig < 0n || sig > 31n) return BigInt(-ERRNO.EINVAL);
  if (n <= 0) return BigInt(-ERRNO.EINVAL);
  const t = k.byPid(n);
  if (!t || t.state === 'dead') return BigInt(-ERRNO.ESRCH);
  if (s === 0 || t.state === 'zombie') return 0n;
  queueSignal(k, t, { signo: s, code: SI.USER, addr: 0, pid: k.proc.pid });
  return 0n;
}

export type { UserCtx };
