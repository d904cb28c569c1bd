// Helpers of the block tests (block.test.ts, block-mem.test.ts): two identical bare machines, one
// run through the check-free blocks and one op by op, and what to compare between them.

import { bare, type Bare } from './bare.ts';
import { hotBlocks } from './util.ts';
import { runBatch } from '../../../src/engine/cpu/exec.ts';
import { CpuFault, VmExit } from '../../../src/engine/cpu/fault.ts';
import { pteAddr } from '../../../src/engine/kernel/pgtable.ts';
import type { Machine } from '../../../src/engine/machine.ts';

/** Everything a block could get wrong: registers, RIP, RFLAGS, the counts and the generations
 *  (mmu.gen only with the TLB on: off, each read of it is a new value), the walks. */
export function state(m: Machine) {
  const c = m.cpu;
  return { lo: [...c.lo], hi: [...c.hi], rip: c.rip, rflags: c.rflags(), instret: m.instret, cycles: m.cycles,
    gen: m.knobs.tlb ? m.mmu.gen : 0, codeGen: m.mem.codeGen, status: m.status, pending: m.pendingIntr, walks: m.mmu.stats.walks };
}

/** Two identical bare machines: `blocks` untraced (so runBatch takes its blocks), `steps` for
 *  single steps (never a block). Registers and flags preset alike. */
export function pair(src: string, regs: Record<number, bigint>, prep?: (b: Bare) => void) {
  const mk = () => {
    const b = bare(src);
    prep?.(b);
    for (const [r, v] of Object.entries(regs)) b.c.set(Number(r), v);
    b.c.setRflags(0x2 | 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x800); // every status flag set: a flag left unwritten shows
    b.c.rip = b.sym('run');
    return b;
  };
  const blocks = mk(), steps = mk();
  blocks.m.attach(null);
  hotBlocks(blocks.m);
  return { blocks, steps };
}

/** Runs up to n instructions; what the run threw (a fault or VM exit), or null. */
export function run(m: Machine, n: number, single = false): unknown {
  try {
    if (single) { const end = m.instret + n; while (m.instret < end && m.status === null && !m.cpu.halted) runBatch(m, 1, true); }
    else runBatch(m, n);
  } catch (e) {
    if (e instanceof CpuFault || e instanceof VmExit) return e;
    throw e;
  }
  return null;
}

/** Block-built ops of the machine's code pages (the block path was taken). */
export function blocksBuilt(m: Machine): number {
  let n = 0;
  for (const f of m.mem.frames) for (const op of f?.code ?? []) if (op?.blk && op.blk.n > 1) n++;
  return n;
}

/** The text page made writable (its PTE's R/W), so a store, push or RMW can land in the decoded
 *  page (the code at label `run`). */
export function writableText(b: Bare) {
  const pa = pteAddr(b.m.mem, b.g.gcr3, b.sym('run'), false)!;
  b.m.mem.write32(pa, b.m.mem.read32(pa) | 2);
  b.m.mmu.flushAll(); b.m.refresh();
}
