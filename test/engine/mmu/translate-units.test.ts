// Mmu.translate called directly on hand-built tables (no guest run), with every expected value
// written out by hand from the SDM (Vol. 3A "Paging": permissions, A/D, #PF; Vol. 3C "EPT":
// violations, misconfigurations, EPT A/D, "Caching Translation Information"; vtx-facts §2-§4):
// what a cached translation may serve, the walk's cost and statistics, the events built or only
// counted, the paging-structure caches (EPT ones over an EPT that is not the identity), and the
// fault reasons the trace shows. Layouts: world1d's root is frame 1 and its tables are allocated
// in order; world2d's EPT root is 0x1000, guest CR3 0x2000, EPT tables 0x3000-0x5000, the guest's
// PDPT, PD, PT 0x6000, 0x7000, 0x8000 (each test says which it relies on).

import { describe, it, expect } from 'vitest';
import { ofType } from '../harness.ts';
import { CR0, CR4 } from '../../../src/engine/arch/x86.ts';
import { CpuFault } from '../../../src/engine/cpu/fault.ts';
import { eptMap, eptSetRaw, makeEptp } from '../../../src/engine/ept/ept.ts';
import { DEFAULT_COSTS } from '../../../src/engine/cost.ts';
import { Mmu, DEFAULT_KNOBS, type MmuHost } from '../../../src/engine/mmu/mmu.ts';
import type { PhysMem } from '../../../src/engine/mem/phys.ts';
import { world1d, world2d, bare, xctx, run, entryAt, wr64, rd64, P, RW, US, A, D, PS, R, W, X } from './util.ts';

const ALL = { r: true, w: true, x: true };
const NOWP = (CR0.PE | CR0.PG) >>> 0; // CR0.WP = 0
const walks = (ev: { type: string }[]) => ofType(ev as never, 'walk');
const seq = (w: { refs: { space: string; level: number }[] }) => w.refs.map((r) => `${r.space}${r.level}`);

/** An Mmu over `mem` whose host only records: tracing and the kinds it wants as given. */
function probeHost(mem: PhysMem, tracing: boolean, wants: boolean) {
  const events: object[] = [];
  const host: MmuHost = { costs: DEFAULT_COSTS, cycles: 0, tracing, wants: () => wants, emit: (e) => events.push(e) };
  return { mmu: new Mmu(mem, host, { ...DEFAULT_KNOBS }), events, host };
}

/** The error a translation throws (a CpuFault here). */
function pf(f: () => unknown): CpuFault {
  try { f(); } catch (e) { if (e instanceof CpuFault) return e; throw e; }
  throw new Error('no fault');
}

describe('the modelled machine', () => {
  it('defaults follow the paper\'s Ivy Bridge: TLB, paging-structure caches and VPIDs on, no EPT A/D, no huge pages', () => {
    expect(DEFAULT_KNOBS).toEqual({ tlb: true, psc: true, eptAd: false, hugepages: false, vpid: true });
  });
});

