// The ALU helpers (cpu/alu.ts) called directly on exact values written out by hand from the SDM's
// instruction pages: the carry into and out of each 32-bit half, ADC/SBB with CF set, the narrow
// widths with junk in the upper bits of the register, 16- and 32-bit IMUL at the edges of
// "fits signed", PF, and every condition code (mutation testing, docs/testing.md).

import { describe, it, expect } from 'vitest';
import { CpuState } from '../../../src/engine/cpu/state.ts';
import { alu, unary, shift, imul, cond, R, RH, PARITY } from '../../../src/engine/cpu/alu.ts';
import { ALU, UN, SH } from '../../../src/engine/cpu/decode.ts';

/** Run f on a fresh CPU with the given CF; returns the 64-bit result and the flags. */
function run(f: (c: CpuState) => bigint | void, cf = 0) {
  const c = new CpuState();
  c.cf = cf;
  const ret = f(c);
  return { r: (BigInt(R.hi) << 32n) | BigInt(R.lo), cf: c.cf, of: c.of, zf: c.zf, sf: c.sf, pf: c.pf, af: c.af, ret };
}
const q = (kind: number, a: bigint, b: bigint, cf = 0) =>
  run((c) => alu(c, kind, 8, Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)), cf);
const d = (kind: number, w: number, a: number, b: number, cf = 0, junk = 0xdeadbeef) => run((c) => alu(c, kind, w, a, junk, b, junk), cf);

describe('ADD, ADC, SUB, SBB on 64 bits (two 32-bit halves)', () => {
  it('the carry out of the low half and out of the top', () => {
    expect(q(ALU.add, 0xffffffffn, 0n)).toMatchObject({ r: 0xffffffffn, cf: 0, zf: 0 });
    expect(q(ALU.add, 0xffffffffn, 1n)).toMatchObject({ r: 0x1_0000_0000n, cf: 0 });
    expect(q(ALU.add, 0xffffffff_00000000n, 0n)).toMatchObject({ r: 0xffffffff_00000000n, cf: 0, sf: 1 });
    expect(q(ALU.add, 0x80000000_00000000n, 0x80000000_00000000n)).toMatchObject({ r: 0n, cf: 1, of: 1, zf: 1 });
  });

  it('ADC adds CF; ADD does not', () => {
    expect(q(ALU.adc, 0xffffffff_ffffffffn, 0n, 1)).toMatchObject({ r: 0n, cf: 1, zf: 1 });
    expect(q(ALU.adc, 5n, 6n, 1)).toMatchObject({ r: 12n, cf: 0 });
    expect(q(ALU.add, 5n, 6n, 1)).toMatchObject({ r: 11n, cf: 0 });
  });

  it('SUB borrows; SBB subtracts CF; a high half of exactly 0 is no borrow', () => {
    expect(q(ALU.sub, 5n, 3n, 1)).toMatchObject({ r: 2n, cf: 0 });
    expect(q(ALU.sub, 0x1_0000_0001n, 0x1_0000_0001n)).toMatchObject({ r: 0n, cf: 0, zf: 1 });
    expect(q(ALU.sub, 0n, 1n)).toMatchObject({ r: 0xffffffff_ffffffffn, cf: 1, sf: 1 });
    expect(q(ALU.sbb, 0n, 0n, 1)).toMatchObject({ r: 0xffffffff_ffffffffn, cf: 1 });
    expect(q(ALU.sbb, 10n, 3n, 1)).toMatchObject({ r: 6n, cf: 0 });
    expect(q(ALU.cmp, 10n, 3n, 1)).toMatchObject({ r: 7n, cf: 0 });
  });

  it('AND, OR, XOR, TEST clear CF, OF and AF', () => {
    const a = 0xf0f0_0000_ffff_0f0fn, b = 0x0ff0_0001_00ff_ff00n;
    expect(q(ALU.and, a, b, 1)).toMatchObject({ r: 0x00f0_0000_00ff_0f00n, cf: 0, of: 0, af: 0 });
    expect(q(ALU.test, a, b, 1)).toMatchObject({ r: 0x00f0_0000_00ff_0f00n, cf: 0, of: 0, af: 0 });
    expect(q(ALU.or, a, b, 1)).toMatchObject({ r: 0xfff0_0001_ffff_ff0fn, cf: 0, of: 0, af: 0, sf: 1 });
    expect(q(ALU.xor, a, b, 1)).toMatchObject({ r: 0xff00_0001_ff00_f00fn, cf: 0, of: 0, af: 0 });
    expect(q(ALU.xor, a, a, 1)).toMatchObject({ r: 0n, zf: 1, pf: 1 });
  });
});

