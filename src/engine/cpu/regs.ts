// General-register reads and writes at an operand width, as x86-64 does them (SDM Vol. 1 "General-
// Purpose Registers in 64-Bit Mode"): a 32-bit write zero-extends to 64 bits, an 8- or 16-bit write
// merges into the register, and ah/ch/dh/bh (Op register numbers HIGH8 + 0..3) are bits 15:8. World: hardware.

import type { CpuState } from './state.ts';

// They take the register halves (CpuState.lo, .hi) rather than the CpuState: the interpreter's
// hot loop holds them in locals.
type Halves = Uint32Array;

/** Low 32 bits of an operand register (for ah..bh, the byte in bits 15:8). */
export function rlo(L: Halves, r: number): number {
  return r < 16 ? L[r] : (L[r - 16] >>> 8) & 0xff;
}
/** High 32 bits of an operand register (0 for ah..bh). */
export function rhi(H: Halves, r: number): number {
  return r < 16 ? H[r] : 0;
}

/** Writes an operand register at width w. */
export function rset(L: Halves, H: Halves, r: number, w: number, lo: number, hi: number) {
  if (w === 8) { L[r] = lo; H[r] = hi; }
  else if (w === 4) { L[r] = lo; H[r] = 0; }
  else if (w === 2) L[r] = ((L[r] & 0xffff0000) | (lo & 0xffff)) >>> 0;
  else if (r < 16) L[r] = ((L[r] & 0xffffff00) | (lo & 0xff)) >>> 0;
  else L[r - 16] = ((L[r - 16] & 0xffff00ff) | ((lo & 0xff) << 8)) >>> 0;
}

/** Adds a signed delta to a 64-bit register (string instructions' RSI/RDI/RCX updates). */
export function radd(c: CpuState, r: number, delta: number) {
  let lo = c.lo[r] + delta, hi = c.hi[r];
  if (lo > 0xffffffff) { lo -= 4294967296; hi = (hi + 1) >>> 0; }
  else if (lo < 0) { lo += 4294967296; hi = (hi - 1) >>> 0; }
  c.lo[r] = lo; c.hi[r] = hi;
}
