// Architectural CPU state of one logical processor: general registers (as 32-bit halves, so
// 64-bit values stay exact), RIP, RFLAGS, CPL and segment selectors, control registers, the
// descriptor-table registers and the MSRs the model uses. SDM Vol. 1 "Basic Execution
// Environment", Vol. 3A "System Architecture Overview". World: hardware, both VMX modes.

import { RFLAGS } from '../arch/x86.ts';
import type { XlateCtx } from '../mmu/mmu.ts';

/** The six status flags (SDM Vol. 1 "EFLAGS Register"), kept in their own fields. */
const ARITH = RFLAGS.CF | RFLAGS.PF | RFLAGS.AF | RFLAGS.ZF | RFLAGS.SF | RFLAGS.OF;

/** The MSRs by index, with a count of writes: code that decodes an MSR (SYSCALL's STAR and
 *  LSTAR) keeps the decoded form while the count is unchanged. */
export class MsrMap extends Map<number, bigint> {
  writes = 0;
  override set(i: number, v: bigint) { this.writes++; return super.set(i, v); }
  override delete(i: number) { this.writes++; return super.delete(i); }
  override clear() { this.writes++; super.clear(); }
}

export class CpuState {
  /** Low and high 32 bits of rax..r15 (encoding order). */
  lo = new Uint32Array(16);
  hi = new Uint32Array(16);
  /** RIP as a 48-bit linear address. */
  rip = 0;
  /** Arithmetic flags kept apart for speed (0/1); the rest of RFLAGS (DF, IF, IOPL, ...) in `rf`. */
  cf = 0; pf = 0; af = 0; zf = 0; sf = 0; of = 0;
  rf: number = RFLAGS.FIXED;
  cs = 0; ss = 0;
  cr0 = 0; cr2 = 0; cr3 = 0; cr4 = 0; efer = 0;
  /** Model-specific registers other than EFER, by index. */
  msr = new MsrMap();
  gdtrBase = 0; gdtrLimit = 0; idtrBase = 0; idtrLimit = 0;
  tr = 0; trBase = 0;
  /** Halted by HLT until an interrupt. */
  halted = false;

  get cpl(): 0 | 3 { return (this.cs & 3) === 3 ? 3 : 0; }

  rflags(): number {
    return ((this.rf & ~ARITH) | RFLAGS.FIXED |
      (this.cf ? RFLAGS.CF : 0) | (this.pf ? RFLAGS.PF : 0) | (this.af ? RFLAGS.AF : 0) |
      (this.zf ? RFLAGS.ZF : 0) | (this.sf ? RFLAGS.SF : 0) | (this.of ? RFLAGS.OF : 0)) >>> 0;
  }
  setRflags(v: number) {
    this.rf = (v | RFLAGS.FIXED) >>> 0;
    this.cf = v & RFLAGS.CF ? 1 : 0; this.pf = v & RFLAGS.PF ? 1 : 0; this.af = v & RFLAGS.AF ? 1 : 0;
    this.zf = v & RFLAGS.ZF ? 1 : 0; this.sf = v & RFLAGS.SF ? 1 : 0; this.of = v & RFLAGS.OF ? 1 : 0;
  }

  // A value whose high half is zero (or, to set, one in [-2^31, 2^32)) takes no BigInt arithmetic:
  // system-call numbers, arguments and results mostly are (the kernel's syscall path).
  get(r: number): bigint {
    const h = this.hi[r];
    return h === 0 ? BigInt(this.lo[r]) : (BigInt(h) << 32n) | BigInt(this.lo[r]);
  }
  set(r: number, v: bigint) {
    if (v >= 0n && v <= 0xffffffffn) { this.lo[r] = Number(v); this.hi[r] = 0; return; }
    if (v < 0n && v >= -0x80000000n) { this.lo[r] = Number(v) >>> 0; this.hi[r] = 0xffffffff; return; }
    v = BigInt.asUintN(64, v);
    this.lo[r] = Number(v & 0xffffffffn); this.hi[r] = Number(v >> 32n);
  }
  /** A register as a JS number; exact below 2^53 (addresses, small counts). */
  num(r: number): number { return this.hi[r] * 4294967296 + this.lo[r]; }
  setNum(r: number, v: number) { this.lo[r] = v >>> 0; this.hi[r] = Math.floor(v / 4294967296) >>> 0; }

  /** r += n as the 64-bit add the SDM gives (0 <= n < 2^32): RET imm16's RSP + imm, which must not
   *  go through va() (RSP may be non-canonical after the pop, e.g. 2^47). */
  addSmall(r: number, n: number) {
    const s = this.lo[r] + n;
    this.lo[r] = s >>> 0;
    if (s > 0xffffffff) this.hi[r] = (this.hi[r] + 1) >>> 0;
  }
  /** A register holding an address, as a 48-bit linear address (-1 if not canonical). */
  va(r: number): number { return linear(this.lo[r], this.hi[r]); }
  /** Write a 48-bit linear address to a register in canonical form. */
  setVa(r: number, va: number) { this.lo[r] = va >>> 0; this.hi[r] = canonHi(va); }

  msrGet(i: number): bigint { return this.msr.get(i) ?? 0n; }

  clone(): CpuState {
    const c = Object.assign(new CpuState(), this);
    c.lo = this.lo.slice(); c.hi = this.hi.slice(); c.msr = new MsrMap(this.msr);
    return c;
  }
}

/** Converts a canonical 64-bit address (lo/hi halves) to the model's 48-bit linear form, or -1
 *  when it is not canonical (bits 63:47 not all equal). */
export function linear(lo: number, hi: number): number {
  if (hi === 0) return lo >>> 0; // below 4 GiB: the common case, without double arithmetic
  const top = hi >>> 15;
  if (top !== 0 && top !== 0x1ffff) return -1;
  return (hi & 0xffff) * 4294967296 + (lo >>> 0);
}

/** The 64-bit halves of a 48-bit linear address in canonical form. */
export function canonHi(va: number): number {
  const h = Math.floor(va / 4294967296);
  return (h & 0x8000 ? h | 0xffff0000 : h) >>> 0;
}

export type { XlateCtx };
