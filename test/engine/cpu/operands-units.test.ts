// Operand access (cpu/operands.ts), the register file (cpu/state.ts, cpu/regs.ts) and the fault
// objects (cpu/fault.ts), called directly with values written out by hand: effective addresses in
// 64-bit arithmetic (the carry out of the low half, scaled indexes whose bits cross into the high
// half, wrap-around), #SS(0) rather than #GP(0) for a non-canonical address based on RSP or RBP
// (SDM Vol. 3A "Canonical Addressing"), PUSH/POP across a 4 GiB boundary, the canonical form of
// 48-bit addresses, RFLAGS packing, partial-register writes (SDM Vol. 1 "General-Purpose Registers
// in 64-Bit Mode") and snapshots (mutation testing, docs/testing.md).

import { describe, it, expect } from 'vitest';
import { bare } from './bare.ts';
import { ea, eaLinear, EA, stackEa, push, pop, pushAddr } from '../../../src/engine/cpu/operands.ts';
import { CpuState, MsrMap, linear, canonHi } from '../../../src/engine/cpu/state.ts';
import { rlo, rhi, rset, radd } from '../../../src/engine/cpu/regs.ts';
import { CpuFault, VmExit, Halt } from '../../../src/engine/cpu/fault.ts';
import type { MemRef } from '../../../src/engine/cpu/decode.ts';
import { RAX, RCX, RBX, RSP, RBP, RSI, R15 } from '../../../src/engine/asm/ir.ts';

const ref = (base: number, index: number, shift: number, disp: bigint): MemRef =>
  ({ base, index, shift, dlo: Number(BigInt.asUintN(64, disp) & 0xffffffffn), dhi: Number(BigInt.asUintN(64, disp) >> 32n), size: 8 });
const thrown = (f: () => unknown) => { try { f(); return null; } catch (e) { return e instanceof CpuFault ? [e.vector, e.error, e.why] : e; } };

describe('effective addresses (ea, eaLinear and its halves in EA)', () => {
  const b = bare('');
  const { m, c } = b;
  const at = (regs: Record<number, bigint>, r: MemRef) => {
    for (const [k, v] of Object.entries(regs)) c.set(Number(k), v);
    eaLinear(m, r);
    const halves = { ...EA };
    return [ea(m, r), halves];
  };
  const raw = (lo: number, hi: number) => ({ lo, hi });

  it('base + index << shift + disp with the carries between the halves', () => {
    expect(at({ [RBX]: 0xffff_fff0n }, ref(RBX, -1, 0, 0x20n))).toEqual([0x1_0000_0010, raw(0x10, 1)]);
    expect(at({ [RBX]: 0x10n, [RCX]: 0xffff_fff8n }, ref(RBX, RCX, 0, 0x0n))).toEqual([0x1_0000_0008, raw(8, 1)]);
    expect(at({ [RBX]: 0n, [RCX]: 0x8000_0001n }, ref(RBX, RCX, 1, 0n))).toEqual([0x1_0000_0002, raw(2, 1)]); // index bit 31 into the high half
    expect(at({ [RCX]: 0x1fff_f000_0000_0002n }, ref(-1, RCX, 3, 0x10n))).toEqual([0x8000_0000_0020, raw(0x20, 0xffff_8000)]);
    expect(at({ [RCX]: 0xe000_0000n }, ref(-1, RCX, 2, 0n))).toEqual([0x3_8000_0000, raw(0x8000_0000, 3)]);
    expect(at({ [RAX]: 0x1000n }, ref(RAX, RAX, 2, 8n))).toEqual([0x5008, raw(0x5008, 0)]); // register 0 as base and index
  });

  it('a low half of exactly 0xffffffff carries nothing', () => {
    expect(at({ [RBX]: 0xffff_fff0n }, ref(RBX, -1, 0, 0xfn))).toEqual([0xffff_ffff, raw(0xffff_ffff, 0)]);
    expect(at({ [RBX]: 0xffff_fff0n, [RCX]: 0x7n }, ref(RBX, RCX, 0, 0x8n))).toEqual([0xffff_ffff, raw(0xffff_ffff, 0)]);
  });

  it('a negative displacement, and wrap-around at 2^64', () => {
    expect(at({ [RSI]: 0x1000n }, ref(RSI, -1, 0, -8n))).toEqual([0xff8, raw(0xff8, 0)]);
    expect(at({ [RSI]: 0xffff_ffff_ffff_fff0n, [RCX]: 0x20n }, ref(RSI, RCX, 0, 0n))).toEqual([0x10, raw(0x10, 0)]);
  });

  it('non-canonical: #SS(0) based on RSP or RBP, else #GP(0); LEA does not check', () => {
    const nc = 0x0000_8000_0000_0000n;
    c.set(RSP, nc); c.set(RBP, nc); c.set(RBX, nc); c.set(RCX, nc);
    expect(thrown(() => ea(m, ref(RSP, -1, 0, 0n)))).toEqual([12, 0, 'non-canonical stack address']);
    expect(thrown(() => ea(m, ref(RBP, -1, 0, 0n)))).toEqual([12, 0, 'non-canonical stack address']);
    expect(thrown(() => ea(m, ref(RBX, -1, 0, 0n)))).toEqual([13, 0, 'non-canonical address']);
    expect(thrown(() => ea(m, ref(-1, RCX, 0, 0n)))).toEqual([13, 0, 'non-canonical address']);
    expect(eaLinear(m, ref(RBX, -1, 0, 0n))).toBe(-1);
    expect(EA).toEqual(raw(0, 0x8000));
    expect(thrown(() => stackEa(0, 0x8000))).toEqual([12, 0, 'non-canonical stack address']);
    expect(stackEa(0x1234, 0xffff_8000)).toBe(0x8000_0000_1234);
    expect(stackEa(0, 0)).toBe(0);
  });
});

