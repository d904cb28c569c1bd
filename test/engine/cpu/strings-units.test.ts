// The string instructions (cpu/strings.ts) one step at a time on a small machine (bare.ts), with
// the values written out by hand from the SDM Vol. 2 MOVS/STOS/LODS/CMPS/SCAS and REP pages: the
// element sizes, DF, RCX = 0, REPE/REPNE termination (only CMPS and SCAS test ZF), CMPS as
// [RSI] - [RDI] and SCAS as RAX - [RDI], the partial-register write of LODS, the per-iteration
// cycle charge, and the model's stops between iterations (CHUNK, a due timer, a pending
// interrupt) that leave RIP at the instruction (mutation testing, docs/testing.md).

import { describe, it, expect } from 'vitest';
import { bare, COSTS } from './bare.ts';
import { CHUNK } from '../../../src/engine/cpu/strings.ts';
import { RAX, RCX, RSI, RDI } from '../../../src/engine/asm/ir.ts';

const SRC = `
movsb_: rep movsb
movsq_: rep movsq
movsw1: movsw
stosd_: rep stosd
stosb_: rep stosb
lodsw_: lodsw
lodsd_: lodsd
lodsq_: rep lodsq
repe_cmpsb: repe cmpsb
repne_cmpsb: repne cmpsb
cmpsb1: cmpsb
repne_scasb: repne scasb
repe_scasq: repe scasq
scasd1: scasd
.data
.align 16
a: .ascii "abcxefgh"
b: .ascii "abcyefgh"
q: .quad 0x1111111111111111, 0x2222222222222222, 0x3333333333333333
dst: .zero 64
big: .zero 8192
`;

function machine(o: { root?: boolean } = {}) {
  const b = bare(SRC, o), { c, m } = b;
  /** Run one step of the instruction at `label`; returns the cycles it took. */
  const run = (label: string, regs: Record<number, bigint>) => {
    const cyc = m.cycles;
    expect(b.step(label, regs)).toBe(null);
    return m.cycles - cyc;
  };
  const per = (reads: number, writes: number) => COSTS.stringIter + (reads + writes) * COSTS.dataAccess;
  const bytes = (va: number, n: number) => Array.from({ length: n }, (_, i) => Number(b.read(va + i, 1)));
  return { ...b, c, m, run, per, bytes };
}

describe('MOVS, STOS, LODS', () => {
  it('REP MOVSB forward: RCX bytes, RSI and RDI up, RCX to 0, RIP past it; ZF does not stop it', () => {
    const b = machine(), { c } = b;
    c.zf = 0;
    const cyc = b.run('movsb_', { [RCX]: 5n, [RSI]: BigInt(b.sym('a')), [RDI]: BigInt(b.sym('dst')) });
    expect(b.bytes(b.sym('dst'), 6)).toEqual([...'abcxe'].map((x) => x.charCodeAt(0)).concat(0));
    expect([c.get(RSI), c.get(RDI), c.get(RCX), c.rip]).toEqual([BigInt(b.sym('a') + 5), BigInt(b.sym('dst') + 5), 0n, b.sym('movsb_') + 2]);
    expect(cyc).toBe(COSTS.instr + 5 * b.per(1, 1));
  });

  it('REP MOVSQ backward (DF = 1): 8 bytes a step, down', () => {
    const b = machine(), { c } = b;
    c.setRflags(0x402);
    b.run('movsq_', { [RCX]: 2n, [RSI]: BigInt(b.sym('q') + 8), [RDI]: BigInt(b.sym('dst') + 8) });
    expect([b.read(b.sym('dst')), b.read(b.sym('dst') + 8)]).toEqual([0x1111111111111111n, 0x2222222222222222n]);
    expect([c.get(RSI), c.get(RDI), c.get(RCX)]).toEqual([BigInt(b.sym('q') - 8), BigInt(b.sym('dst') - 8), 0n]);
  });

  it('without REP: one element, RCX untouched; with RCX = 0: nothing', () => {
    const b = machine(), { c } = b;
    const cyc = b.run('movsw1', { [RCX]: 7n, [RSI]: BigInt(b.sym('a')), [RDI]: BigInt(b.sym('dst')) });
    expect([b.bytes(b.sym('dst'), 3), c.get(RCX), c.get(RSI), cyc]).toEqual([[0x61, 0x62, 0], 7n, BigInt(b.sym('a') + 2), COSTS.instr + b.per(1, 1)]);
    expect(c.rip).toBe(b.sym('movsw1') + 2); // 66 A5: done, RIP past it
    const cyc0 = b.run('stosd_', { [RCX]: 0n, [RDI]: BigInt(b.sym('dst') + 16) });
    expect([b.read(b.sym('dst') + 16), c.get(RDI), c.rip, cyc0]).toEqual([0n, BigInt(b.sym('dst') + 16), b.sym('stosd_') + 2, COSTS.instr]);
    c.set(RCX, 0x1_0000_0000n); // RCX[63:32] counts too
    b.run('stosb_', { [RAX]: 0x41n, [RDI]: BigInt(b.sym('big')) });
    expect(c.get(RCX)).toBe(0x1_0000_0000n - BigInt(CHUNK));
  });

  it('REP STOSD stores EAX (not RAX[63:32]); LODS writes AX, EAX (zero-extended) or RAX', () => {
    const b = machine(), { c } = b;
    const cyc = b.run('stosd_', { [RCX]: 3n, [RAX]: 0xdead_beef_1122_3344n, [RDI]: BigInt(b.sym('dst')) });
    expect([b.read(b.sym('dst')), b.read(b.sym('dst') + 8)]).toEqual([0x1122_3344_1122_3344n, 0x1122_3344n]);
    expect([c.get(RDI), cyc]).toEqual([BigInt(b.sym('dst') + 12), COSTS.instr + 3 * b.per(0, 1)]);
    const cl = b.run('lodsw_', { [RAX]: 0xffff_ffff_ffff_ffffn, [RSI]: BigInt(b.sym('a')) });
    expect([c.get(RAX), c.get(RSI), cl]).toEqual([0xffff_ffff_ffff_6261n, BigInt(b.sym('a') + 2), COSTS.instr + b.per(1, 0)]);
    b.run('lodsd_', { [RAX]: -1n });
    expect(c.get(RAX)).toBe(0x6665_7863n);
    b.run('lodsq_', { [RCX]: 1n, [RSI]: BigInt(b.sym('q') + 16) });
    expect([c.get(RAX), c.get(RCX)]).toEqual([0x3333333333333333n, 0n]);
  });
});

