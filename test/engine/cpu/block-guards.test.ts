// The check-free blocks (src/engine/cpu/block.ts) where they must stop or must not: after each kind
// of memory op (load, store, push/pop, call/ret) that changes the fetch fast path (a store hook
// that unmaps the code page and flushes the TLB, a push into the block's own code page), stops the
// machine (a hook that exits) or brings the timer due (a page walk); the chain into a block built
// for another cost model or into a slot with no instruction; the counts a counting sink sees at a
// memory op in mid-block; the dead-flag analysis op kind by op kind; carries across the 32-bit
// halves. Each case against the same machine run op by op (runBatch single steps, which never
// take a block), with the exact registers, RIP, RFLAGS, counts, cycles, seq and generations.

import { describe, it, expect } from 'vitest';
import { bare, COSTS, type Bare } from './bare.ts';
import { hotBlocks } from './util.ts';
import { run, blocksBuilt, writableText } from './blockpair.ts';
import { buildBlock, flagsDead } from '../../../src/engine/cpu/block.ts';
import { CpuFault } from '../../../src/engine/cpu/fault.ts';
import { VEC } from '../../../src/engine/arch/x86.ts';
import { RAX, RBX, RCX, RDX, RSI, RDI, RSP, R8, R9, R10, R11, R12 } from '../../../src/engine/asm/ir.ts';
import { pteAddr } from '../../../src/engine/kernel/pgtable.ts';
import { DEFAULT_COSTS } from '../../../src/engine/cost.ts';
import type { TraceEvent, EventType } from '../../../src/engine/trace/events.ts';
import type { Machine } from '../../../src/engine/machine.ts';

/** The top of the hand-built guest's stack (harness.ts STACK_TOP: its pages are the four below). */
const STACK_TOP = 0x7ffffffff000;
const u64 = (m: Machine, r: number) => (BigInt(m.cpu.hi[r]) << 32n) | BigInt(m.cpu.lo[r]);

/** What a block could get wrong: registers, RIP, RFLAGS, the counts, seq (no sink: it must not
 *  move), the generations, the stop and the interrupt state, the walks, and the TLB as its
 *  lookups leave it (every slot's LRU stamp, the hit and miss counts: a data-path hit must do
 *  what the lookup's hit does, and only where the lookup happens). */
function state(m: Machine) {
  const c = m.cpu;
  return { lo: [...c.lo], hi: [...c.hi], rip: c.rip, rflags: c.rflags(), instret: m.instret, cycles: m.cycles, seq: m.seq,
    gen: m.mmu.gen, codeGen: m.mem.codeGen, status: m.status, pending: m.pendingIntr, walks: m.mmu.stats.walks,
    lru: [...m.mmu.tlb4k.lru], hits: m.mmu.stats.tlbHits, misses: m.mmu.stats.tlbMisses };
}

/** Two identical bare machines with no sink: `blocks` (its ops marked hot, so runBatch takes
 *  blocks from the first fetch) and `steps` (run one op at a time). Every status flag preset. */
function pair(src: string, regs: Record<number, bigint> | ((b: Bare) => Record<number, bigint>), prep?: (b: Bare) => void) {
  const mk = () => {
    const b = bare(src);
    prep?.(b);
    for (const [r, v] of Object.entries(typeof regs === 'function' ? regs(b) : regs)) b.c.set(Number(r), v);
    b.c.setRflags(0x2 | 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x800);
    b.c.rip = b.sym('run');
    b.m.attach(null);
    return b;
  };
  const blocks = mk(), steps = mk();
  hotBlocks(blocks.m);
  return { blocks, steps, both: [blocks, steps] };
}

/** Runs both machines n instructions and checks they agree; what each threw. */
function same(p: ReturnType<typeof pair>, n: number, what = '') {
  const e = run(p.blocks.m, n), f = run(p.steps.m, n, true);
  expect(state(p.blocks.m), what).toEqual(state(p.steps.m));
  expect(p.blocks.g.exits.map((x) => [x.name, x.rip]), what).toEqual(p.steps.g.exits.map((x) => [x.name, x.rip]));
  expect(e?.constructor, what).toBe(f?.constructor);
  if (e instanceof CpuFault) expect([e.vector, e.error], what).toEqual([(f as CpuFault).vector, (f as CpuFault).error]);
  return [e, f];
}

