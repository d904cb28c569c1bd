// Property test: on random page tables (random VAs, frames, permissions, 4 KiB and 2 MiB pages,
// reserved bits, not-present entries) and random EPTs (permissions, misconfigurations, 2 MiB
// EPT pages), the stepwise walker with its TLB and paging-structure caches on or off gives the
// same host-physical address or the same fault as the SDM reference translator in util.ts.

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { makeEptp } from '../../../src/engine/ept/ept.ts';
import { CR0 } from '../../../src/engine/arch/x86.ts';
import type { Access } from '../../../src/engine/mmu/mmu.ts';
import { bare, xctx, run, reference, entryAt, wr64, P, RW, US, PS, NX, EWB, ELARGE, R, W, X } from './util.ts';

const mapping = fc.record({
  i4: fc.constantFrom(0, 1, 256, 511), i3: fc.constantFrom(0, 3), i2: fc.constantFrom(0, 1, 9), i1: fc.constantFrom(0, 1, 2, 500),
  big: fc.boolean(),
  /** Per level 4..1: bit 0 R/W, bit 1 U/S, bit 2 XD. */
  flags: fc.tuple(...[0, 1, 2].map(() => fc.oneof({ weight: 10, arbitrary: fc.constant(3) }, { weight: 1, arbitrary: fc.constantFrom(1, 2, 7) })), fc.nat(7)),
  /** Level whose entry is left not present (0: none). */
  absent: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, 2, 3, 4) }),
  /** 1: a bit above MAXPHYADDR in the leaf; 2: PS in the PML4E; 3: PS in the PDPTE (no 1 GiB pages); 4: bit 13 in a 2 MiB PDE. */
  rsvd: fc.oneof({ weight: 30, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, 2, 3, 4) }),
  frame: fc.nat(7),
});
const access = fc.record({
  m: fc.nat(), off: fc.constantFrom(0, 8, 0xff8, 0x1008, 0x2010, 0x5ff8, 0x1ff000), acc: fc.constantFrom<Access>(R, W, X), cpl: fc.constantFrom<0 | 3>(0, 0, 3),
});
const env = fc.record({
  tlb: fc.boolean(), psc: fc.boolean(), wp: fc.boolean(), nxe: fc.constantFrom(true, true, true, false),
  eptAd: fc.boolean(),
  /** The ept.ad knob, independent of EPTP bit 6: the hardware must follow the EPTP. */
  adKnob: fc.boolean(),
  /** EPT R/W/X of guest pages, used in turn (2 and 6 are misconfigurations). */
  eptPerm: fc.array(fc.oneof({ weight: 25, arbitrary: fc.constant(7) }, { weight: 3, arbitrary: fc.constantFrom(3, 1, 5, 4, 0, 2, 6) }), { minLength: 1, maxLength: 8 }),
  /** EPT memory type of leaves, in turn (2 is reserved: misconfiguration). */
  eptMt: fc.array(fc.oneof({ weight: 20, arbitrary: fc.constant(6) }, { weight: 1, arbitrary: fc.constantFrom(0, 2) }), { minLength: 1, maxLength: 4 }),
  /** Map 2 MiB guest data regions with one 2 MiB EPT page (else 4 KiB EPT pages). */
  eptBig: fc.boolean(),
});

type Of<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Map = Of<typeof mapping>;
const vaOf = (s: Map) => s.i4 * 2 ** 39 + s.i3 * 2 ** 30 + s.i2 * 2 ** 21 + (s.big ? 0 : s.i1 * 4096);

/** Build guest (or native) page tables for the mappings; `alloc` gives table addresses, `at`
 *  where a table address lives in host memory. Returns the root. */
function build(mem: import('../../../src/engine/mem/phys.ts').PhysMem, maps: Map[], alloc: () => number, at: (a: number) => number,
  dataBase: (s: Map) => number): number {
  const root = alloc();
  const fl = (f: number) => P | (f & 1 ? RW : 0n) | (f & 2 ? US : 0n) | (f & 4 ? NX : 0n);
  for (const s of maps) {
    const va = vaOf(s), leafLevel = s.big ? 2 : 1;
    // Intermediate entries: created with this mapping's flags, or rewritten to them.
    for (let level = 4; level > leafLevel; level--) {
      const pa = entryAt(mem, root, va, level, P | RW | US, alloc, at);
      const cur = BigInt(mem.read32(pa)) | (BigInt(mem.read32(pa + 4)) << 32n);
      const table = (cur & 1n) && !(cur & PS) ? cur & 0xffffffffff000n : BigInt(alloc());
      let e = table | fl(s.flags[4 - level]);
      if (s.absent === level) e &= ~P;
      if (s.rsvd === 2 && level === 4) e |= PS;
      if (s.rsvd === 3 && level === 3) e |= PS;
      wr64(mem, pa, e);
    }
    const pa = entryAt(mem, root, va, leafLevel, P | RW | US, alloc, at);
    let e = BigInt(dataBase(s)) | fl(s.flags[3]) | (s.big ? PS : 0n);
    if (s.absent === leafLevel || (s.absent === 1 && s.big)) e &= ~P;
    if (s.rsvd === 1) e |= 1n << 40n;
    if (s.rsvd === 4 && s.big) e |= 1n << 13n;
    wr64(mem, pa, e);
  }
  return root;
}

