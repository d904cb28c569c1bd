// The interpreter (cpu/exec.ts) one instruction at a time on a small machine (bare.ts), with the
// values written out by hand from the SDM Vol. 2 pages: MOV/LEA/XCHG at each width (ah..bh, a
// 32-bit write zero-extends, 8 and 16 merge), PUSH/POP (POP's destination computed with RSP
// already incremented; a faulting POP leaves RSP), read-modify-write forms that fault as writes
// before changing flags, CALL/RET/JMP through registers and memory with #GP(0) for a
// non-canonical target, RET imm16, LOOP on the 64-bit RCX, Jcc on the conditions without a
// specialised handler, each form's cycle charge, and the run loop itself: the instruction budget,
// single steps, the timer and pending interrupts, natives, the trace's instr events and the
// decoded-code cache (mutation testing, docs/testing.md).

import { describe, it, expect, vi } from 'vitest';
import { bare, fault, COSTS } from './bare.ts';
import { runBatch } from '../../../src/engine/cpu/exec.ts';
import { nativeOp } from '../../../src/engine/cpu/decode.ts';
import { mapPage, pteAddr } from '../../../src/engine/kernel/pgtable.ts';
import { RAX, RCX, RDX, RBX, RSP, RSI, RDI, R8, R12 } from '../../../src/engine/asm/ir.ts';
import { PIN } from '../../../src/engine/arch/vmx.ts';

const SRC = `
mov8: mov ah, bl
mov8b: mov bl, ah
mov16: mov cx, dx
mov32: mov ecx, edx
movi8: mov bh, 0x7f
movi32: mov ecx, -1
movm8: mov bh, byte ptr [x]
movm16: mov cx, word ptr [x]
movm32: mov ecx, dword ptr [x]
movm64: mov rcx, [x]
movmr8: mov byte ptr [y], ah
movmr16: mov word ptr [y], cx
movmr64: mov [y], rcx
movmi: mov dword ptr [y], -2
lea32: lea ecx, [rsi + rdi*4 + 8]
lea64: lea rcx, [rsi - 1]
push_r: push r12
push_i: push -3
push_m: push qword ptr [x]
pop_r: pop r8
pop_m: pop qword ptr [rsp]
pop_m2: pop qword ptr [rax]
xchg8: xchg ah, bl
xchg32: xchg ecx, edx
xchgm: xchg rcx, [y]
xchgro: xchg rcx, [mov8]
alu_rr8: add ah, bl
alu_ahal: add ah, al
alu_ahi: add ah, 1
alu_ahm: add ah, byte ptr [x]
alu_mi64: add qword ptr [y], -1
alu_mrb: add [rbx], rcx
cr3r: mov rax, cr3
alu_rr32: sub ecx, edx
alu_rr64: adc rcx, rdx
alu_ri8: add bh, 1
alu_ri32: and ecx, 0xff
alu_ri64: sbb rcx, 1
alu_rm: or ecx, dword ptr [x]
alu_rm8: add bh, byte ptr [x]
alu_rm64: cmp rcx, [x]
alu_mr: add [y], rcx
alu_mr8: sub byte ptr [y], ah
alu_mi: xor dword ptr [y], 0xff
alu_cmpm: cmp qword ptr [mov8], 0
alu_addro: add qword ptr [mov8], 1
test_m: test qword ptr [y], rcx
un_r8: not bh
un_r32: neg ecx
un_m: inc qword ptr [y]
un_ro: dec qword ptr [mov8]
sh_cl: shl rcx, cl
sh_r32: shr ecx, 4
sh_rot: rol bh, 1
sh_rcr: rcr ecx, 1
sh_m: sar qword ptr [y], 2
sh_mcl: shl dword ptr [y], cl
sh_mrot: ror word ptr [y], 4
imul2m: imul rcx, [x]
imul3m: imul ecx, dword ptr [x], 3
imul2_32: imul ecx, edx
imul3_16: imul cx, dx, 3
jmp_d: jmp t_jmp
jmp_r: jmp rax
jmp_m: jmp qword ptr [p]
call_d: call t_call
call_r: call rax
call_m: call qword ptr [p]
ret_: ret
ret16: ret 16
js_: js t_js
jo_: jo t_jo
loop_: loop t_loop
nop_: nop
pause_: pause
t_jmp: nop
t_call: nop
t_js: nop
t_jo: nop
t_loop: nop
two: mov rcx, 1
  mov rdx, 2
  mov rsi, 3
smc: mov byte ptr [rbx], 0x90
smc_next: nop
.align 4096
p1: mov cr3, rax
p1n: mov rbx, 1
.align 4096
p2: nop
  nop
  nop
p2n: mov rbx, 2
.data
.align 16
x: .quad 0x8000000000000081
y: .quad 0
p: .quad t_jmp
`;