/** The decoded table's block at a label (built, not run). */
function blockAt(src: string, label = 'run') {
  const b = bare(src);
  b.op(label);
  return buildBlock(b.m.fCode!, b.m.cpu.rip - b.m.fPage, DEFAULT_COSTS)!;
}
const dead = (src: string) => { const blk = blockAt(src); return blk.ops.map((_, k) => flagsDead(blk, k)); };

/** A store hook that, at a store to `va()`, does `act` (set on both machines alike). */
function onStoreTo(b: Bare, va: () => number, act: () => void) {
  b.m.onStore = (at) => { if (at === va()) act(); };
}
/** Unmap the code page (clear P in its PTE) and flush the TLB, as a kernel that unmaps text would
 *  with INVLPG: mmu.gen moves, and the next fetch faults. */
function unmapText(b: Bare) {
  const pa = pteAddr(b.m.mem, b.g.gcr3, b.sym('run'), false)!;
  b.m.mem.write32(pa, b.m.mem.read32(pa) & ~1);
  b.m.mmu.invlpg(b.m.vmx.vpid, 0, b.sym('run'));
}

describe('dead flags, op kind by op kind (buildBlock)', () => {
  it('inc and dec get their flag-free twin when the next op overwrites what they write', () => {
    expect(dead(`run:\n  inc rcx\n  dec rdx\n  add rax, rbx\n  jmp run\n`)).toEqual([true, true, false, false]);
    expect(dead(`run:\n  dec rdx\n  inc rcx\n  sub rax, 1\n  jne run\n`)).toEqual([true, true, false, false]);
  });

  it('a shift by a non-zero count, neg and a 32-bit ALU op write every flag: the writer before them is dead', () => {
    for (const op of ['shl rax, 3', 'shr rax, 1', 'sar rax, 3', 'neg rcx', 'or ecx, 1', 'sub ecx, 7', 'and ecx, edx', 'xor ecx, edx'])
      expect(dead(`run:\n  add rax, rbx\n  ${op}\n  jmp run\n`), op).toEqual([true, false, false]);
    // A shift by 0 changes no flag: add's reach the branch.
    expect(dead(`run:\n  add rax, rbx\n  shl rax, 0\n  jmp run\n`)).toEqual([false, false, false]);
  });

  it('a narrow inc or dec leaves CF: the writer before it stays live for a CF reader, and only then', () => {
    expect(dead(`run:\n  add rax, rbx\n  inc ecx\n  jb run\n`)).toEqual([false, false, false]);
    expect(dead(`run:\n  add rax, rbx\n  dec cx\n  jb run\n`)).toEqual([false, false, false]);
    // With sub after the inc nothing reads add's CF (inc ecx reads no flag).
    expect(dead(`run:\n  add rax, rbx\n  inc ecx\n  sub rdx, 1\n  jmp run\n`)).toEqual([true, false, false, false]);
    // A CF reader after a 64-bit inc (which writes the rest): only CF of add is live, and inc ecx must not hide it.
    expect(dead(`run:\n  add rax, rbx\n  inc ecx\n  inc rdx\n  jb run\n`)).toEqual([false, false, false, false]);
  });

  it('adc and sbb with an immediate read CF; other ALU ops read none', () => {
    expect(dead(`run:\n  add rax, rbx\n  adc rcx, 5\n  add rax, rbx\n  jmp run\n`)).toEqual([false, false, false, false]);
    expect(dead(`run:\n  add rax, rbx\n  sbb ecx, 5\n  add rax, rbx\n  jmp run\n`)).toEqual([false, false, false, false]);
    expect(dead(`run:\n  add rax, rbx\n  adc rcx, rdx\n  add rax, rbx\n  jmp run\n`)).toEqual([false, false, false, false]);
    expect(dead(`run:\n  add rax, rbx\n  or ecx, 5\n  add rax, rbx\n  jmp run\n`)).toEqual([true, false, false, false]);
    expect(dead(`run:\n  add rax, rbx\n  and rcx, rdx\n  adc rax, rbx\n  jmp run\n`)).toEqual([true, false, false, false]);
  });

  it('stop where the decoded table has no op (the end of the loaded code)', () => {
    const blk = blockAt(`run:\n  add rax, rbx\n  add rcx, rdx\n`);
    expect(blk.ops.map((o) => o.text)).toEqual(['add rax, rbx', 'add rcx, rdx']);
  });
});

