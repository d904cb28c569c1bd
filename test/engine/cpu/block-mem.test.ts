// The check-free blocks' imul, shifts and read-modify-writes of memory, and their data path (hits on
// xlate's page memos, the data memo standing in for TLB hits: src/engine/cpu/datapath.ts,
// src/engine/mmu/datamemo.ts) against the interpreter op by op: registers, flags, memory, the
// TLB's LRU stamps and counts and xlate's memos exactly where single steps leave them, whatever
// stops a block (the budget, a timer tick, a #PF, a store into its own code page, a TLB flush).

import { describe, it, expect } from 'vitest';
import { bare, fault, COSTS, type Bare } from './bare.ts';
import { state, pair, run, blocksBuilt, writableText } from './blockpair.ts';
import { buildBlock, flagsDead } from '../../../src/engine/cpu/block.ts';
import { CpuFault } from '../../../src/engine/cpu/fault.ts';
import { VEC } from '../../../src/engine/arch/x86.ts';
import { RAX, RBX, RCX, RDX, RSI, RDI } from '../../../src/engine/asm/ir.ts';
import { pteAddr } from '../../../src/engine/kernel/pgtable.ts';
import { DEFAULT_COSTS } from '../../../src/engine/cost.ts';
import type { Machine } from '../../../src/engine/machine.ts';