describe('PUSH, POP, the pushed return address', () => {
  it('RSP moves by 8 across a 4 GiB boundary, both ways', () => {
    const b = bare(''), { m, c } = b;
    b.map(0x7fff_0000_0000 - 4096); b.map(0x7fff_0000_0000);
    c.set(RSP, 0x7fff_0000_0004n);
    push(m, 0x1122_3344, 0x5566_7788);
    expect(c.get(RSP)).toBe(0x7ffe_ffff_fffcn);
    expect(m.read64(0x7ffe_ffff_fffc)).toBe(0x5566_7788_1122_3344n);
    pop(m);
    expect([c.get(RSP), m.vlo, m.vhi]).toEqual([0x7fff_0000_0004n, 0x1122_3344, 0x5566_7788]);
    c.set(RSP, 0x7ffe_ffff_fffcn);
    pop(m);
    expect(c.get(RSP)).toBe(0x7fff_0000_0004n);
    c.set(RSP, 0x7ffe_ffff_ff00n);
    pop(m);
    expect(c.get(RSP)).toBe(0x7ffe_ffff_ff08n);
    c.set(RSP, 0x7ffe_ffff_fff7n); // lands on exactly 0xffffffff in the low half
    pop(m);
    expect(c.get(RSP)).toBe(0x7ffe_ffff_ffffn);
    c.set(RSP, 0x7fff_0000_0000n);
    pushAddr(m, 0x8000_0000_1000);
    expect([c.get(RSP), m.read64(0x7ffe_ffff_fff8)]).toEqual([0x7ffe_ffff_fff8n, 0xffff_8000_0000_1000n]);
    pushAddr(m, 0x7fff_ffff_0000);
    expect(m.read64(0x7ffe_ffff_fff0)).toBe(0x7fff_ffff_0000n);
  });

  it('a non-canonical RSP is #SS(0); a faulting push leaves RSP', () => {
    const b = bare(''), { m, c } = b;
    c.set(RSP, 0x0000_8000_0000_0008n);
    expect(thrown(() => push(m, 1, 0))).toEqual([12, 0, 'non-canonical stack address']);
    expect(c.get(RSP)).toBe(0x0000_8000_0000_0008n);
    expect(thrown(() => pop(m))).toEqual([12, 0, 'non-canonical stack address']);
    c.set(RSP, 0x10000n); // not mapped: #PF, RSP unchanged
    expect((thrown(() => push(m, 1, 0)) as unknown[])[0]).toBe(14);
    expect(c.get(RSP)).toBe(0x10000n);
  });
});

