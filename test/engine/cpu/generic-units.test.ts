// The r/m-form executor (cpu/generic.ts) one instruction at a time on a small machine (bare.ts),
// with the values written out by hand from the SDM Vol. 2 pages: MUL/DIV's accumulator pairs
// (AX for bytes, rDX:rAX otherwise) and their costs, MOVZX/MOVSX/MOVSXD, CMOVcc (the source read
// whatever the condition, a false 32-bit CMOV still zero-extends), SETcc to a register or memory,
// BT* with a register bit offset reaching outside a memory operand ("bit base" addressing, signed)
// and BTS/BTR/BTC as writes, BSF/BSR with a zero source, BSWAP, PUSHFQ/POPFQ and what CPL and IOPL
// let POPFQ change, CWD/CDQ/CQO, CLD/STD (mutation testing, docs/testing.md).

import { describe, it, expect } from 'vitest';
import { bare, fault, COSTS } from './bare.ts';
import { execGeneric } from '../../../src/engine/cpu/generic.ts';
import { OPC } from '../../../src/engine/cpu/decode.ts';
import { RAX, RCX, RDX, RBX, RSP, RSI, R10 } from '../../../src/engine/asm/ir.ts';

const SRC = `
mul8: mul bl
div8: div bl
bt_rax: bt rcx, rax
mulm: mul qword ptr [x]
imul1: imul rbx
div32: div ecx
idiv16: idiv cx
idivm: idiv qword ptr [x]
zx8: movzx eax, byte ptr [x + 7]
zx16: movzx rax, bx
sx16: movsx rax, bx
sxd: movsxd rax, ecx
sx8w: movsx cx, al
sxah: movsx eax, ah
cmove32: cmove ecx, edx
cmove64: cmove rcx, rdx
cmovm: cmovne rax, [rsi]
setne_bh: setne bh
sete_m: sete byte ptr [x]
bt_i: bt rax, 63
bts_i32: bts eax, 35
btr_i16: btr ax, 17
btc_r: btc rax, rcx
bt_r32: bt eax, ecx
bt_r16: bt ax, cx
bt_m: bt [x], rcx
bts_m32: bts dword ptr [x + 8], ecx
btr_m16: btr word ptr [x + 8], cx
bt_mi: bt qword ptr [x], 65
bt_text: bt qword ptr [mul8], 1
bts_text: bts qword ptr [mul8], 1
bsf_: bsf rax, rbx
bsr_: bsr ecx, [x]
bswap32: bswap r10d
bswap64: bswap rax
pushf_: pushfq
popf_: popfq
cqo_: cqo
cdq_: cdq
cwd_: cwd
cld_: cld
std_: std
.data
.align 16
w: .quad 0x0000000000000080
x: .quad 0x8000000000000081, 0x00000000000000f0
y: .quad 0
`;

function machine(o: { cpl?: 0 | 3 } = {}) {
  const b = bare(SRC, o), { m } = b;
  const run = (label: string, regs: Record<number, bigint> = {}) => {
    const cyc = m.cycles;
    const e = b.step(label, regs);
    if (e) return e;
    return m.cycles - cyc;
  };
  /** Runs the instruction at label, which must not fault, and gives the CPU to read what it wrote. */
  const after = (label: string, regs: Record<number, bigint> = {}) => {
    const e = run(label, regs);
    if (typeof e !== 'number') throw new Error(`${label} faulted: ${String(e)}`);
    return b.c;
  };
  return { ...b, run, after };
}

