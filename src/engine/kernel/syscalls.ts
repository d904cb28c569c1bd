// The host kernel's system-call table, keyed by Linux x86-64 numbers (arch/linux.ts). Each entry
// takes the raw 64-bit arguments and returns rax (-errno on failure). A number with no entry
// returns -ENOSYS, as Linux's sys_ni_syscall does. World: VMX root kernel.

import { SYSCALLS, ERRNO, MMAN, LAYOUT } from '../arch/linux.ts';
import { findVma, type Process, type Vma } from './process.ts';
import { unmapPage, protectPage } from './pgtable.ts';
import { hexVa } from '../trace/events.ts';
import { sysRtSigaction, sysRtSigprocmask, sysRtSigreturn, sysKill } from './signals.ts';
import { sysFork, sysWait4 } from './fork.ts';
import { sysPtrace } from './ptrace.ts';
import type { Machine } from '../machine.ts';
import type { Kernel } from './kernel.ts';

export interface SyscallCtx {
  m: Machine;
  proc: Process;
  stdin: number[];
  stdinPos: number;
  output(fd: number, text: string): void;
  exitProcess(code: number): void;
  copyFromUser(va: number, n: number): Uint8Array | null;
  copyToUser(va: number, bytes: ArrayLike<number>): boolean;
  /** get_user_pages: fault [va, va+n) in for the access; false if the process may not. */
  faultIn(va: number, n: number, write: boolean): boolean;
  /** Character devices (/dev/dune): open returns an fd or -errno; ioctl runs the driver. */
  openDevice(path: string): bigint;
  ioctl(fd: number, cmd: number, arg: bigint): bigint;
  closeFd(fd: number): bigint;
  /** The MMU notifier chain: a range of the address space changed (unmap, protect). */
  notifyRange(start: number, len: number, why: string): void;
  /** Drop one mapping of a frame (freed when no copy-on-write sharer is left). */
  putFrame(frame: number): void;
}

type Sys = (k: SyscallCtx, a: bigint[]) => bigint;
const E = (e: number) => BigInt(-e);
const num = (v: bigint) => Number(BigInt.asUintN(64, v) > 0xffffffffffffn ? -1n : v);
const pageUp = (x: number) => Math.ceil(x / 4096) * 4096;
const MAP_POPULATE = 0x8000;

const write: Sys = (k, [fd, buf, count]) => {
  if (fd !== 1n && fd !== 2n) return E(ERRNO.EBADF);
  const n = Math.min(num(count), 1 << 20);
  if (n < 0) return E(ERRNO.EINVAL);
  const bytes = k.copyFromUser(num(buf), n);
  if (!bytes) return E(ERRNO.EFAULT);
  k.m.cycles += k.m.costs.kernel.write + n * k.m.costs.kernel.writeByte;
  k.output(Number(fd), new TextDecoder().decode(bytes));
  return BigInt(n);
};

const read: Sys = (k, [fd, buf, count]) => {
  if (fd !== 0n) return E(ERRNO.EBADF);
  const n = Math.min(num(count), k.stdin.length - k.stdinPos);
  if (n < 0) return E(ERRNO.EINVAL);
  const bytes = k.stdin.slice(k.stdinPos, k.stdinPos + n);
  if (!k.copyToUser(num(buf), bytes)) return E(ERRNO.EFAULT);
  k.stdinPos += n;
  return BigInt(n);
};

const exit: Sys = (k, [code]) => { k.exitProcess(Number(code & 0xffn)); return 0n; };

const brk: Sys = (k, [addr]) => {
  const p = k.proc, want = num(addr);
  if (want >= p.brkStart && want < LAYOUT.MMAP_TOP / 2) {
    const old = pageUp(p.brk), neu = pageUp(want);
    let heap = p.vmas.find((v) => v.kind === 'heap');
    if (!heap) { heap = { start: pageUp(p.brkStart), end: pageUp(p.brkStart), r: true, w: true, x: false, kind: 'heap' }; p.vmas.push(heap); }
    if (neu < old) for (let va = neu; va < old; va += 4096) release(k, va);
    heap.end = Math.max(heap.start, neu);
    p.brk = want;
  }
  return BigInt(p.brk);
};

const mmap: Sys = (k, [addr, len, prot, flags, fd]) => {
  const p = k.proc, n = pageUp(num(len)), f = Number(flags), pr = Number(prot);
  if (n <= 0) return E(ERRNO.EINVAL);
  if (!(f & MMAN.MAP_ANONYMOUS) || fd !== BigInt.asUintN(64, -1n) && !(f & MMAN.MAP_ANONYMOUS)) return E(ERRNO.ENODEV);
  let start: number;
  if (f & MMAN.MAP_FIXED) {
    start = num(addr);
    if (start % 4096) return E(ERRNO.EINVAL);
    for (let va = start; va < start + n; va += 4096) release(k, va);
    p.vmas = p.vmas.flatMap((v) => cut(v, start, start + n));
  } else {
    p.mmapTop -= n;
    start = p.mmapTop;
  }
  const vma = { start, end: start + n, r: (pr & MMAN.PROT_READ) !== 0, w: (pr & MMAN.PROT_WRITE) !== 0, x: (pr & MMAN.PROT_EXEC) !== 0, kind: 'mmap' as const };
  p.vmas.push(vma);
  const populate = (f & MAP_POPULATE) !== 0 && vma.r;
  k.m.emit({ type: 'kernel', fn: 'do_mmap', detail: `${hexVa(start)}-${hexVa(start + n)} prot ${pr} (${populate ? 'MAP_POPULATE: faulted in now' : 'demand-paged'})` });
  // MAP_POPULATE: fault every page in now (__mm_populate), as get_user_pages would.
  if (populate) k.faultIn(start, n, vma.w);
  return BigInt(start);
};