describe('check-free blocks: imul, shifts and read-modify-writes of memory', () => {
  /** The TLB as a block could get it wrong: every slot's LRU stamp, the hit and miss counts, and
   *  the machine's memo of the last page read and written. */
  const tlb = (m: Machine) => ({ lru: [...m.mmu.tlb4k.lru], stats: { ...m.mmu.stats }, memo: [m.rVpn, m.rBase, m.wVpn, m.wBase] });
  /** The player benchmark's memory loop: imul, shr (both dead), and, add [mem], 1 over 16 pages. */
  const PLAYER = `run:\n  imul rbx, rbx, 1103515245\n  add rbx, 12345\n  mov rax, rbx\n  shr rax, 16\n  and rax, 0xfff8\n  add qword ptr [rsi + rax], 1\n  dec rcx\n  jne run\n  hlt\n.data\n.align 4096\nbuf: .zero 65536\n`;
  const bufSum = (b: Bare) => { let s = 0n; for (let va = b.sym('buf'); va < b.sym('buf') + 65536; va += 8) s += b.read(va); return s; };

  it('hold the player loop whole: imul and shr dead, and live before the read-modify-write, its cycles', () => {
    const b = bare(PLAYER);
    b.op('run');
    const blk = buildBlock(b.m.fCode!, b.m.cpu.rip - b.m.fPage, DEFAULT_COSTS)!;
    expect(blk.n).toBe(8);
    expect(blk.ops.map((_, k) => flagsDead(blk, k))).toEqual([true, true, false, true, false, false, false, false]);
    expect(blk.cost).toBe(8 * DEFAULT_COSTS.instr + DEFAULT_COSTS.imul + 2 * DEFAULT_COSTS.dataAccess);
    // A flag written just before a read-modify-write is live (its fault pushes RFLAGS), however the RMW sets them all.
    const c = bare(`run:\n  add rax, rbx\n  add qword ptr [rsi], 1\n  sub rax, 1\n  sub rax, 1\n  jmp run\n`);
    c.op('run');
    const k = buildBlock(c.m.fCode!, c.m.cpu.rip - c.m.fPage, DEFAULT_COSTS)!;
    expect(k.ops.map((_, i) => flagsDead(k, i))).toEqual([false, false, true, false, false]);
    // A shift whose count masks to 0 changes nothing, so it kills no flag: the add's stay live.
    const z = bare(`run:\n  add rax, rbx\n  shl rax, 64\n  jc run\n  hlt\n`);
    z.op('run');
    const s = buildBlock(z.m.fCode!, z.m.cpu.rip - z.m.fPage, DEFAULT_COSTS)!;
    expect(s.n).toBe(3);
    expect(s.ops.map((_, i) => flagsDead(s, i))).toEqual([false, false, false]);
  });

  it('the player loop: a budget ending anywhere, the same registers, memory, TLB LRU and counts as single steps', () => {
    for (const n of [1, 3, 5, 6, 7, 8, 13, 400, 4003]) {
      const { blocks, steps } = pair(PLAYER, { [RBX]: 12345n, [RCX]: 100_000n }, (b) => b.c.setNum(RSI, b.sym('buf')));
      for (const b of [blocks, steps]) { b.c.setNum(RSI, b.sym('buf')); b.m.mmu.flushAll(); b.m.refresh(); }
      expect(run(blocks.m, n)).toBeNull();
      expect(run(steps.m, n, true)).toBeNull();
      expect(state(blocks.m), `budget ${n}`).toEqual(state(steps.m));
      expect(tlb(blocks.m), `budget ${n}`).toEqual(tlb(steps.m));
      expect(bufSum(blocks)).toBe(bufSum(steps));
    }
    const { blocks } = pair(PLAYER, { [RBX]: 12345n, [RCX]: 1000n }, (b) => b.c.setNum(RSI, b.sym('buf')));
    blocks.c.setNum(RSI, blocks.sym('buf'));
    run(blocks.m, 100_000);
    expect(blocksBuilt(blocks.m)).toBeGreaterThan(0);
    expect(bufSum(blocks)).toBe(1000n); // one increment per iteration
  });

  /** Loads, stores and RMWs that alternate between page 0 and another (memos moved in every direction). */
  const MIXED = `run:\n  mov rdx, [rsi]\n  mov [rsi + rax], rdx\n  mov rdx, [rsi]\n  add qword ptr [rsi + rax + 8], 1\n  mov rdx, [rsi + 16]\n  mov [rsi + 24], rdx\n  sub qword ptr [rsi + rax + 32], rdx\n  mov [rsi + 40], rdx\n  add rax, 4096\n  and rax, 0xf000\n  jmp run\n.data\n.align 4096\nbuf: .zero 65536\n`;
  for (const [name, src] of [['the player loop', PLAYER], ['loads, stores and RMWs across pages', MIXED]]) it(`${name} with TLB flushes between chunks: every flush felt, the same walks and LRU`, () => {
    const { blocks, steps } = pair(src, { [RBX]: 777n, [RCX]: 1_000_000n, [RAX]: 0n }, (b) => b.c.setNum(RSI, b.sym('buf')));
    for (const b of [blocks, steps]) b.c.setNum(RSI, b.sym('buf'));
    let x = 99;
    for (let i = 0; i < 60; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const n = 1 + ((x >>> 8) % 700);
      for (const b of [blocks, steps]) {
        if (i % 5 === 4) { b.m.mmu.flushAll(); b.m.refresh(); } // a flush between chunks: no memo may survive it
        if (i % 7 === 6) b.m.mmu.invlpg(b.m.vmx.vpid, 0, b.sym('buf') + 4096 * (i % 16));
      }
      expect(run(blocks.m, n)).toBeNull();
      expect(run(steps.m, n, true)).toBeNull();
      expect(state(blocks.m), `chunk ${i}`).toEqual(state(steps.m));
      expect(tlb(blocks.m), `chunk ${i}`).toEqual(tlb(steps.m));
    }
    expect(bufSum(blocks)).toBe(bufSum(steps));
    expect(blocks.m.mmu.stats.walks).toBeGreaterThan(100);
    expect(blocksBuilt(blocks.m)).toBeGreaterThan(0);
  });

  it('the player loop: a timer tick inside a block\'s span is taken before the same instruction', () => {
    for (const at of [0.5, 3.5, 5.5, 6, 8.5, 21.5, 300.5]) {
      const { blocks, steps } = pair(PLAYER, { [RBX]: 5n, [RCX]: 1000n }, (b) => b.c.setNum(RSI, b.sym('buf')));
      for (const b of [blocks, steps]) { b.c.setNum(RSI, b.sym('buf')); b.m.timerAt = b.m.cycles + at * COSTS.instr; }
      run(blocks.m, 10_000); run(steps.m, 10_000, true);
      expect(blocks.g.exits.map((e) => [e.name, e.rip]), `tick at ${at}`).toEqual(steps.g.exits.map((e) => [e.name, e.rip]));
      expect(blocks.g.exits[0]?.name).toBe('EXTERNAL_INTERRUPT');
      expect(state(blocks.m), `tick at ${at}`).toEqual(state(steps.m));
      expect(tlb(blocks.m), `tick at ${at}`).toEqual(tlb(steps.m));
      expect(bufSum(blocks)).toBe(bufSum(steps));
    }
  });

  it('an RMW to a page the TLB holds clean sets its D bit through a walk (the memo takes no write it cannot)', () => {
    const src = `run:\n  mov rdx, [rsi + rax]\n  add qword ptr [rsi + rax], 3\n  add rax, 4096\n  and rax, 0xf000\n  jmp run\n.data\n.align 4096\nbuf: .zero 65536\n`;
    const { blocks, steps } = pair(src, { [RAX]: 0n }, (b) => b.c.setNum(RSI, b.sym('buf')));
    for (const b of [blocks, steps]) b.c.setNum(RSI, b.sym('buf'));
    for (const b of [blocks, steps]) for (let p = 0; p < 16; p++) { const pa = pteAddr(b.m.mem, b.g.gcr3, b.sym('buf') + 4096 * p, false)!; b.m.mem.write32(pa, b.m.mem.read32(pa) & ~0x40); }
    for (const b of [blocks, steps]) { b.m.mmu.flushAll(); b.m.refresh(); }
    run(blocks.m, 16 * 5 * 3); run(steps.m, 16 * 5 * 3, true);
    expect(state(blocks.m)).toEqual(state(steps.m));
    expect(tlb(blocks.m)).toEqual(tlb(steps.m));
    const dirty = (b: Bare) => Array.from({ length: 16 }, (_, p) => (b.m.mem.read32(pteAddr(b.m.mem, b.g.gcr3, b.sym('buf') + 4096 * p, false)!) >> 6) & 1);
    expect(dirty(blocks)).toEqual(new Array(16).fill(1));
    expect(bufSum(blocks)).toBe(3n * 48n);
  });

  for (const [name, ro] of [['not present (the write check faults first: W)', false], ['read-only (the read would pass, the write may not)', true]] as const) {
    it(`a #PF on an RMW, ${name}: RIP, instret, the flags before it exact, memory unchanged`, () => {
      const src = `run:\n  add rax, rbx\n  mov [rdi], rax\n  add qword ptr [rsi], 1\n  sub rax, 1\n  sub rcx, 1\n  jne run\n.data\nbuf: .zero 64\n`;
      let fn = -1;
      const prep = (b: Bare) => { if (ro) { fn = b.map(0x50000000, false); b.m.mem.write32(fn * 4096, 41); } b.m.mmu.flushAll(); b.m.refresh(); };
      const { blocks, steps } = pair(src, { [RAX]: 5n, [RBX]: 7n, [RCX]: 3n, [RSI]: 0x50000000n }, prep);
      for (const b of [blocks, steps]) b.c.setNum(RDI, b.sym('buf'));
      const i0 = blocks.m.instret;
      const e = run(blocks.m, 1000), f = run(steps.m, 1000, true);
      expect((e as CpuFault).vector).toBe(VEC.PF);
      expect([(e as CpuFault).error, (e as CpuFault).cr2]).toEqual([(f as CpuFault).error, (f as CpuFault).cr2]);
      expect((e as CpuFault).error! & 3).toBe(ro ? 3 : 2); // W, and P for the read-only page
      expect(state(blocks.m)).toEqual(state(steps.m));
      expect(blocks.c.rip).toBe(blocks.sym('run') + 6);
      expect(blocks.m.instret - i0).toBe(2);
      // add 5 + 7 = 12 (the store between changes no flag): its flags, not the RMW's.
      expect(blocks.c.rflags() & 0x8d5).toBe(0x4);
      expect(blocks.read(blocks.sym('buf'))).toBe(12n);
      if (ro) expect(blocks.m.mem.read32(fn * 4096)).toBe(41);
    });
  }

  it('cmp and test on a read-only page only read (no #PF), and a not-present one faults as a read', () => {
    const src = `run:\n  cmp qword ptr [rsi], 41\n  sete al\n  test qword ptr [rsi + 8], rbx\n  hlt\n`;
    const one = (ro: boolean) => {
      const { blocks, steps } = pair(src, { [RBX]: 1n, [RSI]: 0x50000000n }, (b) => { if (ro) { const fn = b.map(0x50000000, false); b.m.mem.write32(fn * 4096, 41); } b.m.mmu.flushAll(); b.m.refresh(); });
      const e = run(blocks.m, 3), f = run(steps.m, 3, true);
      expect(state(blocks.m)).toEqual(state(steps.m));
      return [e, f];
    };
    expect(one(true)).toEqual([null, null]);
    const [e] = one(false);
    expect([(e as CpuFault).vector, (e as CpuFault).error! & 3]).toEqual([VEC.PF, 0]);
  });

  it('an RMW into its own code page ends the block: the op after it is fetched again (#UD)', () => {
    const src = `run:\n  add rax, rbx\n  add qword ptr [rsi], 1\n  add rax, rbx\n  add rax, rbx\n  jmp run\nafter:\n  nop\n`;
    const { blocks, steps } = pair(src, { [RAX]: 5n, [RBX]: 7n }, writableText);
    for (const b of [blocks, steps]) b.c.setNum(RSI, b.sym('after'));
    const g0 = blocks.m.mem.codeGen;
    const e = run(blocks.m, 1000), f = run(steps.m, 1000, true);
    expect((e as CpuFault).vector).toBe(VEC.UD);
    expect((f as CpuFault).vector).toBe(VEC.UD);
    expect(blocks.m.mem.codeGen).toBe(g0 + 1);
    expect(state(blocks.m)).toEqual(state(steps.m));
    expect(blocks.c.rip).toBe(blocks.sym('run') + 3 + 4);
  });

  it('scaled indexes, displacements and a base that carries past 4 GiB: the same addresses as the machine\'s', () => {
    const src = `run:\n  mov rax, [rsi + rdx*8 + 8]\n  add qword ptr [rsi + rdx*4 + 24], rax\n  mov [rsi + rdx*2 + 512], rax\n  xor qword ptr [rsi + rdx + 1024], rdx\n  add rdx, 3\n  and rdx, 63\n  jmp run\n`;
    const pages: number[] = [];
    const prep = (b: Bare) => { pages.length = 0; for (const va of [0xfffff000, 0x100000000]) { const fn = b.map(va); pages.push(fn); for (let o = 0; o < 4096; o += 4) b.m.mem.write32(fn * 4096 + o, (o * 2654435761) >>> 0); } b.m.mmu.flushAll(); b.m.refresh(); };
    for (const base of [0xfffff000n, 0xfffffff8n, 0x100000000n]) {
      const { blocks, steps } = pair(src, { [RSI]: base, [RDX]: 0n }, prep);
      const words = (b: Bare) => Array.from({ length: 2048 }, (_, i) => b.m.mem.read32((i < 1024 ? pages[0] : pages[1]) * 4096 + 4 * (i % 1024)));
      for (const n of [7, 40, 300]) {
        const e = run(blocks.m, n), f = run(steps.m, n, true);
        expect(fault(e), `base ${base}, ${n}`).toEqual(fault(f));
        expect(state(blocks.m), `base ${base}, ${n}`).toEqual(state(steps.m));
        expect(words(blocks)).toEqual(words(steps));
      }
    }
  });

  it('imul and shifts by every count class, their flags read by the next op: the same as single steps', () => {
    const lines: string[] = [];
    const regs = ['rax', 'rbx', 'rdx', 'rsi'];
    for (const n of [0, 1, 2, 31, 32, 33, 63, 64, 65]) for (const op of ['shl', 'shr', 'sar']) lines.push(`  ${op} ${regs[n % 4]}, ${n}`, '  adc rdi, 0', '  jo run');
    for (const s of ['rbx', 'rdx']) lines.push(`  imul rax, ${s}`, '  adc rdi, 0', `  imul rdx, ${s}, -3`, '  seto cl', '  add rdi, rcx', '  jz run');
    const src = `run:\n${lines.join('\n')}\n  jmp run\n`;
    for (const seed of [1n, 0x8000000000000001n, 0xffffffffffffffffn, 0x123456789abcdefn]) {
      const regsIn = { [RAX]: seed, [RBX]: seed * 3n & (2n ** 64n - 1n), [RDX]: ~seed & (2n ** 64n - 1n), [RSI]: 0x7fffffffn };
      const { blocks, steps } = pair(src, regsIn);
      for (const n of [5, 17, 60, 500]) {
        run(blocks.m, n); run(steps.m, n, true);
        expect(state(blocks.m), `seed ${seed}, after ${n}`).toEqual(state(steps.m));
      }
    }
  });
});