describe('MUL, IMUL, DIV, IDIV (one operand)', () => {
  it('byte operands: AX = AL * r/m8, the rest of RAX kept; the costs', () => {
    const b = machine(), { c } = b;
    const cyc = b.run('mul8', { [RAX]: 0x1234_5678_dead_be80n, [RBX]: 0x3n });
    expect([c.get(RAX), c.cf, c.of]).toEqual([0x1234_5678_dead_0180n, 1, 1]);
    expect(cyc).toBe(COSTS.instr + COSTS.imul);
    expect(b.run('mulm', { [RAX]: 4n, [RDX]: 9n })).toBe(COSTS.instr + COSTS.imul + COSTS.dataAccess);
    expect([c.get(RDX), c.get(RAX)]).toEqual([2n, 0x204n]); // 4 * 0x8000000000000081
    // AX = 0x105 (RDX not part of it)
    expect(b.after('div8', { [RAX]: 0xffff_0105n, [RDX]: 0xffn, [RBX]: 2n }).get(RAX)).toBe(0xffff_0182n); // AL = 0x82, AH = 1
    b.run('imul1', { [RAX]: -2n, [RBX]: 3n });
    expect([c.get(RDX), c.get(RAX)]).toEqual([0xffff_ffff_ffff_ffffn, 0xffff_ffff_ffff_fffan]);
  });

  it('DIV and IDIV: rDX:rAX at the operand width, upper halves zeroed at 32 bits, merged at 16', () => {
    const b = machine(), { c } = b;
    expect(b.run('div32', { [RDX]: 0xffff_ffff_0000_0001n, [RAX]: 0xffff_ffff_0000_0005n, [RCX]: 0x10n })).toBe(COSTS.instr + COSTS.div);
    expect([c.get(RAX), c.get(RDX)]).toEqual([0x1000_0000n, 5n]);
    b.run('idiv16', { [RDX]: 0xaaaa_ffffn, [RAX]: 0xbbbb_fff9n, [RCX]: 2n }); // DX:AX = -7
    expect([c.get(RAX), c.get(RDX)]).toEqual([0xbbbb_fffdn, 0xaaaa_ffffn]); // -3 rem -1
    expect(b.run('idivm', { [RDX]: 0n, [RAX]: 0x81n })).toBe(COSTS.instr + COSTS.div + COSTS.dataAccess);
    expect([c.get(RAX), c.get(RDX)]).toEqual([0n, 0x81n]);
    expect(fault(b.run('div32', { [RDX]: 0n, [RAX]: 1n, [RCX]: 0n }))).toEqual([0, null]);
  });
});

describe('MOVZX, MOVSX, MOVSXD', () => {
  it('zero- and sign-extension from memory and registers, ah as a source, a 16-bit destination merges', () => {
    const b = machine(), { c } = b;
    expect(b.run('zx8', { [RAX]: -1n })).toBe(COSTS.instr + COSTS.dataAccess);
    expect(c.get(RAX)).toBe(0x80n);
    expect(b.run('zx16', { [RBX]: 0xffff_ffff_ffff_8001n })).toBe(COSTS.instr);
    expect(c.get(RAX)).toBe(0x8001n);
    expect(b.after('sx16', { [RBX]: 0x8001n }).get(RAX)).toBe(0xffff_ffff_ffff_8001n);
    expect(b.after('sxd', { [RCX]: 0x1_8000_0000n }).get(RAX)).toBe(0xffff_ffff_8000_0000n);
    expect(b.after('sx8w', { [RAX]: 0xf0n, [RCX]: 0x1234_5678_9abc_def0n }).get(RCX)).toBe(0x1234_5678_9abc_fff0n);
    expect(b.after('sxah', { [RAX]: 0x7f80n }).get(RAX)).toBe(0x7fn);
  });
});

