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
   *  (store64n: it may fault the table page in); the rest hit the translation it left, as
   *  Machine.xlate's fast path would (same page, same MMU generation: nothing runs in between),
   *  so they are written to the frame directly, each charged as a store. With the TLB off every
   *  access walks (Mmu.gen changes on every read): then each goes through the MMU. */
  storeEntries(va: number, n: number, a: number, bLo: number, bHi: number) {
    const entry = (i: number, f: (lo: number, hi: number) => void) => {
      const x = a + i * 4096;
      f(((x % 4294967296) | bLo) >>> 0, (Math.floor(x / 4294967296) | bHi) >>> 0);
    };
    entry(0, (lo, hi) => this.store64n(va, lo, hi));
    const m = this.m;
    if (n <= 1) return;
    // Straight to the frame only where the machine's own fast path would go, and with no store
    // hook installed (a hook, e.g. trace/ptwatch.ts, must see every entry written).
    if (!m.knobs.tlb || m.onStore !== null || Math.floor(va / 4096) !== m.wVpn || m.mmu.gen !== m.wGen) {
      for (let i = 1; i < n; i++) entry(i, (lo, hi) => this.store64n(va + i * 8, lo, hi));
      return;
    }
    const pa = m.wBase + (va & 4095);
    const f = m.mem.wframe(Math.floor(pa / 4096));
    if (f.code) { f.code = null; m.mem.codeGen++; }
    const dv = f.dv, o = pa & 4095;
    // The frame address in 32-bit halves, advanced a page at a time.
    let xl = (a + 4096) % 4294967296, xh = Math.floor((a + 4096) / 4294967296);
    for (let i = 1, at = o + 8; i < n; i++, at += 8) {
      dv.setUint32(at, (xl | bLo) >>> 0, true);
      dv.setUint32(at + 4, (xh | bHi) >>> 0, true);
      xl += 4096;
      if (xl >= 4294967296) { xl -= 4294967296; xh++; }
    }
    m.cycles += m.costs.dataAccess * (n - 1);
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