describe('narrow widths (32 bits), the upper half of the register ignored', () => {
  it('ADC and SBB with CF set', () => {
    expect(d(ALU.adc, 4, 0xffffffff, 0, 1)).toMatchObject({ r: 0n, cf: 1, zf: 1 });
    expect(d(ALU.adc, 4, 7, 8, 1)).toMatchObject({ r: 16n, cf: 0, af: 1 });
    expect(d(ALU.sbb, 4, 0, 0, 1)).toMatchObject({ r: 0xffffffffn, cf: 1, sf: 1 });
    expect(d(ALU.sbb, 4, 9, 4, 1)).toMatchObject({ r: 4n, cf: 0 });
  });
});

describe('NOT, NEG at 32 and 16 bits', () => {
  it('NOT leaves the upper half of the result 0', () => {
    expect(run((c) => unary(c, UN.not, 4, 0x12345678, 0)).r).toBe(0xedcba987n);
    expect(run((c) => unary(c, UN.not, 2, 0x12345678, 0)).r).toBe(0xa987n);
    expect(run((c) => unary(c, UN.not, 8, 0x12345678, 0)).r).toBe(0xffffffff_edcba987n);
  });

  it('NEG sets CF from the operand at its width only (junk above is not the operand)', () => {
    expect(run((c) => unary(c, UN.neg, 4, 0, 0xffffffff))).toMatchObject({ r: 0n, cf: 0, zf: 1 });
    expect(run((c) => unary(c, UN.neg, 2, 0x10000, 0))).toMatchObject({ r: 0n, cf: 0 });
    expect(run((c) => unary(c, UN.neg, 4, 1, 0))).toMatchObject({ r: 0xffffffffn, cf: 1 });
  });

  it('INC and DEC add and subtract 1 and keep CF (64-bit INC/DEC on rax..r15 take the interpreter\'s own handler)', () => {
    expect(run((c) => unary(c, UN.inc, 8, 0xffffffff, 0), 1)).toMatchObject({ r: 0x1_0000_0000n, cf: 1, zf: 0 });
    expect(run((c) => unary(c, UN.dec, 8, 0, 1), 1)).toMatchObject({ r: 0xffffffffn, cf: 1 });
    expect(run((c) => unary(c, UN.dec, 2, 0x10000, 0), 0)).toMatchObject({ r: 0xffffn, cf: 0, sf: 1 });
    expect(run((c) => unary(c, UN.dec, 1, 1, 0), 1)).toMatchObject({ r: 0n, cf: 1, zf: 1 });
  });
});

describe('narrow shifts', () => {
  it('a count of 0 gives the operand at its width', () => {
    expect(run((c) => shift(c, SH.shl, 2, 0x12345678, 0x9, 0)).r).toBe(0x5678n);
    expect(run((c) => shift(c, SH.shl, 4, 0x12345678, 0x9, 32)).r).toBe(0x12345678n);
  });

  it('SHL by exactly the width: CF is the last bit out (bit 0); beyond the width CF is 0', () => {
    expect(run((c) => shift(c, SH.shl, 1, 0x01, 0, 8))).toMatchObject({ r: 0n, cf: 1, zf: 1 });
    expect(run((c) => shift(c, SH.shl, 1, 0x01, 0, 9))).toMatchObject({ r: 0n, cf: 0 });
    expect(run((c) => shift(c, SH.shl, 2, 0x8001, 0, 16))).toMatchObject({ r: 0n, cf: 1 });
  });

  it('64 bits by exactly 32: CF is bit 32 (SHL) or bit 31 (SHR, SAR)', () => {
    const s64 = (kind: number, v: bigint, n: number) => run((c) => shift(c, kind, 8, Number(v & 0xffffffffn), Number(v >> 32n), n));
    expect(s64(SH.shl, 0x1_0000_0000n, 32)).toMatchObject({ r: 0n, cf: 1, zf: 1 });
    expect(s64(SH.shl, 0x1n, 32)).toMatchObject({ r: 0x1_0000_0000n, cf: 0 });
    expect(s64(SH.shr, 0x8000_0000n, 32)).toMatchObject({ r: 0n, cf: 1 });
    expect(s64(SH.sar, 0x8000_0000_0000_0000n, 32)).toMatchObject({ r: 0xffff_ffff_8000_0000n, cf: 0, sf: 1 });
    expect(s64(SH.shl, 0x3n, 33)).toMatchObject({ r: 0x6_0000_0000n, cf: 0 });
    expect(s64(SH.shl, 0x8000_0000n, 33)).toMatchObject({ r: 0n, cf: 1 });
  });

  it('SAR at 16 and 8 bits keeps the value in range', () => {
    expect(run((c) => shift(c, SH.sar, 2, 0x0004, 0, 1))).toMatchObject({ r: 2n, cf: 0, sf: 0 });
    expect(run((c) => shift(c, SH.sar, 2, 0x8004, 0, 2))).toMatchObject({ r: 0xe001n, cf: 0, sf: 1 });
    expect(run((c) => shift(c, SH.sar, 1, 0x85, 0, 1))).toMatchObject({ r: 0xc2n, cf: 1, sf: 1 });
  });
});

