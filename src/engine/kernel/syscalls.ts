// The host kernel's system-call table, keyed by Linux x86-64 numbers (arch/linux.ts). Each entry
// takes the raw 64-bit arguments and returns rax (-errno on failure). A number with no entry
// returns -ENOSYS, as Linux's sys_ni_syscall does. World: VMX root kernel.

import { SYSCALLS, SYSCALL_NAMES, ERRNO } from '../arch/linux.ts';
import type { Process } from './process.ts';
import { sysMmap, sysMunmap, sysMprotect, sysBrk } from './mm.ts';
import { sysRtSigaction, sysRtSigprocmask, sysRtSigreturn, sysKill } from './signals.ts';
import { sysFork, sysWait4 } from './fork.ts';
import { sysPtrace } from './ptrace.ts';
import { RDI, RSI, RDX, R10, R8, R9 } from '../asm/ir.ts';
import type { Machine } from '../machine.ts';
import type { CpuState } from '../cpu/state.ts';
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
  notifyRange(start: number, len: number, why: string, p?: Process): void;
  /** Drop one mapping of a frame (freed when no copy-on-write sharer is left). */
  putFrame(frame: number): void;
}

/** What a call returns in rax: a bigint (negative errno as a negative value), or a number for a
 *  result that is a small non-negative integer (a pid), which the system-call path writes to
 *  RAX without BigInt arithmetic (Kernel.call). */
export type Rax = bigint | number;
type Sys = (k: SyscallCtx, a: bigint[]) => Rax;
const E = (e: number) => BigInt(-e);
const num = (v: bigint) => Number(BigInt.asUintN(64, v) > 0xffffffffffffn ? -1n : v);

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

// Results as numbers (Rax): no bigint made or compared per call.
const getpid: Sys = (k) => { k.m.cycles += k.m.costs.kernel.getpid; return k.proc.pid; };
const getppid: Sys = (k) => { k.m.cycles += k.m.costs.kernel.getpid; return k.proc.ppid; };
/** sched_yield: dispatch moves the caller to the back of the run queue if anything else can run. */
const schedYield = (k: Kernel) => { k.yielding = true; return 0n; };

/** The table; entries for process features (signals, fork, ptrace) need the whole kernel. */
export const SYSCALL_TABLE: Partial<Record<number, (k: Kernel, a: bigint[]) => Rax>> = {
  [SYSCALLS.read]: read,
  [SYSCALLS.open]: open,
  [SYSCALLS.close]: close,
  [SYSCALLS.ioctl]: ioctl,
  [SYSCALLS.write]: write,
  [SYSCALLS.mmap]: sysMmap,
  [SYSCALLS.mprotect]: sysMprotect,
  [SYSCALLS.munmap]: sysMunmap,
  [SYSCALLS.brk]: sysBrk,
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

/** How many arguments each call takes (the trace prints these; the handler reads no more). */
const ARGC: Partial<Record<string, number>> = { read: 3, write: 3, open: 3, close: 1, mmap: 6, mprotect: 3, munmap: 2, brk: 1, getpid: 0, gettid: 0, exit: 1, exit_group: 1, kill: 2, rt_sigaction: 4, ioctl: 3, wait4: 4, ptrace: 4, fork: 0,
  getppid: 0, sched_yield: 0, rt_sigprocmask: 4, rt_sigreturn: 0 };
/** The argument count of call nr (6 for a call the table does not know). */
export function argCount(nr: number): number { return ARGC[SYSCALL_NAMES[nr]] ?? 6; }
/** Argument counts by call number (6 past the table: a number the kernel does not know). */
const BY_NR = Int8Array.from({ length: Math.max(...Object.values(SYSCALLS)) + 1 }, () => 6);
for (const nr of Object.values(SYSCALLS)) BY_NR[nr] = argCount(nr);

/** The arguments of a call that takes none (shared: no handler writes its arguments). */
const NO_ARGS: bigint[] = Object.freeze([]) as unknown as bigint[];
/** The registers of the arguments, in order (the x86-64 system-call convention). */
const ARG_REGS = [RDI, RSI, RDX, R10, R8, R9];
/** Call nr's arguments from the registers, as 64-bit values: only as many as it takes, so a call
 *  without arguments (getpid) reads none. */
export function syscallArgs(c: CpuState, nr: number): bigint[] {
  const n = nr >= 0 && nr < BY_NR.length ? BY_NR[nr] : 6;
  if (n === 0) return NO_ARGS;
  const a = new Array<bigint>(n);
  for (let i = 0; i < n; i++) a[i] = c.get(ARG_REGS[i]);
  return a;
}