describe('check-free blocks against single steps: values and flags', () => {
  it('carries and borrows across the 32-bit halves with flags live and dead, and a zero sum for je', () => {
    const src = `run:
  add rax, rbx
  sub rsi, rdi
  inc r8
  dec r12
  add rcx, rdx
  jne next
  hlt
next:
  add r9, r10
  je done
  hlt
done:
  sub r11, rdi
  jae run
  hlt
`;
    const p = pair(src, {
      [RAX]: 0x1_8000_0000n, [RBX]: 0x2_7fff_ffffn, // low halves add up to 0xffffffff exactly: no carry
      [RSI]: 0x5_1234_5678n, [RDI]: 0x1_1234_5678n, // equal low halves: no borrow
      [R8]: 0x7_ffff_ffffn, [R12]: 0x9_0000_0000n, // inc and dec across the halves
      [RCX]: 0x3_8000_0000n, [RDX]: 0x4_7fff_ffffn, // as rax + rbx, its flags live (jne)
      [R9]: 0xffff_fffe_0000_0001n, [R10]: 0x1_ffff_ffffn, // a zero sum
      [R11]: 0x2_1234_5678n,
    });
    same(p, 10);
    const m = p.blocks.m;
    expect([u64(m, RAX), u64(m, RSI), u64(m, R8), u64(m, R12), u64(m, RCX), u64(m, R9), u64(m, R11)])
      .toEqual([0x3_ffff_ffffn, 0x4_0000_0000n, 0x8_0000_0000n, 0x8_ffff_ffffn, 0x7_ffff_ffffn, 0n, 0x1_0000_0000n]);
    expect(m.cpu.rip).toBe(p.blocks.sym('run'));
    same(p, 2); // and a budget that ends in the block's second op
  });

  it('narrow cmp and test (register or immediate: cold() in a block) write no result; narrow add and sub do', () => {
    const src = `run:\n  sub cx, bx\n  add edi, 3\n  cmp eax, 7\n  cmp bx, cx\n  test dl, 0x0f\n  test esi, edi\n  cmp al, 0x80\n  add r8, rax\n  add r8, rbx\n  add r8, rdx\n  add r8, rsi\n  add r8, rcx\n  add r8, rdi\n  jmp run\n`;
    const p = pair(src, { [RAX]: 0x1234_5678_9abc_def0n, [RBX]: 0xffff_0000_1111_2222n, [RCX]: 0x3333n, [RDX]: 0xa5n, [RSI]: 0x8000_0001n, [RDI]: 0xffn });
    for (const n of [10, 21, 100]) same(p, n, `after ${n}`);
    expect(p.blocks.m.cpu.lo[RAX]).toBe(0x9abc_def0);
    expect(blocksBuilt(p.blocks.m)).toBeGreaterThan(0);
  });

  it('a CF that a narrow inc leaves reaches jb and adc with an immediate', () => {
    const src = `run:\n  add rax, rbx\n  inc ecx\n  inc rdi\n  jb carried\n  hlt\ncarried:\n  add rax, rbx\n  adc rdx, 5\n  add rsi, 1\n  jmp run\n`;
    const p = pair(src, { [RAX]: 0xffff_ffff_ffff_fff0n, [RBX]: 0x20n, [RCX]: 0x7fffffffn, [RDX]: 1n });
    for (const b of p.both) b.c.setRflags(0x2); // CF clear before: only the first add sets it
    same(p, 4);
    expect(p.blocks.c.rip).toBe(p.blocks.sym('carried'));
    // The second add (0x10 + 0x20) clears CF, which adc reads: 1 + 5 + 0 (a stale CF would give 7).
    same(p, 3);
    expect(u64(p.blocks.m, RDX)).toBe(6n);
  });

  it('pause in a block (between the flags\' writer and their reader), and jg at its end', () => {
    const src = `run:\n  pause\n  sub rcx, 1\n  pause\n  jg run\n  hlt\n`;
    const p = pair(src, { [RCX]: 5n });
    same(p, 100);
    expect(p.blocks.c.halted && p.steps.c.halted).toBe(true);
    expect(p.blocks.c.lo[RCX]).toBe(0);
  });
});

