// The system-call path keeps exact 64-bit values: the number, the arguments and the result are
// read from and written to the registers without rounding (values above 2^32 and 2^53, negative
// values), though the path reads them as plain numbers where they fit.

import { describe, it, expect } from 'vitest';
import { asm } from '../harness.ts';
import { Session } from '../../../src/engine/session.ts';
import { ArraySink, type TraceEvent } from '../../../src/engine/trace/events.ts';
import { CpuState } from '../../../src/engine/cpu/state.ts';
import { R12, R13, R14, R15, RBX, RBP } from '../../../src/engine/asm/ir.ts';
import { SYSCALL_TABLE } from '../../../src/engine/kernel/syscalls.ts';

const PROGRAM = `.data
msg: .ascii "x"
.text
_start:
    mov rdi, -1                     ; fd 2^64 - 1: not fd 1 or 2
    lea rsi, [msg]
    mov rdx, 1
    mov rax, SYS_write
    syscall
    mov r12, rax                    ; -EBADF
    mov rdi, 0x100000001            ; fd 2^32 + 1: not fd 1
    lea rsi, [msg]
    mov rdx, 1
    mov rax, SYS_write
    syscall
    mov r13, rax                    ; -EBADF
    mov rax, 0x100000027            ; getpid's number with bit 32 set: no such call
    syscall
    mov r14, rax                    ; -ENOSYS
    mov rdi, 1
    lea rsi, [msg]
    mov rdx, 0x20000000000001       ; a count above 2^53
    mov rax, SYS_write
    syscall
    mov r15, rax                    ; -EINVAL
    mov rdi, 1
    lea rsi, [msg]
    mov rdx, 1
    mov rax, SYS_write
    syscall
    mov rbx, rax                    ; 1 byte written
    mov rax, SYS_getpid
    syscall
    mov rbp, rax                    ; pid 1
    mov rdi, 0x1ff                  ; exit status: the low byte
    mov rax, SYS_exit
    syscall
`;

const u64 = (v: bigint) => BigInt.asUintN(64, v);

describe('system-call values stay exact 64-bit', () => {
  const sink = new ArraySink();
  const s = new Session(asm(PROGRAM), { sink });
  const st = s.run(10_000);
  const calls = sink.events.filter((e): e is Extract<TraceEvent, { type: 'syscall' }> => e.type === 'syscall');
  const c = s.machine.cpu;

  it('results: -errno as two\'s complement, counts and pids as they are', () => {
    expect(c.get(R12)).toBe(u64(-9n)); // EBADF
    expect(c.get(R13)).toBe(u64(-9n));
    expect(c.get(R14)).toBe(u64(-38n)); // ENOSYS
    expect(c.get(R15)).toBe(u64(-22n)); // EINVAL
    expect(c.get(RBX)).toBe(1n);
    expect(c.get(RBP)).toBe(1n);
    expect(st).toEqual({ code: 0xff, how: 'exit' });
    expect(s.stdout()).toBe('x');
  });

  it('the trace prints the arguments and results in full', () => {
    const writes = calls.filter((e) => e.name === 'write');
    expect(writes.map((e) => e.args[0])).toEqual(['0xffffffffffffffff', '0x100000001', '0x1', '0x1']);
    expect(writes[2].args[2]).toBe('0x20000000000001');
    expect(writes.map((e) => e.ret)).toEqual(['0xfffffffffffffff7', '0xfffffffffffffff7', '0xffffffffffffffea', '0x1']);
    const bad = calls.find((e) => e.name !== 'write' && e.name !== 'getpid' && e.name !== 'exit');
    expect(bad?.nr).toBe(-1); // rax above NR_syscall_max is no call at all
    expect(bad?.ret).toBe('0xffffffffffffffda');
    expect(calls.find((e) => e.name === 'getpid')?.args).toEqual([]);
    expect(calls.find((e) => e.name === 'exit')?.args).toEqual(['0x1ff']);
  });
});

describe('CpuState.get/set at the edges of the 32-bit fast path', () => {
  const values = [0n, 1n, 0xffffffffn, 0x100000000n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n,
    -1n, -0x80000000n, -0x80000001n, -(2n ** 53n) - 1n, -(2n ** 63n), 2n ** 64n, 2n ** 64n + 5n, -(2n ** 64n) - 3n];
  it.each(values.map((v) => [v]))('%s is stored modulo 2^64', (v) => {
    const c = new CpuState();
    c.set(3, v);
    expect(c.get(3)).toBe(BigInt.asUintN(64, v));
    expect(c.hi[3] * 2 ** 32 + c.lo[3]).toBe(Number(BigInt.asUintN(64, v)));
  });
});

describe('a call that returns its result as a number (Rax)', () => {
  // A handler put at a number Linux leaves free for the test, returning each value as a number:
  // the path writes RAX from it and prints it, as for the same value as a bigint.
  const NR = 450;
  const values = [0, 1, 0x7fffffff, 0xffffffff, 2 ** 32, 2 ** 40 + 3, -22, -(2 ** 31) - 1];
  it.each(values.map((v) => [v]))('%s reaches RAX and the trace modulo 2^64', (v) => {
    expect(SYSCALL_TABLE[NR]).toBeUndefined();
    SYSCALL_TABLE[NR] = () => v;
    try {
      const sink = new ArraySink();
      const s = new Session(asm(`_start:\n    mov rax, ${NR}\n    syscall\n    mov rbx, rax\n    mov rdi, 0\n    mov rax, SYS_exit\n    syscall\n`), { sink });
      expect(s.run(1_000)).toEqual({ code: 0, how: 'exit' });
      const want = BigInt.asUintN(64, BigInt(v));
      expect(s.machine.cpu.get(RBX)).toBe(want);
      expect(sink.events.find((e) => e.type === 'syscall')).toMatchObject({ nr: NR, ret: `0x${want.toString(16)}` });
    } finally { delete SYSCALL_TABLE[NR]; }
  });
});