describe('what a cached translation may serve (else the access re-walks)', () => {
  it('4 KiB: reads hit; the first write re-walks to set D, later writes and fetches hit', () => {
    const w = world1d();
    w.map(0x401000, 0x12000, P | RW);
    const c = w.ctx();
    expect(w.m.mmu.translate(c, 0x401008, R)).toBe(0x12008);
    expect(w.m.mmu.translate(c, 0x401ff8, R)).toBe(0x12ff8);
    expect(w.m.mmu.stats).toMatchObject({ walks: 1, tlbMisses: 1, tlbHits: 1 });
    expect(w.m.mmu.translate(c, 0x401010, W)).toBe(0x12010);
    expect(w.m.mmu.stats).toMatchObject({ walks: 2, tlbMisses: 2, tlbHits: 1 });
    expect(w.m.mmu.translate(c, 0x401018, W)).toBe(0x12018);
    expect(w.m.mmu.translate(c, 0x401020, X)).toBe(0x12020);
    expect(w.m.mmu.stats).toMatchObject({ walks: 2, tlbMisses: 2, tlbHits: 3 });
  });

  it('2 MiB: a hit in the 2 MiB TLB (set 0, way 0) keeps the 21-bit offset', () => {
    const w = world1d();
    w.map(0x40000000, 0x600000, P | RW, true);
    const c = w.ctx();
    expect(w.m.mmu.translate(c, 0x40012345, R)).toBe(0x612345);
    expect([w.m.mmu.tlb2m.count(), w.m.mmu.tlb4k.count()]).toEqual([1, 0]);
    expect(w.m.mmu.tlb2m.find(0x200, 0, 0)).toBe(0); // page number 0x40000000 >> 21 = 0x200, set 0x200 % 8 = 0
    expect(w.m.mmu.translate(c, 0x401fffff, R)).toBe(0x7fffff);
    expect(w.m.mmu.stats).toMatchObject({ walks: 1, tlbMisses: 1, tlbHits: 1 });
    expect(w.m.mmu.translate(c, 0x40100000, W)).toBe(0x700000); // clean: re-walks
    expect(w.m.mmu.translate(c, 0x40100008, W)).toBe(0x700008);
    expect(w.m.mmu.stats).toMatchObject({ walks: 2, tlbMisses: 2, tlbHits: 2 });
  });

  it('CR0.WP = 0: a supervisor write to a read-only page is cached like any write', () => {
    const w = world1d();
    w.map(0x401000, 0x12000, P);
    const c = w.ctx({ cr0: NOWP });
    expect(w.m.mmu.translate(c, 0x401000, W)).toBe(0x12000);
    expect(w.m.mmu.translate(c, 0x401008, W)).toBe(0x12008);
    expect(w.m.mmu.stats).toMatchObject({ walks: 1, tlbHits: 1 });
  });

  // The leaf is dirty from the start, so the read fills an entry that serves writes as far as D goes.
  it('a cached read-only translation does not serve a user write (WP = 0) or a supervisor write (WP = 1)', () => {
    const u = world1d();
    u.map(0x401000, 0x12000, P | US | A | D);
    expect(run(u.m, u.ctx({ cpl: 3, cr0: NOWP }), 0x401000, R)).toEqual({ hpa: 0x12000 });
    expect(run(u.m, u.ctx({ cpl: 3, cr0: NOWP }), 0x401000, W)).toEqual({ pf: 7, cr2: 0x401000 }); // P | W | U
    const s = world1d();
    s.map(0x401000, 0x12000, P | A | D);
    expect(run(s.m, s.ctx(), 0x401000, R)).toEqual({ hpa: 0x12000 });
    expect(run(s.m, s.ctx(), 0x401000, W)).toEqual({ pf: 3, cr2: 0x401000 }); // P | W
    expect(s.m.mmu.stats.walks).toBe(2);
  });

  it('EPT read/write without execute: a cached read does not serve a fetch (EPT violation, R and W readable)', () => {
    const w = world2d();
    w.map(0x400000, 0x9000, P | RW);
    w.ept(0x9000, 0x50000, { r: true, w: true, x: false });
    expect(run(w.m, w.ctx(), 0x400010, R)).toEqual({ hpa: 0x50010 });
    // fetch (bit 2) | readable (3) | writable (4) | linear address valid (7) | translated (8)
    expect(run(w.m, w.ctx(), 0x400010, X)).toEqual({ exit: 48, qual: 0x19c, gpa: 0x9010, gla: 0x400010 });
  });

  it('EPT execute-only: a cached fetch does not serve a read (EPT violation, executable)', () => {
    const w = world2d();
    w.map(0x400000, 0x9000, P | RW);
    w.ept(0x9000, 0x50000, { r: false, w: false, x: true });
    expect(run(w.m, w.ctx(), 0x400010, X)).toEqual({ hpa: 0x50010 });
    // read (bit 0) | executable (5) | linear address valid (7) | translated (8)
    expect(run(w.m, w.ctx(), 0x400010, R)).toEqual({ exit: 48, qual: 0x1a1, gpa: 0x9010, gla: 0x400010 });
  });

  // The model's rule: a 4 KiB entry that cannot serve the access means a walk, even if a 2 MiB
  // entry for the address exists too (here both exist: software made the page 2 MiB without INVLPG).
  it('a 4 KiB entry that cannot serve a write re-walks; a 2 MiB entry for the same address is not consulted', () => {
    const w = world1d({ psc: false });
    w.map(0x40000000, 0x10000, P | RW);
    const c = w.ctx();
    expect(w.m.mmu.translate(c, 0x40000000, R)).toBe(0x10000);
    expect(w.m.mmu.tlb4k.find(0x40000, 0, 0)).toBe(0); // slot 0: page 0x40000, set 0
    wr64(w.mem, entryAt(w.mem, w.cr3, 0x40000000, 2, 0n), 0x600000n | P | RW | PS);
    expect(w.m.mmu.translate(c, 0x40000000, W)).toBe(0x600000);
    expect(w.m.mmu.tlb2m.count()).toBe(1);
    expect(w.m.mmu.translate(c, 0x40000008, W)).toBe(0x600008);
    expect(w.m.mmu.stats.walks).toBe(3);
  });

  it('TLB knob off: nothing is looked up (a cached entry from before stays unused) and nothing filled', () => {
    const w = world1d();
    w.map(0x401000, 0x12000, P | RW);
    w.m.mmu.translate(w.ctx(), 0x401000, R);
    w.m.mmu.knobs.tlb = false;
    w.m.mmu.translate(w.ctx(), 0x401000, R);
    expect(w.m.mmu.stats).toMatchObject({ walks: 2, tlbHits: 0 });
    w.m.mmu.tlb4k.drop(() => true);
    w.m.mmu.translate(w.ctx(), 0x401000, R);
    expect(w.m.mmu.tlb4k.count()).toBe(0);
  });
});