const STK = 0x7fff_ffff_e000;

function machine(o: { root?: boolean } = {}) {
  const b = bare(SRC, o), { c, m } = b;
  /** Run the instruction at `label`: its cycles, or what it threw. */
  const run = (label: string, regs: Record<number, bigint> = {}) => {
    const cyc = m.cycles;
    const e = b.step(label, regs);
    return e ?? m.cycles - cyc;
  };
  const next = (label: string) => { const rip = c.rip, n = b.sym(label) + b.op(label).len; c.rip = rip; return n; };
  return { ...b, c, m, run, next };
}
const I = COSTS.instr, D = COSTS.dataAccess;

describe('MOV and LEA at each width', () => {
  it('register to register: ah..bh, 16 bits merge, 32 bits zero-extend', () => {
    const b = machine(), { c } = b;
    expect(b.run('mov8', { [RAX]: 0x1111_2222_3333_4444n, [RBX]: 0xabn })).toBe(I);
    expect(c.get(RAX)).toBe(0x1111_2222_3333_ab44n);
    b.run('mov8b', { [RAX]: 0xcd00n, [RBX]: 0xffff_ffffn });
    expect(c.get(RBX)).toBe(0xffff_ffcdn);
    b.run('mov16', { [RCX]: -1n, [RDX]: 0x1234_5678n });
    expect(c.get(RCX)).toBe(0xffff_ffff_ffff_5678n);
    b.run('mov32', { [RCX]: -1n, [RDX]: 0xffff_ffff_1234_5678n });
    expect(c.get(RCX)).toBe(0x1234_5678n);
    b.run('movi8', { [RBX]: 0xffff_ffffn });
    expect(c.get(RBX)).toBe(0xffff_7fffn);
    b.run('movi32', { [RCX]: 0n });
    expect(c.get(RCX)).toBe(0xffff_ffffn);
  });

  it('loads and stores at the memory operand size; the data access is charged', () => {
    const b = machine(), { c } = b;
    expect(b.run('movm8', { [RBX]: 0xffff_ffffn })).toBe(I + D);
    expect(c.get(RBX)).toBe(0xffff_81ffn);
    b.run('movm16', { [RCX]: -1n });
    expect(c.get(RCX)).toBe(0xffff_ffff_ffff_0081n);
    b.run('movm32', { [RCX]: -1n });
    expect(c.get(RCX)).toBe(0x81n);
    b.run('movm64');
    expect(c.get(RCX)).toBe(0x8000_0000_0000_0081n);
    expect(b.run('movmr8', { [RAX]: 0xab00n })).toBe(I + D);
    expect(b.read(b.sym('y'))).toBe(0xabn);
    b.run('movmr16', { [RCX]: 0x1234_5678n });
    expect(b.read(b.sym('y'))).toBe(0x5678n);
    b.run('movmr64', { [RCX]: -2n });
    expect(b.read(b.sym('y'))).toBe(0xffff_ffff_ffff_fffen);
    expect(b.run('movmi')).toBe(I + D);
    expect(b.read(b.sym('y'))).toBe(0xffff_ffff_ffff_fffen);
    b.run('movmr64', { [RCX]: 0n }); b.run('movmi');
    expect(b.read(b.sym('y'))).toBe(0xffff_fffen);
  });

  it('LEA: no memory access, the address at the destination width', () => {
    const b = machine(), { c } = b;
    expect(b.run('lea32', { [RCX]: -1n, [RSI]: 0xffff_fff0n, [RDI]: 2n })).toBe(I);
    expect(c.get(RCX)).toBe(0x0n); // 0xfffffff0 + 8 + 8 = 2^32: 32 bits keep 0
    b.run('lea64', { [RSI]: 0n });
    expect(c.get(RCX)).toBe(0xffff_ffff_ffff_ffffn); // not an address: no canonical check
  });
});

