// Integer ALU on exact 64-bit values held as 32-bit halves, with CF/ZF/SF/OF as x86 sets them
// (SDM Vol. 2 instruction pages for ADD, SUB, AND, OR, XOR, CMP, TEST, NEG, INC, DEC, SHL/SHR/SAR).
// Results go to the CpuState scratch pair (rlo, rhi). World: hardware.

import type { CpuState } from './state.ts';
import { ALU, UN, SH } from './decode.ts';

/** Result scratch (module-level so the hot path allocates nothing). */
export const R = { lo: 0, hi: 0 };

const MASK = [0, 0xff, 0xffff, 0, 0xffffffff];

/** dst (op) src at width w (1, 2, 4 or 8 bytes); sets flags; result in R. */
export function alu(c: CpuState, kind: number, w: number, dl: number, dh: number, sl: number, sh: number) {
  if (w === 8) {
    let lo: number, hi: number;
    switch (kind) {
      case ALU.add: {
        lo = dl + sl; const carry = lo > 0xffffffff ? 1 : 0; lo >>>= 0;
        hi = dh + sh + carry; c.cf = hi > 0xffffffff ? 1 : 0; hi >>>= 0;
        c.of = ((~(dh ^ sh) & (dh ^ hi)) >>> 31);
        break;
      }
      case ALU.sub: case ALU.cmp: {
        lo = dl - sl; const borrow = lo < 0 ? 1 : 0; lo >>>= 0;
        hi = dh - sh - borrow; c.cf = hi < 0 ? 1 : 0; hi >>>= 0;
        c.of = (((dh ^ sh) & (dh ^ hi)) >>> 31);
        break;
      }
      case ALU.and: case ALU.test: lo = (dl & sl) >>> 0; hi = (dh & sh) >>> 0; c.cf = 0; c.of = 0; break;
      case ALU.or: lo = (dl | sl) >>> 0; hi = (dh | sh) >>> 0; c.cf = 0; c.of = 0; break;
      default: lo = (dl ^ sl) >>> 0; hi = (dh ^ sh) >>> 0; c.cf = 0; c.of = 0; break;
    }
    c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31;
    R.lo = lo; R.hi = hi;
    return;
  }
  const m = MASK[w], sign = w * 8 - 1;
  const a = (dl & m) >>> 0, b = (sl & m) >>> 0;
  let r: number;
  switch (kind) {
    case ALU.add: r = a + b; c.cf = r > m ? 1 : 0; r = (r & m) >>> 0; c.of = ((~(a ^ b) & (a ^ r)) >>> sign) & 1; break;
    case ALU.sub: case ALU.cmp: r = a - b; c.cf = r < 0 ? 1 : 0; r = (r & m) >>> 0; c.of = (((a ^ b) & (a ^ r)) >>> sign) & 1; break;
    case ALU.and: case ALU.test: r = (a & b) >>> 0; c.cf = 0; c.of = 0; break;
    case ALU.or: r = (a | b) >>> 0; c.cf = 0; c.of = 0; break;
    default: r = (a ^ b) >>> 0; c.cf = 0; c.of = 0; break;
  }
  c.zf = r === 0 ? 1 : 0; c.sf = (r >>> sign) & 1;
  R.lo = r; R.hi = 0;
}

/** not / neg / inc / dec at width w. inc and dec leave CF alone; not changes no flags. */
export function unary(c: CpuState, kind: number, w: number, dl: number, dh: number) {
  if (kind === UN.not) {
    if (w === 8) { R.lo = ~dl >>> 0; R.hi = ~dh >>> 0; } else { R.lo = (~dl & MASK[w]) >>> 0; R.hi = 0; }
    return;
  }
  const cf = c.cf;
  if (kind === UN.neg) {
    alu(c, ALU.sub, w, 0, 0, dl, dh);
    c.cf = (w === 8 ? (dl | dh) : (dl & MASK[w])) !== 0 ? 1 : 0;
    return;
  }
  alu(c, kind === UN.inc ? ALU.add : ALU.sub, w, dl, dh, 1, 0);
  c.cf = cf;
}

/** shl / shr / sar by count (masked to 6 bits at width 8, else 5). A zero count changes nothing.
 *  OF is defined by the SDM for 1-bit shifts; for larger counts the model computes it the same
 *  way (the SDM leaves it undefined). */
export function shift(c: CpuState, kind: number, w: number, dl: number, dh: number, count: number) {
  const n = count & (w === 8 ? 63 : 31);
  if (n === 0) { R.lo = dl; R.hi = w === 8 ? dh : 0; if (w < 8) R.lo = (dl & MASK[w]) >>> 0; return; }
  const bits = w * 8;
  let v = w === 8 ? (BigInt(dh) << 32n) | BigInt(dl) : BigInt((dl & MASK[w]) >>> 0);
  const full = (1n << BigInt(bits)) - 1n;
  const msb = (x: bigint) => Number((x >> BigInt(bits - 1)) & 1n);
  const orig = v;
  if (kind === SH.shl) {
    c.cf = Number((v >> BigInt(bits - n)) & 1n);
    v = (v << BigInt(n)) & full;
    c.of = msb(v) ^ c.cf;
  } else if (kind === SH.shr) {
    c.cf = Number((v >> BigInt(n - 1)) & 1n);
    v = v >> BigInt(n);
    c.of = msb(orig);
  } else {
    const s = BigInt.asIntN(bits, v);
    c.cf = Number((s >> BigInt(n - 1)) & 1n);
    v = BigInt.asUintN(bits, s >> BigInt(n));
    c.of = 0;
  }
  c.zf = v === 0n ? 1 : 0; c.sf = msb(v);
  R.lo = Number(v & 0xffffffffn); R.hi = Number(v >> 32n);
}

/** Signed multiply; low `w` bytes of the product in R, high part in `high` (for one-operand imul).
 *  CF = OF = 1 when the product does not fit the destination signed. */
export function imul(c: CpuState, w: number, al: number, ah: number, bl: number, bh: number): bigint {
  const bits = BigInt(w * 8);
  const a = BigInt.asIntN(w * 8, (BigInt(ah) << 32n) | BigInt(al));
  const b = BigInt.asIntN(w * 8, (BigInt(bh) << 32n) | BigInt(bl));
  const p = a * b;
  const low = BigInt.asUintN(w * 8, p);
  const fits = BigInt.asIntN(w * 8, p) === p;
  c.cf = c.of = fits ? 0 : 1;
  c.zf = low === 0n ? 1 : 0; c.sf = Number((low >> (bits - 1n)) & 1n);
  R.lo = Number(low & 0xffffffffn); R.hi = Number(low >> 32n);
  return BigInt.asUintN(w * 8, p >> bits);
}

/** Condition codes for jcc, in CC order. */
export function cond(c: CpuState, cc: number): boolean {
  switch (cc) {
    case 0: return c.zf === 1;
    case 1: return c.zf === 0;
    case 2: return c.sf !== c.of;
    case 3: return c.zf === 1 || c.sf !== c.of;
    case 4: return c.zf === 0 && c.sf === c.of;
    case 5: return c.sf === c.of;
    case 6: return c.cf === 1;
    case 7: return c.cf === 1 || c.zf === 1;
    case 8: return c.cf === 0 && c.zf === 0;
    case 9: return c.cf === 0;
    case 10: return c.sf === 1;
    default: return c.sf === 0;
  }
}