describe('walk cost: tlbMiss + per reference walkRef[cache level] (+ eptRef for EPT references)', () => {
  // walkRef = [4, 12, 30, 180] (L1, L2, LLC, DRAM), tlbMiss = 11, eptRef = 3.
  it('native, cold: 11 + 4 x 180 = 731 cycles; the next page of the same table: 11 + 4 x 4 (all L1) = 27', () => {
    const w = world1d({ psc: false });
    w.map(0x401000, 0x12000, P | RW); // PML4E 0x1000, PDPTE 0x2000, PDE 0x3010, PTE 0x4008
    w.map(0x402000, 0x13000, P | RW); // PTE 0x4010: the same 64-byte line
    w.m.mmu.translate(w.ctx(), 0x401000, R);
    expect(w.m.cycles).toBe(731);
    expect(w.m.mmu.stats).toEqual({ walks: 1, walkRefs: 4, tlbMisses: 1, tlbHits: 0, walkCycles: 731 });
    w.m.mmu.translate(w.ctx(), 0x402000, R);
    expect(w.m.cycles).toBe(758);
    expect(w.m.mmu.stats.walkCycles).toBe(758);
  });

  // EPT entries: 0x1000, 0x3000, 0x4000 for every GPA here; EPT PTEs 0x5010 (guest PML4 at gPA
  // 0x2000), 0x5030, 0x5038 (lines 0x5000), 0x5040 (guest PT, a new line), 0x5048 (data 0x9000).
  // From DRAM: the first EPT walk's 4, 0x5040, and the 4 guest entries; the other 15 EPT refs L1.
  it('2-D, cold, psc off: 11 + 5 x (180 + 3) + 15 x (4 + 3) + 4 x 180 = 1751 cycles', () => {
    const w = world2d({ knobs: { psc: false } });
    w.map(0x400000, 0x9000, P | RW);
    w.ept(0x9000, 0x50000);
    expect(w.m.mmu.translate(w.ctx(), 0x400008, R)).toBe(0x50008);
    expect(w.m.cycles).toBe(1751);
    expect(w.m.mmu.stats).toEqual({ walks: 1, walkRefs: 24, tlbMisses: 1, tlbHits: 0, walkCycles: 1751 });
  });
});