describe('CMOVcc, SETcc', () => {
  it('CMOV: moves when true; a false 32-bit CMOV zero-extends, a false 64-bit one does nothing', () => {
    const b = machine(), { c } = b;
    c.zf = 1;
    expect(b.after('cmove32', { [RCX]: -1n, [RDX]: 0x1_2345_6789n }).get(RCX)).toBe(0x2345_6789n);
    c.zf = 0;
    expect(b.after('cmove32', { [RCX]: -1n }).get(RCX)).toBe(0xffff_ffffn);
    expect(b.after('cmove64', { [RCX]: -1n }).get(RCX)).toBe(-1n & 0xffff_ffff_ffff_ffffn);
    c.zf = 1;
    expect(b.after('cmove64', { [RCX]: 0n }).get(RCX)).toBe(0x1_2345_6789n);
  });

  it('CMOV reads its memory source whatever the condition (a fault either way), and charges it', () => {
    const b = machine(), { c } = b;
    c.zf = 1;
    expect(b.run('cmovm', { [RAX]: 5n, [RSI]: BigInt(b.sym('x')) })).toBe(COSTS.instr + COSTS.dataAccess);
    expect(c.get(RAX)).toBe(5n);
    expect(fault(b.run('cmovm', { [RSI]: 0x10000n }))).toEqual([14, 0]);
  });

  it('SETcc writes 1 or 0 to a byte register (bh) or to memory', () => {
    const b = machine(), { c } = b;
    c.zf = 0;
    expect(b.run('setne_bh', { [RBX]: 0xffff_0000n })).toBe(COSTS.instr);
    expect(c.get(RBX)).toBe(0xffff_0100n);
    c.zf = 1;
    expect(b.after('setne_bh').get(RBX)).toBe(0xffff_0000n);
    expect(b.run('sete_m')).toBe(COSTS.instr + COSTS.dataAccess);
    expect(b.read(b.sym('x'))).toBe(0x8000_0000_0000_0001n);
    c.zf = 0;
    b.run('sete_m');
    expect(b.read(b.sym('x'))).toBe(0x8000_0000_0000_0000n);
  });
});

