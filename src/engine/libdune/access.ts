// How libdune's native routines reach guest memory: every access goes through the simulated MMU
// in the caller's mode (TLB, guest page tables, EPT), and costs what a compiled C loop would.
// A faulting access is delivered like any instruction's fault (a #PF to the kernel, an EPT
// violation to the Dune module); when the handler returns, the access is retried.
// World: the caller's mode (libdune runs where it is called from).

import { CpuFault, VmExit } from '../cpu/fault.ts';
import { RAX, RSP } from '../asm/ir.ts';
import type { Machine } from '../machine.ts';

export class GuestMem {
  readonly rip: number; readonly nonRoot: boolean; readonly cpl: number;
  constructor(readonly m: Machine) {
    this.rip = m.cpu.rip; this.nonRoot = m.vmx.nonRoot; this.cpl = m.cpu.cpl;
  }
  private retry<T>(f: () => T): T {
    for (let i = 0; ; i++) {
      try { return f(); } catch (e) {
        if (!(e instanceof CpuFault || e instanceof VmExit) || i > 8) throw e;
        this.m.fault(e);
        this.m.runUntilBack(this.rip, this.nonRoot, this.cpl);
      }
    }
  }
  /** The high half of the last load64n. */
  hi = 0;
  /** load64 without a BigInt (the page-table manager's walks): the low half, and the high half
   *  in `hi`. The same access, charged and retried as load64's. */
  load64n(va: number): number {
    for (let i = 0; ; i++) {
      try { this.m.cycles += this.m.costs.dataAccess; this.m.load(va, 8, false); this.hi = this.m.vhi; return this.m.vlo; } catch (e) { this.recover(e, i); }
    }
  }
  /** store64 of a value given as 32-bit halves: the same access, charged and retried as
   *  store64's (unlike store64n, which charges a retried store once). */
  store64h(va: number, lo: number, hi: number) {
    for (let i = 0; ; i++) {
      try { this.m.cycles += this.m.costs.dataAccess; this.m.store(va, 8, lo >>> 0, hi >>> 0, false); return; } catch (e) { this.recover(e, i); }
    }
  }
  /** retry's handling of a fault on attempt i: delivered (the handler runs, then the access is
   *  tried again), or rethrown. */
  private recover(e: unknown, i: number) {
    if (!(e instanceof CpuFault || e instanceof VmExit) || i > 8) throw e;
    this.m.fault(e);
    this.m.runUntilBack(this.rip, this.nonRoot, this.cpl);
  }
  load64(va: number): bigint {
    return this.retry(() => { this.m.cycles += this.m.costs.dataAccess; return this.m.read64(va, false); });
  }
  store64(va: number, v: bigint) {
    this.retry(() => { this.m.cycles += this.m.costs.dataAccess; this.m.write64(va, v, false); });
  }
  /** A 64-bit store given as 32-bit halves (the page-table builders' hot path). */
  store64n(va: number, lo: number, hi: number) {
    this.m.cycles += this.m.costs.dataAccess;
    try { this.m.store(va, 8, lo >>> 0, hi >>> 0); } catch { this.retry(() => this.m.store(va, 8, lo >>> 0, hi >>> 0)); }
  }
  /** n 64-bit page-table entries at va, va + 8, ... (all in va's page): entry i maps frame
   *  address a + i * 4096 with the bits (bLo, bHi) OR'd in. The first is stored through the MMU
   *  (store64n: it may fault the table page in); the rest follow it into the same page
   *  (Machine.storeRun: straight to the frame where the machine's fast path allows, else each
   *  through store64n), each charged as a store. */
  storeEntries(va: number, n: number, a: number, bLo: number, bHi: number) {
    this.store64n(va, ((a % 4294967296) | bLo) >>> 0, (Math.floor(a / 4294967296) | bHi) >>> 0);
    if (n > 1) this.m.storeRun(va + 8, n - 1, a + 4096, 4096, bLo, bHi, this.m.costs.dataAccess, (v, lo, hi) => this.store64n(v, lo, hi));
  }
  load8(va: number): number {
    return this.retry(() => { this.m.cycles += this.m.costs.dataAccess; this.m.load(va, 1); return this.m.vlo; });
  }
  store8(va: number, v: number) {
    this.retry(() => { this.m.cycles += this.m.costs.dataAccess; this.m.store(va, 1, v & 0xff, 0); });
  }
  cstring(va: number, max = 4096): string {
    let s = '';
    for (let i = 0; i < max; i++) { const b = this.load8(va + i); if (!b) break; s += String.fromCharCode(b); }
    return s;
  }
  /** Return from the native routine as RET does, with rax = v. */
  ret(v: bigint) {
    const c = this.m.cpu;
    const sp = c.va(RSP);
    const addr = this.load64(sp);
    c.set(RAX, BigInt.asUintN(64, v));
    c.setVa(RSP, sp + 8);
    c.rip = Number(BigInt.asUintN(48, addr));
    this.m.cycles += this.m.costs.instr;
  }
  arg(i: number): bigint { return this.m.cpu.get([7, 6, 2, 1, 8, 9][i]); }
  argNum(i: number): number { return Number(BigInt.asUintN(48, this.arg(i))); }
}