describe('CMPS and SCAS', () => {
  it('REPE CMPSB stops at the first difference: [RSI] - [RDI] ("x" - "y": CF = 1), RCX counts it', () => {
    const b = machine(), { c } = b;
    const cyc = b.run('repe_cmpsb', { [RCX]: 8n, [RSI]: BigInt(b.sym('a')), [RDI]: BigInt(b.sym('b')) });
    expect([c.get(RCX), c.get(RSI), c.get(RDI), c.zf, c.cf, c.sf]).toEqual([4n, BigInt(b.sym('a') + 4), BigInt(b.sym('b') + 4), 0, 1, 1]);
    expect(cyc).toBe(COSTS.instr + 4 * b.per(2, 0));
    expect(c.rip).toBe(b.sym('repe_cmpsb') + 2); // stopped by ZF: done
  });

  it('REPNE CMPSB stops at the first equal pair; CMPSB alone compares once', () => {
    const b = machine(), { c } = b;
    b.run('repne_cmpsb', { [RCX]: 8n, [RSI]: BigInt(b.sym('a') + 3), [RDI]: BigInt(b.sym('b') + 3) });
    expect([c.get(RCX), c.zf]).toEqual([6n, 1]); // x/y differ, e/e equal
    b.run('cmpsb1', { [RCX]: 8n, [RSI]: BigInt(b.sym('b') + 3), [RDI]: BigInt(b.sym('a') + 3) });
    expect([c.get(RCX), c.zf, c.cf, c.get(RSI)]).toEqual([8n, 0, 0, BigInt(b.sym('b') + 4)]); // "y" - "x"
  });

  it('REPNE SCASB finds AL; REPE SCASQ runs while equal; SCASD compares EAX - [RDI]', () => {
    const b = machine(), { c } = b;
    const cyc = b.run('repne_scasb', { [RCX]: 8n, [RAX]: 0x63n, [RDI]: BigInt(b.sym('a')) });
    expect([c.get(RCX), c.get(RDI), c.zf, cyc]).toEqual([5n, BigInt(b.sym('a') + 3), 1, COSTS.instr + 3 * b.per(1, 0)]);
    b.run('repe_scasq', { [RCX]: 3n, [RAX]: 0x1111111111111111n, [RDI]: BigInt(b.sym('q')) });
    expect([c.get(RCX), c.get(RDI), c.zf, c.cf]).toEqual([1n, BigInt(b.sym('q') + 16), 0, 1]);
    b.run('scasd1', { [RAX]: 0xffff_ffff_6162_6364n, [RDI]: BigInt(b.sym('a')) });
    expect([c.zf, c.cf, c.get(RDI), c.rip]).toEqual([0, 1, BigInt(b.sym('a') + 4), b.sym('scasd1') + 1]); // 0x61626364 - 0x78636261
  });
});

describe('stops between iterations (RIP stays, the rest runs on the next step)', () => {
  it('after CHUNK iterations', () => {
    const b = machine(), { c, m } = b;
    const n = CHUNK + 100;
    const i0 = m.instret;
    const cyc = b.run('stosb_', { [RCX]: BigInt(n), [RAX]: 0x5an, [RDI]: BigInt(b.sym('big')) });
    expect(CHUNK).toBe(4096);
    expect([c.get(RCX), c.rip, m.instret - i0, cyc]).toEqual([100n, b.sym('stosb_'), 1, COSTS.instr + CHUNK * b.per(0, 1)]);
    b.step('stosb_');
    expect([c.get(RCX), c.rip, b.read(b.sym('big') + n - 1, 1), b.read(b.sym('big') + n, 1)]).toEqual([0n, b.sym('stosb_') + 2, 0x5an, 0n]);
  });

  it('when the timer is due or an interrupt is pending: after the first iteration', () => {
    const b = machine({ root: true }), { c, m } = b;
    m.timerAt = m.cycles + 1;
    b.run('stosb_', { [RCX]: 10n, [RDI]: BigInt(b.sym('big')) });
    expect([c.get(RCX), c.rip]).toEqual([9n, b.sym('stosb_')]);
    m.timerAt = Infinity;
    m.pendingIntr = 0x20; // IF = 0: not taken, but the string op yields
    b.run('stosb_', {});
    expect([c.get(RCX), c.rip]).toEqual([8n, b.sym('stosb_')]);
    m.pendingIntr = 0; // vector 0 is pending too
    b.run('stosb_', {});
    expect([c.get(RCX), c.rip]).toEqual([7n, b.sym('stosb_')]);
    m.pendingIntr = -1;
    m.timerAt = m.cycles + b.per(0, 1); // due exactly after the first iteration
    b.run('stosb_', {});
    expect([c.get(RCX), c.rip]).toEqual([6n, b.sym('stosb_')]);
    m.timerAt = Infinity;
    b.run('stosb_', {});
    expect([c.get(RCX), c.rip]).toEqual([0n, b.sym('stosb_') + 2]);
  });
});