describe('events: built when wanted, bare { type } when only counted, none when not tracing', () => {
  it('tracing, no kind wanted: the walk, the four A updates and the fill are emitted as bare bodies', () => {
    const w = world1d();
    w.map(0x401000, 0x12000, P | RW);
    const q = probeHost(w.mem, true, false);
    q.mmu.translate(w.ctx(), 0x401000, R);
    expect(q.events).toEqual([{ type: 'walk' }, { type: 'ad' }, { type: 'ad' }, { type: 'ad' }, { type: 'ad' }, { type: 'tlb' }]);
  });

  it('tracing, no kind wanted, EPT A/D on: 8 EPT A, 4 EPT D and 4 guest A updates, all bare', () => {
    const w = world2d({ knobs: { psc: false }, ad: true });
    w.map(0x400000, 0x9000, P | RW);
    w.ept(0x9000, 0x50000);
    const q = probeHost(w.mem, true, false);
    q.mmu.translate(w.ctx(), 0x400000, R);
    expect(q.events).toEqual([...Array(12).fill({ type: 'ad' }), { type: 'walk' }, ...Array(4).fill({ type: 'ad' }), { type: 'tlb' }]);
  });

  it('not tracing: nothing is emitted (a walk, EPT A/D, a fill, a fault), whatever the sink would want', () => {
    const w = world2d({ knobs: { psc: false }, ad: true });
    w.map(0x400000, 0x9000, P | RW);
    w.ept(0x9000, 0x50000);
    const q = probeHost(w.mem, false, true);
    expect(q.mmu.translate(w.ctx(), 0x400000, W)).toBe(0x50000);
    expect(() => q.mmu.translate(w.ctx(), 0x800000, R)).toThrow(CpuFault);
    const n = world1d();
    n.map(0x401000, 0x12000, P | RW);
    const q1 = probeHost(n.mem, false, true);
    q1.mmu.translate(n.ctx(), 0x401000, R);
    expect(() => q1.mmu.translate(n.ctx(), 0x800000, R)).toThrow(CpuFault);
    expect([q.events, q1.events]).toEqual([[], []]);
  });

  it('EPT A/D on, built: A on each EPT entry the first time it is used, D on the leaves of the guest table pages', () => {
    const w = world2d({ knobs: { psc: false }, ad: true });
    w.map(0x400000, 0x9000, P | RW);
    w.ept(0x9000, 0x50000);
    w.m.mmu.translate(w.ctx(), 0x400000, R);
    const ad = ofType(w.events, 'ad');
    const ept = (bit: string, e: string) => ({ type: 'ad', table: 'ept', bit, entry: e, va: '0x400000' });
    expect(ad.filter((e) => e.table === 'ept')).toMatchObject([
      ept('A', '0x1000'), ept('A', '0x3000'), ept('A', '0x4000'), ept('A', '0x5010'), ept('D', '0x5010'),
      ept('A', '0x5030'), ept('D', '0x5030'), ept('A', '0x5038'), ept('D', '0x5038'),
      ept('A', '0x5040'), ept('D', '0x5040'), ept('A', '0x5048')]);
    expect(ad.filter((e) => e.table === 'guest').map((e) => [e.bit, e.entry])).toEqual([['A', '0x2000'], ['A', '0x6000'], ['A', '0x7010'], ['A', '0x8000']]);
  });

  it('EPT A/D on: a write to a page whose EPT leaf already has A sets only D there', () => {
    const w = world2d({ knobs: { psc: false }, ad: true });
    w.map(0x400000, 0x9000, P | RW);
    eptMap(w.mem, w.eptRoot, 0x9000, 0x50000, { ...ALL, a: true });
    w.m.mmu.translate(w.ctx(), 0x400000, W);
    expect(ofType(w.events, 'ad').filter((e) => e.entry === '0x5048').map((e) => [e.table, e.bit])).toEqual([['ept', 'D']]);
    expect(rd64(w.mem, 0x5048) & 0x300n).toBe(0x300n);
  });

  it('a native walk\'s references carry no gPA and, with no cache hit, the event has no psc list', () => {
    const w = world1d({ psc: false });
    w.map(0x401000, 0x12000, P | RW);
    w.m.mmu.translate(w.ctx(), 0x401000, R);
    const e = walks(w.events)[0];
    expect(e.refs.map((r) => 'gpa' in r)).toEqual([false, false, false, false]);
    expect('psc' in e).toBe(false);
  });

  it('2-D: the EPT references for guest-physical address 0 carry gpa 0x0', () => {
    const w = world2d({ knobs: { psc: false } });
    w.map(0x400000, 0, P | RW);
    w.ept(0, 0x50000);
    expect(w.m.mmu.translate(w.ctx(), 0x400123, R)).toBe(0x50123);
    expect(walks(w.events)[0].refs.slice(20).map((r) => [r.space, r.gpa])).toEqual([['ept', '0x123'], ['ept', '0x123'], ['ept', '0x123'], ['ept', '0x123']]);
    const w0 = world2d({ knobs: { psc: false } });
    w0.map(0x400000, 0, P | RW);
    w0.ept(0, 0x50000);
    w0.m.mmu.translate(w0.ctx(), 0x400000, R);
    expect(walks(w0.events)[0].refs.slice(20).map((r) => r.gpa)).toEqual(['0x0', '0x0', '0x0', '0x0']);
  });

  it('the fill event: VPID, PCID, the page-aligned address and the page size', () => {
    const w = world2d({ eptBig: true, vpid: 2 });
    w.map(0x40000000, 0x4000000, P | RW, true);
    w.ept(0x4000000, 0x8000000, ALL, true);
    w.map(0x403000, 0x4003000, P | RW);
    const c = w.ctx({ cr3: w.cr3 + 5, cr4: CR4.PAE | CR4.PGE | CR4.PCIDE });
    expect(w.m.mmu.translate(c, 0x40123456, R)).toBe(0x8123456);
    expect(w.m.mmu.translate(c, 0x403456, R)).toBe(0x8003456);
    expect(ofType(w.events, 'tlb')).toMatchObject([
      { type: 'tlb', op: 'fill', vpid: 2, pcid: 5, va: '0x40000000', scope: '2M' },
      { type: 'tlb', op: 'fill', vpid: 2, pcid: 5, va: '0x403000', scope: '4K' }]);
    expect([w.m.mmu.tlb2m.count(), w.m.mmu.tlb4k.count()]).toEqual([1, 1]);
  });
});

