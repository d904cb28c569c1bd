// Integer ALU on exact 64-bit values held as 32-bit halves, with CF/ZF/SF/OF as x86 sets them
// (SDM Vol. 2 instruction pages for ADD, SUB, AND, OR, XOR, CMP, TEST, NEG, INC, DEC, SHL/SHR/SAR).
// Results go to the CpuState scratch pair (rlo, rhi). World: hardware.

import type { CpuState } from './state.ts';
import { ALU, UN, SH } from './decode.ts';

// Local copies: module exports may be read through accessors, too slow for the ALU's hot path.
const A_ADD = ALU.add, A_ADC = ALU.adc, A_SBB = ALU.sbb, A_SUB = ALU.sub, A_AND = ALU.and, A_OR = ALU.or,
  A_XOR = ALU.xor, A_CMP = ALU.cmp, A_TEST = ALU.test;
const U_NOT = UN.not, U_NEG = UN.neg, U_INC = UN.inc, S_SHL = SH.shl, S_SHR = SH.shr;

/** Result scratch (module-level so the hot path allocates nothing). */
export const R = { lo: 0, hi: 0 };

export const MASK = [0, 0xff, 0xffff, 0, 0xffffffff];
/** PF: 1 when the low byte of the result has an even number of set bits (SDM Vol. 1 "Status Flags"). */
export const PARITY = new Uint8Array(256).map((_, i) => {
  let n = 0;
  for (let b = i; b; b >>= 1) n += b & 1;
  return n & 1 ? 0 : 1;
});

/** dst (op) src at width w (1, 2, 4 or 8 bytes), op an ALU index (add or adc sbb and sub xor cmp
 *  test); sets CF PF AF ZF SF OF; result in R. AF is the carry out of bit 3 (undefined for the
 *  logical ops, which the model clears, as the hardware measured by the differential test does). */
export function alu(c: CpuState, kind: number, w: number, dl: number, dh: number, sl: number, sh: number) {
  if (w === 8) {
    let lo: number, hi: number;
    switch (kind) {
      case A_ADD: case A_ADC: {
        lo = dl + sl + (kind === A_ADC ? c.cf : 0); const carry = lo > 0xffffffff ? 1 : 0; lo >>>= 0;
        hi = dh + sh + carry; c.cf = hi > 0xffffffff ? 1 : 0; hi >>>= 0;
        c.of = ((~(dh ^ sh) & (dh ^ hi)) >>> 31);
        c.af = ((dl ^ sl ^ lo) >>> 4) & 1;
        break;
      }
      case A_SUB: case A_CMP: case A_SBB: {
        lo = dl - sl - (kind === A_SBB ? c.cf : 0); const borrow = lo < 0 ? 1 : 0; lo >>>= 0;
        hi = dh - sh - borrow; c.cf = hi < 0 ? 1 : 0; hi >>>= 0;
        c.of = (((dh ^ sh) & (dh ^ hi)) >>> 31);
        c.af = ((dl ^ sl ^ lo) >>> 4) & 1;
        break;
      }
      case A_AND: case A_TEST: lo = (dl & sl) >>> 0; hi = (dh & sh) >>> 0; c.cf = 0; c.of = 0; c.af = 0; break;
      case A_OR: lo = (dl | sl) >>> 0; hi = (dh | sh) >>> 0; c.cf = 0; c.of = 0; c.af = 0; break;
      default: lo = (dl ^ sl) >>> 0; hi = (dh ^ sh) >>> 0; c.cf = 0; c.of = 0; c.af = 0; break;
    }
    c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31; c.pf = PARITY[lo & 0xff];
    R.lo = lo; R.hi = hi;
    return;
  }
  const m = MASK[w], sign = w * 8 - 1;
  const a = (dl & m) >>> 0, b = (sl & m) >>> 0;
  let r: number;
  switch (kind) {
    case A_ADD: case A_ADC:
      r = a + b + (kind === A_ADC ? c.cf : 0); c.cf = r > m ? 1 : 0; r = (r & m) >>> 0;
      c.of = ((~(a ^ b) & (a ^ r)) >>> sign) & 1; c.af = ((a ^ b ^ r) >>> 4) & 1;
      break;
    case A_SUB: case A_CMP: case A_SBB:
      r = a - b - (kind === A_SBB ? c.cf : 0); c.cf = r < 0 ? 1 : 0; r = (r & m) >>> 0;
      c.of = (((a ^ b) & (a ^ r)) >>> sign) & 1; c.af = ((a ^ b ^ r) >>> 4) & 1;
      break;
    case A_AND: case A_TEST: r = (a & b) >>> 0; c.cf = 0; c.of = 0; c.af = 0; break;
    case A_OR: r = (a | b) >>> 0; c.cf = 0; c.of = 0; c.af = 0; break;
    default: r = (a ^ b) >>> 0; c.cf = 0; c.of = 0; c.af = 0; break;
  }
  c.zf = r === 0 ? 1 : 0; c.sf = (r >>> sign) & 1; c.pf = PARITY[r & 0xff];
  R.lo = r; R.hi = 0;
}
void A_XOR;