/** The memory ops a block holds, each in mid-block (after an add) with the registers it needs:
 *  rsi and rdi in .data, rsp in the stack's pages. `at` is the address it writes (a store hook's
 *  trigger), or null for a load. */
const MEM_OPS: { op: string; regs: (b: Bare) => Record<number, bigint>; at: ((b: Bare) => number) | null }[] = [
  { op: 'mov rdx, [rsi]', regs: (b) => ({ [RSI]: BigInt(b.sym('buf')) }), at: null },
  { op: 'mov [rdi], rax', regs: (b) => ({ [RDI]: BigInt(b.sym('buf') + 4096) }), at: (b) => b.sym('buf') + 4096 },
  { op: 'push rax', regs: () => ({ [RSP]: BigInt(STACK_TOP) }), at: () => STACK_TOP - 8 },
  { op: 'pop rdx', regs: () => ({ [RSP]: BigInt(STACK_TOP - 4096) }), at: null },
  // Read-modify-writes: one that writes (its store through the machine after the walk), one that only reads.
  { op: 'add qword ptr [rdi], rax', regs: (b) => ({ [RDI]: BigInt(b.sym('buf') + 4096) }), at: (b) => b.sym('buf') + 4096 },
  { op: 'cmp qword ptr [rsi], rax', regs: (b) => ({ [RSI]: BigInt(b.sym('buf')) }), at: null },
];
const around = (op: string) => `run:\n  add rax, rbx\nmem:\n  ${op}\nafter:\n  add rcx, 1\n  add rdx, 1\n  add rsi, 8\n  jmp run\n.data\nbuf: .zero 8192\n`;
const WALK = 1000;