describe('4-level walk: page bases, reserved bits and the fault reasons the trace shows', () => {
  it('bit 7 of a PTE is PAT, not PS: with address bits 20:13 set it is no reserved bit', () => {
    const w = world1d();
    w.map(0x401000, 0x1fe000, P | RW | PS);
    expect(run(w.m, w.ctx(), 0x401008, R)).toEqual({ hpa: 0x1fe008 });
  });

  it('bit 12 of a 2 MiB PDE is PAT: the page base is bits 51:21', () => {
    const w = world1d();
    w.map(0x40000000, 0x601000, P | RW, true);
    expect(run(w.m, w.ctx(), 0x40012345, R)).toEqual({ hpa: 0x612345 });
  });

  const cases: [string, bigint, boolean, number, 0 | 1 | 2, string][] = [
    ['bit 13 of a 2 MiB PDE', P | RW, true, 0, R, 'reserved bit set at level 2'],
    ['a user read of a supervisor page', P | RW, false, 3, R, 'user access to a supervisor page'],
    ['a write to a read-only page', P | US, false, 3, W, 'write to a read-only page'],
    ['a fetch from a no-execute page', P | US | (1n << 63n), false, 3, X, 'instruction fetch from a no-execute page'],
  ];
  for (const [name, flags, big, cpl, acc, why] of cases) {
    it(`${name}: "${why}" in the fault and the walk event`, () => {
      const w = world1d();
      w.map(0x40000000, big ? 0x602000 : 0x12000, flags, big);
      const f = pf(() => w.m.mmu.translate(w.ctx({ cpl }), 0x40000000, acc));
      expect(f.why).toBe(why);
      expect(walks(w.events)[0].fault).toBe(`#PF ${why}`);
    });
  }

  // The guest's PDPT is at gPA 0x6000; read-only in the EPT, its entry's A update is a write.
  it('a guest A update to a table page the EPT maps read-only: EPT violation at the guest PDPTE, write | readable | GLA', () => {
    const w = world2d({ knobs: { psc: false } });
    w.map(0x400000, 0x9000, P | RW);
    w.ept(0x9000, 0x50000);
    w.ept(0x6000, 0x6000, { r: true, w: false, x: false });
    expect(run(w.m, w.ctx(), 0x400000, R)).toEqual({ exit: 48, qual: 0x8a, gpa: 0x6000, gla: 0x400000 });
    const e = walks(w.events)[0];
    expect([e.fault, e.cause]).toEqual(['EPT violation (guest A/D update)', { kind: 'ept-violation', space: 'guest', level: 3, serves: 3, code: 0x8a }]);
  });

  it('an EPT PTE that is write-only (RWX = 010b): misconfiguration at EPT level 1 for the data GPA', () => {
    const w = world2d({ knobs: { psc: false } });
    w.map(0x400000, 0x9000, P | RW);
    eptSetRaw(w.mem, w.eptRoot, 0x9000, 0x50000 | 2 | (6 << 3));
    expect(run(w.m, w.ctx(), 0x400000, R)).toEqual({ exit: 49, qual: 0, gpa: 0x9000, gla: 0x400000 });
    const e = walks(w.events)[0];
    expect([e.fault, e.cause]).toEqual(['EPT misconfiguration', { kind: 'ept-misconfig', space: 'ept', level: 1, serves: 0, code: 0 }]);
  });

  it('a GPA whose EPT PDPTE is not present: violation at EPT level 3 after two EPT references', () => {
    const w = world2d({ knobs: { psc: false } });
    w.map(0x400000, 0x40000000, P | RW); // gPA 1 GiB: EPT PDPTE 1, never mapped
    expect(run(w.m, w.ctx(), 0x400000, R)).toEqual({ exit: 48, qual: 0x181, gpa: 0x40000000, gla: 0x400000 });
    const e = walks(w.events)[0];
    expect(seq(e).slice(20)).toEqual(['ept4', 'ept3']);
    expect([e.fault, e.cause]).toEqual(['EPT violation at EPT level 3', { kind: 'ept-violation', space: 'ept', level: 3, serves: 0, code: 0x181 }]);
  });

  // The model has no 1 GiB EPT pages (the walk handles leaves at levels 1 and 2 only): bit 7 of an
  // EPT PDPTE is treated as reserved.
  it('bit 7 in an EPT PDPTE (no 1 GiB EPT pages in the model): misconfiguration', () => {
    const w = world2d({ knobs: { psc: false } });
    w.map(0x400000, 0x40000000, P | RW);
    // No memory type (bits 5:3 = 0): read as a table pointer, the entry would be well formed.
    wr64(w.mem, 0x3008, 0x40000000n | 7n | 0x80n); // EPT PDPT 0x3000, entry 1
    expect(run(w.m, w.ctx(), 0x400000, R)).toEqual({ exit: 49, qual: 0, gpa: 0x40000000, gla: 0x400000 });
  });

  // An EPT page table at host-physical 4 GiB (entry bits 51:32 = 1): the walk must take the
  // table address from both halves of the EPT PDE.
  it('an EPT table above 4 GiB: the EPT PDE\'s high half is part of the table address', () => {
    const b = bare({ psc: false }, 2 ** 32 + 0x10000);
    const eptRoot = b.mem.alloc() * 4096;
    const galloc = () => { const pa = b.mem.alloc() * 4096; eptMap(b.mem, eptRoot, pa, pa, ALL); return pa; };
    const cr3 = galloc();
    wr64(b.mem, entryAt(b.mem, cr3, 0x400000, 1, P | RW | US, galloc), 0x4000000n | P | RW);
    const pd = entryAt(b.mem, eptRoot, 0x4000000, 2, 0n);          // EPT PD entry 32 (the PD exists)
    wr64(b.mem, pd, 0x1_0000_0000n | 7n);                          // -> EPT PT at 4 GiB
    wr64(b.mem, 0x1_0000_0000, 0x50000n | 7n | (6n << 3n));         // entry 0: gPA 0x4000000 -> 0x50000
    const c = xctx({ cr3, nonRoot: true, vpid: 1, ept: true, eptp: makeEptp(eptRoot, false) });
    expect(b.m.mmu.translate(c, 0x400010, R)).toBe(0x50010);
    expect(walks(b.events)[0].refs.at(-1)!.addr).toBe('0x100000000');
  });

  it('a 2 MiB EPT leaf with bit 12 set (bits 20:12 are reserved there): misconfiguration', () => {
    const w = world2d({ knobs: { psc: false } });
    w.map(0x400000, 0x4000000, P | RW);
    w.ept(0x4000000, 0x8001000, ALL, true);
    expect(run(w.m, w.ctx(), 0x400000, R)).toEqual({ exit: 49, qual: 0, gpa: 0x4000000, gla: 0x400000 });
  });
});

