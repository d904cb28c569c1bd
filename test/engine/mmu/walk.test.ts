// Page-walk reference counts and order (vtx-facts §4): 4 references natively, (n+1)(m+1) - 1
// for the 2-D walk: 24 for 4-level guest paging over a 4-level EPT, 19 with guest 2 MiB pages,
// 15 when both use 2 MiB pages; and what the paging-structure caches save.

import { describe, it, expect } from 'vitest';
import { runLinux, makeGuest, ofType } from '../harness.ts';
import type { TraceEvent, WalkRef } from '../../../src/engine/trace/events.ts';
import { world1d, world2d, order2d, rd64, idx, P, RW, US, R, W } from './util.ts';

type Walk = Extract<TraceEvent, { type: 'walk' }>;
const ADDR = 0xffffffffff000n;
const big = (s: string) => BigInt(s);
const seq = (w: Walk) => w.refs.map((r) => `${r.space}${r.level}`);

/** Check the chain of a native walk: each entry is read from the table its parent names. */
function chain1d(refs: WalkRef[], va: number, cr3: number | null) {
  let table = cr3 === null ? big(refs[0].addr) - BigInt(idx(va, 4) * 8) : BigInt(cr3);
  refs.forEach((r, i) => {
    expect(big(r.addr), `level ${r.level}`).toBe(table + BigInt(idx(va, 4 - i) * 8));
    table = big(r.value) & ADDR;
  });
  return table; // the page frame
}

/** Check the chain of a 2-D walk: every EPT walk of a GPA starts at the EPT root and ends at the
 *  host-physical address the guest entry is then read from. */
function chain2d(refs: WalkRef[], va: number, gcr3: number, eptRoot: number, eptLevels = 4) {
  let gtable = BigInt(gcr3), k = 0;
  const eptWalk = (gpa: bigint) => {
    let t = BigInt(eptRoot);
    for (let l = 4; l > 4 - eptLevels; l--) {
      const r = refs[k++];
      expect([r.space, r.level, big(r.addr)]).toEqual(['ept', l, t + BigInt(idx(Number(gpa), l) * 8)]);
      t = big(r.value) & ADDR;
    }
    const size = eptLevels === 4 ? 0x1000n : 0x200000n;
    return t - (t % size) + (gpa % size); // the host-physical address
  };
  for (let level = 4; level >= 1; level--) {
    const gpa = gtable + BigInt(idx(va, level) * 8);
    const hpa = eptWalk(gpa);
    const r = refs[k++];
    expect([r.space, r.level, big(r.addr)]).toEqual(['guest', level, hpa]);
    gtable = big(r.value) & ADDR;
  }
  const hpa = eptWalk(gtable + BigInt(va % 4096));
  expect(k).toBe(refs.length);
  return hpa;
}

const DATA = `
  .data
  x: .quad 5
  .zero 8192
  .text
  _start:
    mov rax, [x]
    mov rbx, [x + 4096]
    mov rax, 60
    mov rdi, 0
    vmcall
`;

