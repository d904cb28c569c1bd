import { describe, it, expect } from 'vitest';
import { ok, errs } from './helpers.ts';
import type { Operand } from '../../../src/engine/asm/ir.ts';

const ops = (s: string): Operand[] => ok(s).instrs[0].ops;
const mem = (s: string) => ops(`mov rax, ${s}`)[1];
const W = (x: bigint) => BigInt.asUintN(64, x);

describe('memory operands', () => {
  it('[base + index*scale + disp] in any order', () => {
    const m = { kind: 'mem', size: 8, base: 3, index: 1, scale: 8, disp: 16n, rip: false };
    expect(mem('[rbx + rcx*8 + 16]')).toEqual(m);
    expect(mem('[rcx*8 + rbx + 16]')).toEqual(m);
    expect(mem('[16 + rbx + 8*rcx]')).toEqual(m);
    expect(mem('[rbx + rcx*(4+4) + 0x10]')).toEqual(m);
    expect(mem('[rbx + rcx]')).toEqual({ ...m, scale: 1, disp: 0n });
  });
  it('negative and symbolic displacements', () => {
    expect(mem('[rbp - 8]')).toMatchObject({ base: 5, index: null, disp: W(-8n) });
    expect(mem('[rbp - 8 - 8]')).toMatchObject({ disp: W(-16n) });
    expect(mem('[rsp + TF_RIP]')).toMatchObject({ base: 4, disp: 128n });
    expect(mem('[rdi + 2*TF_RAX/2]')).toMatchObject({ base: 7, disp: 112n });
  });
  it('[label], [label + disp], [0x1000], [label + index*scale]', () => {
    const p = ok('mov rax, [x]\nmov rax, [x + 8]\nmov rax, [0x1000]\nmov rax, [x + rdi*8]\n.data\nx: .quad 1, 2');
    expect(p.instrs.map(i => i.ops[1])).toEqual([
      { kind: 'mem', size: 8, base: null, index: null, scale: 1, disp: 0x401000n, rip: false },
      { kind: 'mem', size: 8, base: null, index: null, scale: 1, disp: 0x401008n, rip: false },
      { kind: 'mem', size: 8, base: null, index: null, scale: 1, disp: 0x1000n, rip: false },
      { kind: 'mem', size: 8, base: null, index: 7, scale: 8, disp: 0x401000n, rip: false },
    ]);
  });
  it('rsp is moved to the base; it cannot be an index', () => {
    expect(mem('[rax + rsp]')).toMatchObject({ base: 4, index: 0 });
    expect(errs('mov rax, [rax + rsp*2]')[0].message).toBe('rsp cannot be an index register');
  });
  it('sizes: ptr, bare size keyword, default from the register, else 8', () => {
    expect(ops('mov byte ptr [rax], 1')[0]).toMatchObject({ size: 1 });
    expect(ops('mov word [rax], 1')[0]).toMatchObject({ size: 2 });
    expect(ops('mov DWORD PTR [rax], 1')[0]).toMatchObject({ size: 4 });
    expect(ops('mov [rax], 1')[0]).toMatchObject({ size: 8 });
    expect(ops('mov [rax], ecx')[0]).toMatchObject({ size: 4 });
    expect(ops('add ecx, [rax]')[1]).toMatchObject({ size: 4 });
    expect(ops('inc [rax]')[0]).toMatchObject({ size: 8 });
    expect(ops('push [rax]')[0]).toMatchObject({ size: 8 });
  });
  it('registers, 32-bit views and control registers', () => {
    expect(ops('mov r15d, r8d')).toEqual([{ kind: 'reg', reg: 15, size: 4 }, { kind: 'reg', reg: 8, size: 4 }]);
    expect(ops('mov cr3, rdi')).toEqual([{ kind: 'cr', cr: 3 }, { kind: 'reg', reg: 7, size: 8 }]);
    expect(ops('shl rax, cl')[1]).toEqual({ kind: 'reg', reg: 1, size: 1 });
    expect(ops('imul rax, 3')).toEqual([{ kind: 'reg', reg: 0, size: 8 }, { kind: 'reg', reg: 0, size: 8 }, { kind: 'imm', value: 3n }]);
  });
  it('bad addresses', () => {
    expect(errs('mov rax, [rax + rbx + rcx]')[0]).toMatchObject({ col: 23, message: 'too many registers in the address' });
    expect(errs('mov rax, [rbx*3]')[0].message).toBe('scale 3 must be 1, 2, 4 or 8');
    expect(errs('mov rax, [eax]')[0]).toMatchObject({ message: '32-bit address registers are not supported', hint: 'use rax' });
    expect(errs('mov rax, [rax*rbx]')[0].message).toMatch(/invalid use of register/);
    expect(errs('mov rax, [8 - rax]')[0].message).toMatch(/cannot be subtracted/);
    expect(errs('mov rax, [rax + 1')[0].message).toBe("expected ']'");
    expect(errs('mov rax, []')[0].message).toBe('empty memory operand');
    expect(errs('mov rax, [rip + rbx]')[0].message).toMatch(/rip-relative/);
    expect(errs('mov rax, qword ptr x')[0].message).toMatch(/expected '\['/);
    expect(errs('mov rax, [fs:8]')[0].message).toMatch(/segment/);
    expect(errs('mov rax, [0x80000000]')[0].message).toMatch(/does not fit in a signed 32-bit displacement/);
  });
});

