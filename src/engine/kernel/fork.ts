// fork with copy-on-write (copy_page_range, do_wp_page), frame reference counts, and wait4.
// Private pages are shared read-only with PTE_COW set in both processes; the first write copies
// the frame (or, for its last user, just makes it writable again). World: VMX root kernel.

import { ERRNO } from '../arch/linux.ts';
import { PTE } from '../arch/x86.ts';
import { RAX } from '../asm/ir.ts';
import { hex, hexVa } from '../trace/events.ts';
import { PTE_COW, entryFrame, forEachLeaf, pteAddr, read, write } from './pgtable.ts';
import { sleep } from './sched.ts';
import type { Kernel } from './kernel.ts';
import type { Process, UserCtx } from './process.ts';
import { kernelNote } from '../trace/notes.ts';

/** Fork the current process, the child resuming from ctx with RAX = 0. The Dune module calls this
 *  with the guest's registers; sys_fork with the SYSCALL-time registers. Returns the child. */
export function forkFrom(k: Kernel, ctx: UserCtx): Process {
  const m = k.m, mem = m.mem, parent = k.proc;
  const child = k.newProcess(parent.name, parent.pid);
  child.vmas = parent.vmas.map((v) => ({ ...v }));
  child.brkStart = parent.brkStart; child.brk = parent.brk; child.mmapTop = parent.mmapTop;
  const before = mem.used;
  let shared = 0;
  forEachLeaf(mem, parent.root, (va, pa, lo, hi) => {
    // Every private page becomes copy-on-write in both; writable ones also lose RW in the parent.
    const cow = ((lo & ~PTE.RW) | PTE_COW) >>> 0;
    write(mem, pa, cow, hi);
    write(mem, pteAddr(mem, child.root, va, true)!, (cow & ~PTE.A) >>> 0, hi); // the child's copy starts "old" (pte_mkold)
    const fn = entryFrame(lo, hi);
    k.frameRefs.set(fn, (k.frameRefs.get(fn) ?? 1) + 1);
    shared++;
  });
  // The child's page-table pages are zeroed allocations (clear_page each).
  m.cycles += (mem.used - before) * m.costs.kernel.pageZero;
  // flush_tlb_mm(oldmm): the parent's cached writable translations are now stale.
  const n = m.mmu.flushPcid(0, 0, true);
  m.emit({ type: 'tlb', op: 'flush', vpid: 0, pcid: 0, scope: 'fork: flush_tlb_mm (parent pages now copy-on-write)', entries: n });
  // The MMU notifier: a Dune module's EPT must drop its write permissions too.
  for (const v of parent.vmas) if (v.w) k.notifyRange(v.start, v.end - v.start, 'fork');
  child.ctx = { ...ctx, regs: ctx.regs.slice() };
  child.ctx.regs[RAX] = 0n;
  child.cont = { kind: 'user' };
  child.sig = { act: structuredClone(parent.sig.act), pending: [], blocked: parent.sig.blocked };
  child.state = 'runnable';
  k.runq.push(child.pid);
  m.emit(kernelNote('do_fork', 'fork', { parent: parent.pid, child: child.pid, shared }));
  return child;
}

export function sysFork(k: Kernel): bigint {
  return BigInt(forkFrom(k, k.ctxOf(k.proc, false)).pid);
}

/** A write to a present copy-on-write page (do_wp_page): copy the frame if others still map it,
 *  else take it over. writable: the VMA allows writes (a ptrace poke into text copies but stays
 *  read-only). */
export function breakCow(k: Kernel, p: Process, va: number, writable: boolean) {
  const m = k.m, mem = m.mem;
  const pa = pteAddr(mem, p.root, va, false)!;
  const [lo, hi] = read(mem, pa);
  const fn = entryFrame(lo, hi), refs = k.frameRefs.get(fn) ?? 1;
  let to = fn;
  if (refs > 1) {
    to = mem.alloc();
    const src = mem.rframe(fn), dst = mem.wframe(to);
    if (src) { dst.u8.set(src.u8); dst.code = src.code; }
    if (refs === 2) k.frameRefs.delete(fn); else k.frameRefs.set(fn, refs - 1);
    m.cycles += m.costs.kernel.pageZero; // copy_user_highpage: one 4 KiB copy
  }
  const flags = ((lo & 0xfff & ~PTE_COW) | (writable ? PTE.RW : 0)) >>> 0;
  write(mem, pa, ((to * 4096) % 2 ** 32 | flags) >>> 0, ((hi & 0xfff00000) | Math.floor(to * 4096 / 2 ** 32)) >>> 0);
  const entries = m.mmu.invlpg(0, 0, va);
  m.cycles += m.costs.invlpg;
  m.emit({ type: 'tlb', op: 'invlpg', vpid: 0, pcid: 0, va: hexVa(va), scope: 'copy-on-write: ptep_clear_flush', entries });
  m.emit(refs > 1
    ? kernelNote('do_wp_page', 'cowCopy', { pid: p.pid, va: hexVa(va), from: hex(fn * 4096), to: hex(to * 4096) })
    : kernelNote('do_wp_page', 'cowLast', { pid: p.pid, va: hexVa(va), frame: hex(fn * 4096) }));
  k.notifyRange(va, 4096, 'cow');
}

/** Whether the leaf for va is a present copy-on-write page. */
export function isCow(k: Kernel, p: Process, va: number): boolean {
  const pa = pteAddr(k.m.mem, p.root, va, false);
  if (pa === null) return false;
  const lo = k.m.mem.read32(pa);
  return (lo & PTE.P) !== 0 && (lo & PTE_COW) !== 0;
}

/** wait4(pid, status, options, rusage): a zombie child (reaped), or a tracee's unreported ptrace
 *  stop (status 0x7f | sig << 8); WNOHANG (1) returns 0; otherwise sleep until one appears. */
export function sysWait4(k: Kernel, [pid, statusPtr, options]: bigint[]): bigint {
  const p = k.proc, want = Number(BigInt.asIntN(64, pid));
  const match = (q: Process) => want <= 0 || q.pid === want; // process groups are not modelled
  const mine = k.procs.filter((q) => q.state !== 'dead' && match(q) && (q.ppid === p.pid || q.trace?.tracer === p.pid));
  if (!mine.length) return BigInt(-ERRNO.ECHILD);
  const report = (q: Process, status: number): bigint => {
    if (statusPtr !== 0n) {
      const b = new Uint8Array(4); new DataView(b.buffer).setInt32(0, status, true);
      if (!k.copyToUser(Number(BigInt.asUintN(48, statusPtr)), b)) return BigInt(-ERRNO.EFAULT);
    }
    return BigInt(q.pid);
  };
  const stopped = mine.find((q) => q.state === 'stopped' && q.trace?.tracer === p.pid && q.stop && !q.stop.reported);
  if (stopped) {
    stopped.stop!.reported = true;
    return report(stopped, 0x7f | (stopped.stop!.sig << 8));
  }
  const zombie = mine.find((q) => q.state === 'zombie');
  if (zombie) {
    if (zombie.ppid !== p.pid) { zombie.trace = null; return report(zombie, zombie.status); } // a tracer that is not the parent
    zombie.state = 'dead';
    k.m.mem.release(zombie.root / 4096);
    k.m.emit(kernelNote('release_task', 'reaps', { pid: p.pid, child: zombie.pid, status: hex(zombie.status) }));
    return report(zombie, zombie.status);
  }
  if (Number(options) & 1) return 0n;
  sleep(k, 'wait4');
  return 0n;
}
