// The check-free blocks (src/engine/cpu/block.ts) against the interpreter op by op: a block must
// leave every architectural effect, count and cycle exactly where runBatch's single steps do,
// whatever stops it (the budget, a timer tick inside its span, a fault or a VM exit in mid-block,
// a store into its own code page), and a flag it did not compute must never be seen.

import { describe, it, expect } from 'vitest';
import { bare, COSTS, type Bare } from './bare.ts';
import { generate } from './diffgen.ts';
import { runLinux, asm } from '../harness.ts';
import { Session } from '../../../src/engine/session.ts';
import { ArraySink, type TraceEvent, type EventType } from '../../../src/engine/trace/events.ts';
import { hotBlocks } from './util.ts';
import { runBatch } from '../../../src/engine/cpu/exec.ts';
import { buildBlock, flagsDead, MAX_OPS, HOT } from '../../../src/engine/cpu/block.ts';
import { CpuFault, VmExit } from '../../../src/engine/cpu/fault.ts';
import { VEC } from '../../../src/engine/arch/x86.ts';
import { RAX, RBX, RCX, RDX, RSI, RDI } from '../../../src/engine/asm/ir.ts';
import { mapPage, pteAddr } from '../../../src/engine/kernel/pgtable.ts';
import { DEFAULT_COSTS } from '../../../src/engine/cost.ts';
import type { Machine } from '../../../src/engine/machine.ts';
import type { Op } from '../../../src/engine/cpu/decode.ts';
import type { Knobs } from '../../../src/engine/mmu/mmu.ts';

/** Everything a block could get wrong: registers, RIP, RFLAGS, the counts and the generations
 *  (mmu.gen only with the TLB on: off, each read of it is a new value), the walks. */
function state(m: Machine) {
  const c = m.cpu;
  return { lo: [...c.lo], hi: [...c.hi], rip: c.rip, rflags: c.rflags(), instret: m.instret, cycles: m.cycles,
    gen: m.knobs.tlb ? m.mmu.gen : 0, codeGen: m.mem.codeGen, status: m.status, pending: m.pendingIntr, walks: m.mmu.stats.walks };
}

/** Two identical bare machines: `blocks` untraced (so runBatch takes its blocks), `steps` for
 *  single steps (never a block). Registers and flags preset alike. */
