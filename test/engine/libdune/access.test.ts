// GuestMem (libdune/access.ts): how the natives reach guest memory. Every access goes through the
// MMU in the caller's mode and is charged one data access; a faulting access is delivered (here:
// a demand-paged stack page, the kernel's #PF handler) and retried; the page-table builders'
// storeEntries writes n entries with the same result on its fast path (straight to the frame) and
// its slow path (through the MMU, with a store hook or the TLB off). A spawned process, no guest
// run: milliseconds a test (mutation testing, docs/testing.md).

import { describe, it, expect, vi } from 'vitest';
import { asm } from '../harness.ts';
import { Session } from '../../../src/engine/session.ts';
import { GuestMem } from '../../../src/engine/libdune/access.ts';
import { CpuFault } from '../../../src/engine/cpu/fault.ts';
import { READ } from '../../../src/engine/mmu/mmu.ts';
import { mapPage } from '../../../src/engine/kernel/pgtable.ts';
import type { Knobs } from '../../../src/engine/mmu/mmu.ts';

const U64 = 2n ** 64n;

function boot(knobs: Partial<Knobs> = {}) {
  const s = new Session(asm('.data\n.align 4096\nbuf: .zero 16384\nstack_top:\n.text\n_start:\n    mov rdi, 0\n    call exit\nback:\n    nop\n'), { knobs });
  const m = s.machine;
  const buf = Number(s.program.symbols.get('buf'));
  const top = Number(s.program.symbols.get('stack_top'));
  return { s, m, k: s.kernel, buf, top, back: Number(s.program.symbols.get('back')), g: new GuestMem(m) };
}

/** Cycles an operation charges. */
function cost(m: Session['machine'], f: () => void) {
  const before = m.cycles;
  f();
  return m.cycles - before;
}

describe('GuestMem: loads and stores through the MMU', () => {
  it('records the caller’s RIP, mode and CPL', () => {
    const { g, m } = boot();
    expect([g.rip, g.nonRoot, g.cpl]).toEqual([m.cpu.rip, false, 3]);
  });

  it('64-bit and byte accesses, each one data access more than the MMU’s own', () => {
    const { g, m, buf } = boot();
    g.store64(buf, 0x1122_3344_5566_7788n);
    expect(g.load64(buf)).toBe(0x1122_3344_5566_7788n);
    expect([g.load8(buf), g.load8(buf + 7)]).toEqual([0x88, 0x11]);
    g.store8(buf + 1, 0x1ab); // the low byte only
    expect(g.load64(buf)).toBe(0x1122_3344_5566_ab88n);
    g.store64n(buf + 8, 0xdead_beef, 0x8000_0001);
    expect(g.load64(buf + 8)).toBe(0x8000_0001_dead_beefn);
    const d = m.costs.dataAccess;
    expect(d).toBeGreaterThan(0);
    // Warm: the same page again, the TLB holding it. The MMU's own access costs what m.read64 costs.
    const raw = cost(m, () => m.read64(buf + 16, false));
    expect(cost(m, () => g.load64(buf + 16))).toBe(raw + d);
    const rawW = cost(m, () => m.write64(buf + 16, 1n, false));
    expect(cost(m, () => g.store64(buf + 16, 2n))).toBe(rawW + d);
    expect(cost(m, () => g.store64n(buf + 16, 3, 0))).toBe(rawW + d);
    const raw8 = cost(m, () => m.load(buf + 16, 1));
    expect(cost(m, () => g.load8(buf + 16))).toBe(raw8 + d);
    const rawS8 = cost(m, () => m.store(buf + 16, 1, 4, 0));
    expect(cost(m, () => g.store8(buf + 16, 5))).toBe(rawS8 + d);
  });

  it('in the caller’s mode: from ring 3, a supervisor-only page faults instead of being read or written', () => {
    const { g, m, k, buf } = boot();
    const frame = m.mem.alloc();
    m.mem.write32(frame * 4096, 0x5eed);
    mapPage(m.mem, k.proc.root, buf + 0x3000, frame, { w: true, u: false, x: false, g: false });
    m.mmu.flushAll();
    const fault = vi.spyOn(m, 'fault').mockImplementation((e) => { throw e; });
    expect(() => g.load64(buf + 0x3000)).toThrow(CpuFault);
    expect(() => g.store64(buf + 0x3000, 1n)).toThrow(CpuFault);
    expect(fault).toHaveBeenCalledTimes(2);
    expect(m.mem.read32(frame * 4096)).toBe(0x5eed);
  });

  it('cstring stops at NUL or at max characters', () => {
    const { g, m, buf } = boot();
    m.writeBytes(buf, [...new TextEncoder().encode('hello'), 0, 0x41], false);
    expect(g.cstring(buf)).toBe('hello');
    expect(g.cstring(buf, 3)).toBe('hel');
    expect(g.cstring(buf + 5)).toBe('');
  });

  it('arguments: rdi, rsi, rdx, rcx, r8, r9; argNum keeps 48 bits', () => {
    const { g, m } = boot();
    [7, 6, 2, 1, 8, 9].forEach((r, i) => m.cpu.set(r, BigInt(i + 1)));
    expect([0, 1, 2, 3, 4, 5].map((i) => g.arg(i))).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    m.cpu.set(7, 0xffff_8000_0000_1234n);
    expect(g.argNum(0)).toBe(0x8000_0000_1234);
    expect(g.arg(0)).toBe(0xffff_8000_0000_1234n);
  });

  it('ret: RAX = v (64-bit two’s complement), RSP + 8, RIP the 48-bit return address, one instruction', () => {
    const { g, m, top } = boot();
    m.write64(top - 8, 0xffff_8000_0000_0040n, false);
    m.cpu.set(4, BigInt(top - 8));
    const load = cost(m, () => m.read64(top - 8, false));
    const c = cost(m, () => g.ret(-5n));
    expect([m.cpu.get(0), m.cpu.get(4), m.cpu.rip]).toEqual([U64 - 5n, BigInt(top), 0x8000_0000_0040]);
    expect(c).toBe(load + m.costs.dataAccess + m.costs.instr);
  });
});