describe('BT, BTS, BTR, BTC', () => {
  it('register operands: the immediate taken mod the width, a register offset mod the width (as unsigned)', () => {
    const b = machine(), { c } = b;
    expect(b.run('bt_i', { [RAX]: 0x8000_0000_0000_0000n })).toBe(COSTS.instr);
    expect(c.cf).toBe(1);
    b.run('bts_i32', { [RAX]: 0xffff_ffff_0000_0000n }); // 35 mod 32 = 3; a 32-bit write
    expect([c.get(RAX), c.cf]).toEqual([0x8n, 0]);
    b.run('btr_i16', { [RAX]: 0xffff_ffffn }); // 17 mod 16 = 1
    expect([c.get(RAX), c.cf]).toEqual([0xffff_fffdn, 1]);
    expect(b.after('btc_r', { [RAX]: 0n, [RCX]: 65n }).get(RAX)).toBe(2n);
    expect(b.after('btc_r', { [RAX]: 0n, [RCX]: -1n }).get(RAX)).toBe(0x8000_0000_0000_0000n);
    expect(b.after('bt_r32', { [RAX]: 0x8000_0000n, [RCX]: 0xffff_ffff_ffff_ffffn }).cf).toBe(1); // ECX = -1: bit 31
    expect(b.after('bt_r32', { [RAX]: 0x8000_0000n, [RCX]: 0x1_0000_001fn }).cf).toBe(1); // RCX[63:32] ignored
    expect(b.after('bt_r16', { [RAX]: 0x8000n, [RCX]: 0xffff_ffffn }).cf).toBe(1); // CX = -1: bit 15
    expect(b.after('bt_r16', { [RAX]: 0x8000n, [RCX]: 0x1_000fn }).cf).toBe(1); // ECX[31:16] ignored
    b.run('bt_r32', { [RAX]: 0xffff_ffff_0000_0001n, [RCX]: 0n }); // BT writes nothing: RAX[63:32] stay
    expect([c.get(RAX), c.cf]).toEqual([0xffff_ffff_0000_0001n, 1]);
    expect(b.after('bt_rax', { [RCX]: 0x10n, [RAX]: 4n }).cf).toBe(1); // RAX (register 0) as the bit offset
  });

  it('a memory operand with a register offset: the address moves by whole operands, signed', () => {
    const b = machine(), { c } = b;
    const x = b.sym('x');
    expect(b.run('bt_m', { [RCX]: 63n })).toBe(COSTS.instr + COSTS.dataAccess);
    expect(c.cf).toBe(1);
    expect(b.after('bt_m', { [RCX]: 64n + 7n }).cf).toBe(1); // bit 7 of the quadword at x + 8 (0xf0)
    expect(b.after('bt_m', { [RCX]: 64n + 8n }).cf).toBe(0);
    expect(b.after('bt_m', { [RCX]: -57n }).cf).toBe(1); // the quadword before x (w = 0x80), bit 7
    expect(b.after('bt_m', { [RCX]: -58n }).cf).toBe(0); // w, bit 6
    // BTS with ECX = -33: the dword at x + 8 - 8, bit 31
    expect(b.run('bts_m32', { [RCX]: 0xffff_ffdfn })).toBe(COSTS.instr + 2 * COSTS.dataAccess);
    expect([b.read(x), c.cf]).toEqual([0x8000_0000_8000_0081n, 0]);
    b.run('btr_m16', { [RCX]: 0xffff_fff0n }); // CX = -16: the word at x + 6, bit 0... = bit 48 of x
    expect(b.read(x)).toBe(0x8000_0000_8000_0081n);
    b.run('btr_m16', { [RCX]: 0xffff_ffffn }); // CX = -1: the word at x + 6, bit 15 = bit 63 of x
    expect([b.read(x), c.cf]).toEqual([0x0000_0000_8000_0081n, 1]);
    expect(b.after('bt_mi').cf).toBe(0); // an immediate offset stays inside the operand: 65 mod 64 = 1
    b.run('bts_m32', { [RCX]: 0xffff_ffe0n }); // ECX = -32: the dword at x + 4, bit 0
    expect([b.read(x), c.cf]).toEqual([0x0000_0001_8000_0081n, 0]);
    // An offset that moves the address to 0 (not mapped): the fault is at 0, not at the operand.
    const e = b.run('bt_m', { [RCX]: -BigInt(x) * 8n });
    expect([fault(e), b.c.cr2]).toEqual([[14, 0], 0]);
  });

  it('BT of read-only memory reads; BTS faults as a write before reading', () => {
    const b = machine();
    expect(b.run('bt_text')).toBe(COSTS.instr + COSTS.dataAccess);
    for (const cf of [0, 1]) {
      b.c.cf = cf;
      expect(fault(b.run('bts_text'))).toEqual([14, 3]);
      expect(b.c.cf).toBe(cf); // faulted as a write before CF changed
    }
  });
});

describe('BSF, BSR, BSWAP', () => {
  it('BSF/BSR: the index, ZF = 0; a zero source sets ZF and leaves the destination', () => {
    const b = machine(), { c } = b;
    c.zf = 1;
    b.run('bsf_', { [RAX]: 0x77n, [RBX]: 0x100n });
    expect([c.get(RAX), c.zf]).toEqual([8n, 0]);
    b.run('bsf_', { [RAX]: 0x77n, [RBX]: 0x8000_0000_0000_0000n });
    expect([c.get(RAX), c.zf]).toEqual([63n, 0]);
    expect(b.after('bsf_', { [RBX]: 0x8000_0000_0000_0110n }).get(RAX)).toBe(4n); // the lowest set bit, not the highest
    b.run('bsf_', { [RAX]: 0x77n, [RBX]: 0n });
    expect([c.get(RAX), c.zf]).toEqual([0x77n, 1]);
    expect(b.run('bsr_', { [RCX]: -1n })).toBe(COSTS.instr + COSTS.dataAccess);
    expect(c.get(RCX)).toBe(7n); // the low dword of x is 0x81; a 32-bit write
  });

  it('BSWAP 32 (zero-extends) and 64', () => {
    const b = machine(), { c } = b;
    expect(b.run('bswap32', { [R10]: 0xffff_ffff_1122_3344n })).toBe(COSTS.instr);
    expect(c.get(R10)).toBe(0x4433_2211n);
    expect(b.after('bswap64', { [RAX]: 0x0102_0304_0506_0708n }).get(RAX)).toBe(0x0807_0605_0403_0201n);
  });
});