function check(maps: Map[], accs: Of<typeof access>[], e: Of<typeof env>, twoD: boolean) {
  const { m, mem } = bare({ tlb: e.tlb, psc: e.psc, eptAd: e.adKnob }, 8 << 20);
  m.attach(null);
  let eptp = 0, perm = 0, mt = 0;
  const nextPerm = () => BigInt(e.eptPerm[perm++ % e.eptPerm.length]);
  const nextMt = () => BigInt(e.eptMt[mt++ % e.eptMt.length]) << 3n;
  let at = (a: number) => a, alloc = () => mem.alloc() * 4096;
  let dataBase = (s: Map) => (s.big ? 0x200000 * (8 + (s.frame % 4)) : 0x100000 + s.frame * 4096);
  if (twoD) {
    // GPA != HPA: guest tables at GPAs from 256 MiB up, each EPT-mapped to a fresh host frame.
    const eptRoot = mem.alloc() * 4096;
    const eptLeaf = (gpa: number, level: 1 | 2) => entryAt(mem, eptRoot, gpa, level, 7n);
    const hpaOf = new globalThis.Map<number, number>();
    let gNext = 0x10000000;
    alloc = () => {
      const gpa = gNext; gNext += 4096;
      const hpa = mem.alloc() * 4096;
      hpaOf.set(gpa, hpa);
      wr64(mem, eptLeaf(gpa, 1), BigInt(hpa) | nextPerm() | EWB);
      return gpa;
    };
    at = (gpa) => hpaOf.get(gpa)!;
    // Guest data pages at GPA 1 GiB + ..., host data frames (never touched) at HPA 0x300000000 + ...
    dataBase = (s) => (s.big ? 0x40000000 + 0x200000 * (s.frame % 4) : 0x48000000 + s.frame * 4096);
    for (let f = 0; f < 8; f++)
      wr64(mem, eptLeaf(0x48000000 + f * 4096, 1), BigInt(0x300000000 + f * 4096) | nextPerm() | nextMt());
    for (let f = 0; f < 4; f++) {
      const gpa = 0x40000000 + 0x200000 * f, hpa = 0x380000000 + 0x200000 * f;
      if (e.eptBig) wr64(mem, eptLeaf(gpa, 2), BigInt(hpa) | nextPerm() | nextMt() | ELARGE);
      else for (const p of [0, 1, 2, 5]) wr64(mem, eptLeaf(gpa + p * 4096, 1), BigInt(hpa + p * 4096) | nextPerm() | nextMt());
    }
    eptp = makeEptp(eptRoot, e.eptAd);
  }
  const cr3 = build(mem, maps, alloc, at, dataBase);
  for (const a of accs) {
    const s = maps[a.m % maps.length];
    const va = vaOf(s) + (s.big || a.off === 0x1008 ? a.off : a.off % 4096); // 0x1008: the next page, maybe unmapped
    const c = xctx({ cr3, cpl: a.cpl, cr0: e.wp ? (CR0.PE | CR0.PG | CR0.WP) >>> 0 : (CR0.PE | CR0.PG) >>> 0,
      efer: e.nxe ? 0xd00 : 0x500, nonRoot: twoD, vpid: twoD ? 1 : 0, ept: twoD, eptp });
    const want = reference(mem, c, va, a.acc);
    const got = run(m, c, va, a.acc);
    expect(got, `va ${va.toString(16)} acc ${a.acc} cpl ${a.cpl}`).toEqual(want);
    seen.add('hpa' in want ? 'hpa' : 'pf' in want ? `pf${want.pf}` : `exit${want.exit}`);
  }
}

const seen = new Set<string>();

describe('stepwise walker = SDM reference translator', () => {
  const maps = fc.array(mapping, { minLength: 1, maxLength: 6 });
  const accs = fc.array(access, { minLength: 1, maxLength: 16 });

  it('native 4-level paging (1-D)', () => {
    fc.assert(fc.property(maps, accs, env, (ms, as, e) => check(ms, as, e, false)), { numRuns: 300 });
  });

  it('guest paging under EPT (2-D)', () => {
    fc.assert(fc.property(maps, accs, env, (ms, as, e) => check(ms, as, e, true)), { numRuns: 300 });
  });

  it('the random layouts reach every outcome class', () => {
    // Guards the generators: successes, each #PF kind, violations and misconfigurations all occur.
    for (const k of ['hpa', 'pf0', 'pf4', 'pf5', 'pf7', 'pf9', 'pf21', 'exit48', 'exit49']) expect(seen, k).toContain(k);
  });
});
