// Invalidation in the MMU, called directly (no guest run), expected results by hand from the SDM
// (Vol. 3A "Invalidation of TLBs and Paging-Structure Caches", Vol. 3C "Caching Translation
// Information", "INVVPID", "INVEPT"; vtx-facts §7): which of a fixed set of TLB and
// paging-structure-cache entries each flush drops and how many it reports; what a walk that faults
// drops (the faulting address in the current context: its 4 KiB, 2 MiB and splintered entries,
// and for an EPT violation the EPT caches of the faulting GPA); clone; and eptProbe.

import { describe, it, expect } from 'vitest';
import { CR4 } from '../../../src/engine/arch/x86.ts';
import { makeEptp } from '../../../src/engine/ept/ept.ts';
import { Tlb, TF, ctxOf } from '../../../src/engine/mmu/tlb.ts';
import type { Mmu } from '../../../src/engine/mmu/mmu.ts';
import { world1d, world2d, bare, run, entryAt, wr64, P, RW, US, G, R, W } from './util.ts';

const ALL = { r: true, w: true, x: true };
const PCIDE = CR4.PAE | CR4.PGE | CR4.PCIDE;

// ---- a fixed set of entries, each flush's expected survivors by hand --------------------------

const E1 = 5, E2 = 55;                // two EP4TAs (page numbers of EPTPs); 0: no EPT
const V = 0x40000, V2 = 0x200;        // 0x40000000 as a 4 KiB and a 2 MiB page number
const VA = 0x40000abc;
// name, VPID, PCID, EP4TA, page number, flags
const E4K: [string, number, number, number, number, number][] = [
  ['a', 1, 1, E1, V, 0],              // the current context (VPID 1, PCID 1), this page
  ['b', 1, 2, E1, V, 0],              // another PCID
  ['g1', 1, 3, E1, V, TF.G],          // global, another PCID of VPID 1
  ['g2', 2, 1, E1, V, TF.G],          // global, another VPID
  ['o2', 2, 2, E1, V, 0],             // another VPID
  ['n', 1, 1, E1, V + 1, 0],          // the next page
  ['ag', 1, 1, E1, V + 4, TF.G],      // a global page of the current context
  ['s1', 1, 1, E1, V + 2, TF.SPLIT],  // a 4 KiB piece of the 2 MiB guest page holding VA
  ['s2', 1, 1, E1, V + 512, TF.SPLIT], // a piece of the next 2 MiB guest page
  ['e2', 1, 1, E2, V, 0],             // another EP4TA
  ['h', 0, 1, 0, V, 0],               // the host (VPID 0), PCID 1
  ['hg', 0, 0, 0, V + 3, TF.G],       // the host, global
];
const E2M: [string, number, number, number, number, number][] = [
  ['A', 1, 1, E1, V2, 0], ['B', 1, 2, E1, V2, 0], ['G1', 1, 3, E1, V2, TF.G], ['G2', 2, 1, E1, V2, TF.G],
  ['N', 1, 1, E1, V2 + 1, 0], ['E', 1, 1, E2, V2, 0], ['H', 0, 1, 0, V2, 0],
];
// Paging-structure caches: context / EP4TA / level / prefix (contexts of several digits: 4097 = VPID 1 PCID 1).
const PSC: [string, number, number][] = [['p11', ctxOf(1, 1), E1], ['p12', ctxOf(1, 2), E1], ['p21', ctxOf(2, 1), E1], ['p0', ctxOf(0, 1), 0], ['p1e2', ctxOf(1, 1), E2]];
const EPSC = [`${E1}/1/0`, `${E1}/2/0`, `${E2}/1/0`];

