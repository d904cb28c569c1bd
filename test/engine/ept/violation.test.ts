// EPT violations (exit 48) and misconfigurations (exit 49), vtx-facts §2.3-2.4 (SDM "EPT
// Violations", "EPT Misconfigurations", "Exit Qualification for EPT Violations"): qualification
// bits 0-2 (access), 3-5 (AND of R/W/X over the EPT entries used, 0 if not present), 7 (linear
// address valid), 8 (final GPA vs guest paging structure); GPA (0x2400) and GLA (0x640A).

import { describe, it, expect } from 'vitest';
import { makeGuest, ofType } from '../harness.ts';
import { VMCS, EPT_QUAL } from '../../../src/engine/arch/vmx.ts';
import { eptEntryAddr, eptSetRaw } from '../../../src/engine/ept/ept.ts';
import { world2d, run, rd64, wr64, P, RW, US, R, W } from '../mmu/util.ts';

const { READ: QR, WRITE: QW, FETCH: QX, READABLE: QR3, WRITABLE: QW4, EXECUTABLE: QX5, GLA_VALID: V, GLA_TRANSLATED: T } = EPT_QUAL;

const SRC = `
  .data
  x: .quad 5
  .text
  _start:
    mov rax, [x]
    mov [x + 8], rax
    mov rax, 60
    mov rdi, 0
    vmcall
`;

describe('EPT violation qualification: the final access (bit 8 = 1)', () => {
  it('data read of an unmapped GPA: bits 0, 7, 8; bits 3-5 = 0; GPA and GLA fields', () => {
    let hole = 0;
    const g = makeGuest(SRC, { eptHoles: (gpa) => gpa === hole });
    // makeGuest has built the EPT; punch the hole now (before the guest runs, so nothing is cached).
    hole = g.gpaOf.get(0x401000)!;
    const e = eptEntryAddr(g.m.mem, g.eptRoot, hole, 1, false)!;
    wr64(g.m.mem, e, 0n);
    g.run();
    expect(g.exits[0]).toMatchObject({ reason: 48, qual: QR | V | T, gpa: hole, gla: 0x401000 });
    const v = g.m.vmx.current!;
    expect(Number(v.read(VMCS.GUEST_PHYSICAL_ADDRESS))).toBe(hole);
    expect(Number(v.read(VMCS.GUEST_LINEAR_ADDRESS))).toBe(0x401000);
    expect(ofType(g.events, 'vmexit')[0]).toMatchObject({ reason: 48, name: 'EPT_VIOLATION', qualification: '0x181' });
  });

  const perms = (r: boolean, w: boolean, x: boolean) => ({ r, w, x });
  const withPerm = (p: { r: boolean; w: boolean; x: boolean }, page: 'data' | 'text') => {
    const g = makeGuest(SRC);
    const gpa = g.gpaOf.get(page === 'data' ? 0x401000 : 0x400000)!;
    const e = eptEntryAddr(g.m.mem, g.eptRoot, gpa, 1, false)!;
    wr64(g.m.mem, e, (rd64(g.m.mem, e) & ~7n) | (p.r ? 1n : 0n) | (p.w ? 2n : 0n) | (p.x ? 4n : 0n));
    g.run();
    return { g, gpa };
  };

  it('data write to a read+execute page: bits 1, 3, 5, 7, 8', () => {
    const { g, gpa } = withPerm(perms(true, false, true), 'data');
    expect(g.exits[0]).toMatchObject({ reason: 48, qual: QW | QR3 | QX5 | V | T, gpa: gpa + 8, gla: 0x401008 });
  });

  it('data read of an execute-only page: bits 0, 5, 7, 8', () => {
    const { g, gpa } = withPerm(perms(false, false, true), 'data');
    expect(g.exits[0]).toMatchObject({ reason: 48, qual: QR | QX5 | V | T, gpa, gla: 0x401000 });
  });

  it('instruction fetch from a read+write page: bits 2, 3, 4, 7, 8', () => {
    const { g, gpa } = withPerm(perms(true, true, false), 'text');
    expect(g.exits[0]).toMatchObject({ reason: 48, qual: QX | QR3 | QW4 | V | T, gpa, gla: 0x400000 });
  });

  it('bits 3-5 are the AND over all EPT levels, not just the leaf', () => {
    const w = world2d();
    w.map(0x1000, 0x4000000, P | RW);
    w.ept(0x4000000, 0x5000000);
    const pml4e = w.eptRoot + 0; // the EPT PML4E above every GPA (all are below 512 GiB)
    wr64(w.mem, pml4e, (rd64(w.mem, pml4e) & ~7n) | 5n); // R+X at the top: nothing below is writable
    // The leaf is RWX, yet the write's qualification says "readable, executable": bits 1, 3, 5, 7, 8.
    expect(run(w.m, w.ctx(), 0x1000, W)).toEqual({ exit: 48, qual: QW | QR3 | QX5 | V | T, gpa: 0x4000000, gla: 0x1000 });
  });
});

