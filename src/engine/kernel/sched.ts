// The scheduler: a FIFO run queue of pids, context switches (CR3 + TSS.RSP0, costed as
// kernel.contextSwitch), sleeping and waking, process exit, and the deadlock stop when every live
// process is blocked. One CPU, no timer: a switch happens on block, stop, exit or sched_yield.
// World: VMX root kernel.

import { ERRNO, SIGNALS, SIGNAL_NAMES, SYSCALL_NAMES } from '../arch/linux.ts';
import { RAX } from '../asm/ir.ts';
import { exitMmap } from './mm.ts';
import { deliverable } from './signals.ts';
import type { Kernel } from './kernel.ts';
import type { Process } from './process.ts';
import { rep, tell } from '../report.ts';
import { kernelNote } from '../trace/notes.ts';

/** Put p on the run queue (a no-op if it is already there or running). */
export function wake(k: Kernel, p: Process) {
  if (p.state !== 'blocked' && p.state !== 'stopped') return;
  p.state = 'runnable';
  k.runq.push(p.pid);
}

/** The current process cannot go on: run something else now, or, when already inside the
 *  scheduler's loop (a restarted call slept again), tell the loop to pick another process. */
export function deschedule(k: Kernel) {
  if (k.depth > 0) k.resched = true;
  else schedule(k);
}

/** Pick the next runnable process, switch to it and finish its way back to user mode. */
export function schedule(k: Kernel) {
  const m = k.m;
  k.depth++;
  try {
    while (!m.status) {
      const pid = k.runq.shift();
      if (pid === undefined) { deadlock(k); return; }
      const p = k.byPid(pid);
      if (!p || p.state !== 'runnable') continue;
      contextSwitch(k, p);
      k.resched = false;
      resume(k, p);
      if (!k.resched) return;
    }
  } finally { k.depth--; }
}

/** switch_mm + switch_to: CR3 and TSS.RSP0 for next, one `kernel` event naming the switch. */
export function contextSwitch(k: Kernel, next: Process) {
  const m = k.m, prev = k.proc;
  k.switches++;
  if (prev === next) return;
  m.cycles += m.costs.kernel.contextSwitch;
  m.emit(kernelNote('switch_to', 'switchTo', { prev: prev.pid, state: prev.state, next: next.pid, name: next.name }));
  k.switchTo(k.procs.indexOf(next));
}

/** Finish the kernel work p was left in, then return it to ring 3 (or to its vCPU). */
function resume(k: Kernel, p: Process) {
  p.state = 'running';
  const cont = p.cont ?? { kind: 'user' };
  p.cont = null;
  if (p.vcpu !== undefined && k.resumeHook) {
    let ret: bigint | undefined;
    if (cont.kind === 'restart') {
      ret = k.dispatch(cont.nr, cont.args, cont.via);
      if (k.resched || p.state !== 'running') return;
    }
    k.resumeHook(p, ret);
    return;
  }
  const ctx = p.ctx!;
  if (cont.kind === 'restart' || (cont.kind === 'sysenter' && !cont.emu)) {
    if (cont.kind === 'restart' && deliverable(p)) ctx.regs[RAX] = BigInt.asUintN(64, BigInt(-ERRNO.EINTR));
    else {
      const nr = cont.kind === 'restart' ? cont.nr : Number(BigInt.asUintN(64, ctx.origRax) < 0x10000n ? ctx.origRax : -1n);
      const args = cont.kind === 'restart' ? cont.args : [7, 6, 2, 10, 8, 9].map((r) => ctx.regs[r]);
      const ret = k.dispatch(nr, args, cont.kind === 'restart' ? cont.via : 'syscall');
      if (k.resched || p.state !== 'running' || k.m.status) return;
      ctx.regs[RAX] = ret;
    }
  } else if (cont.kind === 'sysenter') {
    k.m.emit(kernelNote('syscall_trace_enter', 'sysemuSkipped', { pid: p.pid, call: SYSCALL_NAMES[Number(ctx.origRax)] ?? `syscall ${ctx.origRax}`, rax: String(ctx.regs[RAX]) }));
  }
  if (cont.kind !== 'user' && p.trace?.mode === 'syscall') { k.ptraceStop(p, 'syscall-exit', { kind: 'user' }); return; }
  k.exitToUser(p);
}

/** The current process sleeps in a system call; dispatch records how to restart it. */
export function sleep(k: Kernel, why: string) { k.sleeping = why; }

/** The process ends: zombie with its wait status, memory freed, tracees released, children
 *  re-parented to pid 1, the parent (and a tracer) woken. pid 1's end is the machine's end. */
export function terminate(k: Kernel, p: Process, status: number) {
  const m = k.m;
  if (p.pid === 1) {
    const live = k.procs.filter((q) => q !== p && q.state !== 'zombie' && q.state !== 'dead');
    if (live.length) m.emit(kernelNote('do_exit', 'runEnds', { pids: live.map((q) => q.pid) }));
    for (const q of live) { q.state = 'dead'; q.status = SIGNALS.SIGKILL; }
    p.state = 'zombie'; p.status = status;
    const sig = status & 0x7f;
    m.exit(sig ? 128 + sig : (status >> 8) & 0xff, sig ? 'signal' : 'exit');
    return;
  }
  p.state = 'zombie';
  p.status = status;
  p.ctx = null; p.cont = null; p.sig.pending = [];
  k.runq = k.runq.filter((x) => x !== p.pid);
  exitMmap(k, p);
  const sig = status & 0x7f;
  m.emit(sig ? kernelNote('do_exit', 'killed', { pid: p.pid, signal: SIGNAL_NAMES[sig] }) : kernelNote('do_exit', 'exited', { pid: p.pid, code: (status >> 8) & 0xff }));
  for (const q of k.procs) {
    if (q.trace?.tracer === p.pid) { q.trace = null; q.stop = null; wake(k, q); }
    if (q.ppid === p.pid) q.ppid = 1;
  }
  const parent = k.byPid(p.ppid);
  if (parent) {
    const act = parent.sig.act[SIGNALS.SIGCHLD];
    if (act && act.handler > 1) k.queueSignal(parent, { signo: SIGNALS.SIGCHLD, code: sig ? 2 : 1, addr: 0, pid: p.pid });
    if (parent.waitOn === 'wait4') wake(k, parent);
  }
  if (p.trace) { const t = k.byPid(p.trace.tracer); if (t && t.waitOn === 'wait4') wake(k, t); }
}

/** No process can run: stop the machine with a report rather than spin. */
function deadlock(k: Kernel) {
  const live = k.procs.filter((q) => q.state === 'blocked' || q.state === 'stopped');
  const line = rep('deadlock', { procs: live.map((q) => (q.state === 'blocked' ? rep('deadlock-blocked', { pid: q.pid, call: String(q.waitOn) })
    : rep('deadlock-stopped', { pid: q.pid, signal: SIGNAL_NAMES[q.stop?.sig ?? 0] ?? 'signal', kind: String(q.stop?.kind) }))) });
  tell(k, line);
  k.m.emit(kernelNote('schedule', 'reportLine', { line }));
  k.m.exit(128 + SIGNALS.SIGKILL, 'signal');
}