describe('CpuState', () => {
  it('a new CPU: running, CPL 0, RFLAGS = 2', () => {
    const c = new CpuState();
    expect([c.halted, c.cpl, c.rflags(), c.rip, c.msr.size]).toEqual([false, 0, 2, 0, 0]);
  });

  it('RFLAGS: the six status flags kept apart, bit 1 always set', () => {
    const c = new CpuState();
    expect([c.rflags(), c.rf]).toEqual([2, 2]);
    for (const [bit, f] of [[0, 'cf'], [2, 'pf'], [4, 'af'], [6, 'zf'], [7, 'sf'], [11, 'of']] as const) {
      c.setRflags(1 << bit);
      expect([c[f], c.rflags()]).toEqual([1, (1 << bit) | 2]);
      expect([c.cf, c.pf, c.af, c.zf, c.sf, c.of].reduce((a, x) => a + x, 0)).toBe(1);
    }
    c.setRflags(0xffff_ffff);
    expect(c.rflags()).toBe(0xffff_ffff);
    c.setRflags(0x200);
    expect([c.rflags(), c.rf]).toEqual([0x202, 0x202]);
    c.rf = 0xfff; // stale status bits in rf are not what rflags() reports
    c.cf = 0; c.pf = 0; c.af = 0; c.zf = 0; c.sf = 0; c.of = 0;
    expect(c.rflags()).toBe(0xfff & ~0x8d5);
  });

  it('registers as bigint, number and 48-bit address; CPL from CS', () => {
    const c = new CpuState();
    c.set(RAX, -2n);
    expect([c.lo[RAX], c.hi[RAX], c.get(RAX)]).toEqual([0xffff_fffe, 0xffff_ffff, 0xffff_ffff_ffff_fffen]);
    c.set(RBX, 0x1_0000_0002n);
    expect([c.num(RBX), c.va(RBX)]).toEqual([0x1_0000_0002, 0x1_0000_0002]);
    c.setNum(RCX, 0x12_3456_789a);
    expect([c.lo[RCX], c.hi[RCX]]).toEqual([0x3456_789a, 0x12]);
    c.setVa(R15, 0x8000_0000_1000);
    expect(c.get(R15)).toBe(0xffff_8000_0000_1000n);
    c.setVa(R15, 0x7fff_ffff_f000);
    expect(c.get(R15)).toBe(0x7fff_ffff_f000n);
    c.set(RSI, 0x0000_8000_0000_0000n);
    expect(c.va(RSI)).toBe(-1);
    expect([0x10, 0x33, 0x2b, 0x13, 0x12].map((cs) => { c.cs = cs; return c.cpl; })).toEqual([0, 3, 3, 3, 0]);
    expect(c.msrGet(0x1234)).toBe(0n);
  });

  it('clone: a deep copy (registers and MSRs apart), the rest equal', () => {
    const c = new CpuState();
    c.set(RAX, 5n); c.cr3 = 0x1000; c.zf = 1; c.msr.set(0xc0000081, 7n);
    const d = c.clone();
    expect(d).toBeInstanceOf(CpuState);
    expect([d.get(RAX), d.cr3, d.zf, d.msrGet(0xc0000081)]).toEqual([5n, 0x1000, 1, 7n]);
    d.set(RAX, 6n); d.hi[RAX] = 1; d.msr.set(0xc0000081, 8n);
    expect([c.get(RAX), c.msrGet(0xc0000081)]).toEqual([5n, 7n]);
    expect(d.msr).toBeInstanceOf(MsrMap);
  });

  it('MsrMap counts every change', () => {
    const map = new MsrMap();
    map.set(1, 1n); map.set(1, 2n);
    expect(map.writes).toBe(2);
    expect(map.delete(1)).toBe(true);
    map.set(2, 3n); map.clear();
    expect([map.writes, map.size]).toEqual([5, 0]);
    expect(map.set(4, 4n)).toBe(map);
  });

  it('linear and canonHi: 48-bit addresses and their canonical 64-bit form', () => {
    expect(linear(0x1234, 0)).toBe(0x1234);
    expect(linear(0xffff_ffff, 0)).toBe(0xffff_ffff);
    expect(linear(0, 0x7fff)).toBe(0x7fff_0000_0000);
    expect(linear(0, 0x8000)).toBe(-1);
    expect(linear(0, 0xffff_7fff)).toBe(-1);
    expect(linear(5, 0xffff_8000)).toBe(0x8000_0000_0005);
    expect(linear(0, 0x0001_0000)).toBe(-1);
    expect([canonHi(0x7fff_ffff_ffff), canonHi(0x8000_0000_0000), canonHi(0x1234), canonHi(0xffff_ffff_ffff)]).toEqual([0x7fff, 0xffff_8000, 0, 0xffff_ffff]);
  });
});

