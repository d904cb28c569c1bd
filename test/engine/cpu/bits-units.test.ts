// The rarer integer instructions (cpu/bits.ts) called directly on exact values written out by hand
// from their SDM Vol. 2 pages: rotates with and through CF (the 9- and 17-bit counts of RCL/RCR),
// BT/BTS/BTR/BTC, BSF/BSR, BSWAP, MOVZX/MOVSX/MOVSXD, and the one-operand MUL/IMUL/DIV/IDIV with #DE
// at the edges of the quotient's range (mutation testing, docs/testing.md).

import { describe, it, expect } from 'vitest';
import { CpuState } from '../../../src/engine/cpu/state.ts';
import { rotate, bitTest, bitScan, bswap, extend, mulDiv } from '../../../src/engine/cpu/bits.ts';
import { CpuFault } from '../../../src/engine/cpu/fault.ts';
import { R } from '../../../src/engine/cpu/alu.ts';
import { SH } from '../../../src/engine/cpu/decode.ts';

const res = () => (BigInt(R.hi) << 32n) | BigInt(R.lo);
/** Rotate with CF and OF preset; returns the result and both flags. */
function rot(kind: number, w: number, v: bigint, count: number, cf = 0, of = 0) {
  const c = new CpuState();
  c.cf = cf; c.of = of;
  rotate(c, kind, w, Number(v & 0xffffffffn), Number(v >> 32n), count);
  return { r: res(), cf: c.cf, of: c.of };
}

describe('ROL, ROR', () => {
  it('8 bits: CF is the bit rotated in; OF for a count of 1 only', () => {
    expect(rot(SH.rol, 1, 0x81n, 1)).toEqual({ r: 0x03n, cf: 1, of: 1 });
    expect(rot(SH.rol, 1, 0x81n, 9)).toEqual({ r: 0x03n, cf: 1, of: 0 }); // count 9 = 1 mod 8, OF untouched
    expect(rot(SH.rol, 1, 0x81n, 8)).toEqual({ r: 0x81n, cf: 1, of: 0 });
    expect(rot(SH.ror, 1, 0x81n, 1)).toEqual({ r: 0xc0n, cf: 1, of: 0 });
    expect(rot(SH.ror, 1, 0x01n, 1)).toEqual({ r: 0x80n, cf: 1, of: 1 });
    expect(rot(SH.ror, 1, 0x02n, 2)).toEqual({ r: 0x80n, cf: 1, of: 0 });
  });

  it('a masked count of 0 changes nothing, flags included; 32 and 64 bits', () => {
    expect(rot(SH.rol, 4, 0x1234n, 32, 1, 1)).toEqual({ r: 0x1234n, cf: 1, of: 1 });
    expect(rot(SH.rol, 8, 0x12345678_9abcdef0n, 32)).toEqual({ r: 0x9abcdef0_12345678n, cf: 0, of: 0 });
    expect(rot(SH.rol, 8, 0x80000000_00000001n, 4)).toEqual({ r: 0x18n, cf: 0, of: 0 });
    expect(rot(SH.rol, 8, 0x80000000_00000001n, 1)).toEqual({ r: 0x3n, cf: 1, of: 1 });
    expect(rot(SH.rol, 4, 0xffffffff_80000000n, 1)).toEqual({ r: 0x1n, cf: 1, of: 1 }); // the upper half is not the operand
    expect(rot(SH.ror, 8, 0x1n, 1)).toEqual({ r: 0x80000000_00000000n, cf: 1, of: 1 });
  });
});

describe('RCL, RCR (through CF)', () => {
  it('8 bits: a 9-bit rotate; counts taken mod 9', () => {
    expect(rot(SH.rcl, 1, 0x80n, 1, 0)).toEqual({ r: 0x00n, cf: 1, of: 1 });
    expect(rot(SH.rcl, 1, 0x01n, 9, 1)).toEqual({ r: 0x01n, cf: 1, of: 0 });
    expect(rot(SH.rcl, 1, 0x01n, 10, 0)).toEqual({ r: 0x02n, cf: 0, of: 0 });
    expect(rot(SH.rcl, 1, 0x40n, 2, 1)).toEqual({ r: 0x02n, cf: 1, of: 0 }); // 1:01000000 -> 0:10000001 -> 1:00000010
    // RCR's OF is MSB(dst) XOR CF before the rotate.
    expect(rot(SH.rcr, 1, 0x01n, 1, 1)).toEqual({ r: 0x80n, cf: 1, of: 1 });
    expect(rot(SH.rcr, 1, 0x81n, 1, 0)).toEqual({ r: 0x40n, cf: 1, of: 1 });
    expect(rot(SH.rcr, 1, 0x02n, 2, 1)).toEqual({ r: 0x40n, cf: 1, of: 0 });
  });

  it('16 bits mod 17; 32 and 64 bits by the masked count', () => {
    expect(rot(SH.rcr, 2, 0x0001n, 17, 0)).toEqual({ r: 0x0001n, cf: 0, of: 0 });
    expect(rot(SH.rcr, 2, 0x0001n, 18, 0)).toEqual({ r: 0x0000n, cf: 1, of: 0 });
    expect(rot(SH.rcl, 4, 0x80000000n, 33, 0)).toEqual({ r: 0n, cf: 1, of: 1 }); // 33 & 31 = 1
    expect(rot(SH.rcl, 4, 0x1n, 20, 0)).toEqual({ r: 0x100000n, cf: 0, of: 0 }); // 32 bits: no mod 17
    expect(rot(SH.rcr, 8, 0x2n, 1, 1)).toEqual({ r: 0x80000000_00000001n, cf: 0, of: 1 });
    expect(rot(SH.rcl, 8, 0x80000000_00000000n, 64, 1)).toEqual({ r: 0x80000000_00000000n, cf: 1, of: 0 }); // 64 & 63 = 0
  });
});