describe('operand forms', () => {
  const E = (s: string) => errs(s)[0];
  it('rejects what x86 rejects, with the position of the offending operand', () => {
    expect(E('mov [rax], [rbx]')).toMatchObject({ col: 12, length: 5, message: 'mov cannot take two memory operands' });
    expect(E('add [rax], [rbx]').message).toBe('add cannot take two memory operands');
    expect(E('mov rax, eax')).toMatchObject({ col: 10, message: 'operand size mismatch: rax is 8 bytes, eax is 4' });
    expect(E('add eax, qword ptr [rbx]').message).toMatch(/operand size mismatch/);
    expect(E('shl rax, rbx').message).toBe('the shift count must be an immediate or cl');
    expect(E('mov r8l, 1')).toMatchObject({ message: "unknown register 'r8l'", hint: 'the low byte of r8 is r8b' });
    expect(E('mov rax, cl').message).toBe('operand size mismatch: rax is 8 bytes, cl is 1');
    expect(E('mov 5, rax').message).toBe('the destination cannot be an immediate');
    expect(E('lea rax, 5').message).toBe('lea needs a memory operand');
    expect(E('push eax')).toMatchObject({ message: 'push needs a 64-bit register', hint: 'use rax' });
    expect(E('pop 5').message).toMatch(/pop needs/);
    expect(E('je rax').message).toBe('je takes a label');
    expect(E('loop [rax]').message).toBe('loop takes a label');
    expect(E('jmp eax').message).toBe('jmp needs a 64-bit register');
    expect(E('add cr3, rax').message).toBe('control registers can only be used with mov');
    expect(E('mov cr3, eax').message).toMatch(/64-bit register/);
    expect(E('mov cr3, 5').message).toMatch(/64-bit register/);
    expect(E('mov cr1, rax').message).toBe("unknown control register 'cr1'");
    expect(E('invlpg rax').message).toBe('invlpg takes a memory operand');
    expect(E('ltr [rax]').message).toMatch(/ltr takes a register/);
    expect(E('imul al, bl').message).toMatch(/imul needs a 16\/32\/64-bit register/);
    expect(E('div 5').message).toMatch(/div cannot take an immediate/);
    expect(E('nop rax')).toMatchObject({ col: 5, message: 'nop takes no operands' });
    expect(E('mov rax')).toMatchObject({ col: 1, message: 'mov takes 2 operands' });
    expect(E('ret rax').message).toMatch(/ret takes/);
  });
  it('immediates must fit the form', () => {
    const e = E('add rax, 0x80000000');
    expect(e).toMatchObject({ col: 10, length: 10, message: 'immediate 0x80000000 does not fit in a signed 32-bit field' });
    expect(e.hint).toMatch(/mov r64, imm64/);
    expect(E('mov qword ptr [rax], 0x100000000').message).toMatch(/signed 32-bit/);
    expect(E('push 0x80000000').message).toMatch(/signed 32-bit/);
    expect(E('mov byte ptr [rax], 256').message).toBe('immediate 256 does not fit in 8 bits');
    expect(E('mov eax, 0x100000000').message).toBe('immediate 0x100000000 does not fit in 32 bits');
    expect(E('int 256').message).toMatch(/0..255/);
    expect(E('ret 0x10000').message).toMatch(/0..65535/);
    expect(E('shl rax, 256').message).toMatch(/0..255/);
    ok('mov rax, 0xffffffffffffffff\nmov eax, 0xffffffff\nmov eax, -1\nadd rax, -0x80000000\nmov byte ptr [rax], -1\ncmp byte ptr [rax], 255');
  });
});