/** 64-bit INC (inc) or DEC of register d, as add/sub of 1 (alu()) with CF left alone: the
 *  interpreter's and the blocks' one handler for their hot 64-bit form. */
export function incDec64(c: CpuState, d: number, inc: boolean) {
  const L = c.lo, H = c.hi, dl = L[d], dh = H[d];
  let lo: number, hi: number;
  if (inc) {
    lo = dl + 1; hi = dh;
    if (lo > 0xffffffff) { lo = 0; hi = (hi + 1) >>> 0; }
    c.of = (~dh & (dh ^ hi)) >>> 31;
  } else {
    lo = dl - 1; hi = dh;
    if (lo < 0) { lo = 0xffffffff; hi = (hi - 1) >>> 0; }
    c.of = (dh & (dh ^ hi)) >>> 31;
  }
  c.af = ((dl ^ 1 ^ lo) >>> 4) & 1;
  c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31; c.pf = PARITY[lo & 0xff];
  L[d] = lo; H[d] = hi;
}

/** not / neg / inc / dec at width w. inc and dec leave CF alone; not changes no flags. */
export function unary(c: CpuState, kind: number, w: number, dl: number, dh: number) {
  if (kind === U_NOT) {
    if (w === 8) { R.lo = ~dl >>> 0; R.hi = ~dh >>> 0; } else { R.lo = (~dl & MASK[w]) >>> 0; R.hi = 0; }
    return;
  }
  const cf = c.cf;
  if (kind === U_NEG) {
    alu(c, A_SUB, w, 0, 0, dl, dh);
    c.cf = (w === 8 ? (dl | dh) : (dl & MASK[w])) !== 0 ? 1 : 0;
    return;
  }
  alu(c, kind === U_INC ? A_ADD : A_SUB, w, dl, dh, 1, 0);
  c.cf = cf;
}

/** shl / shr / sar by count (masked to 6 bits at width 8, else 5). A zero count changes nothing.
 *  OF is defined by the SDM for 1-bit shifts; for larger counts the model computes it the same
 *  way (the SDM leaves it undefined, as it does AF, which the model clears). */
export function shift(c: CpuState, kind: number, w: number, dl: number, dh: number, count: number) {
  const n = count & (w === 8 ? 63 : 31);
  if (n === 0) { R.lo = w < 8 ? (dl & MASK[w]) >>> 0 : dl; R.hi = w === 8 ? dh : 0; return; }
  if (w === 8) { shift64(c, kind, dl >>> 0, dh >>> 0, n); return; }
  // Narrow widths: the value fits a double exactly, so plain arithmetic does.
  const bits = w * 8, m = MASK[w];
  const v = (dl & m) >>> 0;
  const msb = (x: number) => (x >>> (bits - 1)) & 1;
  let r: number;
  if (kind === S_SHL) {
    c.cf = n <= bits ? Math.floor(v / 2 ** (bits - n)) & 1 : 0;
    r = ((v * 2 ** n) % 2 ** bits) >>> 0;
    c.of = msb(r) ^ c.cf;
  } else if (kind === S_SHR) {
    c.cf = Math.floor(v / 2 ** (n - 1)) & 1;
    r = Math.floor(v / 2 ** n);
    c.of = msb(v);
  } else {
    const sv = msb(v) ? v - 2 ** bits : v;
    c.cf = Math.floor(sv / 2 ** (n - 1)) & 1;
    r = ((Math.floor(sv / 2 ** n) % 2 ** bits) + 2 ** bits) % 2 ** bits;
    c.of = 0;
  }
  c.zf = r === 0 ? 1 : 0; c.sf = msb(r); c.pf = PARITY[r & 0xff]; c.af = 0;
  R.lo = r >>> 0; R.hi = 0;
}