/** An MMU holding exactly the entries above, in fully associative TLBs (the flushes scan every entry). */
function loaded() {
  const { m } = bare();
  const mmu = m.mmu;
  mmu.tlb4k = new Tlb(32, 32, 12); mmu.tlb2m = new Tlb(16, 16, 21);
  for (const [, v, p, e, vpn, f] of E4K) mmu.tlb4k.fill(vpn, ctxOf(v, p), e, 0x100, f);
  for (const [, v, p, e, vpn, f] of E2M) mmu.tlb2m.fill(vpn, ctxOf(v, p), e, 0x200, f);
  for (const [, cx, e] of PSC) mmu.psc.set(`${cx}/${e}/1/512`, { table: 0x3000, rw: true, us: true, nx: false });
  for (const k of EPSC) mmu.eptPsc.set(k, { table: 0x4000, r: true, w: true, x: true });
  return mmu;
}
/** Names of the entries still cached, in fixture order. */
function left(mmu: Mmu) {
  const has = (t: Tlb, vpn: number, cx: number, e: number) => {
    for (let i = 0; i < t.entries; i++) if (t.vpn[i] === vpn && t.ctx[i] === cx && t.ep[i] === e) return true;
    return false;
  };
  return {
    tlb: [...E4K.filter(([, v, p, e, vpn]) => has(mmu.tlb4k, vpn, ctxOf(v, p), e)).map((x) => x[0]),
      ...E2M.filter(([, v, p, e, vpn]) => has(mmu.tlb2m, vpn, ctxOf(v, p), e)).map((x) => x[0])],
    psc: PSC.filter(([, cx, e]) => mmu.psc.has(`${cx}/${e}/1/512`)).map((x) => x[0]),
    eptPsc: EPSC.filter((k) => mmu.eptPsc.has(k)),
  };
}
/** Run a flush: its count, what is left, and whether the translation generation moved. */
function flush(f: (mmu: Mmu) => number) {
  const mmu = loaded();
  const g = mmu.gen;
  const n = f(mmu);
  return { n, ...left(mmu), bumped: mmu.gen !== g };
}

describe('flushes on a fixed set of entries', () => {
  it('the fixture: 12 + 7 TLB entries, 5 + 3 cache entries', () => {
    expect(flush(() => 0)).toEqual({ n: 0, tlb: [...E4K, ...E2M].map((x) => x[0]), psc: PSC.map((x) => x[0]), eptPsc: EPSC, bumped: false });
  });

  it('INVLPG (VPID 1, PCID 1): that page in the current PCID, its global entries in any PCID of VPID 1, the pieces of its 2 MiB page, any EP4TA; the current PCID\'s caches', () => {
    expect(flush((m) => m.invlpg(1, 1, VA))).toEqual({
      n: 7, tlb: ['b', 'g2', 'o2', 'n', 'ag', 's2', 'h', 'hg', 'B', 'G2', 'N', 'H'],
      psc: ['p12', 'p21', 'p0'], eptPsc: EPSC, bumped: true });
  });

  it('MOV to CR3 (flushPcid, keeping globals): VPID 1 PCID 1 but its global page; its caches', () => {
    expect(flush((m) => m.flushPcid(1, 1, true))).toEqual({
      n: 8, tlb: ['b', 'g1', 'g2', 'o2', 'ag', 'h', 'hg', 'B', 'G1', 'G2', 'H'],
      psc: ['p12', 'p21', 'p0'], eptPsc: EPSC, bumped: true });
  });

  it('INVVPID single-context (flushVpid 1): every PCID and EP4TA of VPID 1, global or not; its caches', () => {
    expect(flush((m) => m.flushVpid(1))).toEqual({
      n: 13, tlb: ['g2', 'o2', 'h', 'hg', 'G2', 'H'], psc: ['p21', 'p0'], eptPsc: EPSC, bumped: true });
  });

  it('INVVPID single-context retaining globals (flushVpid 1, true)', () => {
    expect(flush((m) => m.flushVpid(1, true))).toMatchObject({
      n: 10, tlb: ['g1', 'g2', 'o2', 'ag', 'h', 'hg', 'G1', 'G2', 'H'], psc: ['p21', 'p0'] });
  });

  it('INVVPID individual-address (flushVpidAddr 1): that page (and its 2 MiB page\'s pieces) in every PCID of VPID 1; VPID 1\'s caches', () => {
    expect(flush((m) => m.flushVpidAddr(1, VA))).toEqual({
      n: 9, tlb: ['g2', 'o2', 'n', 'ag', 's2', 'h', 'hg', 'G2', 'N', 'H'], psc: ['p21', 'p0'], eptPsc: EPSC, bumped: true });
  });

  it('INVEPT single-context (flushEpt E1): combined mappings and caches of that EP4TA only', () => {
    expect(flush((m) => m.flushEpt(E1))).toEqual({
      n: 14, tlb: ['e2', 'h', 'hg', 'E', 'H'], psc: ['p0', 'p1e2'], eptPsc: [`${E2}/1/0`], bumped: true });
  });

  it('INVEPT all-context (flushEpt null): every combined mapping and EPT cache; the host\'s linear mappings stay', () => {
    expect(flush((m) => m.flushEpt(null))).toEqual({
      n: 16, tlb: ['h', 'hg', 'H'], psc: ['p0'], eptPsc: [], bumped: true });
  });

  it('INVVPID all-context (flushAllVpids): every VPID but 0000H; guest-physical mappings (EPT caches) stay', () => {
    expect(flush((m) => m.flushAllVpids())).toEqual({
      n: 16, tlb: ['h', 'hg', 'H'], psc: ['p0'], eptPsc: EPSC, bumped: true });
  });

  it('flushAll: everything', () => {
    expect(flush((m) => m.flushAll())).toEqual({ n: 19, tlb: [], psc: [], eptPsc: [], bumped: true });
  });
});

