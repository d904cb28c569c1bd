// SDM oracle for control transfer, the stack and memory-operand forms, run as a Linux process:
// call/ret/push/pop/loop, indirect jmp/call through a register and memory, lea, xchg,
// [base+index*scale+disp], [rip+label], and byte/word/dword loads that zero-extend.

import { describe, it, expect } from 'vitest';
import { runLinux, ofType } from '../harness.ts';
import { stepper } from './util.ts';
import { CpuFault } from '../../../src/engine/cpu/fault.ts';
import { RAX, RCX, RBX, RSP } from '../../../src/engine/asm/ir.ts';

const STACK_TOP = 0x7ffffffff000;

const PROG = `
_start:
  mov [rsp0], rsp
  call f
  mov [after_call], rax
  mov rax, 0x1122334455667788
  push rax
  mov [rsp_push], rsp
  pop rbx
  mov [popped], rbx
  push -2
  pop rcx
  mov [push_imm], rcx
  push qword ptr [arr + 16]
  pop qword ptr [popm]
  mov rcx, 5
  xor edx, edx
l1: add rdx, rcx
  loop l1
  mov [loop_sum], rdx
  mov [loop_rcx], rcx
  lea rax, [rip + ind1]
  jmp rax
  mov qword ptr [bad], 1
ind1:
  jmp [p_ind2]
  mov qword ptr [bad], 2
ind2:
  lea rbx, [rip + g]
  call rbx
  call [p_g]
  mov [g_count], r12
  mov rsi, 0x1000
  mov rdi, 3
  lea rax, [rsi + rdi*8 + 0x10]
  mov [lea1], rax
  mov rax, -1
  lea eax, [rsi + rdi*2 - 0x20]
  mov [lea2], rax
  lea rax, [rip + arr]
  mov [lea3], rax
  mov rax, 1
  mov rbx, 2
  xchg rax, rbx
  mov [x_rax], rax
  mov [x_rbx], rbx
  mov rax, 0x77
  xchg rax, [xm]
  mov [x_mem_old], rax
  lea rsi, [rip + arr]
  mov rdi, 2
  mov rax, [rsi + rdi*8 + 8]
  mov [m_bis], rax
  mov rax, [rip + arr]
  mov [m_rip], rax
  mov rax, [arr + 8]
  mov [m_lbl], rax
  mov rax, -1
  mov rax, byte ptr [bytes]
  mov [m_b], rax
  mov rax, -1
  mov rax, word ptr [bytes]
  mov [m_w], rax
  mov rax, -1
  mov rax, dword ptr [bytes]
  mov [m_d], rax
  mov rax, -1
  mov eax, word ptr [bytes + 2]
  mov [m_w32], rax
  mov rax, 0xaabbccddeeff0011
  mov byte ptr [st], rax
  mov word ptr [st + 8], rax
  mov dword ptr [st + 16], eax
  mov rax, 60
  xor edi, edi
  syscall
f:
  mov [in_f], rsp
  mov rax, [rsp]
  ret
g:
  inc r12
  ret
.data
.align 8
rsp0: .quad 0
in_f: .quad 0
after_call: .quad 0
rsp_push: .quad 0
popped: .quad 0
push_imm: .quad 0
popm: .quad 0
loop_sum: .quad 0
loop_rcx: .quad 0
bad: .quad 0
g_count: .quad 0
p_ind2: .quad ind2
p_g: .quad g
lea1: .quad 0
lea2: .quad 0
lea3: .quad 0
x_rax: .quad 0
x_rbx: .quad 0
xm: .quad 0x55
x_mem_old: .quad 0
arr: .quad 0x10, 0x20, 0x30, 0x40
m_bis: .quad 0
m_rip: .quad 0
m_lbl: .quad 0
bytes: .byte 0xf0, 0xe1, 0xd2, 0xc3, 0xb4
.align 8
m_b: .quad 0
m_w: .quad 0
m_d: .quad 0
m_w32: .quad 0
st: .quad -1, -1, -1
`;

