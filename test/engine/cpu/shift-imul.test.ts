import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { CpuState } from '../../../src/engine/cpu/state.ts';
import { shift, imul, R, RH } from '../../../src/engine/cpu/alu.ts';
import { SH } from '../../../src/engine/cpu/decode.ts';

// The shifts and IMUL on 32-bit halves against a BigInt reference (SDM SAL/SAR/SHL/SHR, IMUL).
const halves = (v: bigint) => [Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn)] as const;
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe('shifts and IMUL against a BigInt reference', () => {
  it('shl/shr/sar at widths 8 and 4: result, CF, OF (count 1), ZF, SF', () => {
    fc.assert(fc.property(u64, fc.integer({ min: 0, max: 255 }), fc.constantFrom(SH.shl, SH.shr, SH.sar), fc.constantFrom(8, 4), (v, count, kind, w) => {
      const bits = BigInt(w * 8), mask = (1n << bits) - 1n;
      const c = new CpuState();
      c.cf = 1; c.of = 1; c.zf = 1; c.sf = 1;
      const [lo, hi] = halves(v);
      shift(c, kind, w, lo, hi, count);
      const n = BigInt(count & (w === 8 ? 63 : 31));
      const x = v & mask;
      if (n === 0n) { expect(BigInt(R.lo) | (BigInt(R.hi) << 32n)).toBe(w === 8 ? v : x); return; }
      let r: bigint, cf: number;
      if (kind === SH.shl) { r = (x << n) & mask; cf = Number((x >> (bits - n)) & 1n); }
      else if (kind === SH.shr) { r = x >> n; cf = Number((x >> (n - 1n)) & 1n); }
      else { const s = BigInt.asIntN(Number(bits), x); r = BigInt.asUintN(Number(bits), s >> n); cf = Number((s >> (n - 1n)) & 1n); }
      expect(BigInt(R.lo) | (BigInt(R.hi) << 32n)).toBe(r);
      expect(c.cf).toBe(cf);
      expect(c.zf).toBe(r === 0n ? 1 : 0);
      expect(c.sf).toBe(Number((r >> (bits - 1n)) & 1n));
      if (n === 1n) {
        const msb = (y: bigint) => Number((y >> (bits - 1n)) & 1n);
        expect(c.of).toBe(kind === SH.shl ? msb(r) ^ cf : kind === SH.shr ? msb(x) : 0);
      }
    }), { numRuns: 2000 });
  });

  it('imul: low result, high part, CF = OF = 1 exactly when the product does not fit', () => {
    fc.assert(fc.property(u64, u64, fc.constantFrom(8, 4), (a, b, w) => {
      const bits = w * 8;
      const c = new CpuState();
      const [al, ah] = halves(a), [bl, bh] = halves(b);
      imul(c, w, al, ah, bl, bh);
      const high = BigInt(RH.lo) | (BigInt(RH.hi) << 32n);
      const sa = BigInt.asIntN(bits, w === 8 ? a : a & 0xffffffffn), sb = BigInt.asIntN(bits, w === 8 ? b : b & 0xffffffffn);
      const p = sa * sb;
      expect(BigInt(R.lo) | (BigInt(R.hi) << 32n)).toBe(BigInt.asUintN(bits, p));
      expect(high).toBe(BigInt.asUintN(bits, p >> BigInt(bits)));
      expect(c.cf).toBe(BigInt.asIntN(bits, p) === p ? 0 : 1);
      expect(c.of).toBe(c.cf);
    }), { numRuns: 2000 });
  });
});