// ---- a walk that faults ------------------------------------------------------------------------

/** Cached 4 KiB or 2 MiB entries as "VPID.PCID:address/EP4TA", sorted. */
function cached(t: Tlb) {
  const out: string[] = [];
  for (let i = 0; i < t.entries; i++) {
    if (t.vpn[i] === -1) continue;
    out.push(`${Math.floor(t.ctx[i] / 4096)}.${t.ctx[i] % 4096}:${(t.vpn[i] * 2 ** t.shift).toString(16)}/${t.ep[i]}`);
  }
  return out.sort();
}
/** A second EPT whose root is a copy of the first (same tables below): same translations, another EP4TA. */
function copyRoot(w: ReturnType<typeof world2d>) {
  const root = w.mem.alloc() * 4096;
  for (let i = 0; i < 4096; i += 4) w.mem.write32(root + i, w.mem.read32(w.eptRoot + i));
  return makeEptp(root, false);
}

describe('a faulting walk drops the faulting address\'s entries in the current context (SDM: a #PF or EPT violation invalidates them)', () => {
  // Page 0x40000000 and 0x40080000 share 4 KiB TLB set 0. Roots: A maps 0x40000000 not global, B
  // maps it and 0x40080000 global, C maps nothing. PCID 1 (root C) writes 0x40000000: the
  // global entry of PCID 3 matches but is clean, so the write walks, and faults (not present).
  it('native: drops the global entry of another PCID of the same VPID; keeps other PCIDs, other VPIDs and other pages of the set', () => {
    const w = world1d({ psc: false });
    const rootB = w.mem.alloc() * 4096, rootC = w.mem.alloc() * 4096;
    w.map(0x40000000, 0x10000, P | RW);
    wr64(w.mem, entryAt(w.mem, rootB, 0x40000000, 1, P | RW | US), 0x11000n | P | RW | G);
    wr64(w.mem, entryAt(w.mem, rootB, 0x40080000, 1, P | RW | US), 0x12000n | P | RW | G);
    const c = (cr3: number, o = {}) => w.ctx({ cr3, cr4: PCIDE, ...o });
    w.m.mmu.translate(c(w.cr3 + 2), 0x40000000, R);
    w.m.mmu.translate(c(rootB + 3), 0x40000000, R);
    w.m.mmu.translate(c(rootB + 3), 0x40080000, R);
    w.m.mmu.translate(c(rootB + 3, { nonRoot: true, vpid: 2 }), 0x40000000, R);
    expect(cached(w.m.mmu.tlb4k)).toEqual(['0.2:40000000/0', '0.3:40000000/0', '0.3:40080000/0', '2.3:40000000/0']);
    const g = w.m.mmu.gen;
    expect(run(w.m, c(rootC + 1), 0x40000000, W)).toEqual({ pf: 2, cr2: 0x40000000 });
    expect(cached(w.m.mmu.tlb4k)).toEqual(['0.2:40000000/0', '0.3:40080000/0', '2.3:40000000/0']);
    expect(w.m.mmu.gen).not.toBe(g);
  });

  // A 2 MiB guest page at 0x40000000 (gPA 0x4000000) over 4 KiB EPT pages: three pieces cached,
  // one more under a second EPTP, and a piece of the next 2 MiB guest page. The fourth piece
  // (0x40002000) has no EPT mapping: its EPT violation drops the three pieces of its page only.
  it('2-D, splintered: every piece of the faulting address\'s 2 MiB page under this EP4TA; not the next page\'s, not another EP4TA\'s', () => {
    const w = world2d({ knobs: { psc: false } });
    w.map(0x40000000, 0x4000000, P | RW, true);
    w.map(0x40200000, 0x4200000, P | RW, true);
    for (const o of [0, 0x1000, 0x5000]) w.ept(0x4000000 + o, 0x8000000 + o);
    w.ept(0x4200000, 0x8200000);
    const eptp2 = copyRoot(w);
    for (const o of [0, 0x1000, 0x5000]) w.m.mmu.translate(w.ctx(), 0x40000000 + o, R);
    w.m.mmu.translate(w.ctx(), 0x40200000, R);
    w.m.mmu.translate(w.ctx({ eptp: eptp2 }), 0x40001000, R);
    const ep1 = w.eptp / 4096 | 0, ep2 = eptp2 / 4096 | 0;
    expect(cached(w.m.mmu.tlb4k)).toEqual([`1.0:40000000/${ep1}`, `1.0:40001000/${ep1}`, `1.0:40001000/${ep2}`, `1.0:40005000/${ep1}`, `1.0:40200000/${ep1}`]);
    expect(run(w.m, w.ctx(), 0x40002000, R)).toEqual({ exit: 48, qual: 0x181, gpa: 0x4002000, gla: 0x40002000 });
    expect(cached(w.m.mmu.tlb4k)).toEqual([`1.0:40001000/${ep2}`, `1.0:40200000/${ep1}`]);
  });

  // 2 MiB pages at 0x40000000 and 0x41000000 (2 MiB TLB set 0 both), supervisor-only, over 2 MiB
  // EPT pages; cached for PCID 1, PCID 2 and (0x40000000) under a second EPTP. A user read in
  // PCID 1 finds its entry, may not use it, walks and faults (U/S).
  it('2 MiB entries: the faulting page in the current PCID and EP4TA only', () => {
    const w = world2d({ eptBig: true });
    w.map(0x40000000, 0x4000000, P | RW, true);
    w.map(0x41000000, 0x4200000, P | RW, true);
    w.ept(0x4000000, 0x8000000, ALL, true); w.ept(0x4200000, 0x8200000, ALL, true);
    const eptp2 = copyRoot(w);
    const c = (pcid: number, o = {}) => w.ctx({ cr3: w.cr3 + pcid, cr4: PCIDE, ...o });
    w.m.mmu.translate(c(1), 0x40000000, R);
    w.m.mmu.translate(c(1), 0x41000000, R);
    w.m.mmu.translate(c(2), 0x40000000, R);
    w.m.mmu.translate(c(1, { eptp: eptp2 }), 0x40000000, R);
    const ep1 = w.eptp / 4096 | 0, ep2 = eptp2 / 4096 | 0;
    expect(cached(w.m.mmu.tlb2m)).toEqual([`1.1:40000000/${ep1}`, `1.1:40000000/${ep2}`, `1.1:41000000/${ep1}`, `1.2:40000000/${ep1}`]);
    expect(run(w.m, c(1, { cpl: 3 }), 0x40000000, R)).toEqual({ pf: 5, cr2: 0x40000000 });
    expect(cached(w.m.mmu.tlb2m)).toEqual([`1.1:40000000/${ep2}`, `1.1:41000000/${ep1}`, `1.2:40000000/${ep1}`]);
  });

  // Keys context/EP4TA/level/prefix: 0x401000 and 0x402000 share the PML4E (prefix 0), PDPTE (0)
  // and PDE (0x402000 >> 21 = 2) cache entries; 0x40000000 has its own PDPTE (1) and PDE (512).
  it('a #PF drops the paging-structure-cache entries on the faulting address\'s path, in the current PCID only', () => {
    const w = world1d();
    w.map(0x401000, 0x12000, P | RW); w.map(0x40000000, 0x13000, P | RW);
    const c = (pcid: number) => w.ctx({ cr3: w.cr3 + pcid, cr4: PCIDE });
    w.m.mmu.translate(c(1), 0x401000, R); w.m.mmu.translate(c(1), 0x40000000, R); w.m.mmu.translate(c(2), 0x401000, R);
    expect([...w.m.mmu.psc.keys()].sort()).toEqual(['1/0/1/2', '1/0/1/512', '1/0/2/0', '1/0/2/1', '1/0/3/0', '2/0/1/2', '2/0/2/0', '2/0/3/0']);
    expect(run(w.m, c(1), 0x402000, R)).toEqual({ pf: 0, cr2: 0x402000 }); // the PTE is not present
    expect([...w.m.mmu.psc.keys()].sort()).toEqual(['1/0/1/512', '1/0/2/1', '2/0/1/2', '2/0/2/0', '2/0/3/0']);
  });

  // EP4TA 1 (EPTP 0x101e). Cached: the EPT PML4E, PDPTE and PDE for the guest tables' region
  // (gPA 0-2 MiB: keys 1/3/0, 1/2/0, 1/1/0) and the PDE for gPA 0x4000000 (1/1/32). gPA 0x4001000
  // has no EPT PTE: the violation drops the entries on its path, 1/1/32, 1/2/0 and 1/3/0.
  it('an EPT violation drops the EPT paging-structure-cache entries for the faulting GPA', () => {
    const w = world2d();
    w.map(0x400000, 0x4000000, P | RW); w.map(0x401000, 0x4001000, P | RW);
    w.ept(0x4000000, 0x50000);
    w.m.mmu.translate(w.ctx(), 0x400000, R);
    expect([...w.m.mmu.eptPsc.keys()].sort()).toEqual(['1/1/0', '1/1/32', '1/2/0', '1/3/0']);
    expect(run(w.m, w.ctx(), 0x401000, R)).toEqual({ exit: 48, qual: 0x181, gpa: 0x4001000, gla: 0x401000 });
    expect([...w.m.mmu.eptPsc.keys()]).toEqual(['1/1/0']);
  });
});

describe('clone (checkpoints)', () => {
  it('copies knobs, statistics, TLBs, caches and the generation; the copy is independent', () => {
    const w = world1d();
    w.map(0x401000, 0x12000, P | RW);
    const mmu = w.m.mmu;
    mmu.translate(w.ctx(), 0x401000, R);
    mmu.flushVpid(7);
    const k = mmu.clone(w.mem, w.m);
    expect([k.knobs, k.stats, k.psc, k.gen, k.splits]).toEqual([mmu.knobs, mmu.stats, mmu.psc, mmu.gen, mmu.splits]);
    expect(k.knobs).not.toBe(mmu.knobs);
    expect(k.translate(w.ctx(), 0x401008, W)).toBe(0x12008); // clean: walks
    expect(k.translate(w.ctx(), 0x401008, R)).toBe(0x12008); // TLB hit
    expect(k.stats).toMatchObject({ walks: 2, tlbHits: 1 });
    expect(mmu.stats).toMatchObject({ walks: 1, tlbHits: 0 });
    mmu.knobs.tlb = false;
    expect(k.knobs.tlb).toBe(true);
  });
});