describe('GuestMem: faults are delivered and the access retried', () => {
  it('a demand-paged page: one #PF to the kernel, which maps it, and the load returns', () => {
    const { m, k, back } = boot();
    m.cpu.rip = back; // the native's "instruction"
    const g = new GuestMem(m);
    const va = k.proc.vmas.at(-1)!.start; // the stack area's lowest page: not yet present
    const faults = m.faults;
    expect(g.load64(va)).toBe(0n);
    expect(m.faults).toBe(faults + 1);
    expect([m.cpu.rip, m.cpu.cpl]).toEqual([back, 3]);
    g.store64(va + 8, 7n);
    expect(g.load64(va + 8)).toBe(7n);
    expect(m.faults).toBe(faults + 1);
  });

  it('store64n and store8 retry too', () => {
    const { m, k, back } = boot();
    m.cpu.rip = back;
    const g = new GuestMem(m);
    const vmas = k.proc.vmas.at(-1)!;
    const faults = m.faults;
    g.store64n(vmas.start + 0x1000, 5, 6);
    expect(m.faults).toBe(faults + 1);
    expect(g.load64(vmas.start + 0x1000)).toBe(0x6_0000_0005n);
    g.store8(vmas.start + 0x2000, 9);
    expect([m.faults, g.load8(vmas.start + 0x2000)]).toEqual([faults + 2, 9]);
  });

  it('a fault that keeps coming back: nine retries, then it is thrown; another error at once', () => {
    const { m, buf } = boot();
    const g = new GuestMem(m);
    const pf = new CpuFault(14, 4, buf, 'test');
    const read = vi.spyOn(m, 'read64').mockImplementation(() => { throw pf; });
    const fault = vi.spyOn(m, 'fault').mockImplementation(() => {});
    const back = vi.spyOn(m, 'runUntilBack').mockImplementation(() => {});
    expect(() => g.load64(buf)).toThrow(pf);
    expect([read.mock.calls.length, fault.mock.calls.length, back.mock.calls.length]).toEqual([10, 9, 9]);
    expect(back).toHaveBeenCalledWith(g.rip, false, 3);
    const err = new Error('not a fault');
    read.mockImplementation(() => { throw err; });
    fault.mockClear();
    expect(() => g.load64(buf)).toThrow(err);
    expect(fault).not.toHaveBeenCalled();
  });
});

