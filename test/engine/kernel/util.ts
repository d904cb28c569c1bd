// Helpers for the process-feature tests: read a finished process's memory by symbol, and the
// raw-syscall snippets the guest programs share (no libc: the tests use system calls directly).

import { lookup, entryFrame } from '../../../src/engine/kernel/pgtable.ts';
import type { runLinux } from '../harness.ts';

type Run = ReturnType<typeof runLinux>;

/** A 64-bit value of pid's memory at a label (+ offset), read through its page tables. */
export function peek(r: Run, label: string, off = 0, pid = 1): bigint {
  const va = Number(r.s.program.symbols.get(label)!) + off;
  const p = r.k.byPid(pid)!;
  const e = lookup(r.m.mem, p.root, va - (va % 4096));
  if (!e) return 0n; // never touched: a zero page
  return r.m.mem.read64(entryFrame(e[0], e[1]) * 4096 + (va % 4096));
}

export const sym = (r: Run, label: string) => Number(r.s.program.symbols.get(label)!);

export const EXIT = (code: number | string) => `    mov rdi, ${code}\n    mov rax, SYS_exit\n    syscall\n`;

/** rt_sigaction(sig, &act, NULL, 8). */
export const SIGACTION = (sig: string, act: string) =>
  `    mov rax, SYS_rt_sigaction\n    mov rdi, ${sig}\n    lea rsi, [${act}]\n    mov rdx, 0\n    mov r10, 8\n    syscall\n`;

/** wait4(pid, &status, 0, NULL). */
export const WAIT = (pid: string, status: string) =>
  `    mov rax, SYS_wait4\n    mov rdi, ${pid}\n    lea rsi, [${status}]\n    mov rdx, 0\n    mov r10, 0\n    syscall\n`;

/** The restorer a libc installs with SA_RESTORER: it enters rt_sigreturn. */
export const RESTORER = `restorer:\n    mov rax, SYS_rt_sigreturn\n    syscall\n`;

/** SA_SIGINFO | SA_RESTORER. */
export const SA_FLAGS = '0x04000004';