describe('PUSH, POP, XCHG', () => {
  it('PUSH register, immediate and memory (two accesses); POP to a register', () => {
    const b = machine(), { c } = b;
    expect(b.run('push_r', { [RSP]: BigInt(STK), [R12]: 0x1234n })).toBe(I + D);
    expect([c.get(RSP), b.read(STK - 8)]).toEqual([BigInt(STK - 8), 0x1234n]);
    expect(b.run('push_i')).toBe(I + D);
    expect(b.read(STK - 16)).toBe(0xffff_ffff_ffff_fffdn);
    expect(b.run('push_m')).toBe(I + 2 * D);
    expect([c.get(RSP), b.read(STK - 24)]).toEqual([BigInt(STK - 24), 0x8000_0000_0000_0081n]);
    expect(b.run('pop_r')).toBe(I + D);
    expect([c.get(R8), c.get(RSP)]).toEqual([0x8000_0000_0000_0081n, BigInt(STK - 16)]);
  });

  it('POP to memory: the address uses the incremented RSP; a fault on the store leaves RSP', () => {
    const b = machine(), { c } = b;
    b.m.write64(STK - 16, 0x55n); b.m.write64(STK - 8, 0x66n);
    expect(b.run('pop_m', { [RSP]: BigInt(STK - 16) })).toBe(I + 2 * D);
    expect([c.get(RSP), b.read(STK - 8)]).toEqual([BigInt(STK - 8), 0x55n]);
    expect(fault(b.run('pop_m2', { [RSP]: BigInt(STK - 16), [RAX]: BigInt(b.sym('mov8')) }))).toEqual([14, 3]);
    expect(c.get(RSP)).toBe(BigInt(STK - 16));
    // RSP across a 4 GiB boundary, and onto exactly 0xffffffff in its low half.
    b.map(0x7ffe_ffff_f000); b.map(0x7fff_0000_0000);
    b.m.write64(0x7ffe_ffff_fff8, 0x77n);
    b.run('pop_m2', { [RSP]: 0x7ffe_ffff_fff8n, [RAX]: BigInt(b.sym('y')) });
    expect([c.get(RSP), b.read(b.sym('y'))]).toEqual([0x7fff_0000_0000n, 0x77n]);
    b.run('pop_m2', { [RSP]: 0x7ffe_ffff_fff7n });
    expect(c.get(RSP)).toBe(0x7ffe_ffff_ffffn);
  });

  it('XCHG registers (ah..bh, 32 bits zero-extend both) and with memory (a write: faults first)', () => {
    const b = machine(), { c } = b;
    expect(b.run('xchg8', { [RAX]: 0x1100n, [RBX]: 0x22n })).toBe(I);
    expect([c.get(RAX), c.get(RBX)]).toEqual([0x2200n, 0x11n]);
    b.run('xchg32', { [RCX]: 0xffff_ffff_0000_0001n, [RDX]: 0xffff_ffff_0000_0002n });
    expect([c.get(RCX), c.get(RDX)]).toEqual([2n, 1n]);
    b.m.write64(b.sym('y'), 7n);
    expect(b.run('xchgm', { [RCX]: 9n })).toBe(I + 2 * D);
    expect([c.get(RCX), b.read(b.sym('y'))]).toEqual([7n, 9n]);
    expect(fault(b.run('xchgro', { [RCX]: 9n }))).toEqual([14, 3]);
    expect(c.get(RCX)).toBe(9n);
  });
});

