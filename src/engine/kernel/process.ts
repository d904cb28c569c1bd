// A Linux process as the host kernel keeps it: its page-table root, its memory areas (VMAs),
// program break, and the loader that builds its image from an assembled program (guest-asm.md
// "Process layout"). World: VMX root kernel.

import { LAYOUT } from '../arch/linux.ts';
import { decode, type Op } from '../cpu/decode.ts';
import { mapPage } from './pgtable.ts';
import type { PhysMem } from '../mem/phys.ts';
import type { Program } from '../asm/ir.ts';

export type VmaKind = 'text' | 'data' | 'bss' | 'heap' | 'stack' | 'mmap' | 'runtime' | 'runtime-data';
export interface Vma { start: number; end: number; r: boolean; w: boolean; x: boolean; kind: VmaKind }

export type ProcState = 'running' | 'runnable' | 'blocked' | 'stopped' | 'zombie' | 'dead';
export type SyscallVia = 'syscall' | 'vmcall' | 'ptrace' | 'sandbox';

/** A user context saved in the kernel (Linux's pt_regs): the 16 GPRs (regs[RSP] is the user
 *  RSP), RIP, RFLAGS, CS/SS, and how the process entered the kernel. 'syscall' may leave by
 *  SYSRET when RCX/R11 still equal RIP/RFLAGS; anything else leaves by IRETQ. */
export interface UserCtx {
  regs: bigint[];
  rip: number;
  rflags: number;
  cs: number;
  ss: number;
  /** The system-call number as entered (pt_regs.orig_ax); -1 for an exception. */
  origRax: bigint;
  via: 'syscall' | 'exception' | 'signal';
  /** For a signal frame's sigcontext: vector, error code and CR2 of the exception, if any. */
  trapno: number;
  err: number;
  cr2: number;
}

/** What the kernel does in a process's context when the scheduler next runs it. */
export type Cont =
  /** Return to user mode; a vCPU process gets ret as its system call's result, if given. */
  | { kind: 'user'; ret?: bigint }
  /** Re-run a system call that slept (wait4): its result decides whether it sleeps again. */
  | { kind: 'restart'; nr: number; args: bigint[]; via: SyscallVia }
  /** Continue past a ptrace syscall-entry stop: run the call, or skip it under PTRACE_SYSEMU. */
  | { kind: 'sysenter'; emu: boolean };

export interface SigAction { handler: number; flags: number; restorer: number; mask: bigint }
/** A queued signal with its siginfo fields. `injected`: given by a tracer on resume (no new stop). */
export interface SigInfo { signo: number; code: number; addr: number; pid: number; injected?: boolean }

export interface Process {
  pid: number;
  ppid: number;
  state: ProcState;
  name: string;
  /** Host-physical address of the PML4. */
  root: number;
  vmas: Vma[];
  brkStart: number;
  brk: number;
  /** Next mmap placement (top-down from LAYOUT.MMAP_TOP). */
  mmapTop: number;
  kstackTop: number;
  exitCode: number | null;
  /** Saved user context while the process is not on the CPU (null while it runs). */
  ctx: UserCtx | null;
  cont: Cont | null;
  /** What a blocked process sleeps on, for the deadlock report. */
  waitOn: string;
  sig: { act: Record<number, SigAction>; pending: SigInfo[]; blocked: bigint };
  /** The tracer's pid and how it resumed the tracee (PTRACE_CONT, _SYSCALL, _SYSEMU). */
  trace: { tracer: number; mode: 'cont' | 'syscall' | 'sysemu' } | null;
  /** A ptrace stop: the signal wait4 reports, where it stopped, and whether wait4 has seen it. */
  stop: { sig: number; kind: 'signal' | 'syscall-entry' | 'syscall-exit'; reported: boolean } | null;
  /** wait4's status word once the process is a zombie (code << 8, or the signal number). */
  status: number;
  /** Opaque per-process state of the Dune module (its vCPU); the kernel only carries it. When set,
   *  switching the process in calls Kernel.resumeHook instead of returning to ring 3. */
  vcpu?: unknown;
}

/** A fresh process record (no memory yet). */
export function newProc(pid: number, ppid: number, name: string, root: number, kstackTop: number): Process {
  return { pid, ppid, state: 'runnable', name, root, vmas: [], brkStart: 0, brk: 0, mmapTop: LAYOUT.MMAP_TOP, kstackTop,
    exitCode: null, ctx: null, cont: null, waitOn: '', sig: { act: {}, pending: [], blocked: 0n }, trace: null, stop: null, status: 0 };
}

/** Stack VMA: RLIMIT_STACK-sized (8 MiB), demand-paged, so it "grows on demand". */
export const STACK_SIZE = 8 << 20;

export function findVma(p: Process, va: number): Vma | undefined {
  return p.vmas.find((v) => va >= v.start && va < v.end);
}

const pageUp = (x: number) => Math.ceil(x / 4096) * 4096;

/** Build the image: text (and any runtime text) is loaded eagerly with its decoded instructions,
 *  data eagerly, bss/heap/stack on demand (zero-fill on first touch). */
export function loadImage(mem: PhysMem, p: Process, prog: Program, extra: Program[] = []) {
  for (const img of [...extra, prog]) {
    const runtime = img !== prog;
    loadSection(mem, p, img.text.base, img.text.bytes, img, { w: false, x: true }, runtime ? 'runtime' : 'text');
    if (img.data.bytes.length || !runtime)
      loadSection(mem, p, img.data.base, img.data.bytes, null, { w: true, x: false }, runtime ? 'runtime-data' : 'data');
    const dataEnd = pageUp(img.data.base + Math.max(img.data.bytes.length, 1));
    const bssEnd = pageUp(img.bss.base + img.bss.size);
    if (bssEnd > dataEnd) p.vmas.push({ start: dataEnd, end: bssEnd, r: true, w: true, x: false, kind: 'bss' });
  }
  p.brkStart = p.brk = prog.brk;
  p.vmas.push({ start: LAYOUT.STACK_TOP - STACK_SIZE, end: LAYOUT.STACK_TOP, r: true, w: true, x: false, kind: 'stack' });
}

function loadSection(mem: PhysMem, p: Process, base: number, bytes: Uint8Array, img: Program | null,
  f: { w: boolean; x: boolean }, kind: VmaKind) {
  const len = Math.max(bytes.length, 1);
  const end = pageUp(base + len);
  const ops = new Map<number, (Op | undefined)[]>();
  if (img) for (const ins of img.instrs) {
    const page = ins.addr - (ins.addr % 4096);
    if (!ops.has(page)) ops.set(page, []);
    ops.get(page)![ins.addr % 4096] = decode(ins);
  }
  for (let va = base - (base % 4096); va < end; va += 4096) {
    const fn = mem.alloc();
    const fr = mem.wframe(fn);
    for (let i = 0; i < 4096; i++) {
      const o = va + i - base;
      if (o >= 0 && o < bytes.length) fr.u8[i] = bytes[o];
    }
    fr.code = ops.get(va) ?? (img ? [] : null);
    mapPage(mem, p.root, va, fn, { w: f.w, u: true, x: f.x });
  }
  // bss shares the data section's last page when it starts inside it
  p.vmas.push({ start: base - (base % 4096), end, r: true, w: f.w, x: f.x, kind });
}