describe('check-free blocks against single steps: where a memory op ends the block', () => {
  it('a page walk in a load, store, push, pop or read-modify-write that brings the timer due two to four ops later: the tick comes before the same op', () => {
    for (const { op, regs } of MEM_OPS) {
      // Cycles before op k of the block: its start + 16 k + 32 for the memory op before k, + WALK after it.
      for (const d of [1, 8, 16, 24, 40, 64]) {
        const prep = (b: Bare) => { b.m.costs = { ...COSTS, tlbMiss: WALK }; };
        const p = pair(around(op), regs, prep);
        for (const b of p.both) {
          b.m.mmu.flushAll(); b.m.refresh();
          b.op('run'); // the code page's walk, before the block
          b.m.timerAt = b.m.cycles + WALK + 64 + d;
        }
        same(p, 1000, `${op}, tick ${d} cycles after op 2 starts`);
        expect(p.steps.g.exits[0]?.name, op).toBe('EXTERNAL_INTERRUPT');
        expect(blocksBuilt(p.blocks.m), op).toBeGreaterThan(0);
      }
    }
  });

  it('a fault in a load, store, push, pop or read-modify-write in mid-block: RIP, instret, cycles, RSP and the flags of the add before it exact', () => {
    for (const { op, regs } of MEM_OPS) {
      // The same registers, the address one moved to an unmapped page (a stack pointer too).
      const far = (b: Bare) => Object.fromEntries(Object.entries(regs(b)).map(([r, v]) => [r, v - 0x10_0000n]));
      const p = pair(around(op), far);
      const i0 = p.blocks.m.instret, c0 = p.blocks.m.cycles;
      const [e] = same(p, 1000, op);
      expect((e as CpuFault).vector, op).toBe(VEC.PF);
      expect(p.blocks.c.rip, op).toBe(p.blocks.sym('mem'));
      expect([p.blocks.m.instret - i0, p.blocks.m.cycles - c0], op).toEqual([1, COSTS.instr]);
    }
  });

  it('a budget that ends after any op of blocks holding every memory op kind: the same machine', () => {
    const src = `run:\n  add rax, rbx\n  mov rdx, [rsi]\n  add rax, rdx\n  mov [rdi], rax\n  push rax\n  sub rax, 1\n  pop rcx\n  call f\n  add r8, 1\n  jmp run\nf:\n  add r9, 1\n  ret\n.data\nbuf: .zero 8192\n`;
    const regs = (b: Bare) => ({ [RAX]: 1n, [RBX]: 2n, [RSI]: BigInt(b.sym('buf')), [RDI]: BigInt(b.sym('buf') + 8), [RSP]: BigInt(STACK_TOP) });
    const p = pair(src, regs);
    for (let n = 1; n <= 30; n++) same(p, n, `budget ${n}`);
    expect(blocksBuilt(p.blocks.m)).toBeGreaterThan(0);
  });

  it('a store, push or read-modify-write whose store hook unmaps the code page (mmu.gen moves): the next op faults, as op by op', () => {
    for (const { op, regs, at } of MEM_OPS.filter((o) => o.at)) {
      const p = pair(around(op), regs);
      const i0 = p.blocks.m.instret;
      for (const b of p.both) onStoreTo(b, () => at!(b), () => unmapText(b));
      const [e] = same(p, 1000, op);
      expect((e as CpuFault).vector, op).toBe(VEC.PF);
      expect(p.blocks.c.rip, op).toBe(p.blocks.sym('after'));
      expect(p.blocks.m.instret - i0, op).toBe(2);
    }
  });

  it('a store, push or read-modify-write whose store hook stops the machine: nothing after it runs', () => {
    for (const { op, regs, at } of MEM_OPS.filter((o) => o.at)) {
      const p = pair(around(op), regs);
      const i0 = p.blocks.m.instret;
      for (const b of p.both) onStoreTo(b, () => at!(b), () => b.m.exit(7, 'exit'));
      same(p, 1000, op);
      expect(p.blocks.m.status, op).toEqual({ code: 7, how: 'exit' });
      expect(p.blocks.c.rip, op).toBe(p.blocks.sym('after'));
      expect(p.blocks.m.instret - i0, op).toBe(2);
    }
  });

  it('a push into its own code page ends the block: the next op is fetched again (and is gone: #UD)', () => {
    const p = pair(`${around('push rax')}.text\nspare:\n  nop\n  nop\n`, (b) => ({ [RSP]: BigInt(b.sym('spare') + 8) }), writableText);
    const g0 = p.blocks.m.mem.codeGen, i0 = p.blocks.m.instret;
    const [e] = same(p, 1000);
    expect((e as CpuFault).vector).toBe(VEC.UD);
    expect(p.blocks.m.mem.codeGen).toBe(g0 + 1);
    expect(p.blocks.c.rip).toBe(p.blocks.sym('after'));
    expect(p.blocks.m.instret - i0).toBe(2);
  });
});