describe('walk references, psc off, cold TLB', () => {
  it('a native 4 KiB access reads 4 entries: host levels 4, 3, 2, 1', () => {
    const l = runLinux(DATA.replace('vmcall', 'syscall'), { knobs: { psc: false } });
    const w = ofType(l.events, 'walk').find((e) => e.va === '0x401000')!;
    expect(seq(w)).toEqual(['host4', 'host3', 'host2', 'host1']);
    const frame = chain1d(w.refs, 0x401000, null);
    expect(w.result).toBe('0x' + frame.toString(16));
    // Each addr is what was read: memory still holds the value (up to the A/D bits set since).
    for (const r of w.refs) expect(rd64(l.m.mem, Number(r.addr)) & ~0x60n).toBe(big(r.value) & ~0x60n);
  });

  it('a VMX guest with 4-level paging over a 4-level EPT reads 24 entries in hardware order', () => {
    const g = makeGuest(DATA, { knobs: { psc: false } });
    g.run();
    const w = ofType(g.events, 'walk').find((e) => e.va === '0x401000')!;
    expect(w.refs).toHaveLength(24);
    expect(seq(w)).toEqual(order2d([4, 3, 2, 1], [4, 3, 2, 1]));
    const hpa = chain2d(w.refs, 0x401000, g.gcr3, g.eptRoot);
    expect(hpa).toBe(BigInt(g.gpaOf.get(0x401000)!));
    expect(w.result).toBe('0x' + hpa.toString(16));
    for (const r of w.refs) expect(rd64(g.m.mem, Number(r.addr)) & ~0x360n).toBe(big(r.value) & ~0x360n);
  });

  // The harness's guest frames sit 9 GiB higher in guest-physical space than in host memory, so a
  // GPA read where an HPA belongs (or the reverse) lands in the wrong place. Addresses by hand:
  // guest CR3 GPA 0x24000a000 is host frame 0xa000; the EPT tables are 0x19000, 0x1a000, 0x1b000,
  // 0x1c000; the guest tables 0xa000 (PML4), 0xc000 (PDPT), 0xd000 (PD), 0xe000 (PT); x is at
  // gPA 0x24000f000 = hPA 0xf000.
  it('over an EPT that is not the identity: guest entries hold GPAs, each read at its HPA', () => {
    const g = makeGuest(DATA, { knobs: { psc: false }, gpaOffset: 0x2_4000_0000 });
    g.run();
    expect(g.m.status).toEqual({ code: 0, how: 'exit' });
    const w = ofType(g.events, 'walk').find((e) => e.va === '0x401000')!;
    const at = (space: string, level: number) => w.refs.filter((r) => r.space === space && r.level === level).map((r) => [r.addr, r.value]);
    expect(at('guest', 4)).toEqual([['0xa000', '0x24000c027']]);
    expect(at('guest', 3)).toEqual([['0xc000', '0x24000d027']]);
    expect(at('guest', 2)).toEqual([['0xd010', '0x24000e027']]);
    expect(at('guest', 1)).toEqual([['0xe008', '0x800000024000f003']]);
    // The EPT PTEs: for the PML4's GPA 0x24000a000 (index 10 of the EPT PT) ... the data's 0x24000f000 (index 15).
    expect(at('ept', 1).map(([a, v]) => [a, v])).toEqual([['0x1c050', '0xa077'], ['0x1c060', '0xc077'], ['0x1c068', '0xd077'],
      ['0x1c070', '0xe077'], ['0x1c078', '0xf077']]);
    expect(w.result).toBe('0xf000');
    expect(chain2d(w.refs, 0x401000, g.gcr3, g.eptRoot)).toBe(0xf000n);
  });

  it('guest 2 MiB page over 4 KiB EPT: 19 references; both 2 MiB: 15', () => {
    for (const [eptBig, n, eptLevels] of [[false, 19, [4, 3, 2, 1]], [true, 15, [4, 3, 2]]] as const) {
      const w = world2d({ knobs: { psc: false, tlb: false }, eptBig });
      const gpa = 0x4000000; // 64 MiB, 2 MiB-aligned
      w.map(0x40000000, gpa, P | RW, true);
      w.ept(gpa, 0x8000000, { r: true, w: true, x: true }, eptBig);
      if (!eptBig) w.ept(gpa + 0x3000, 0x9000000);
      const hpa = w.m.mmu.translate(w.ctx(), 0x40003008, R);
      const walk = ofType(w.events, 'walk')[0];
      expect(walk.refs).toHaveLength(n);
      expect(seq(walk)).toEqual(order2d([4, 3, 2], [...eptLevels]));
      expect(hpa).toBe(eptBig ? 0x8003008 : 0x9000008);
    }
  });

  it('guest 4 KiB pages over 2 MiB EPT pages: 4 x 3 + 4 + 3 = 19 references', () => {
    const w = world2d({ knobs: { psc: false, tlb: false }, eptBig: true });
    w.map(0x1000, 0x4000000, P | RW);
    w.ept(0x4000000, 0x8000000, { r: true, w: true, x: true }, true);
    w.m.mmu.translate(w.ctx(), 0x1010, R);
    expect(seq(ofType(w.events, 'walk')[0])).toEqual(order2d([4, 3, 2, 1], [4, 3, 2]));
  });
});

describe('paging-structure caches (psc on)', () => {
  it('native: a second page in the same 2 MiB region hits the PDE cache: 1 reference', () => {
    const w = world1d({ psc: true });
    w.map(0x400000, 0x10000, P | RW | US);
    w.map(0x401000, 0x11000, P | RW | US);
    w.map(0x600000, 0x12000, P | RW | US); // next 2 MiB region, same PDPT entry
    w.m.mmu.translate(w.ctx(), 0x400000, R);
    w.m.mmu.translate(w.ctx(), 0x401000, W);
    w.m.mmu.translate(w.ctx(), 0x600000, R);
    const [a, b, c] = ofType(w.events, 'walk');
    expect(a.refs).toHaveLength(4);
    expect(seq(b)).toEqual(['host1']);
    expect(b.psc).toEqual(['PDE cache']);
    expect(b.result).toBe('0x11000');
    expect(seq(c)).toEqual(['host2', 'host1']); // PDPTE cache: the PD is known
    expect(c.psc).toEqual(['PDPTE cache']);
    expect(w.m.mmu.stats).toMatchObject({ walks: 3, walkRefs: 7 });
  });

  it('2-D: guest PDE cache + EPT PDE caches leave 3 references (EPT PTE, guest PTE, EPT PTE)', () => {
    const w = world2d({ knobs: { psc: true } });
    w.map(0x400000, 0x10000, P | RW | US); // data GPAs in the same 2 MiB guest-physical region
    w.map(0x401000, 0x11000, P | RW | US);
    w.ept(0x10000, 0x20000); w.ept(0x11000, 0x21000);
    w.m.mmu.translate(w.ctx(), 0x400000, R);
    expect(w.m.mmu.translate(w.ctx(), 0x401008, R)).toBe(0x21008);
    const [a, b] = ofType(w.events, 'walk');
    expect(a.refs).toHaveLength(12); // see the next test
    expect(seq(b)).toEqual(['ept1', 'guest1', 'ept1']);
    expect(b.psc).toEqual(['PDE cache', 'EPT PDE cache', 'EPT PDE cache']);
  });

  it('the first 2-D walk with psc on: guest tables share EPT upper levels', () => {
    // Guest table pages and data live in one 2 MiB guest-physical region: after the first EPT walk
    // (4 refs) every later EPT walk in the same walk hits the EPT PDE cache (1 ref).
    const w = world2d({ knobs: { psc: true } });
    w.map(0x400000, 0x10000, P | RW | US);
    w.ept(0x10000, 0x20000);
    w.m.mmu.translate(w.ctx(), 0x400000, R);
    const a = ofType(w.events, 'walk')[0];
    expect(seq(a)).toEqual(['ept4', 'ept3', 'ept2', 'ept1', 'guest4', 'ept1', 'guest3', 'ept1', 'guest2', 'ept1', 'guest1', 'ept1']);
  });
});