function pair(src: string, regs: Record<number, bigint>, prep?: (b: Bare) => void) {
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
function run(m: Machine, n: number, single = false): unknown {
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
function blocksBuilt(m: Machine): number {
  let n = 0;
  for (const f of m.mem.frames) for (const op of f?.code ?? []) if (op?.blk && op.blk.n > 1) n++;
  return n;
}

const ALTERNATING = `run:\n${'  add rax, rbx\n  xor rcx, rdx\n'.repeat(10)}  jmp run\n`;

describe('check-free blocks: built from the fetch page', () => {
  it('hold the run of block forms up to and including the branch, with the flags of all but the last writer dead', () => {
    const b = bare(`run:\n  add rax, rbx\n  xor rax, 0x55\n  sub rcx, 1\n  jne run\n  hlt\n`);
    const op = b.op('run');
    const blk = buildBlock(b.m.fCode!, b.m.cpu.rip - b.m.fPage, DEFAULT_COSTS)!;
    expect(blk.ops.map((o: Op) => o.text)).toEqual(['add rax, rbx', 'xor rax, 0x55', 'sub rcx, 1', 'jne run']);
    expect(blk.ops[0]).toBe(op);
    // add and xor: overwritten by the next op before anything reads them; sub: read by jne (and live after).
    expect(blk.ops.map((_, k) => flagsDead(blk, k))).toEqual([true, true, false, false]);
    expect(blk.cost).toBe(4 * DEFAULT_COSTS.instr);
    expect([...blk.at]).toEqual([0, 3, 7, 11, 13]);
  });

  it('keep a flag live across an op that leaves it (inc keeps CF for adc) and at every memory op', () => {
    const b = bare(`run:\n  add rax, rbx\n  inc rcx\n  adc rdx, rsi\n  add rax, rbx\n  mov rdx, [rsi]\n  sub rax, 1\n  sub rax, 1\n  jne run\n`);
    b.op('run');
    const blk = buildBlock(b.m.fCode!, b.m.cpu.rip - b.m.fPage, DEFAULT_COSTS)!;
    const dead = blk.ops.map((_, k) => flagsDead(blk, k));
    // add: CF read by adc through inc; inc: all it writes overwritten by adc; add before the load: live (a fault
    // pushes RFLAGS); the first sub: overwritten by the second.
    expect(dead).toEqual([false, true, false, false, false, true, false, false]);
    expect(blk.cost).toBe(8 * DEFAULT_COSTS.instr + DEFAULT_COSTS.dataAccess);
  });

  it('stop before an op they cannot hold, and at MAX_OPS', () => {
    const b = bare(`run:\n  add rax, rbx\n  cpuid\n  hlt\n`);
    b.op('run');
    expect(buildBlock(b.m.fCode!, b.m.cpu.rip - b.m.fPage, DEFAULT_COSTS)!.n).toBe(1);
    const long = bare(`run:\n${'  add rax, rbx\n'.repeat(MAX_OPS + 5)}  hlt\n`);
    long.op('run');
    expect(buildBlock(long.m.fCode!, long.m.cpu.rip - long.m.fPage, DEFAULT_COSTS)!.n).toBe(MAX_OPS);
    const none = bare(`run:\n  cpuid\n  hlt\n`);
    none.op('run');
    expect(buildBlock(none.m.fCode!, none.m.cpu.rip - none.m.fPage, DEFAULT_COSTS)).toBeNull();
  });
});

describe('check-free blocks: the same machine as op by op', () => {
  it('a budget that ends mid-block stops at exactly that instruction, its flags (dead in the block) computed', () => {
    const { blocks, steps } = pair(ALTERNATING, { [RAX]: 0xfffffffffffffff0n, [RBX]: 0x10n, [RCX]: 0x80n, [RDX]: 0x80n });
    expect(run(blocks.m, 7)).toBeNull();
    expect(run(steps.m, 7, true)).toBeNull();
    expect(blocks.m.instret - steps.m.instret).toBe(0);
    expect(state(blocks.m)).toEqual(state(steps.m));
    expect(blocks.c.rip).toBe(blocks.sym('run') + 3 * 7); // after four adds and three xors (3 bytes each)
    // The 7th op, add (0x20 + 0x10), whose flags the next xor overwrites: ZF clear; the 6th, xor
    // (0x80 ^ 0x80), set it.
    expect(blocks.c.zf).toBe(0);
    // On from there: whole blocks (from the 8th op), then chained ones.
    expect(run(blocks.m, 1000)).toBeNull();
    expect(run(steps.m, 1000, true)).toBeNull();
    expect(state(blocks.m)).toEqual(state(steps.m));
    expect(blocksBuilt(blocks.m)).toBeGreaterThan(0);
  });

  it('a timer tick inside a block\'s span is taken before the same instruction', () => {
    for (const at of [0.5, 5.5, 17, 20.5, 41.5]) {
      const { blocks, steps } = pair(ALTERNATING, { [RAX]: 1n, [RBX]: 2n });
      const i0 = steps.m.instret;
      for (const b of [blocks, steps]) b.m.timerAt = b.m.cycles + at * COSTS.instr;
      run(blocks.m, 1000); run(steps.m, 1000, true);
      // The guest's external interrupt exits (PIN external-interrupt exiting); the harness stops there.
      expect(blocks.g.exits.map((e) => [e.name, e.rip]), `tick at ${at}`).toEqual(steps.g.exits.map((e) => [e.name, e.rip]));
      expect(blocks.g.exits[0]?.name).toBe('EXTERNAL_INTERRUPT');
      expect(state(blocks.m), `tick at ${at}`).toEqual(state(steps.m));
      expect(steps.m.instret - i0).toBe(Math.ceil(at)); // the tick is due before that op: cycles >= timerAt
    }
  });

  it('a page walk in mid-block that brings the timer due ends the block there: the tick comes before the next op', () => {
    const src = `run:\n  add rax, rbx\n  mov rdx, [rsi]\n  add rax, rbx\n  add rax, rbx\n  add rax, rbx\n  jmp run\n.data\nbuf: .zero 64\n`;
    const prep = (b: Bare) => { b.m.costs = { ...COSTS, tlbMiss: 1000 }; b.m.mmu.flushAll(); b.m.refresh(); };
    const { blocks, steps } = pair(src, { [RAX]: 1n, [RBX]: 2n }, prep);
    // The code page's walk taken first (the fetch), the data page's (1000 cycles) in the block.
    for (const b of [blocks, steps]) { b.c.setNum(RSI, b.sym('buf')); b.op('run'); b.m.timerAt = b.m.cycles + 500; }
    run(blocks.m, 1000); run(steps.m, 1000, true);
    expect(steps.g.exits.map((e) => [e.name, e.rip])).toEqual([['EXTERNAL_INTERRUPT', steps.sym('run') + 6]]);
    expect(blocks.g.exits.map((e) => [e.name, e.rip])).toEqual(steps.g.exits.map((e) => [e.name, e.rip]));
    expect(state(blocks.m)).toEqual(state(steps.m));
  });

  it('a fault in mid-block: RIP, instret, cycles and the flags of the op before it (dead but for the fault) exact', () => {
    const src = `run:\n  add rax, rbx\n  mov rdx, [rsi]\n  sub rax, 1\n  sub rcx, 1\n  jne run\n`;
    const { blocks, steps } = pair(src, { [RAX]: 5n, [RBX]: 7n, [RCX]: 3n, [RSI]: 0x50000000n });
    const i0 = blocks.m.instret;
    const e = run(blocks.m, 1000), f = run(steps.m, 1000, true);
    expect(e).toBeInstanceOf(CpuFault);
    expect((e as CpuFault).vector).toBe(VEC.PF);
    expect((f as CpuFault).vector).toBe(VEC.PF);
    expect(state(blocks.m)).toEqual(state(steps.m));
    expect(blocks.c.rip).toBe(blocks.sym('run') + 3);
    expect(blocks.m.instret - i0).toBe(1);
    // add 5 + 7 = 12: no carry, no carry out of bit 3, not zero, positive, PF of 0x0c (two bits: even).
    expect(blocks.c.rflags() & 0x8d5).toBe(0x4);
  });

  it('a fault after a chain of blocks: the counts carried across blocks are the machine\'s when it faults', () => {
    const src = `run:\n  add rax, rbx\n  sub rcx, 1\n  jne run\n  add rax, 1\n  mov rdx, [rsi]\n  hlt\n`;
    const { blocks, steps } = pair(src, { [RAX]: 5n, [RBX]: 7n, [RCX]: 50n, [RSI]: 0x50000000n });
    const e = run(blocks.m, 10_000), f = run(steps.m, 10_000, true);
    expect((e as CpuFault).vector).toBe(VEC.PF);
    expect((f as CpuFault).vector).toBe(VEC.PF);
    expect(state(blocks.m)).toEqual(state(steps.m));
    expect(blocks.m.instret).toBe(steps.m.instret);
  });

  it('an EPT violation in mid-block exits with the guest state exact', () => {
    const src = `run:\n  add rax, rbx\n  xor rcx, rcx\n  mov [rsi], rax\n  add rax, rbx\n  sub rax, 1\n  jne run\n`;
    // A guest page whose frame (and new page tables) the EPT does not map.
    const prep = (b: Bare) => { mapPage(b.m.mem, b.g.gcr3, 0x40000000, b.m.mem.alloc(), { w: true, u: true, x: false }); b.m.mmu.flushAll(); };
    const { blocks, steps } = pair(src, { [RAX]: 5n, [RBX]: 7n, [RSI]: 0x40000008n }, prep);
    const e = run(blocks.m, 1000), f = run(steps.m, 1000, true);
    expect(e).toBeInstanceOf(VmExit);
    expect(f).toBeInstanceOf(VmExit);
    expect(state(blocks.m)).toEqual(state(steps.m));
    expect(blocks.c.rip).toBe(blocks.sym('run') + 6);
    // xor rcx, rcx: its flags (CF cleared from the preset 1, ZF set), which the add after the store would overwrite.
    expect([blocks.c.cf, blocks.c.zf]).toEqual([0, 1]);
  });

  it('a store into its own code page ends the block: the next op is fetched again (and is gone: #UD)', () => {
    const src = `run:\n  add rax, rbx\n  mov [rsi], rax\n  add rax, rbx\n  add rax, rbx\n  jmp run\nafter:\n  nop\n`;
    // The text page made writable (its PTE's R/W), so the store lands in the decoded page.
    const prep = (b: Bare) => {
      const pa = pteAddr(b.m.mem, b.g.gcr3, b.sym('run'), false)!;
      b.m.mem.write32(pa, b.m.mem.read32(pa) | 2);
      b.m.mmu.flushAll(); b.m.refresh();
    };
    const { blocks, steps } = pair(src, { [RAX]: 5n, [RBX]: 7n }, prep);
    for (const b of [blocks, steps]) b.c.setNum(RSI, b.sym('after'));
    const g0 = blocks.m.mem.codeGen;
    const e = run(blocks.m, 1000), f = run(steps.m, 1000, true);
    expect((e as CpuFault).vector).toBe(VEC.UD);
    expect((f as CpuFault).vector).toBe(VEC.UD);
    expect(blocks.m.mem.codeGen).toBe(g0 + 1);
    expect(state(blocks.m)).toEqual(state(steps.m));
    expect(blocks.c.rip).toBe(blocks.sym('run') + 3 + 3); // the add after the store
    expect(blocks.c.lo[RAX]).toBe(12);
  });
});

describe('check-free blocks: Linux processes against single steps', () => {
  /** Loops of block forms with loads and stores, a call and a flag-reading tail (pushfq, setcc). */
  function loops(seed: number): string {
    let x = seed;
    const rnd = (n: number) => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return (x >>> 8) % n; };
    const R = ['rax', 'rbx', 'rdx', 'rsi', 'rdi', 'r8', 'r9', 'r10'];
    const body: string[] = [];
    for (let i = 0; i < 6 + rnd(20); i++) {
      const r = R[rnd(R.length)], s = R[rnd(R.length)];
      body.push([`add ${r}, ${s}`, `sub ${r}, ${rnd(99)}`, `xor ${r}, ${s}`, `and ${r}, ${s}`, `or ${r}, 0x${rnd(4096).toString(16)}`, `cmp ${r}, ${s}`,
        `test ${r}, ${s}`, `inc ${r}`, `dec ${r}`, `shl ${r}, ${rnd(65)}`, `sar ${r}, ${rnd(65)}`, `shr ${r}, ${rnd(3)}`, `imul ${r}, ${s}`,
        `imul ${r}, ${s}, ${rnd(1000)}`, `mov ${r}, ${s}`, `mov ${r}, ${rnd(1 << 30)}`, `lea ${r}, [${s} + ${r}*4 + 8]`,
        `mov ${r}, [r15 + ${8 * rnd(64)}]`, `mov [r15 + ${8 * rnd(64)}], ${r}`, `adc ${r}, ${s}`, `push ${r}`, `pop ${s}`,
        `add ${r.replace('r', 'e').replace(/^e(\d+)$/, 'r$1d')}, 7`, `neg ${r}`, `call leaf`,
        `${['add', 'sub', 'xor', 'adc', 'cmp'][rnd(5)]} qword ptr [r15 + ${8 * rnd(64)}], ${rnd(2) ? s : rnd(999)}`, `and dword ptr [r15 + ${4 * rnd(128)}], ${r.replace('r', 'e').replace(/^e(\d+)$/, 'r$1d')}`][rnd(27)]);
    }
    return `.data\nbuf: .zero 4096\n.text\n_start:\n  lea r15, [buf]\n  mov rcx, ${200 + rnd(300)}\ntop:\n${body.map((l) => '  ' + l).join('\n')}
  pushfq\n  pop r11\n  mov [r15 + 520], r11\n  setc byte ptr [r15 + 528]\n  sub rcx, 1\n  jne top\n  mov rdi, 0\n  mov rax, SYS_exit\n  syscall
leaf:\n  add rax, 3\n  ret\n`;
  }

  function compareRuns(src: string, seed: number, timer: boolean, knobs: Partial<Knobs> = {}, hot = true) {
    const mk = () => { const r = runLinux(src, { budget: 0, knobs }); r.m.attach(null); if (hot) hotBlocks(r.m); return r; };
    const a = mk(), b = mk();
    const ticks: number[][] = [[], []];
    [a.m, b.m].forEach((m, i) => {
      if (timer) { m.timerPeriod = 6_007; m.timerAt = m.cycles + 1_001; }
      const tick = m.tick.bind(m);
      m.tick = () => { ticks[i].push(m.instret, m.cycles); tick(); };
    });
    let x = seed;
    for (let i = 0; a.m.status === null; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      a.m.run(1 + ((x >>> 8) % 300));
      while (b.m.instret < a.m.instret && b.m.status === null) b.m.step(Infinity, true);
      // (Equal counts but another RIP or status: one machine has also run a native routine, which retires nothing.)
      if (b.m.instret === a.m.instret && b.m.cpu.rip === a.m.cpu.rip && a.m.status === null && b.m.status === null) expect(state(a.m), `after ${a.m.instret} instructions`).toEqual(state(b.m));
      if (i > 200_000) throw new Error('did not exit');
    }
    while (b.m.status === null) b.m.step(Infinity, true);
    expect(state(a.m)).toEqual(state(b.m));
    expect(a.s.stdout()).toBe(b.s.stdout());
    expect(ticks[0]).toEqual(ticks[1]);
    if (knobs.tlb !== false) expect(blocksBuilt(a.m)).toBeGreaterThan(0);
    return ticks[0].length / 2;
  }

  it('random loops, chunks ending anywhere, timer ticks inside blocks: the same state after every chunk', () => {
    let ticks = 0;
    for (let s = 1; s <= 12; s++) ticks += compareRuns(loops(s * 7919), s, true);
    expect(ticks).toBeGreaterThan(20);
  });

  it('the differential test\'s straight-run sequences: the same state after every chunk', () => {
    for (let s = 0; s < 3; s++) compareRuns(generate(0xb10c + 17 * s, 40, 40, true).source, s + 1, s === 1);
  });

  it('with the TLB off (every fetch walks: mmu.gen moves at each read) no block runs', () => {
    for (let s = 1; s <= 3; s++) compareRuns(loops(s * 104729), s, true, { tlb: false });
    const r = runLinux(loops(3), { budget: 0, knobs: { tlb: false } });
    r.m.attach(null);
    r.m.run(50_000);
    expect(blocksBuilt(r.m)).toBe(0);
  });

  it('an op gets its block at its HOT-th fetch: the first runs go op by op, then blocks (the same machine)', () => {
    compareRuns(loops(5), 5, true, {}, false);
    const r = runLinux(`_start:\n  mov rcx, ${HOT - 1}\ntop:\n  add rax, 1\n  sub rcx, 1\n  jne top\n  hlt\n`, { budget: 0 });
    r.m.attach(null);
    r.m.run(3 * HOT);
    expect(blocksBuilt(r.m)).toBe(0); // the loop's head fetched HOT - 1 times
  });

  it('the benchmark\'s ALU and memory loops', () => {
    compareRuns(`_start:\n  mov rcx, 5000\n  xor rax, rax\n  mov rbx, 3\ntop:\n  add rax, rbx\n  xor rax, 0x55\n  sub rcx, 1\n  jne top\n  mov rdi, 0\n  mov rax, SYS_exit\n  syscall\n`, 9, true);
    compareRuns(`.data\nbuf: .zero 4096\n.text\n_start:\n  mov rcx, 5000\n  lea rsi, [buf]\ntop:\n  mov rdx, [rsi + 8]\n  add rdx, rcx\n  mov [rsi + 16], rdx\n  sub rcx, 1\n  jne top\n  mov rdi, 0\n  mov rax, SYS_exit\n  syscall\n`, 10, true);
  });
});

describe('blocks under a sink that only counts instructions (the recorder, replays)', () => {
  // A loop that walks a new page every 64 iterations (TLB misses mid-block: walk, tlb and ad
  // events inside a block's span), with a system call per page: every event a counting sink
  // builds must have the seq, cycles and content the fully traced run gives it.
  const SRC = `
.data
buf: .zero 65536
.text
_start:
    lea rsi, [buf]
    mov rbx, 1024
top:
    mov rdx, [rsi]
    add rdx, rbx
    mov [rsi + 8], rdx
    add rsi, 64
    sub rbx, 1
    jne top
    mov rdi, 0
    mov rax, SYS_exit
    syscall
`;
  const KINDS: ReadonlySet<EventType> = new Set(['walk', 'tlb', 'ad', 'syscall', 'exit'] as EventType[]);
  it('gives every built event the seq and cycles of the fully traced run', () => {
    const counted: TraceEvent[] = [];
    const a = new Session(asm(SRC), { sink: { kinds: KINDS, event: (e: TraceEvent) => { counted.push(e); } } });
    expect(a.machine.instrUnbuilt).toBe(true);
    a.run(1_000_000);
    const full = new ArraySink();
    const b = new Session(asm(SRC), { sink: full });
    expect(b.machine.instrUnbuilt).toBe(false);
    b.run(1_000_000);
    const ref = full.events.filter((e) => KINDS.has(e.type));
    expect(counted.length).toBeGreaterThan(16 * 3); // a walk, a fill and A/D writes per page at least
    expect(counted).toEqual(ref);
    expect([a.machine.seq, a.machine.instret, a.machine.cycles]).toEqual([b.machine.seq, b.machine.instret, b.machine.cycles]);
    // The counting run took blocks (its ops got them); the traced one never does.
    const built = (m: Machine) => m.mem.frames.reduce((n, f) => n + (f?.code ?? []).filter((op) => op?.blk).length, 0);
    expect(built(a.machine)).toBeGreaterThan(0);
    expect(built(b.machine)).toBe(0);
  });
});

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
    const prep = (b: Bare) => {
      const pa = pteAddr(b.m.mem, b.g.gcr3, b.sym('run'), false)!;
      b.m.mem.write32(pa, b.m.mem.read32(pa) | 2);
      b.m.mmu.flushAll(); b.m.refresh();
    };
    const { blocks, steps } = pair(src, { [RAX]: 5n, [RBX]: 7n }, prep);
    for (const b of [blocks, steps]) b.c.setNum(RSI, b.sym('after'));
    const g0 = blocks.m.mem.codeGen;
    const e = run(blocks.m, 1000), f = run(steps.m, 1000, true);
    expect((e as CpuFault).vector).toBe(VEC.UD);
    expect((f as CpuFault).vector).toBe(VEC.UD);
    expect(blocks.m.mem.codeGen).toBe(g0 + 1);
    expect(state(blocks.m)).toEqual(state(steps.m));
    expect(blocks.c.rip).toBe(blocks.sym('run') + 3 + 4);
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