describe('IMUL', () => {
  // imul leaves the low part in R and the high part (one-operand IMUL's rDX) in RH: `ret` here.
  const high = (f: (c: CpuState) => void) => run((c) => { f(c); return (BigInt(RH.hi) << 32n) | BigInt(RH.lo); });
  const i16 = (a: number, b: number) => high((c) => imul(c, 2, a, 0, b, 0));
  const i32 = (a: number, b: number) => high((c) => imul(c, 4, a, 0, b, 0));
  const i64 = (a: bigint, b: bigint) => high((c) => imul(c, 8, Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)));

  it('16 bits: sign-extended operands, CF = OF = 1 outside -32768..32767, the high word returned', () => {
    expect(i16(0xffff, 2)).toMatchObject({ r: 0xfffen, cf: 0, of: 0, sf: 1, zf: 0, ret: 0xffffn });
    expect(i16(0x7fff, 1)).toMatchObject({ r: 0x7fffn, cf: 0, ret: 0n });
    expect(i16(0x4000, 2)).toMatchObject({ r: 0x8000n, cf: 1, of: 1, sf: 1, ret: 0n });
    expect(i16(0x8000, 1)).toMatchObject({ r: 0x8000n, cf: 0, ret: 0xffffn });
    expect(i16(0x8000, 0xffff)).toMatchObject({ r: 0x8000n, cf: 1, ret: 0n });
    expect(i16(0xff00, 0x0100)).toMatchObject({ r: 0n, cf: 1, zf: 1, ret: 0xffffn }); // -256 * 256 = -65536
    expect(i16(0x1_0003, 0x1_0005)).toMatchObject({ r: 15n, cf: 0, ret: 0n }); // bits above 15 are not the operand
  });

  it('32 bits: ZF from the low half, the exact high half past 2^53', () => {
    expect(i32(0x10000, 0x10000)).toMatchObject({ r: 0n, cf: 1, zf: 1, ret: 1n });
    expect(i32(3, 5)).toMatchObject({ r: 15n, cf: 0, zf: 0, ret: 0n });
    // 0x7fffffff * -0x7fffffff = -(2^62 - 2^32 + 1): a double rounds it to a multiple of 2^32.
    expect(i32(0x7fffffff, 0x80000001)).toMatchObject({ r: 0xffffffffn, cf: 1, ret: 0xc0000000n });
  });

  it('64 bits: CF = OF when the high 64 bits are not the sign of the low; ZF from the low 64', () => {
    expect(i64(1n << 48n, 1n << 48n)).toMatchObject({ r: 0n, cf: 1, of: 1, zf: 1, ret: 1n << 32n });
    expect(i64(3n, 5n)).toMatchObject({ r: 15n, cf: 0, zf: 0, ret: 0n });
    expect(i64(0xffffffff_ffffffffn, 2n)).toMatchObject({ r: 0xffffffff_fffffffen, cf: 0, sf: 1, ret: 0xffffffff_ffffffffn });
  });
});

describe('PF and the condition codes', () => {
  it('PF is 1 for an even number of set bits in the low byte', () => {
    expect([0, 1, 2, 3, 7, 0x80, 0xff, 0x96].map((i) => PARITY[i])).toEqual([1, 0, 0, 1, 0, 0, 1, 1]);
    expect(q(ALU.add, 1n, 2n).pf).toBe(1);
    expect(q(ALU.add, 0x100n, 0x100n).pf).toBe(1); // low byte 0
    expect(q(ALU.add, 1n, 6n).pf).toBe(0);
  });

  it('every tttn condition against flag patterns (SDM Vol. 2 Jcc)', () => {
    // cc: 0 o, 1 no, 2 b, 3 ae, 4 e, 5 ne, 6 be, 7 a, 8 s, 9 ns, 10 p, 11 np, 12 l, 13 ge, 14 le, 15 g.
    const flags: Record<string, Partial<CpuState>> = {
      none: {}, of: { of: 1 }, cf: { cf: 1 }, zf: { zf: 1 }, sf: { sf: 1 }, pf: { pf: 1 }, sfof: { sf: 1, of: 1 }, zfsf: { zf: 1, sf: 1 },
    };
    const expected: Record<string, string> = {
      //        0123456789abcdef
      none: '0101010101010101',
      of: '1001010101011010',
      cf: '0110011001010101',
      zf: '0101101001010110',
      sf: '0101010110011010',
      pf: '0101010101100101',
      sfof: '1001010110010101',
      zfsf: '0101101010011010',
    };
    for (const [name, f] of Object.entries(flags)) {
      const c = new CpuState();
      Object.assign(c, { cf: 0, pf: 0, zf: 0, sf: 0, of: 0, ...f });
      const got = Array.from({ length: 16 }, (_, cc) => (cond(c, cc) ? '1' : '0')).join('');
      expect([name, got]).toEqual([name, expected[name]]);
    }
  });
});