const munmap: Sys = (k, [addr, len]) => {
  const start = num(addr), n = pageUp(num(len));
  if (start % 4096 || n <= 0) return E(ERRNO.EINVAL);
  for (let va = start; va < start + n; va += 4096) release(k, va);
  k.proc.vmas = k.proc.vmas.flatMap((v) => cut(v, start, start + n));
  flushRange(k, start, n, 'munmap');
  k.notifyRange(start, n, 'munmap');
  return 0n;
};

const mprotect: Sys = (k, [addr, len, prot]) => {
  const p = k.proc, start = num(addr), n = pageUp(num(len)), pr = Number(prot);
  if (start % 4096) return E(ERRNO.EINVAL);
  for (let va = start; va < start + n; va += 4096) if (!findVma(p, va)) return E(ERRNO.ENOMEM);
  const r = (pr & MMAN.PROT_READ) !== 0, w = (pr & MMAN.PROT_WRITE) !== 0, x = (pr & MMAN.PROT_EXEC) !== 0;
  const pieces = p.vmas.flatMap((v) => cut(v, start, start + n));
  for (const v of p.vmas) if (v.start < start + n && v.end > start)
    pieces.push({ ...v, start: Math.max(v.start, start), end: Math.min(v.end, start + n), r, w, x });
  p.vmas = pieces.sort((a, b) => a.start - b.start);
  // PROT_NONE: not present, frame kept (Linux's _PAGE_PROTNONE).
  for (let va = start; va < start + n; va += 4096) protectPage(k.m.mem, p.root, va, { w, u: true, x }, !r && !w && !x);
  k.m.cycles += k.m.costs.kernel.mprotect + k.m.costs.kernel.mprotectPage * (n / 4096);
  flushRange(k, start, n, 'mprotect');
  k.notifyRange(start, n, 'mprotect');
  return 0n;
};

const open: Sys = (k, [path]) => {
  const name = k.copyFromUser(num(path), 1);
  if (!name) return E(ERRNO.EFAULT);
  let str = '';
  for (let i = 0; i < 4096; i++) {
    const b = k.copyFromUser(num(path) + i, 1);
    if (!b) return E(ERRNO.EFAULT);
    if (b[0] === 0) break;
    str += String.fromCharCode(b[0]);
  }
  return k.openDevice(str);
};
const close: Sys = (k, [fd]) => k.closeFd(Number(fd));
const ioctl: Sys = (k, [fd, cmd, arg]) => k.ioctl(Number(fd), Number(cmd & 0xffffffffn), arg);

const getpid: Sys = (k) => { k.m.cycles += k.m.costs.kernel.getpid; return BigInt(k.proc.pid); };
const getppid: Sys = (k) => { k.m.cycles += k.m.costs.kernel.getpid; return BigInt(k.proc.ppid); };
/** sched_yield: dispatch moves the caller to the back of the run queue if anything else can run. */
const schedYield = (k: Kernel) => { k.yielding = true; return 0n; };

/** Drop the page at va (if mapped) and free its frame. */
function release(k: SyscallCtx, va: number) {
  const fn = unmapPage(k.m.mem, k.proc.root, va);
  if (fn > 0) k.putFrame(fn);
}

/** After changing PTEs the kernel flushes them from the TLB (flush_tlb_range: INVLPG per page). */
function flushRange(k: SyscallCtx, start: number, n: number, why: string) {
  const m = k.m;
  let entries = 0;
  for (let va = start; va < start + n; va += 4096) entries += m.mmu.invlpg(0, 0, va);
  m.cycles += m.costs.invlpg * (n / 4096);
  m.emit({ type: 'tlb', op: 'invlpg', vpid: 0, pcid: 0, va: hexVa(start), scope: `${why}: ${n / 4096} page(s)`, entries });
}

/** The parts of a VMA outside [s, e). */
function cut(v: Vma, s: number, e: number): Vma[] {
  if (v.end <= s || v.start >= e) return [v];
  const out: Vma[] = [];
  if (v.start < s) out.push({ ...v, end: s });
  if (v.end > e) out.push({ ...v, start: e });
  return out;
}

/** The table; entries for process features (signals, fork, ptrace) need the whole kernel. */
export const SYSCALL_TABLE: Partial<Record<number, (k: Kernel, a: bigint[]) => bigint>> = {
  [SYSCALLS.read]: read,
  [SYSCALLS.open]: open,
  [SYSCALLS.close]: close,
  [SYSCALLS.ioctl]: ioctl,
  [SYSCALLS.write]: write,
  [SYSCALLS.mmap]: mmap,
  [SYSCALLS.mprotect]: mprotect,
  [SYSCALLS.munmap]: munmap,
  [SYSCALLS.brk]: brk,
  [SYSCALLS.getpid]: getpid,
  [SYSCALLS.gettid]: getpid,
  [SYSCALLS.exit]: exit,
  [SYSCALLS.exit_group]: exit,
  [SYSCALLS.getppid]: getppid,
  [SYSCALLS.sched_yield]: schedYield,
  [SYSCALLS.fork]: sysFork,
  [SYSCALLS.wait4]: sysWait4,
  [SYSCALLS.kill]: sysKill,
  [SYSCALLS.rt_sigaction]: sysRtSigaction,
  [SYSCALLS.rt_sigprocmask]: sysRtSigprocmask,
  [SYSCALLS.rt_sigreturn]: sysRtSigreturn,
  [SYSCALLS.ptrace]: sysPtrace,
};