describe('check-free blocks against single steps: call and ret', () => {
  // A loop through a leaf: the leaf's block is built on the first pass, so a later call could
  // chain into it.
  const LOOP = `run:\n  add rax, rbx\ncall_f:\n  call f\nback:\n  add rsi, 1\n  jmp run\nf:\n  add rcx, 1\n  add rdx, 1\n  ret\n.text\nspare:\n  nop\n  nop\n`;
  /** Both machines through three passes of LOOP (its blocks built), then `arm` on each. */
  function warmed(arm: (b: Bare) => void) {
    const p = pair(LOOP, { [RAX]: 1n, [RBX]: 2n, [RSP]: BigInt(STACK_TOP) });
    same(p, 7 * 3); // three passes of 7: at run again, where the block [add, call] starts
    expect(p.blocks.c.rip).toBe(p.blocks.sym('run'));
    expect(blocksBuilt(p.blocks.m)).toBeGreaterThan(0);
    for (const b of p.both) arm(b);
    return p;
  }
  it('a call whose push unmaps the code page (store hook, mmu.gen): the leaf is fetched again and faults', () => {
    const p = warmed((b) => onStoreTo(b, () => b.c.va(RSP) - 8, () => unmapText(b)));
    const [e] = same(p, 1000);
    expect((e as CpuFault).vector).toBe(VEC.PF);
    expect(p.blocks.c.rip).toBe(p.blocks.sym('f'));
  });

  it('a call whose push stops the machine: the leaf does not run', () => {
    const p = warmed((b) => onStoreTo(b, () => b.c.va(RSP) - 8, () => b.m.exit(3, 'exit')));
    same(p, 1000);
    expect(p.blocks.m.status).toEqual({ code: 3, how: 'exit' });
    expect(p.blocks.c.rip).toBe(p.blocks.sym('f'));
  });

  it('a call that pushes into its own code page: the leaf is fetched again (and is gone: #UD)', () => {
    const p = warmed((b) => { writableText(b); b.c.setNum(RSP, b.sym('spare') + 8); });
    const g0 = p.blocks.m.mem.codeGen;
    const [e] = same(p, 1000);
    expect((e as CpuFault).vector).toBe(VEC.UD);
    expect(p.blocks.m.mem.codeGen).toBe(g0 + 1);
    expect(p.blocks.c.rip).toBe(p.blocks.sym('f'));
  });

  it('ret imm16 releases its bytes (the block\'s last op)', () => {
    const src = `run:\n  add rax, rbx\n  call f\n  add rsi, 1\n  jmp run\nf:\n  add rcx, 1\n  ret 16\n`;
    const base = STACK_TOP - 4 * 4096 + 64; // in the lowest of the stack's four pages
    const p = pair(src, { [RSP]: BigInt(base) });
    same(p, 100);
    // 100 instructions: 16 passes of 6 (rsp up 16 each), then add, call, add, ret (up 16 more).
    expect(p.blocks.c.va(RSP)).toBe(base + 17 * 16);
  });

  it('ret to a non-canonical address: #GP with RSP as before the pop, RIP at the ret', () => {
    const src = `run:\n  mov rbx, 0x0000800000000000\n  push rbx\n  ret\n`;
    const p = pair(src, { [RSP]: BigInt(STACK_TOP) });
    const i0 = p.blocks.m.instret;
    const [e] = same(p, 100);
    expect((e as CpuFault).vector).toBe(VEC.GP);
    expect(p.blocks.c.va(RSP)).toBe(STACK_TOP - 8);
    expect(p.blocks.m.instret - i0).toBe(2);
  });

  it('ret from the top of the lower half leaves RSP = 2^47 as the 64-bit add gives (not canonical)', () => {
    const src = `run:\n  lea rbx, [back]\n  push rbx\n  ret\nback:\n  add rcx, 1\n  hlt\n`;
    const p = pair(src, { [RSP]: 0x8000_0000_0000n }, (b) => { b.map(STACK_TOP); });
    same(p, 100);
    expect(u64(p.blocks.m, RSP)).toBe(0x8000_0000_0000n);
    expect(p.blocks.c.lo[RCX]).toBe(1);
  });

  it('ret 8 from the top of the lower half adds imm16 to the 64-bit RSP: 2^47 + 8 (SDM RET: RSP <- RSP + SRC)', () => {
    const src = `run:\n  lea rbx, [back]\n  push rbx\n  ret 8\nback:\n  add rcx, 1\n  hlt\n`;
    const p = pair(src, { [RSP]: 0x8000_0000_0000n }, (b) => { b.map(STACK_TOP); });
    same(p, 100);
    expect(u64(p.blocks.m, RSP)).toBe(0x8000_0000_0008n);
    expect(u64(p.steps.m, RSP)).toBe(0x8000_0000_0008n);
    expect(p.blocks.c.lo[RCX]).toBe(1);
  });
});

describe('check-free blocks against single steps: the chain to the next block', () => {
  // Two blocks that chain into each other: run -> b2 -> run.
  const TWO = `run:\n  add rax, rbx\n  jmp b2\nb2:\n  add rcx, 1\n  sub rdx, 1\n  jne run\n  hlt\n`;

  it('not into a block built for another cost model: after m.costs changes, cycles are the new model\'s', () => {
    const p = pair(TWO, { [RAX]: 1n, [RBX]: 2n, [RDX]: 1000n });
    same(p, 5 * 10); // both blocks built with COSTS
    const costs = { ...COSTS, instr: 3 * COSTS.instr };
    for (const b of p.both) b.m.costs = costs;
    const c0 = p.blocks.m.cycles;
    same(p, 5 * 20);
    expect(p.blocks.m.cycles - c0).toBe(5 * 20 * costs.instr);
  });

  it('not into a slot of the page that holds no instruction: #UD there, as op by op', () => {
    const p = pair(`run:\n  add rax, rbx\n  jmp nowhere\n  hlt\nnowhere:\n`, { [RAX]: 1n });
    const [e] = same(p, 100);
    expect((e as CpuFault).vector).toBe(VEC.UD);
    expect(p.blocks.c.rip).toBe(p.blocks.sym('nowhere'));
  });
});