describe('partial-register writes (regs.ts)', () => {
  it('64 and 32 bits replace (32 zero-extends), 16 and 8 merge, ah..bh are bits 15:8', () => {
    const L = new Uint32Array(16), H = new Uint32Array(16);
    const reset = () => { L[RAX] = 0x1122_3344; H[RAX] = 0x5566_7788; };
    reset(); rset(L, H, RAX, 8, 0xaaaa_aaaa, 0xbbbb_bbbb); expect([L[RAX], H[RAX]]).toEqual([0xaaaa_aaaa, 0xbbbb_bbbb]);
    reset(); rset(L, H, RAX, 4, 0xaaaa_aaaa, 0xbbbb_bbbb); expect([L[RAX], H[RAX]]).toEqual([0xaaaa_aaaa, 0]);
    reset(); rset(L, H, RAX, 2, 0xaaaa_bbcc, 0xbbbb_bbbb); expect([L[RAX], H[RAX]]).toEqual([0x1122_bbcc, 0x5566_7788]);
    reset(); rset(L, H, RAX, 1, 0xaaaa_bbcc, 0xbbbb_bbbb); expect([L[RAX], H[RAX]]).toEqual([0x1122_33cc, 0x5566_7788]);
    reset(); rset(L, H, 16 + RAX, 1, 0xaaaa_bbcc, 0xbbbb_bbbb); expect([L[RAX], H[RAX]]).toEqual([0x1122_cc44, 0x5566_7788]);
    L[RAX] = 0x1234; H[RAX] = 5;
    expect([rlo(L, 16 + RAX), rhi(H, 16 + RAX)]).toEqual([0x12, 0]); // ah, register 16
    L[RBX] = 0x0000_ab00; H[RBX] = 7;
    expect([rlo(L, 16 + RBX), rhi(H, 16 + RBX), rlo(L, RBX), rhi(H, RBX)]).toEqual([0xab, 0, 0xab00, 7]);
    L[15] = 9; H[15] = 10;
    expect([rlo(L, 15), rhi(H, 15)]).toEqual([9, 10]);
    rset(L, H, 15, 1, 0x1ff, 0); // r15b (register 15, not a high byte)
    expect(L[15]).toBe(0xff);
  });

  it('radd: a signed delta across the 32-bit halves', () => {
    const c = new CpuState();
    c.set(RCX, 0xffff_fffen); radd(c, RCX, 4); expect(c.get(RCX)).toBe(0x1_0000_0002n);
    radd(c, RCX, -4); expect(c.get(RCX)).toBe(0xffff_fffen);
    c.set(RCX, 0n); radd(c, RCX, -1); expect(c.get(RCX)).toBe(0xffff_ffff_ffff_ffffn);
    radd(c, RCX, 1); expect(c.get(RCX)).toBe(0n);
    c.set(RCX, 0xffff_ffffn); radd(c, RCX, 0); expect(c.get(RCX)).toBe(0xffff_ffffn);
    c.set(RCX, 0x1_0000_0000n); radd(c, RCX, 0); expect(c.get(RCX)).toBe(0x1_0000_0000n);
  });
});

describe('the fault objects', () => {
  it('defaults', () => {
    expect({ ...new CpuFault(13, 0) }).toEqual({ vector: 13, error: 0, cr2: 0, why: '' });
    expect({ ...new CpuFault(14, 2, 0x1000, 'x') }).toEqual({ vector: 14, error: 2, cr2: 0x1000, why: 'x' });
    expect({ ...new VmExit(48) }).toEqual({ reason: 48, qual: 0, gpa: null, gla: null, instrLen: 0, intrInfo: 0, intrError: 0, idtInfo: 0, idtError: 0, idtInstrLen: 0 });
    expect({ ...new VmExit(0, 1, 2, 3, 4, 5, 6) }).toMatchObject({ reason: 0, qual: 1, gpa: 2, gla: 3, instrLen: 4, intrInfo: 5, intrError: 6 });
    expect(new Halt('idle').why).toBe('idle');
  });
});
