// The check-free blocks (src/engine/cpu/block.ts) against the interpreter op by op: a block must
// leave every architectural effect, count and cycle exactly where runBatch's single steps do,
// whatever stops it (the budget, a timer tick inside its span, a fault or a VM exit in mid-block,
// a store into its own code page), and a flag it did not compute must never be seen.

import { describe, it, expect } from 'vitest';
import { bare, COSTS, type Bare } from './bare.ts';
import { state, pair, run, blocksBuilt, writableText } from './blockpair.ts';
import { generate } from './diffgen.ts';
import { runLinux, asm } from '../harness.ts';
import { Session } from '../../../src/engine/session.ts';
import { ArraySink, type TraceEvent, type EventType } from '../../../src/engine/trace/events.ts';
import { hotBlocks } from './util.ts';
import { buildBlock, flagsDead, MAX_OPS, HOT } from '../../../src/engine/cpu/block.ts';
import { CpuFault, VmExit } from '../../../src/engine/cpu/fault.ts';
import { VEC } from '../../../src/engine/arch/x86.ts';
import { RAX, RBX, RCX, RDX, RSI } from '../../../src/engine/asm/ir.ts';
import { mapPage } from '../../../src/engine/kernel/pgtable.ts';
import { DEFAULT_COSTS } from '../../../src/engine/cost.ts';
import type { Machine } from '../../../src/engine/machine.ts';
import type { Op } from '../../../src/engine/cpu/decode.ts';
import type { Knobs } from '../../../src/engine/mmu/mmu.ts';

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
    const { blocks, steps } = pair(src, { [RAX]: 5n, [RBX]: 7n }, writableText);
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