/** 64-bit shifts on 32-bit halves (n is 1..63), flags as shift() sets them (the blocks' live form). */
export function shift64(c: CpuState, kind: number, lo: number, hi: number, n: number) {
  let rl: number, rh: number;
  if (kind === S_SHL) {
    c.cf = n <= 32 ? (hi >>> (32 - n)) & 1 : (lo >>> (64 - n)) & 1;
    if (n < 32) { rh = ((hi << n) | (lo >>> (32 - n))) >>> 0; rl = (lo << n) >>> 0; }
    else if (n === 32) { rh = lo; rl = 0; }
    else { rh = (lo << (n - 32)) >>> 0; rl = 0; }
    c.of = (rh >>> 31) ^ c.cf;
  } else {
    const arith = kind !== S_SHR;
    const fill = arith && (hi >>> 31) ? 0xffffffff : 0;
    c.cf = n <= 32 ? (lo >>> (n - 1)) & 1 : (hi >>> (n - 33)) & 1;
    if (n < 32) { rl = ((lo >>> n) | (hi << (32 - n))) >>> 0; rh = arith ? (hi >> n) >>> 0 : hi >>> n; }
    else if (n === 32) { rl = hi; rh = fill; }
    else { rl = arith ? (hi >> (n - 32)) >>> 0 : hi >>> (n - 32); rh = fill; }
    c.of = arith ? 0 : hi >>> 31;
  }
  c.zf = (rl | rh) === 0 ? 1 : 0; c.sf = rh >>> 31; c.pf = PARITY[rl & 0xff]; c.af = 0;
  R.lo = rl; R.hi = rh;
}

/** shift64's result only, its flags not computed (a block's op whose flags no one reads): n is 1..63. */
export function shift64Value(kind: number, lo: number, hi: number, n: number) {
  if (kind === S_SHL) {
    if (n < 32) { R.hi = ((hi << n) | (lo >>> (32 - n))) >>> 0; R.lo = (lo << n) >>> 0; }
    else { R.hi = (lo << (n - 32)) >>> 0; R.lo = 0; }
    return;
  }
  const arith = kind !== S_SHR, fill = arith && (hi >>> 31) ? 0xffffffff : 0;
  if (n < 32) { R.lo = ((lo >>> n) | (hi << (32 - n))) >>> 0; R.hi = arith ? (hi >> n) >>> 0 : hi >>> n; }
  else { R.lo = arith ? (hi >> (n - 32)) >>> 0 : hi >>> (n - 32); R.hi = fill; }
}

/** The low 64 bits of a 64 x 64-bit product (the same signed or unsigned) into R, no flags: a
 *  block's imul whose flags no one reads. Each partial product of 16-bit halves is below 2^32. */
export function mulLo64(al: number, ah: number, bl: number, bh: number) {
  const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16;
  const p00 = a0 * b0, m1 = a1 * b0 + (p00 >>> 16), m2 = a0 * b1 + (m1 & 0xffff);
  const hi32 = a1 * b1 + (m1 >>> 16) + (m2 >>> 16); // the high half of al * bl, unsigned
  R.lo = ((m2 << 16) | (p00 & 0xffff)) >>> 0;
  R.hi = (hi32 + Math.imul(al, bh) + Math.imul(ah, bl)) >>> 0;
}

/** The high half of the last imul's product (the one-operand form writes it to rdx). */
export const RH = { lo: 0, hi: 0 };
/** mul64's product, four 32-bit words, least significant first (scratch: nothing allocated). */
const PW = new Uint32Array(4);

/** Signed multiply; low `w` bytes of the product in R, the high part in RH (one-operand imul).
 *  CF = OF = 1 when the product does not fit the destination signed. PF, AF, ZF and SF are
 *  undefined (SDM IMUL); the model sets ZF and SF from the result and leaves PF and AF. */
