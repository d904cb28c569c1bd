// Operand access shared by the executors: effective addresses (with the SDM's #GP/#SS choice for
// non-canonical ones), and the implicit stack accesses of PUSH, POP and CALL. World: hardware.

import type { MemRef } from './decode.ts';
import { CpuFault } from './fault.ts';
import { VEC } from '../arch/x86.ts';
import { RSP, RBP } from '../asm/ir.ts';
import { linear } from './state.ts';
import type { Machine } from '../machine.ts';

const P32 = 4294967296;

/** The halves eaLinear() computed last (a scratch, read at once: LEA's result, no object). */
export const EA = { lo: 0, hi: 0 };

/** The linear address of a memory operand, base + index*scale + disp in 64-bit arithmetic, or -1
 *  when not canonical (ea() without its fault; the blocks' data path tries its hit with it). The
 *  sum's halves, canonical or not, are left in EA (LEA's result). */
export function eaLinear(m: Machine, r: MemRef): number {
  const c = m.cpu;
  let lo = r.dlo, hi = r.dhi;
  if (r.base >= 0) {
    lo += c.lo[r.base]; hi += c.hi[r.base];
    if (lo > 0xffffffff) { lo -= P32; hi++; }
  }
  if (r.index >= 0) {
    let il = c.lo[r.index], ih = c.hi[r.index];
    if (r.shift) { ih = ((ih << r.shift) | (il >>> (32 - r.shift))) >>> 0; il = (il << r.shift) >>> 0; }
    lo += il; hi += ih;
    if (lo > 0xffffffff) { lo -= P32; hi++; }
  }
  lo >>>= 0; hi >>>= 0;
  EA.lo = lo; EA.hi = hi;
  return linear(lo, hi);
}

/** Effective address of a memory operand. SDM: a non-canonical address is #SS(0) when the
 *  operand references the stack segment (base RSP or RBP), #GP(0) otherwise. */
export function ea(m: Machine, r: MemRef): number {
  const va = eaLinear(m, r);
  if (va >= 0) return va;
  if (r.base === RSP || r.base === RBP) throw new CpuFault(VEC.SS, 0, 0, 'non-canonical stack address');
  throw new CpuFault(VEC.GP, 0, 0, 'non-canonical address');
}

/** A stack address (implicit PUSH/POP/CALL/RET accesses): #SS(0) when not canonical. */
export function stackEa(lo: number, hi: number): number {
  const va = linear(lo, hi);
  if (va < 0) throw new CpuFault(VEC.SS, 0, 0, 'non-canonical stack address');
  return va;
}

export function push(m: Machine, lo: number, hi: number) {
  const c = m.cpu;
  let sl = c.lo[RSP] - 8, sh = c.hi[RSP];
  if (sl < 0) { sl += P32; sh = (sh - 1) >>> 0; }
  m.store(stackEa(sl, sh), 8, lo, hi);
  c.lo[RSP] = sl; c.hi[RSP] = sh;
}

export function pop(m: Machine) {
  const c = m.cpu;
  m.load(stackEa(c.lo[RSP], c.hi[RSP]), 8);
  let sl = c.lo[RSP] + 8;
  if (sl > 0xffffffff) { sl -= P32; c.hi[RSP] = (c.hi[RSP] + 1) >>> 0; }
  c.lo[RSP] = sl;
}

/** Push the return address (a 48-bit linear address) in canonical form. */
export function pushAddr(m: Machine, va: number) {
  const h = Math.floor(va / P32);
  push(m, va >>> 0, (h & 0x8000 ? h | 0xffff0000 : h) >>> 0);
}