describe('GuestMem.storeEntries: n page-table entries, fast path and slow path alike', () => {
  function entries(knobs: Partial<Knobs>, hook: boolean, a: number, n: number, bLo = 0x7, bHi = 0x8000_0000) {
    const b = boot(knobs);
    const { m, g, buf } = b;
    const seen: number[] = [];
    const at = buf + 0x1000 + 16;
    g.store64(at - 8, 0n); // the same page just written: the fast path's condition
    if (hook) m.onStore = (va) => { seen.push(va); };
    const c = cost(m, () => g.storeEntries(at, n, a, bLo, bHi));
    m.onStore = null;
    const got = Array.from({ length: n + 1 }, (_, i) => m.read64(at + i * 8, false));
    return { got, c, seen, at, m, g, buf };
  }
  const want = (a: number, n: number) => [...Array.from({ length: n }, (_, i) => BigInt(a + i * 4096) | 0x7n | (1n << 63n)), 0n];

  it('the frames a, a + 4096, ...: the same entries with the TLB on, with a store hook, with the TLB off', () => {
    const a = 0x5000;
    for (const [knobs, hook] of [[{}, false], [{}, true], [{ tlb: false }, false]] as const) {
      expect(entries(knobs, hook, a, 5).got).toEqual(want(a, 5));
    }
    expect(entries({}, true, a, 5).seen).toEqual([0, 1, 2, 3, 4].map((i) => entries({}, false, a, 1).at + 8 * i)); // the hook sees every entry
  });

  it('a page table of entries (509 after the first): the fast path writes what the slow path does, and nothing past the run', () => {
    const fast = entries({}, false, 0x1_0000_0000 - 100 * 4096, 509), slow = entries({ tlb: false }, false, 0x1_0000_0000 - 100 * 4096, 509);
    expect(fast.got).toEqual(slow.got);
    expect(fast.got).toEqual(want(0x1_0000_0000 - 100 * 4096, 509));
  });

  it('a run past the end of the page is refused before anything is written (Machine.storeRun)', () => {
    const b = boot();
    const at = b.buf + 0x1000 + 4096 - 16;
    b.g.store64(at - 8, 0n);
    expect(() => b.m.storeRun(at, 3, 0x5000, 4096, 7, 0, b.m.costs.dataAccess, (v, lo, hi) => b.g.store64n(v, lo, hi))).toThrow(RangeError);
    expect([b.m.read64(at, false), b.m.read64(at + 8, false)]).toEqual([0n, 0n]);
  });

  it('across 4 GiB: the high half carries', () => {
    for (const a of [0xffff_e000, 0xffff_f000]) {
      expect(entries({}, false, a, 4).got).toEqual(want(a, 4));
      expect(entries({ tlb: false }, false, a, 4).got).toEqual(want(a, 4));
    }
  });

  it('the rest after the first (Machine.storeRun): no walk with the TLB on, one each with it off', () => {
    const walks = (knobs: Partial<Knobs>, n: number) => {
      const b = boot(knobs);
      const at = b.buf + 0x1000 + 16;
      b.g.store64(at - 8, 0n);
      b.g.store64(at, 0n); // the first entry's own translation, so only the rest are counted
      const before = b.m.mmu.stats.walks;
      b.m.storeRun(at + 8, n, 0x5000, 4096, 7, 0, b.m.costs.dataAccess, (v, lo, hi) => b.g.store64n(v, lo, hi));
      return b.m.mmu.stats.walks - before;
    };
    expect(walks({}, 5)).toBe(0);
    expect(walks({ tlb: false }, 5)).toBe(5);
  });

  it('one entry, or none asked: the first is stored either way, nothing after it', () => {
    expect(entries({}, false, 0x5000, 1).got).toEqual(want(0x5000, 1));
    expect(entries({}, false, 0x5000, 0).got).toEqual([BigInt(0x5000) | 0x7n | (1n << 63n)]);
    expect(entries({}, false, 0x5000, 0).c).toBe(entries({}, false, 0x5000, 1).c);
  });

  it('each entry is charged one data access (the first through the MMU)', () => {
    const { c, m } = entries({}, false, 0x5000, 6);
    const one = entries({}, false, 0x5000, 1).c;
    expect(c - one).toBe(5 * m.costs.dataAccess);
  });

  it('the fast path drops decoded code of the frame it writes', () => {
    const b = boot();
    const { m, g, buf } = b;
    const at = buf + 0x2000;
    g.store64(at, 0n);
    const f = m.mem.frames[Math.floor(m.xlate(at, READ) / 4096)]!;
    f.code = [];
    const gen = m.mem.codeGen;
    g.storeEntries(at, 3, 0x5000, 7, 0);
    expect(f.code).toBeNull();
    expect(m.mem.codeGen).toBe(gen + 1);
    g.storeEntries(at, 3, 0x5000, 7, 0);
    expect(m.mem.codeGen).toBe(gen + 1);
  });

  it('a page other than the last written: the slow path, the same entries', () => {
    const b = boot();
    const { m, g, buf } = b;
    g.store64(buf, 0n); // the last write is in another page
    g.storeEntries(buf + 0x3000, 3, 0x9000, 5, 0);
    expect([0, 8, 16].map((o) => m.read64(buf + 0x3000 + o, false))).toEqual([0x9005n, 0xa005n, 0xb005n]);
  });
});