describe('check-free blocks against single steps: where the data path\'s hit must not serve an access', () => {
  /** Map pages at vas (user, writable), every word of each a value of its own (so a read of the
   *  wrong page or offset shows), then flush. */
  const frames = new Map<Bare, number[]>();
  const withPages = (vas: number[]) => (b: Bare) => {
    frames.set(b, vas.map((va) => {
      const fn = b.map(va);
      for (let o = 0; o < 4096; o += 4) b.m.mem.write32(fn * 4096 + o, (va / 4096 + o * 2654435761) >>> 0);
      return fn;
    }));
    b.m.mmu.flushAll(); b.m.refresh();
  };
  const words = (b: Bare) => frames.get(b)!.map((fn) => Array.from({ length: 1024 }, (_, i) => b.m.mem.read32(fn * 4096 + 4 * i)));
  /** Run both machines in chunks of every size up to 40 ops, the same machine and memory after
   *  each; with `flush`, a TLB flush on both before each chunk (so the page memos are stale at a
   *  block's start: its first access to a page is refused, and goes through the machine). */
  function chunks(p: ReturnType<typeof pair>, what: string, flush = false) {
    for (let n = 1; n <= 40; n++) {
      if (flush) for (const b of p.both) { b.m.mmu.flushAll(); b.m.refresh(); }
      same(p, n, `${what}, chunk ${n}`);
      expect(words(p.blocks), `${what}, chunk ${n}`).toEqual(words(p.steps));
    }
    expect(blocksBuilt(p.blocks.m), what).toBeGreaterThan(0);
  }
  const X = 0x600000;

  it('an access that crosses into the next page, after hits on its page: a load, a store, 8- and 4-byte RMWs at each crossing offset', () => {
    for (const off of [4089, 4092, 4095]) {
      const src = `run:\n  mov rdx, [rsi + 8]\n  mov rdx, [rsi + 16]\n  mov rax, [rsi + ${off}]\n  mov [rsi + 24], rax\n  mov [rsi + ${off}], rdx\n` +
        `  add qword ptr [rsi + ${off}], 1\n  add dword ptr [rsi + ${Math.max(off, 4093)}], 1\n  add r8, 1\n  jmp run\n`;
      chunks(pair(src, { [RSI]: BigInt(X) }, withPages([X, X + 4096])), `offset ${off}`);
    }
  });

  it('pages 4 GiB apart (the same low 32 bits of the address): loads, stores and RMWs on each, never the other\'s bytes', () => {
    const Y = X + 2 ** 32;
    const src = `run:\n  mov rax, [rsi]\n  mov rbx, [rdi]\n  mov [rsi + 8], rbx\n  mov [rdi + 8], rax\n  add qword ptr [rsi + 16], rax\n  add qword ptr [rdi + 16], rbx\n  mov rcx, [rsi + 16]\n  mov rdx, [rdi + 16]\n  add r8, 1\n  jmp run\n`;
    chunks(pair(src, { [RSI]: BigInt(X), [RDI]: BigInt(Y) }, withPages([X, Y])), '4 GiB apart');
    // After a flush: Y and a third page walked for, then X's (the data memo's note is X's, the
    // write memo Z's), then an RMW of Y: only Y's TLB entry may be looked up for it.
    const Z = X + 0x10000;
    const late = `run:\n  mov [rdi + 8], rax\n  mov [rdx], rax\n  mov rbx, [rsi]\n  add qword ptr [rdi + 16], rbx\n  cmp qword ptr [rdi + 24], rbx\n  mov rcx, [rdi + 16]\n  add r8, 1\n  jmp run\n`;
    chunks(pair(late, { [RSI]: BigInt(X), [RDI]: BigInt(Y), [RDX]: BigInt(Z) }, withPages([X, Y, Z])), '4 GiB apart, flushes', true);
  });

  it('page 1 (0x1000) between accesses to another page, after every kind of memory op: its own bytes each time', () => {
    // Page number 1 is what a memo reset to +1 instead of -1 would claim: each access to it here
    // follows an access that moves the block's page memos (a hit elsewhere, a walk, a push or
    // pop, a call or ret, an RMW).
    const src = `run:
  mov rdx, [r8 + 16]
  mov rax, [rsi + 8]
  mov rbx, [r8 + 24]
  mov [r8 + 32], rax
  mov [rsi + 16], rdx
  mov [r8 + 40], rbx
  add qword ptr [r8 + 48], 1
  mov rcx, [rsi + 24]
  mov rdx, [r8 + 56]
  add qword ptr [rsi + 32], 1
  mov [r8 + 64], rdx
  cmp qword ptr [r8 + 72], rax
  mov rdx, [r8 + 80]
  mov rax, [rsi + 8]
  mov [rsi + 16], rdx
  add qword ptr [r8 + 48], 1
  mov rdx, [r8 + 56]
  push rax
  mov rdx, [r8 + 88]
  pop rax
  mov [r8 + 96], rdx
  call f
  mov rdx, [r8 + 104]
  add r9, 1
  jmp run
f:
  mov rcx, [rsi + 40]
  mov [rsi + 48], rcx
  ret
`;
    chunks(pair(src, { [R8]: 0x1000n, [RSI]: BigInt(X), [RSP]: BigInt(STACK_TOP) }, withPages([0x1000, X])), 'page 1');
    chunks(pair(src, { [R8]: 0x1000n, [RSI]: BigInt(X), [RSP]: BigInt(STACK_TOP) }, withPages([0x1000, X])), 'page 1, flushes', true);
  });
});