describe('EPT violation qualification: guest paging-structure accesses (bit 8 = 0)', () => {
  const tableHole = (ad: boolean) => {
    let hole = -1;
    const g = makeGuest(SRC, { eptAd: ad, eptHoles: (gpa) => gpa === hole });
    hole = g.gcr3; // the guest PML4 page
    wr64(g.m.mem, eptEntryAddr(g.m.mem, g.eptRoot, hole, 1, false)!, 0n);
    g.run();
    return g;
  };

  it('EPT A/D off: a read of the guest PML4E: bits 0 and 7, GPA = the PML4E\'s GPA', () => {
    const g = tableHole(false);
    expect(g.exits[0]).toMatchObject({ reason: 48, qual: QR | V, gpa: g.gcr3 + 8 * 0, gla: 0x400000 });
  });

  it('EPT A/D on: the access counts as a write, and the SDM sets both bits 0 and 1', () => {
    const g = tableHole(true);
    expect(g.exits[0]).toMatchObject({ reason: 48, qual: QR | QW | V, gpa: g.gcr3, gla: 0x400000 });
  });

  it('EPT A/D on: a guest table page mapped read-only in the EPT faults even for reads (bits 0, 1, 3, 5, 7)', () => {
    const w = world2d({ ad: true });
    w.map(0x1000, 0x4000000, P | RW);
    w.ept(0x4000000, 0x5000000);
    w.ept(w.cr3, w.cr3, { r: true, w: false, x: true });
    expect(run(w.m, w.ctx(), 0x1000, R)).toEqual({ exit: 48, qual: QR | QW | QR3 | QX5 | V, gpa: w.cr3, gla: 0x1000 });
  });

  it('EPT A/D off: a read-only guest table page is fine until the walk must set a guest A bit', () => {
    const w = world2d({ ad: false });
    w.map(0x1000, 0x4000000, P | RW);
    w.ept(0x4000000, 0x5000000);
    w.ept(w.cr3, w.cr3, { r: true, w: false, x: false });
    // The A-bit write to the PML4E is a guest-physical data write: bits 1, 3, 7; bit 8 = 0.
    expect(run(w.m, w.ctx(), 0x1000, R)).toEqual({ exit: 48, qual: QW | QR3 | V, gpa: w.cr3, gla: 0x1000 });
    // Once A is set (by the VMM here), the same walk needs no write.
    w.mem.write32(w.cr3, w.mem.read32(w.cr3) | 0x20);
    expect(run(w.m, w.ctx(), 0x1000, R)).toEqual({ hpa: 0x5000000 });
  });
});

describe('EPT misconfiguration (exit 49)', () => {
  const leaf = (lo: number, hi = 0) => {
    const w = world2d();
    w.map(0x1000, 0x4000000, P | RW | US);
    eptSetRaw(w.mem, w.eptRoot, 0x4000000, (0x5000000 | lo) >>> 0, hi);
    return run(w.m, w.ctx(), 0x1008, R);
  };
  const WB = 6 << 3;

  it('write-only (010b) and write+execute (110b) leaves', () => {
    expect(leaf(2 | WB)).toEqual({ exit: 49, qual: 0, gpa: 0x4000008, gla: 0x1008 });
    expect(leaf(6 | WB)).toEqual({ exit: 49, qual: 0, gpa: 0x4000008, gla: 0x1008 });
  });

  it('reserved memory types 2, 3, 7 in a leaf; 0, 1, 4, 5, 6 are fine', () => {
    for (const mt of [2, 3, 7]) expect(leaf(7 | (mt << 3)), `mt ${mt}`).toMatchObject({ exit: 49 });
    for (const mt of [0, 1, 4, 5, 6]) expect(leaf(7 | (mt << 3)), `mt ${mt}`).toEqual({ hpa: 0x5000008 });
  });

  it('reserved bits: an address bit at or above MAXPHYADDR (36); bits 6:3 of a non-leaf entry; bit 7 of a PML4E', () => {
    expect(leaf(7 | WB, 1 << 4)).toMatchObject({ exit: 49 }); // bit 36
    for (const bitv of [1 << 3, 1 << 7]) {
      const w = world2d();
      w.map(0x1000, 0x4000000, P | RW);
      w.ept(0x4000000, 0x5000000);
      wr64(w.mem, w.eptRoot, rd64(w.mem, w.eptRoot) | BigInt(bitv));
      expect(run(w.m, w.ctx(), 0x1000, R)).toMatchObject({ exit: 49 });
    }
  });

  it('a misconfiguration wins over a violation on the same walk', () => {
    // 010b is both "not readable" (a violation for a read) and a misconfiguration.
    expect(leaf(2 | WB)).toMatchObject({ exit: 49 });
    // An execute-only EPT PDPTE (R = 0: a violation for reads) above a write-only leaf: still 49.
    // The data GPA is at 1 GiB, under its own EPT PDPTE; the guest tables are below 1 GiB.
    const w = world2d();
    w.map(0x1000, 0x40000000, P | RW);
    eptSetRaw(w.mem, w.eptRoot, 0x40000000, (0x5000000 | 2 | WB) >>> 0);
    const pdpt = Number(rd64(w.mem, w.eptRoot) & 0xffffff000n);
    wr64(w.mem, pdpt + 8, (rd64(w.mem, pdpt + 8) & ~7n) | 4n);
    expect(run(w.m, w.ctx(), 0x1000, R)).toEqual({ exit: 49, qual: 0, gpa: 0x40000000, gla: 0x1000 });
    // The same PDPTE above a good leaf: a violation, with bits 3-5 = 100b from the AND.
    eptSetRaw(w.mem, w.eptRoot, 0x40000000, (0x5000000 | 7 | WB) >>> 0);
    expect(run(w.m, w.ctx(), 0x1000, R)).toEqual({ exit: 48, qual: QR | QX5 | V | T, gpa: 0x40000000, gla: 0x1000 });
  });

  it('a not-present entry ignores its other bits: a violation, not a misconfiguration', () => {
    expect(leaf(0 | (7 << 3) | 0x80, 1 << 4)).toEqual({ exit: 48, qual: QR | V | T, gpa: 0x4000008, gla: 0x1008 });
  });
});
