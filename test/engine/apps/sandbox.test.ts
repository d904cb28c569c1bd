// The sandbox monitor (src/engine/libdune/asm-boxer.ts): policy verdicts, argument checks, a
// ring-3 page fault that ends the box, and the cost of a forwarded call against Linux.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSource } from '../../../src/engine/session.ts';
import { sandboxCost, table4Slowdown } from '../../../src/engine/paper-sandbox.ts';

const box = readFileSync(join(process.cwd(), 'samples/sandbox/box.s'), 'utf8');
const reader = (d: string) => (n: string) => { try { return readFileSync(join(process.cwd(), d, n), 'utf8'); } catch { return null; } };

function run(policy: string, src = box) {
  const r = runSource(src, { file: 'box.s', stdin: policy, maxInstructions: 5_000_000 });
  expect(r.diagnostics).toBe('');
  return r;
}

describe('the sandbox monitor', () => {
  it('strict: allowed calls are forwarded by VMCALL, open gets -EPERM, a foreign buffer -EFAULT', () => {
    const r = run('strict');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('box: hello from ring 3\n');
    expect(r.stdout).toContain('box: getpid was forwarded\n');
    expect(r.stdout).toContain('boxer: system call 2 denied (-EPERM)\n');
    expect(r.stdout).toContain('box: open was denied (-EPERM)\n');
    expect(r.stdout).toContain('box: write from the monitor\'s memory: -EFAULT\n');
    expect(r.stdout).toContain('boxer: ring-3 page fault at 0x380000 (error 0x5,');
    // 8 calls: 6 writes and getpid forwarded, open denied (-EPERM), one write refused (-EFAULT).
    expect(r.stdout).toContain('monitor: the box ended with -14: 8 system calls, 6 forwarded, 2 refused, 1 page fault(s)\n');
    // Every forwarded call is one VMCALL; the refused ones never leave the guest.
    const writesByMonitor = 2; // the two refusal messages (dune_printf is a VMCALL each)
    expect(r.vmexits.VMCALL).toBe(6 + writesByMonitor + 1 /* the fault message */ + 1 /* the summary */ + 1 /* exit */);
  });

  it('null: everything is forwarded and open is logged', () => {
    const r = run('null');
    expect(r.stdout).toContain('boxer: open("/etc/passwd") (null policy: logged, allowed)\n');
    expect(r.stdout).toContain('box: open was forwarded\n');
    expect(r.stdout).toContain('8 system calls, 7 forwarded, 1 refused, 1 page fault(s)');
  });

  it('deny: every call but exit gets -EPERM and the box keeps running until its fault', () => {
    const r = run('deny');
    expect(r.stdout).not.toContain('box: hello');
    expect(r.stdout.match(/denied \(-EPERM\)/g)?.length).toBe(7);
    expect(r.stdout).toContain('8 system calls, 0 forwarded, 8 refused, 1 page fault(s)');
  });

  it('the box cannot reach the runtime: calling libc from ring 3 is a page fault', () => {
    const src = box.replace('    lea rsi, [m_hello]\n    mov rdx, m_hello_len\n    call say', '    call puts');
    const r = run('strict', src);
    expect(r.stdout).toContain('boxer: ring-3 page fault at 0x300160 (error 0x15,'); // P, U and I: a fetch
    expect(r.stdout).toContain('the box ended with -14: 0 system calls');
  });

  it('an exit ends the box with its code', () => {
    const src = box.replace('box_main:\n', 'box_main:\n    mov rdi, 42\n    mov rax, SYS_exit\n    syscall\n');
    const r = run('strict', src);
    expect(r.stdout).toContain('monitor: the box ended with 42: 1 system calls, 0 forwarded, 0 refused, 0 page fault(s)');
  });

  it('a forwarded call costs a trap into the monitor plus a VMCALL: several times Linux', { timeout: 60_000 }, () => {
    const c = sandboxCost(reader('samples/sandbox'), reader('samples/bench'))!;
    expect(c.linux).toBe(138);
    expect(c.forwarded).toBeGreaterThan(895);            // more than a bare hypercall (Table 2)
    expect(c.forwarded).toBeLessThan(1500);
    expect(table4Slowdown()).toEqual({ one: 1.3, hundred: 1.4 });
  });
});