describe('blocks under a sink that only counts instructions: every memory op kind in mid-block', () => {
  // Each memory op after an add, each on a page not in the TLB (a walk, a fill and A/D writes: the
  // events a counting sink builds inside the block's span). The call's push goes to the next
  // stack page down. A short loop first, so the block does not start at instret 0.
  const SRC = `run:
  sub r10, 1
  jne run
  add rax, rbx
  mov rdx, [rsi]
  add rax, rbx
  mov [rdi], rdx
  add rax, rbx
  push rax
  add rax, rbx
  pop rcx
  add rax, rbx
  add qword ptr [rdi + 4096], rax
  add rax, rbx
  sub rsp, 4096
  call f
  add rsp, 4096
  add r8, 1
  hlt
f:
  add r9, 1
  ret
.data
buf: .zero 12288
`;
  const KINDS: ReadonlySet<EventType> = new Set(['walk', 'tlb', 'ad'] as EventType[]);
  it('gives each event the seq and cycles op by op gives it, and leaves seq where op by op does', () => {
    const events: TraceEvent[][] = [[], []];
    const p = pair(SRC, (b) => ({ [RAX]: 1n, [RBX]: 2n, [RSI]: BigInt(b.sym('buf')), [RDI]: BigInt(b.sym('buf') + 4096), [RSP]: BigInt(STACK_TOP), [R10]: 5n }),
      (b) => { b.m.costs = { ...COSTS, tlbMiss: WALK }; });
    p.both.forEach((b, i) => {
      b.m.attach({ kinds: KINDS, event: (e: TraceEvent) => { events[i].push(e); } });
      b.m.mmu.flushAll(); b.m.refresh();
      b.op('run');
    });
    events[0].length = 0; events[1].length = 0; // the code page's walk
    expect(p.blocks.m.instrUnbuilt).toBe(true);
    same(p, 100);
    expect(p.blocks.c.halted).toBe(true);
    expect(events[0].filter((e) => e.type === 'walk').length).toBeGreaterThanOrEqual(5); // load, store, push, RMW, call
    expect(events[0]).toEqual(events[1]);
    expect(blocksBuilt(p.blocks.m)).toBeGreaterThan(0);
  });
});