describe('control flow, stack and memory operands (Linux process)', () => {
  const r = runLinux(PROG);
  const sym = (n: string) => Number(r.s.program.symbols.get(n)!);
  const q = (n: string, off = 0) => r.m.read64(sym(n) + off);
  it('runs to exit(0)', () => {
    expect(r.status).toEqual({ code: 0, how: 'exit' });
    expect(q('bad')).toBe(0n);
  });
  it('the initial RSP is the stack top, 16-byte aligned; CALL pushes the return address', () => {
    expect(q('rsp0')).toBe(BigInt(STACK_TOP));
    expect(Number(q('rsp0')) % 16).toBe(0);
    expect(q('in_f')).toBe(BigInt(STACK_TOP - 8));
    // f returned [rsp], the return address: the instruction after `call f`.
    const callF = r.s.program.instrs.find((i) => i.text === 'call f')!;
    expect(q('after_call')).toBe(BigInt(callF.addr + callF.len));
  });
  it('PUSH/POP move 8 bytes and RSP by 8; push imm sign-extends; push/pop memory', () => {
    expect(q('rsp_push')).toBe(BigInt(STACK_TOP - 8));
    expect(q('popped')).toBe(0x1122334455667788n);
    expect(q('push_imm')).toBe(0xfffffffffffffffen);
    expect(q('popm')).toBe(0x30n);
  });
  it('LOOP decrements RCX and stops at 0', () => {
    expect(q('loop_sum')).toBe(15n);
    expect(q('loop_rcx')).toBe(0n);
  });
  it('indirect JMP/CALL through a register and memory', () => {
    expect(q('g_count')).toBe(2n);
  });
  it('LEA computes base + index*scale + disp without touching memory; a 32-bit LEA zero-extends', () => {
    expect(q('lea1')).toBe(0x1028n);
    expect(q('lea2')).toBe(0xfe6n);
    expect(q('lea3')).toBe(BigInt(sym('arr')));
  });
  it('XCHG register/register and register/memory', () => {
    expect(q('x_rax')).toBe(2n);
    expect(q('x_rbx')).toBe(1n);
    expect(q('x_mem_old')).toBe(0x55n);
    expect(q('xm')).toBe(0x77n);
  });
  it('[base+index*8+disp], [rip+label] and [label+disp] loads', () => {
    expect(q('m_bis')).toBe(0x40n);
    expect(q('m_rip')).toBe(0x10n);
    expect(q('m_lbl')).toBe(0x20n);
  });
  it('byte/word/dword loads zero-extend into the full register', () => {
    expect(q('m_b')).toBe(0xf0n);
    expect(q('m_w')).toBe(0xe1f0n);
    expect(q('m_d')).toBe(0xc3d2e1f0n);
    expect(q('m_w32')).toBe(0xc3d2n);
  });
  it('byte/word/dword stores write only the low bytes', () => {
    expect(q('st')).toBe(0xffffffffffffff11n);
    expect(q('st', 8)).toBe(0xffffffffffff0011n);
    expect(q('st', 16)).toBe(0xffffffffeeff0011n);
  });
});

describe('stack and control-transfer faults', () => {
  const S = stepper(`_start:
r16: ret 16
jr: jmp rbx
cr: call rbx
pr: pop rax
  nop
`);
  const c = S.m.cpu;
  S.k.faultIn(STACK_TOP - 4096, 4096, true); // the stack page is demand-paged; map it now
  it('RET imm16 pops the return address then adds imm16 to RSP', () => {
    S.m.write64(STACK_TOP - 64, BigInt(S.sym('pr')), false);
    S.at('r16', { [RSP]: BigInt(STACK_TOP - 64) });
    expect(c.rip).toBe(S.sym('pr'));
    expect(c.va(RSP)).toBe(STACK_TOP - 64 + 8 + 16);
  });
  it('a jump or call to a non-canonical address is #GP(0) with nothing changed', () => {
    for (const l of ['jr', 'cr']) {
      let err: unknown = null;
      try { S.at(l, { [RBX]: 0x0000800000000000n, [RSP]: BigInt(STACK_TOP - 64) }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(CpuFault);
      expect([(err as CpuFault).vector, (err as CpuFault).error]).toEqual([13, 0]);
      expect(c.rip).toBe(S.sym(l));
      expect(c.va(RSP)).toBe(STACK_TOP - 64);
    }
  });
  it('RET to a non-canonical return address is #GP(0) and RSP is restored', () => {
    S.m.write64(STACK_TOP - 64, 0x8000000000000000n, false);
    let err: unknown = null;
    try { S.at('r16', { [RSP]: BigInt(STACK_TOP - 64) }); } catch (e) { err = e; }
    expect((err as CpuFault).vector).toBe(13);
    expect(c.va(RSP)).toBe(STACK_TOP - 64);
    expect(c.rip).toBe(S.sym('r16'));
  });
  it('POP from a non-canonical RSP is #SS(0), not #GP (the access references the stack segment)', () => {
    let err: unknown = null;
    try { S.at('pr', { [RSP]: 0x8000000000000000n, [RAX]: 7n, [RCX]: 0n }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(CpuFault);
    expect([(err as CpuFault).vector, (err as CpuFault).error]).toEqual([12, 0]);
    expect(c.get(RAX)).toBe(7n);
    expect(c.get(RSP)).toBe(0x8000000000000000n);
  });
  it('the stack grows on demand below the initial pages', () => {
    const r = runLinux(`_start:
  mov rcx, 4096
l: push rcx
  loop l
  mov rdi, [rsp + 8*4094]
  mov rax, 60
  syscall`);
    expect(r.status).toEqual({ code: 4095 & 0xff, how: 'exit' });
    expect(ofType(r.events, 'kernel').some((e) => e.fn === 'handle_mm_fault')).toBe(true);
  });
});