describe('D in the TLB entry: a write is served only once no D bit needs setting', () => {
  it('EPT A/D off: after the first write, writes hit', () => {
    const w = world2d();
    w.map(0x400000, 0x9000, P | RW);
    w.ept(0x9000, 0x50000);
    w.m.mmu.translate(w.ctx(), 0x400000, W);
    w.m.mmu.translate(w.ctx(), 0x400008, W);
    expect(w.m.mmu.stats).toMatchObject({ walks: 1, tlbHits: 1 });
  });

  it('EPT A/D on: after the first write, writes hit', () => {
    const w = world2d({ ad: true });
    w.map(0x400000, 0x9000, P | RW);
    w.ept(0x9000, 0x50000);
    w.m.mmu.translate(w.ctx(), 0x400000, W);
    w.m.mmu.translate(w.ctx(), 0x400008, W);
    expect(w.m.mmu.stats).toMatchObject({ walks: 1, tlbHits: 1 });
  });

  it('EPT A/D on, guest leaf and EPT leaf already dirty: a read fills an entry that serves writes', () => {
    const w = world2d({ ad: true });
    w.map(0x400000, 0x9000, P | RW | A | D);
    eptMap(w.mem, w.eptRoot, 0x9000, 0x50000, { ...ALL, a: true, d: true });
    w.m.mmu.translate(w.ctx(), 0x400000, R);
    w.m.mmu.translate(w.ctx(), 0x400008, W);
    expect(w.m.mmu.stats).toMatchObject({ walks: 1, tlbHits: 1 });
  });

  it('native, leaf already dirty: a read fills an entry that serves writes', () => {
    const w = world1d();
    w.map(0x401000, 0x12000, P | RW | A | D);
    w.m.mmu.translate(w.ctx(), 0x401000, R);
    w.m.mmu.translate(w.ctx(), 0x401008, W);
    expect(w.m.mmu.stats).toMatchObject({ walks: 1, tlbHits: 1 });
  });
});