describe('BT, BTS, BTR, BTC', () => {
  const bt = (digit: number, v: bigint, bit: number) => {
    const c = new CpuState();
    c.cf = 1 - Number((v >> BigInt(bit)) & 1n); c.zf = 1;
    bitTest(c, digit, 8, Number(v & 0xffffffffn), Number(v >> 32n), bit);
    return { r: res(), cf: c.cf, zf: c.zf };
  };
  it('CF = the bit; the value set, reset, complemented or kept; ZF unchanged', () => {
    expect(bt(4, 0x8_0000_0000n, 35)).toEqual({ r: 0x8_0000_0000n, cf: 1, zf: 1 });
    expect(bt(5, 0x8_0000_0000n, 0)).toEqual({ r: 0x8_0000_0001n, cf: 0, zf: 1 });
    expect(bt(6, 0x8_0000_0001n, 35)).toEqual({ r: 0x1n, cf: 1, zf: 1 });
    expect(bt(7, 0x2n, 1)).toEqual({ r: 0x0n, cf: 1, zf: 1 });
    expect(bt(7, 0x0n, 63)).toEqual({ r: 0x80000000_00000000n, cf: 0, zf: 1 });
  });
});

describe('BSF, BSR', () => {
  const scan = (reverse: boolean, w: number, v: bigint) => {
    const c = new CpuState();
    R.lo = 0x55; R.hi = 0x66;
    const ok = bitScan(c, reverse, w, Number(v & 0xffffffffn), Number(v >> 32n));
    return { ok, zf: c.zf, r: ok ? res() : null };
  };
  it('index of the lowest / highest set bit at each width; a zero source sets ZF', () => {
    expect(scan(false, 8, 0x10_0000_0000n)).toEqual({ ok: true, zf: 0, r: 36n });
    expect(scan(true, 8, 0x10_0000_0000n)).toEqual({ ok: true, zf: 0, r: 36n });
    expect(scan(false, 8, 0x10_0000_0018n)).toEqual({ ok: true, zf: 0, r: 3n });
    expect(scan(false, 8, 0x18_0000_0000n)).toEqual({ ok: true, zf: 0, r: 35n });
    expect(scan(true, 8, 0x10_0000_0018n)).toEqual({ ok: true, zf: 0, r: 36n });
    expect(scan(true, 4, 0x10n)).toEqual({ ok: true, zf: 0, r: 4n });
    expect(scan(false, 4, 0x1_0000_0000n)).toEqual({ ok: false, zf: 1, r: null }); // the upper half is not the source
    expect(scan(false, 2, 0x1_0000n)).toEqual({ ok: false, zf: 1, r: null });
    expect(scan(true, 2, 0x1_8000n)).toEqual({ ok: true, zf: 0, r: 15n });
  });
});

describe('BSWAP, MOVZX, MOVSX, MOVSXD', () => {
  it('BSWAP reverses the bytes of 32 or 64 bits', () => {
    bswap(4, 0x12345678, 0x9);
    expect(res()).toBe(0x78563412n);
    bswap(8, 0x9abcdef0, 0x12345678);
    expect(res()).toBe(0xf0debc9a_78563412n);
  });

  it('zero and sign extension from 8, 16, 32 bits to the destination width', () => {
    const ext = (signed: boolean, w: number, sw: number, v: bigint) => { extend(signed, w, sw, Number(v & 0xffffffffn), Number(v >> 32n)); return res(); };
    expect(ext(false, 8, 1, 0x180n)).toBe(0x80n);
    expect(ext(true, 8, 1, 0x180n)).toBe(0xffffffff_ffffff80n);
    expect(ext(true, 8, 4, 0x80000000n)).toBe(0xffffffff_80000000n);
    expect(ext(true, 4, 2, 0x8000n)).toBe(0xffff8000n);
    expect(ext(true, 2, 1, 0x7fn)).toBe(0x7fn);
    expect(ext(false, 8, 8, 0x80000000_00000001n)).toBe(0x80000000_00000001n);
  });
});