export function imul(c: CpuState, w: number, al: number, ah: number, bl: number, bh: number) {
  if (w === 8) {
    al >>>= 0; ah >>>= 0; bl >>>= 0; bh >>>= 0;
    mul64(al, ah, bl, bh); // unsigned 128-bit product
    const plo = PW[0], phi = PW[1];
    let lo = PW[2], hi = PW[3];
    // Signed high half: subtract b if a < 0 and a if b < 0 (mod 2^64).
    if (ah >>> 31) { const l = lo - bl; hi = (hi - bh - (l < 0 ? 1 : 0)) >>> 0; lo = l >>> 0; }
    if (bh >>> 31) { const l = lo - al; hi = (hi - ah - (l < 0 ? 1 : 0)) >>> 0; lo = l >>> 0; }
    const fill = phi >>> 31 ? 0xffffffff : 0;
    c.cf = c.of = lo === fill && hi === fill ? 0 : 1;
    c.zf = (plo | phi) === 0 ? 1 : 0; c.sf = phi >>> 31;
    R.lo = plo; R.hi = phi; RH.lo = lo; RH.hi = hi;
    return;
  }
  if (w === 2) {
    const x = (al << 16) >> 16, y = (bl << 16) >> 16, p = x * y;
    c.cf = c.of = p >= -32768 && p < 32768 ? 0 : 1;
    R.lo = p & 0xffff; R.hi = 0;
    c.zf = R.lo === 0 ? 1 : 0; c.sf = (R.lo >>> 15) & 1;
    RH.lo = (p >> 16) & 0xffff; RH.hi = 0;
    return;
  }
  // 32-bit: the exact product fits a double unless it is at least 2^53 in magnitude, in which case
  // it cannot fit 32 bits either (and the high part is taken from the exact 64-bit product).
  const x = al | 0, y = bl | 0, p = x * y;
  const low = Math.imul(x, y) >>> 0;
  const fits = p === (p | 0);
  c.cf = c.of = fits ? 0 : 1;
  c.zf = low === 0 ? 1 : 0; c.sf = low >>> 31;
  R.lo = low; R.hi = 0;
  if (Math.abs(p) < 2 ** 53) RH.lo = Math.floor(p / 4294967296) >>> 0;
  else {
    // Sign-extended to 64 bits, the low 64 bits of the unsigned product are the signed product.
    mul64(x >>> 0, x < 0 ? 0xffffffff : 0, y >>> 0, y < 0 ? 0xffffffff : 0);
    RH.lo = PW[1];
  }
  RH.hi = 0;
}

/** Unsigned 64 x 64 -> 128-bit product into PW, on 16-bit limbs: each column sum is below 2^35,
 *  exact in a double; carries by division and floor (a double's `%` is a slow call in V8). */
function mul64(al: number, ah: number, bl: number, bh: number) {
  const a0 = al & 0xffff, a1 = al >>> 16, a2 = ah & 0xffff, a3 = ah >>> 16;
  const b0 = bl & 0xffff, b1 = bl >>> 16, b2 = bh & 0xffff, b3 = bh >>> 16;
  let v = a0 * b0, q = Math.floor(v / 65536);
  const l0 = v - q * 65536;
  v = q + a0 * b1 + a1 * b0; q = Math.floor(v / 65536);
  const l1 = v - q * 65536;
  v = q + a0 * b2 + a1 * b1 + a2 * b0; q = Math.floor(v / 65536);
  const l2 = v - q * 65536;
  v = q + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0; q = Math.floor(v / 65536);
  const l3 = v - q * 65536;
  v = q + a1 * b3 + a2 * b2 + a3 * b1; q = Math.floor(v / 65536);
  const l4 = v - q * 65536;
  v = q + a2 * b3 + a3 * b2; q = Math.floor(v / 65536);
  const l5 = v - q * 65536;
  v = q + a3 * b3; q = Math.floor(v / 65536);
  const l6 = v - q * 65536;
  PW[0] = l0 | (l1 << 16); PW[1] = l2 | (l3 << 16); PW[2] = l4 | (l5 << 16); PW[3] = l6 | (q << 16);
}

/** Condition code cc in the SDM's tttn order (isa.ts CONDS): bit 0 negates the test of bits 3:1. */
export function cond(c: CpuState, cc: number): boolean {
  let t: boolean;
  switch (cc >> 1) {
    case 0: t = c.of === 1; break;                      // o
    case 1: t = c.cf === 1; break;                      // b
    case 2: t = c.zf === 1; break;                      // e
    case 3: t = c.cf === 1 || c.zf === 1; break;        // be
    case 4: t = c.sf === 1; break;                      // s
    case 5: t = c.pf === 1; break;                      // p
    case 6: t = c.sf !== c.of; break;                   // l
    default: t = c.zf === 1 || c.sf !== c.of; break;    // le
  }
  return (cc & 1) === 0 ? t : !t;
}