describe('ALU, unary, shifts, IMUL in their general forms', () => {
  it('register forms: high bytes, 32-bit results zero-extend; CMP and TEST write nothing', () => {
    const b = machine(), { c } = b;
    expect(b.run('alu_rr8', { [RAX]: 0xff00n, [RBX]: 0x01n })).toBe(I);
    expect([c.get(RAX), c.cf, c.zf]).toEqual([0x0000n, 1, 1]);
    // ah is register 16 (16 | 0 = 16 for ah, al): the byte in bits 15:8 of RAX
    b.run('alu_ahal', { [RAX]: 0x1203n });
    expect(c.get(RAX)).toBe(0x1503n);
    b.run('alu_ahi', { [RAX]: 0x12ffn });
    expect(c.get(RAX)).toBe(0x13ffn);
    expect(b.run('alu_ahm', { [RAX]: 0x0102n })).toBe(I + D);
    expect(c.get(RAX)).toBe(0x8202n);
    b.run('alu_rr32', { [RCX]: 0xffff_ffff_0000_0005n, [RDX]: 7n });
    expect([c.get(RCX), c.cf]).toEqual([0xffff_fffen, 1]);
    c.cf = 1;
    b.run('alu_rr64', { [RCX]: 1n, [RDX]: 2n });
    expect(c.get(RCX)).toBe(4n);
    b.run('alu_ri8', { [RBX]: 0xffff_7f00n });
    expect([c.get(RBX), c.of]).toEqual([0xffff_8000n, 1]);
    b.run('alu_ri32', { [RCX]: 0xffff_ffff_ffff_1234n });
    expect(c.get(RCX)).toBe(0x34n);
    c.cf = 1;
    b.run('alu_ri64', { [RCX]: 0n });
    expect(c.get(RCX)).toBe(0xffff_ffff_ffff_fffen);
    expect(b.run('alu_rm', { [RCX]: 0xffff_ffff_0000_0100n })).toBe(I + D);
    expect(c.get(RCX)).toBe(0x181n);
    b.run('alu_rm8', { [RBX]: 0x7f00n });
    expect([c.get(RBX), c.sf]).toEqual([0x0000n, 0]); // 0x7f + 0x81 = 0x100
    b.run('alu_rm64', { [RCX]: 0x8000_0000_0000_0081n });
    expect([c.get(RCX), c.zf]).toEqual([0x8000_0000_0000_0081n, 1]);
    b.m.write64(b.sym('y'), 0x0f0n);
    expect(b.run('test_m', { [RCX]: 0x100n })).toBe(I + 2 * D);
    expect([b.read(b.sym('y')), c.zf]).toEqual([0x0f0n, 1]);
  });

  it('memory forms read, modify and write (two accesses); a read-only page faults before the flags change', () => {
    const b = machine(), { c } = b;
    b.m.write64(b.sym('y'), 0xffff_ffff_ffff_ffffn);
    expect(b.run('alu_mr', { [RCX]: 1n })).toBe(I + 2 * D);
    expect([b.read(b.sym('y')), c.cf, c.zf]).toEqual([0n, 1, 1]);
    b.m.write64(b.sym('y'), 0x1234n);
    b.run('alu_mr8', { [RAX]: 0x3500n });
    expect([b.read(b.sym('y')), c.cf]).toEqual([0x12ffn, 1]);
    b.run('alu_mi');
    expect(b.read(b.sym('y'))).toBe(0x1200n);
    b.m.write64(b.sym('y'), 0n);
    b.run('alu_mi64'); // the immediate's upper half (sign-extended -1) counts
    expect([b.read(b.sym('y')), c.cf]).toEqual([0xffff_ffff_ffff_ffffn, 0]);
    expect(b.run('alu_cmpm')).toBe(I + 2 * D); // CMP reads a read-only page
    expect(c.zf).toBe(0);
    c.setRflags(0x8d5 | 2);
    expect(fault(b.run('alu_addro'))).toEqual([14, 3]);
    expect(c.rflags()).toBe(0x8d7);
    expect(b.run('un_r8', { [RBX]: 0x0f00n })).toBe(I);
    expect(c.get(RBX)).toBe(0xf000n);
    b.run('un_r32', { [RCX]: 0xffff_ffff_0000_0001n });
    expect(c.get(RCX)).toBe(0xffff_ffffn);
    b.m.write64(b.sym('y'), 0xffff_ffffn);
    expect(b.run('un_m')).toBe(I + 2 * D);
    expect(b.read(b.sym('y'))).toBe(0x1_0000_0000n);
    expect(fault(b.run('un_ro'))).toEqual([14, 3]);
  });

  it('a store split onto a read-only page faults after the read: flags restored, memory unchanged', () => {
    const b = machine(), { c, m } = b;
    b.map(0x7000_0000_0000); b.map(0x7000_0000_1000, false);
    m.store(0x7000_0000_0ffc, 4, 0xffff_ffff, 0, true); // 4 bytes of 0xff, then (next page) 4 of 0
    c.setRflags(0x8d5 | 2);
    expect(fault(b.run('alu_mrb', { [RBX]: 0x7000_0000_0ffcn, [RCX]: 1n }))).toEqual([14, 3]);
    expect([c.rflags(), m.read64(0x7000_0000_0ffc)]).toEqual([0x8d7, 0xffff_ffffn]);
  });

  it('a read-modify-write translates once, as a write (one walk on a cold TLB)', () => {
    const b = machine(), { m } = b;
    b.run('alu_mr', { [RCX]: 1n });
    const pte = pteAddr(m.mem, b.g.gcr3, b.sym('y'), false)!;
    m.mem.write32(pte, m.mem.read32(pte) & ~0x40); // D clear: a read's walk would not make a writable entry
    m.mmu.invlpg(1, 0, b.sym('y'));
    const w0 = m.mmu.stats.walks;
    b.run('alu_mr');
    expect(m.mmu.stats.walks - w0).toBe(1);
  });

  it('shifts and rotates: CL (its low byte) or an immediate; registers and memory', () => {
    const b = machine(), { c } = b;
    expect(b.run('sh_cl', { [RCX]: 0x104n })).toBe(I); // CL = 4: 0x104 << 4
    expect(c.get(RCX)).toBe(0x1040n);
    b.run('sh_r32', { [RCX]: 0xffff_ffff_0000_0100n });
    expect(c.get(RCX)).toBe(0x10n);
    b.run('sh_rot', { [RBX]: 0x8000n });
    expect([c.get(RBX), c.cf]).toEqual([0x0100n, 1]);
    c.cf = 1;
    b.run('sh_rcr', { [RCX]: 2n });
    expect([c.get(RCX), c.cf]).toEqual([0x8000_0001n, 0]);
    b.m.write64(b.sym('y'), 0x8000_0000_0000_0010n);
    expect(b.run('sh_m')).toBe(I + 2 * D);
    expect(b.read(b.sym('y'))).toBe(0xe000_0000_0000_0004n);
    b.m.write64(b.sym('y'), 0x1n);
    b.run('sh_mcl', { [RCX]: 0x21n }); // 33 mod 32 = 1
    expect(b.read(b.sym('y'))).toBe(0x2n);
    b.m.write64(b.sym('y'), 0x1234n);
    b.run('sh_mrot');
    expect(b.read(b.sym('y'))).toBe(0x4123n);
  });

  it('IMUL with a memory source, 32- and 16-bit forms; the IMUL cost', () => {
    const b = machine(), { c } = b;
    expect(b.run('imul2m', { [RCX]: 2n })).toBe(I + COSTS.imul);
    expect([c.get(RCX), c.cf, c.of]).toEqual([0x102n, 1, 1]);
    b.run('imul3m', { [RCX]: -1n });
    expect(c.get(RCX)).toBe(0x183n);
    expect(b.run('imul2_32', { [RCX]: 0xffff_ffff_0000_0003n, [RDX]: 0x1_0000_0005n })).toBe(I + COSTS.imul);
    expect(c.get(RCX)).toBe(15n);
    b.run('imul3_16', { [RCX]: 0xffff_ffffn, [RDX]: 0xffff_0002n });
    expect(c.get(RCX)).toBe(0xffff_0006n);
  });
});