describe('one-operand MUL, IMUL, DIV, IDIV', () => {
  const md = (digit: number, w: number, lo: bigint, hi: bigint, src: bigint) => {
    const c = new CpuState();
    c.cf = 1; c.of = 1;
    const r = mulDiv(c, digit, w, { lo, hi }, src);
    return { ...r, cf: c.cf, of: c.of };
  };
  const de = (digit: number, w: number, lo: bigint, hi: bigint, src: bigint) => {
    try { md(digit, w, lo, hi, src); } catch (e) { return e instanceof CpuFault ? `#DE ${e.vector} ${e.why}` : String(e); }
    return 'no fault';
  };

  it('MUL: CF = OF = 1 when the high half is not 0', () => {
    expect(md(4, 1, 0x80n, 0n, 2n)).toEqual({ lo: 0x00n, hi: 0x01n, cf: 1, of: 1 });
    expect(md(4, 1, 0x110n, 0n, 0x10fn)).toEqual({ lo: 0xf0n, hi: 0n, cf: 0, of: 0 }); // operands at 8 bits
    expect(md(4, 8, 0xffffffff_ffffffffn, 0n, 2n)).toEqual({ lo: 0xffffffff_fffffffen, hi: 1n, cf: 1, of: 1 });
  });

  it('IMUL: signed; CF = OF = 1 when the low half sign-extended is not the product', () => {
    expect(md(5, 1, 0x80n, 0n, 1n)).toEqual({ lo: 0x80n, hi: 0xffn, cf: 0, of: 0 });
    expect(md(5, 1, 0x40n, 0n, 2n)).toEqual({ lo: 0x80n, hi: 0x00n, cf: 1, of: 1 });
    expect(md(5, 2, 0xffffn, 0n, 0xffffn)).toEqual({ lo: 1n, hi: 0n, cf: 0, of: 0 });
  });

  it('DIV: quotient and remainder of hi:lo; #DE on 0 and on a quotient above the width', () => {
    expect(md(6, 1, 0x07n, 0x01n, 2n)).toMatchObject({ lo: 0x83n, hi: 1n, cf: 1, of: 1 }); // 263 / 2; flags kept
    expect(md(6, 1, 0x1fen, 0x00n, 0x2n)).toMatchObject({ lo: 0x7fn, hi: 0n }); // lo at 8 bits: 0xfe / 2
    expect(md(6, 1, 0xffn, 0x01n, 2n)).toMatchObject({ lo: 0xffn, hi: 1n }); // 511 / 2 = 255: fits exactly
    expect(de(6, 1, 0x00n, 0x02n, 2n)).toBe('#DE 0 quotient too large (divide overflow)');
    expect(de(6, 8, 5n, 0n, 0n)).toBe('#DE 0 divide by zero');
    expect(de(6, 1, 5n, 0n, 0x100n)).toBe('#DE 0 divide by zero'); // the divisor at 8 bits is 0
    expect(md(6, 8, 100n, 1n, 0x10n)).toMatchObject({ lo: 0x10000000_00000006n, hi: 4n });
  });

  it('IDIV: truncates toward zero; the quotient range is -2^(n-1) .. 2^(n-1) - 1', () => {
    expect(md(7, 1, 0xf9n, 0xffn, 2n)).toMatchObject({ lo: 0xfdn, hi: 0xffn }); // -7 / 2 = -3 rem -1
    expect(md(7, 1, 0x80n, 0xffn, 1n)).toMatchObject({ lo: 0x80n, hi: 0n }); // -128 / 1 fits
    expect(de(7, 1, 0x80n, 0x00n, 1n)).toBe('#DE 0 quotient too large (divide overflow)'); // 128
    expect(de(7, 1, 0x7fn, 0xffn, 1n)).toBe('#DE 0 quotient too large (divide overflow)'); // -129
    expect(md(7, 1, 0x7fn, 0x00n, 0xffn)).toMatchObject({ lo: 0x81n, hi: 0n }); // 127 / -1 = -127
    expect(md(7, 8, 100n, 0n, 0xffffffff_fffffff9n)).toMatchObject({ lo: 0xffffffff_fffffff2n, hi: 2n }); // 100 / -7
    expect(de(7, 4, 1n, 0n, 0n)).toBe('#DE 0 divide by zero');
  });
});
