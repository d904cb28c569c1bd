// The rarer integer instructions, on exact values: rotates (ROL ROR RCL RCR), bit tests (BT BTS
// BTR BTC), bit scans (BSF BSR), BSWAP, the one-operand MUL/IMUL/DIV/IDIV (with #DE), and
// MOVZX/MOVSX/MOVSXD. SDM Vol. 2 instruction pages (their "Flags Affected" sections). World: hardware.

import type { CpuState } from './state.ts';
import { CpuFault } from './fault.ts';
import { VEC } from '../arch/x86.ts';
import { R, MASK } from './alu.ts';
import { SH } from './decode.ts';

const big = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const out = (v: bigint) => { R.lo = Number(v & 0xffffffffn); R.hi = Number((v >> 32n) & 0xffffffffn); };
const bitsMask = (w: number) => (1n << BigInt(8 * w)) - 1n;

/** rol/ror/rcl/rcr dst by count at width w; result in R. The count is masked to 5 bits (6 for
 *  64-bit); rcl/rcr rotate through CF, so 8- and 16-bit counts are then taken mod 9 and mod 17.
 *  A masked count of 0 changes no flag; OF is defined only for a masked count of 1. SF, ZF, AF
 *  and PF are never changed. */
export function rotate(c: CpuState, kind: number, w: number, dl: number, dh: number, count: number) {
  const bits = 8 * w, n = count & (w === 8 ? 63 : 31), mask = bitsMask(w);
  let v = big(dl, dh) & mask;
  if (n === 0) { out(v); return; }
  const B = BigInt(bits), msb = (x: bigint) => Number((x >> (B - 1n)) & 1n);
  if (kind === SH.rol || kind === SH.ror) {
    const k = BigInt(n % bits);
    if (k) v = kind === SH.rol ? ((v << k) | (v >> (B - k))) & mask : ((v >> k) | (v << (B - k))) & mask;
    if (kind === SH.rol) { c.cf = Number(v & 1n); if (n === 1) c.of = msb(v) ^ c.cf; }
    else { c.cf = msb(v); if (n === 1) c.of = msb(v) ^ Number((v >> (B - 2n)) & 1n); }
    out(v);
    return;
  }
  // Through CF: a (bits+1)-bit rotate of CF:dst.
  const k = w === 1 ? n % 9 : w === 2 ? n % 17 : n;
  if (kind === SH.rcr && n === 1) c.of = msb(v) ^ c.cf; // RCR's OF is taken before the rotate
  let cf = BigInt(c.cf);
  for (let i = 0; i < k; i++) {
    if (kind === SH.rcl) { const t = v >> (B - 1n); v = ((v << 1n) | cf) & mask; cf = t; }
    else { const t = v & 1n; v = (v >> 1n) | (cf << (B - 1n)); cf = t; }
  }
  c.cf = Number(cf);
  if (kind === SH.rcl && n === 1) c.of = msb(v) ^ c.cf;
  out(v);
}

/** bt/bts/btr/btc on a w-byte value with bit offset `bit` (already reduced mod 8w): CF = the bit;
 *  the new value in R. ZF is unchanged; OF, SF, AF, PF are undefined (left unchanged). */
export function bitTest(c: CpuState, digit: number, w: number, dl: number, dh: number, bit: number) {
  const v = big(dl, dh), b = 1n << BigInt(bit);
  c.cf = v & b ? 1 : 0;
  out(digit === 5 ? v | b : digit === 6 ? v & ~b : digit === 7 ? v ^ b : v);
  void w;
}

/** bsf/bsr: the index of the lowest/highest set bit in R.lo, ZF = 0; or ZF = 1 and false when the
 *  source is 0 (the destination is then undefined: the model leaves it unchanged). */
export function bitScan(c: CpuState, reverse: boolean, w: number, sl: number, sh: number): boolean {
  const lo = w === 8 ? sl >>> 0 : (sl & MASK[w]) >>> 0, hi = w === 8 ? sh >>> 0 : 0;
  if ((lo | hi) === 0) { c.zf = 1; return false; }
  c.zf = 0;
  if (reverse) R.lo = hi ? 63 - Math.clz32(hi) : 31 - Math.clz32(lo);
  else R.lo = lo ? 31 - Math.clz32(lo & -lo) : 63 - Math.clz32(hi & -hi);
  R.hi = 0;
  return true;
}

/** bswap of a 32- or 64-bit register (the 16-bit form is undefined in the SDM and not accepted). */
export function bswap(w: number, lo: number, hi: number) {
  const sw = (x: number) => (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
  if (w === 8) { R.lo = sw(hi); R.hi = sw(lo); } else { R.lo = sw(lo); R.hi = 0; }
}

/** movzx / movsx / movsxd: the sw-byte source extended to w bytes, in R. */
export function extend(signed: boolean, w: number, sw: number, sl: number, sh: number) {
  const v = sw === 8 ? big(sl, sh) : BigInt((sl & MASK[sw]) >>> 0);
  const x = signed ? BigInt.asIntN(8 * sw, v) : v;
  out(BigInt.asUintN(8 * w, x));
}

/** The accumulator pair of a one-operand mul/imul/div/idiv: al/ah (w 1, as ax), ax/dx, eax/edx, rax/rdx. */
export interface AccPair { lo: bigint; hi: bigint }

/** mul (digit 4), imul (5), div (6), idiv (7) of the accumulator pair by src (w bytes). Returns
 *  the new pair (low, high) or throws #DE for a zero divisor or a quotient that does not fit.
 *  mul/imul set CF = OF = (the high half is significant); SF, ZF, AF, PF are undefined (the
 *  model leaves them unchanged); div/idiv leave all flags unchanged (all are undefined). */
export function mulDiv(c: CpuState, digit: number, w: number, acc: AccPair, src: bigint): AccPair {
  const B = BigInt(8 * w), mask = bitsMask(w);
  const s = (x: bigint) => BigInt.asIntN(8 * w, x);
  if (digit === 4 || digit === 5) {
    const a = acc.lo & mask, b = src & mask;
    const p = digit === 4 ? a * b : s(a) * s(b);
    const lo = BigInt.asUintN(8 * w, p), hi = BigInt.asUintN(8 * w, p >> B);
    c.cf = c.of = (digit === 4 ? hi !== 0n : BigInt.asIntN(8 * w, lo) !== p) ? 1 : 0;
    return { lo, hi };
  }
  const d = src & mask;
  if (d === 0n) throw new CpuFault(VEC.DE, null, 0, 'divide by zero');
  const n = ((acc.hi & mask) << B) | (acc.lo & mask);
  if (digit === 6) {
    const q = n / d;
    if (q > mask) throw new CpuFault(VEC.DE, null, 0, 'quotient too large (divide overflow)');
    return { lo: q, hi: n % d };
  }
  const sn = BigInt.asIntN(16 * w, n), sd = s(d);
  const q = sn / sd, r = sn % sd; // BigInt division truncates toward zero, as IDIV does
  if (q < -(1n << (B - 1n)) || q >= 1n << (B - 1n)) throw new CpuFault(VEC.DE, null, 0, 'quotient too large (divide overflow)');
  return { lo: BigInt.asUintN(8 * w, q), hi: BigInt.asUintN(8 * w, r) };
}