describe('control transfer', () => {
  it('JMP direct, through a register and through memory; #GP(0) for a non-canonical target', () => {
    const b = machine(), { c } = b;
    expect(b.run('jmp_d')).toBe(I);
    expect(c.rip).toBe(b.sym('t_jmp'));
    b.run('jmp_r', { [RAX]: BigInt(b.sym('t_call')) });
    expect(c.rip).toBe(b.sym('t_call'));
    expect(b.run('jmp_m')).toBe(I + D);
    expect(c.rip).toBe(b.sym('t_jmp'));
    expect(fault(b.run('jmp_r', { [RAX]: 0x0000_8000_0000_0000n }))).toEqual([13, 0]);
    b.m.write64(b.sym('p'), 0x0000_8000_0000_0000n);
    expect(fault(b.run('jmp_m'))).toEqual([13, 0]);
    expect(c.rip).toBe(b.sym('jmp_m'));
  });

  it('CALL pushes the next RIP (canonical); through a register and memory; a bad target pushes nothing', () => {
    const b = machine(), { c } = b;
    expect(b.run('call_d', { [RSP]: BigInt(STK) })).toBe(I + D);
    expect([c.rip, c.get(RSP), b.read(STK - 8)]).toEqual([b.sym('t_call'), BigInt(STK - 8), BigInt(b.next('call_d'))]);
    expect(b.run('call_r', { [RAX]: BigInt(b.sym('t_jmp')) })).toBe(I + D);
    expect([c.rip, b.read(STK - 16)]).toEqual([b.sym('t_jmp'), BigInt(b.next('call_r'))]);
    expect(b.run('call_m')).toBe(I + 2 * D);
    expect([c.rip, c.get(RSP)]).toEqual([b.sym('t_jmp'), BigInt(STK - 24)]);
    expect(fault(b.run('call_r', { [RAX]: 0x0000_8000_0000_0000n }))).toEqual([13, 0]);
    b.m.write64(b.sym('p'), 0x0000_8000_0000_0000n);
    expect(fault(b.run('call_m'))).toEqual([13, 0]);
    expect(c.get(RSP)).toBe(BigInt(STK - 24));
  });

  it('RET pops RIP; RET imm16 also releases the arguments; a non-canonical return address is #GP(0), RSP kept', () => {
    const b = machine(), { c } = b;
    b.m.write64(STK - 8, BigInt(b.sym('t_js')));
    expect(b.run('ret_', { [RSP]: BigInt(STK - 8) })).toBe(I + D);
    expect([c.rip, c.get(RSP)]).toEqual([b.sym('t_js'), BigInt(STK)]);
    b.m.write64(STK - 32, BigInt(b.sym('t_jo')));
    b.run('ret16', { [RSP]: BigInt(STK - 32) });
    expect([c.rip, c.get(RSP)]).toEqual([b.sym('t_jo'), BigInt(STK - 8)]);
    b.m.write64(STK - 8, 0x0000_8000_0000_0000n);
    expect(fault(b.run('ret_', { [RSP]: BigInt(STK - 8) }))).toEqual([13, 0]);
    expect(c.get(RSP)).toBe(BigInt(STK - 8));
    b.m.write64(STK - 8, 0xffff_8000_0000_1000n);
    b.run('ret_');
    expect(c.rip).toBe(0x8000_0000_1000);
  });

  it('Jcc without a specialised handler (JS, JO); LOOP decrements the 64-bit RCX; NOP and PAUSE', () => {
    const b = machine(), { c } = b;
    c.sf = 1;
    expect(b.run('js_')).toBe(I);
    expect(c.rip).toBe(b.sym('t_js'));
    c.sf = 0;
    b.run('js_');
    expect(c.rip).toBe(b.next('js_'));
    c.of = 1;
    b.run('jo_');
    expect(c.rip).toBe(b.sym('t_jo'));
    expect(b.run('loop_', { [RCX]: 0x1_0000_0000n })).toBe(I);
    expect([c.get(RCX), c.rip]).toEqual([0xffff_ffffn, b.sym('t_loop')]);
    b.run('loop_', { [RCX]: 1n });
    expect([c.get(RCX), c.rip]).toEqual([0n, b.next('loop_')]);
    b.run('loop_', { [RCX]: 0n });
    expect([c.get(RCX), c.rip]).toEqual([0xffff_ffff_ffff_ffffn, b.sym('t_loop')]);
    b.run('loop_', { [RCX]: 0x2_0000_0001n });
    expect([c.get(RCX), c.rip]).toEqual([0x2_0000_0000n, b.sym('t_loop')]);
    const r0 = c.get(RAX);
    expect([b.run('nop_'), b.run('pause_'), c.get(RAX), c.rip]).toEqual([I, I, r0, b.next('pause_')]);
  });
});

