// A small machine for unit tests of the CPU's files (mutation testing, docs/testing.md): the
// hand-built VMX guest of harness.ts (its own page tables, an identity EPT, no kernel run), with
// the instructions of `src` reached by label and run one at a time through the interpreter, so a
// fault or VM exit comes back as the object the instruction threw. `root: true` leaves VMX
// non-root (the guest's tables, identity-mapped, serve as the host's). Costs are all distinct, so
// a cycle charge taken from the wrong field shows.

import { makeGuest, type GuestOpts } from '../harness.ts';
import { gsym, gread } from './util.ts';
import { runBatch } from '../../../src/engine/cpu/exec.ts';
import { CpuFault, VmExit } from '../../../src/engine/cpu/fault.ts';
import { DEFAULT_COSTS, type CostModel } from '../../../src/engine/cost.ts';
import { SEL } from '../../../src/engine/arch/x86.ts';
import { mapPage, pteAddr } from '../../../src/engine/kernel/pgtable.ts';
import { eptMap } from '../../../src/engine/ept/ept.ts';
import type { Op } from '../../../src/engine/cpu/decode.ts';

/** DEFAULT_COSTS with every scalar field a different power of two, and free page walks (so an
 *  instruction's cycles are its own charge). */
export const COSTS: CostModel = (() => {
  let k = 0;
  const o: Record<string, unknown> = {};
  for (const [n, v] of Object.entries(DEFAULT_COSTS)) o[n] = typeof v === 'number' ? 2 ** (k++ + 4) : v;
  Object.assign(o, { walkRef: [0, 0, 0, 0], tlbMiss: 0, eptRef: 0 });
  return o as unknown as CostModel;
})();

export interface Bare extends ReturnType<typeof bare> {}

export function bare(src: string, o: GuestOpts & { root?: boolean; cpl?: 0 | 3 } = {}) {
  // User pages (so CPL 3 can run), entered at CPL 0 unless cpl: 3; ring(n) switches.
  const g = makeGuest(`.text\n_start:\n  hlt\n${src}`, { ...o, cpl: 3 });
  const m = g.m, c = m.cpu;
  m.costs = COSTS;
  m.timerAt = Infinity; // no timer tick between the instructions under test
  if (o.root) m.vmx.nonRoot = false;
  const ring = (cpl: 0 | 3) => {
    c.cs = cpl ? SEL.USER_CS : SEL.KERNEL_CS; c.ss = cpl ? SEL.USER_DS : SEL.KERNEL_DS; m.refresh();
  };
  ring(o.cpl ?? 0);
  const sym = (name: string) => gsym(g, name);
  return {
    g, m, c, sym, ring, events: g.events,
    read: (va: number, size = 8) => gread(g, va, size),
    /** The decoded op at a label. */
    op(label: string): Op { c.rip = sym(label); return m.fetch(); },
    /** Run the instruction at `label` (registers preset): returns what it threw, or null. */
    step(label: string, regs: Record<number, bigint> = {}): CpuFault | VmExit | null {
      for (const [r, v] of Object.entries(regs)) c.set(Number(r), v);
      c.rip = sym(label);
      try { runBatch(m, 1, true); } catch (e) {
        if (e instanceof CpuFault || e instanceof VmExit) return e;
        throw e;
      }
      return null;
    },
    /** Map a fresh user page at va, writable unless w = false (guest tables and EPT, identity): its frame. */
    map(va: number, w = true): number {
      const fn = m.mem.alloc();
      mapPage(m.mem, g.gcr3, va, fn, { w, u: true, x: false });
      // The frame and the (up to three) page tables mapPage took after it.
      for (let f = fn; f <= fn + 3; f++) eptMap(m.mem, g.eptRoot, f * 4096, f * 4096, { r: true, w: true, x: true });
      return fn;
    },
    /** Make the page at va supervisor-only (clear U/S in its PTE) and flush the TLB. */
    supervisor(va: number) {
      const pa = pteAddr(m.mem, g.gcr3, va, false)!;
      m.mem.write32(pa, m.mem.read32(pa) & ~4);
      m.mmu.flushVpid(m.vmx.vpid); m.mmu.flushVpid(0); m.refresh();
    },
    /** Events emitted since mark(). */
    mark() { const n = g.events.length; return () => g.events.slice(n); },
  };
}

/** A fault as [vector, error code]: what the tests compare. */
export const fault = (e: unknown) => (e instanceof CpuFault ? [e.vector, e.error] : e);
/** A VM exit as [reason, qualification, instruction length]. */
export const vmexit = (e: unknown) => (e instanceof VmExit ? [e.reason, e.qual, e.instrLen] : e);