describe('paging-structure caches', () => {
  it('psc knob off: the caches are neither consulted (entries from before stay unused) nor filled', () => {
    const w = world1d();
    w.map(0x401000, 0x12000, P | RW); w.map(0x402000, 0x13000, P | RW);
    w.m.mmu.translate(w.ctx(), 0x401000, R);
    expect(w.m.mmu.psc.size).toBe(3);
    w.m.mmu.knobs.psc = false;
    w.m.mmu.translate(w.ctx(), 0x402000, R);
    expect(walks(w.events)[1].refs).toHaveLength(4);
    const off = world1d({ psc: false });
    off.map(0x401000, 0x12000, P | RW);
    off.m.mmu.translate(off.ctx(), 0x401000, R);
    expect(off.m.mmu.psc.size).toBe(0);
  });

  it('psc knob off, 2-D: neither the guest nor the EPT caches are consulted or filled', () => {
    const w = world2d();
    w.map(0x400000, 0x9000, P | RW); w.map(0x401000, 0xa000, P | RW);
    w.ept(0x9000, 0x50000); w.ept(0xa000, 0x51000);
    w.m.mmu.translate(w.ctx(), 0x400000, R);
    expect(w.m.mmu.eptPsc.size).toBe(3);
    w.m.mmu.knobs.psc = false;
    w.m.mmu.translate(w.ctx(), 0x401000, R);
    expect(walks(w.events)[1].refs).toHaveLength(24);
    const off = world2d({ knobs: { psc: false } });
    off.map(0x400000, 0x9000, P | RW);
    off.ept(0x9000, 0x50000);
    off.m.mmu.translate(off.ctx(), 0x400000, R);
    expect([off.m.mmu.psc.size, off.m.mmu.eptPsc.size]).toEqual([0, 0]);
  });

  it('native PML4E cache: another 1 GiB region under the same PML4 entry starts at the PDPT', () => {
    const w = world1d();
    w.map(0x40000000, 0x12000, P | RW); w.map(0x80000000, 0x13000, P | RW);
    w.m.mmu.translate(w.ctx(), 0x40000000, R);
    expect(w.m.mmu.translate(w.ctx(), 0x80000000, R)).toBe(0x13000);
    const e = walks(w.events)[1];
    expect([seq(e), e.psc]).toEqual([['host3', 'host2', 'host1'], ['PML4E cache']]);
  });

  // Guest table pages at gPA = hPA + 1 GiB (EPT PDPTE 1), data in another 2 MiB of that GiB and in
  // the next GiB: the EPT PDE, PDPTE and PML4E caches each serve, keyed by the GPA's own bits.
  it('EPT PDE, PDPTE and PML4E caches over an EPT that is not the identity', () => {
    const OFF = 0x4000_0000;
    const b = bare({ psc: true });
    const eptRoot = b.mem.alloc() * 4096;
    const galloc = () => { const pa = b.mem.alloc() * 4096; eptMap(b.mem, eptRoot, pa + OFF, pa, ALL); return pa + OFF; };
    const cr3 = galloc();
    const map = (va: number, gpa: number) => wr64(b.mem, entryAt(b.mem, cr3, va, 1, P | RW | US, galloc, (g) => g - OFF), BigInt(gpa) | P | RW);
    map(0x400000, 0x40600000); map(0x401000, 0x80000000);
    eptMap(b.mem, eptRoot, 0x40600000, 0x50000, ALL); eptMap(b.mem, eptRoot, 0x80000000, 0x51000, ALL);
    const c = xctx({ cr3, nonRoot: true, vpid: 1, ept: true, eptp: makeEptp(eptRoot, false) });
    expect(b.m.mmu.translate(c, 0x400010, R)).toBe(0x50010);
    expect(b.m.mmu.translate(c, 0x401010, R)).toBe(0x51010);
    const [e1, e2] = walks(b.events);
    expect(seq(e1)).toEqual(['ept4', 'ept3', 'ept2', 'ept1', 'guest4', 'ept1', 'guest3', 'ept1', 'guest2', 'ept1', 'guest1', 'ept2', 'ept1']);
    expect(e1.psc).toEqual(['EPT PDE cache', 'EPT PDE cache', 'EPT PDE cache', 'EPT PDPTE cache']);
    expect(seq(e2)).toEqual(['ept1', 'guest1', 'ept3', 'ept2', 'ept1']);
    expect(e2.psc).toEqual(['PDE cache', 'EPT PDE cache', 'EPT PML4E cache']);
  });

  it('each cache holds at most 64 entries', () => {
    const w = world1d();
    for (let i = 0; i < 70; i++) w.map(0x40000000 + i * 0x200000, 0x12000, P | RW);
    for (let i = 0; i < 70; i++) w.m.mmu.translate(w.ctx(), 0x40000000 + i * 0x200000, R);
    expect(w.m.mmu.psc.size).toBe(64);
    const v = world2d();
    for (let i = 0; i < 70; i++) { v.map(0x400000 + i * 0x1000, 0x1000000 + i * 0x200000, P | RW); v.ept(0x1000000 + i * 0x200000, 0x50000 + i * 0x1000); }
    for (let i = 0; i < 70; i++) v.m.mmu.translate(v.ctx(), 0x400000 + i * 0x1000, R);
    expect(v.m.mmu.eptPsc.size).toBe(64);
  });
});