describe('the run loop', () => {
  it('retires up to n instructions (instret, cycles, one instr event each with RIP and text)', () => {
    const b = machine(), { c, m } = b;
    c.rip = b.sym('two');
    const seen = b.mark(), i0 = m.instret, cyc = m.cycles;
    runBatch(m, 2);
    expect([m.instret - i0, m.cycles - cyc, c.rip, c.get(RCX), c.get(RDX)]).toEqual([2, 2 * I, b.next('two') + 7, 1n, 2n]);
    expect(seen().filter((e) => e.type === 'instr')).toMatchObject([{ rip: '0x' + b.sym('two').toString(16), text: 'mov rcx, 1' }, { text: 'mov rdx, 2' }]);
    runBatch(m, 1, true);
    expect(c.get(RSI)).toBe(3n);
    m.tracing = false;
    const s2 = b.mark();
    c.rip = b.sym('two');
    runBatch(m, 1);
    expect(s2()).toEqual([]);
  });

  it('stops when the CPU halts or the machine stops; a system instruction retires with no cycles of its own', () => {
    const b = machine(), { c, m } = b;
    c.rip = b.sym('nop_');
    c.halted = true;
    const i0 = m.instret;
    runBatch(m, 5);
    expect(m.instret).toBe(i0);
    c.halted = false;
    c.rip = 0x400000; // _start: hlt
    const cyc = m.cycles, seen = b.mark();
    runBatch(m, 5);
    expect([m.instret - i0, m.cycles - cyc, c.halted, c.rip]).toEqual([1, 0, true, 0x400001]);
    expect(seen().filter((e) => e.type === 'instr')).toMatchObject([{ text: 'hlt' }]);
    c.halted = false;
    m.status = { code: 0, how: 'exit' };
    c.rip = b.sym('nop_');
    runBatch(m, 5);
    expect(m.instret - i0).toBe(1);
  });

  it('the timer ticks when its time has come; a pending interrupt is taken when interruptible, else the instruction runs', () => {
    const b = machine({ root: true }), { c, m } = b;
    m.timerAt = m.cycles; m.timerPeriod = 1000; m.timerVector = 0x77;
    c.rip = b.sym('nop_'); c.setRflags(2);
    runBatch(m, 1);
    expect([m.pendingIntr, m.timerAt - m.cycles + I, c.rip]).toEqual([0x77, 1000, b.next('nop_')]);
    const g = b.g, take = vi.fn();
    void g;
    m.vmx.nonRoot = true; m.vmx.pin |= PIN.EXT_INTR_EXITING;
    const exit = vi.spyOn(m.vmx, 'exit').mockImplementation(take);
    m.timerAt = Infinity;
    runBatch(m, 1, true);
    expect([m.pendingIntr, exit.mock.calls.length, c.rip]).toEqual([-1, 1, b.next('nop_')]);
    m.pendingIntr = 0; // vector 0 is an interrupt too
    runBatch(m, 1, true);
    expect([m.pendingIntr, exit.mock.calls.length]).toEqual([-1, 2]);
  });

  it('without tracing, a system instruction emits no instr event and takes no event number', () => {
    const b = machine(), { c, m } = b;
    m.tracing = false;
    const seen = b.mark(), seq = m.seq;
    c.rip = 0x400000;
    runBatch(m, 1);
    expect([c.halted, seen(), m.seq]).toEqual([true, [], seq]);
  });

  it('MOV to CR3 changing the mapping of the next instruction: it is fetched through the new tables', () => {
    const b = machine({ root: true }), { c, m } = b;
    const p2 = b.g.hpa(b.g.gpaOf.get(b.sym('p2'))!) / 4096;
    const root = m.mem.alloc() * 4096;
    mapPage(m.mem, root, b.sym('p1'), p2, { w: false, u: false, x: true });
    const cr3 = c.cr3;
    b.step('cr3r');
    expect(c.get(RAX)).toBe(BigInt(cr3)); // MOV from CR3 through the interpreter
    c.set(RAX, BigInt(root));
    c.rip = b.sym('p1');
    runBatch(m, 2);
    expect([c.cr3, c.get(RBX), c.rip]).toEqual([root, 2n, b.sym('p2n') - b.sym('p2') + b.sym('p1') + 7]);
  });

  it('a native op runs its routine with the machine; the loop fetches again after it', () => {
    const b = machine(), { c, m } = b;
    const at = b.sym('nop_'), frame = m.mem.frames[Math.floor(b.g.hpa(b.g.gpaOf.get(at - (at % 4096))!) / 4096)]!;
    const fn = vi.fn((mm: typeof m) => { mm.cpu.rip = b.sym('two'); });
    const saved = frame.code![at % 4096];
    frame.code![at % 4096] = nativeOp(at, 'native', fn as never);
    c.rip = at;
    const i0 = m.instret;
    runBatch(m, 2);
    frame.code![at % 4096] = saved;
    expect(fn).toHaveBeenCalledWith(m);
    // The native retires nothing itself (it does its own accounting): two instructions after it.
    expect([m.instret - i0, c.get(RCX), c.get(RDX), c.rip]).toEqual([2, 1n, 2n, b.next('two') + 7]);
  });

  it('a store into the code being run: the next instruction is decoded again (here: no instruction there, #UD)', () => {
    const b = machine({ root: true }), { c, m } = b;
    // A writable alias of the text page.
    const text = b.sym('smc') - (b.sym('smc') % 4096), alias = 0x7000_0000_0000;
    const fn = b.g.hpa(b.g.gpaOf.get(text)!) / 4096;
    mapPage(m.mem, b.g.gcr3, alias, fn, { w: true, u: true, x: false });
    c.set(RBX, BigInt(alias + (b.sym('smc_next') % 4096)));
    c.rip = b.sym('smc');
    let e: unknown = null;
    try { runBatch(m, 2); } catch (x) { e = x; }
    expect(fault(e)).toEqual([6, null]);
    expect(c.rip).toBe(b.sym('smc_next'));
    void RDI;
  });
});