describe('PUSHFQ, POPFQ', () => {
  it('PUSHFQ pushes RFLAGS with RF and VM clear', () => {
    const b = machine(), { c } = b;
    c.setRflags(0x3_0ad7);
    expect(b.run('pushf_', { [RSP]: 0x7fff_ffff_e000n })).toBe(COSTS.instr + COSTS.dataAccess);
    expect([c.get(RSP), b.read(0x7fff_ffff_dff8)]).toEqual([0x7fff_ffff_dff8n, 0x0ad7n]);
  });

  const popf = (cpl: 0 | 3, before: number, pushed: bigint) => {
    const b = machine({ cpl }), { c } = b;
    c.setRflags(before);
    b.m.write64(0x7fff_ffff_dff8, pushed);
    const cyc = b.run('popf_', { [RSP]: 0x7fff_ffff_dff8n });
    expect([c.get(RSP), cyc]).toEqual([0x7fff_ffff_e000n, COSTS.instr + COSTS.dataAccess]);
    return c.rflags();
  };
  it('CPL 0: every POPF bit (not RF, VM, VIF, VIP or the reserved ones); RF is cleared', () => {
    expect(popf(0, 0x9_0002, 0xffff_ffffn)).toBe(0x2c_7fd7 | 0x8_0000); // VIF kept, RF cleared
    expect(popf(0, 0x24_7fd7, 0n)).toBe(2);
  });
  it('CPL 3: IOPL never changes; IF only when CPL <= IOPL', () => {
    expect(popf(3, 0x0002, 0x3201n)).toBe(0x0003);
    expect(popf(3, 0x3002, 0x0201n)).toBe(0x3203);
    expect(popf(3, 0x1202, 0x0000n)).toBe(0x1202);
  });
});

describe('CWD, CDQ, CQO, CLD, STD', () => {
  it('the sign of AX, EAX or RAX into DX, EDX or RDX', () => {
    const b = machine();
    expect(b.after('cqo_', { [RAX]: 0x8000_0000_0000_0000n, [RDX]: 0n }).get(RDX)).toBe(0xffff_ffff_ffff_ffffn);
    expect(b.after('cqo_', { [RAX]: 0x7fff_ffff_ffff_ffffn }).get(RDX)).toBe(0n);
    expect(b.after('cdq_', { [RAX]: 0x8000_0000n, [RDX]: 0x1234_0000_0000n }).get(RDX)).toBe(0xffff_ffffn);
    expect(b.after('cdq_', { [RAX]: 0x1_7fff_ffffn }).get(RDX)).toBe(0n);
    expect(b.after('cwd_', { [RAX]: 0x8000n, [RDX]: 0x1234_0000n }).get(RDX)).toBe(0x1234_ffffn);
    expect(b.after('cwd_', { [RAX]: 0xffff_7fffn }).get(RDX)).toBe(0x1234_0000n);
  });
  it('CLD and STD clear and set DF only', () => {
    const b = machine(), { c } = b;
    c.setRflags(0x8d7);
    expect(b.run('std_')).toBe(COSTS.instr);
    expect(c.rflags()).toBe(0xcd7);
    b.run('cld_');
    expect(c.rflags()).toBe(0x8d7);
    b.run('cld_');
    expect(c.rflags()).toBe(0x8d7);
  });
  it('an op it has no semantics for is an engine error', () => {
    const b = machine();
    const op = { ...b.op('cld_'), code: OPC.NOP, name: 'nop' };
    expect(() => execGeneric(b.m, op)).toThrow(`execGeneric: op ${OPC.NOP} (nop) has no semantics`);
    void RSI;
  });
});
