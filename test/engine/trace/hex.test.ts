import { describe, it, expect } from 'vitest';
import { hex64, hexVa } from '../../../src/engine/trace/events.ts';

// The trace's hex without BigInt, against the BigInt forms it replaced (the trace's bytes must not change).
const canonical = (va: number) => '0x' + (va >= 2 ** 47 ? BigInt(va) | 0xffff000000000000n : BigInt(va)).toString(16);
const full = (lo: number, hi: number) => '0x' + (BigInt(hi >>> 0) * 4294967296n + BigInt(lo >>> 0)).toString(16);

/** A fixed sequence of 32-bit values (a linear congruential generator). */
function* values(n: number) {
  let x = 12345;
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; yield x; }
}

describe('trace hex', () => {
  it('hexVa prints a 48-bit linear address in canonical form, sign-extending bit 47', () => {
    const edges = [0, 1, 4095, 2 ** 32 - 1, 2 ** 32, 2 ** 47 - 1, 2 ** 47, 2 ** 47 + 1, 2 ** 48 - 1, 0xffff_8000_0000, 0x8000_0000_1000, 0xffff_ffff_f000];
    for (const va of edges) expect(hexVa(va)).toBe(canonical(va));
    expect(hexVa(2 ** 47)).toBe('0xffff800000000000');
    const v = [...values(20_000)];
    for (let i = 0; i + 1 < v.length; i += 2) {
      const va = (v[i] & 0xffff) * 4294967296 + v[i + 1];
      expect(hexVa(va)).toBe(canonical(va));
    }
  });

  it('hex64 prints a 64-bit value from its halves as one hex number', () => {
    for (const [lo, hi] of [[0, 0], [0, 1], [1, 0], [0xffffffff, 0xffffffff], [0, 0x80000000], [-1, -1], [0xabc, 0x10]]) expect(hex64(lo, hi)).toBe(full(lo, hi));
    const v = [...values(20_000)];
    for (let i = 0; i + 1 < v.length; i += 2) expect(hex64(v[i], i % 6 === 0 ? 0 : v[i + 1])).toBe(full(v[i], i % 6 === 0 ? 0 : v[i + 1]));
  });
});
