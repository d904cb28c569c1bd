// #PF error codes (SDM "Page-Fault Exceptions"; vtx-facts §3): P (0 not present, 1 protection),
// W/R, U/S, RSVD (with P), I/D (fetch, with EFER.NXE); CR2 = the linear address; supervisor
// writes to read-only pages fault only with CR0.WP = 1.

import { describe, it, expect } from 'vitest';
import { makeGuest, ofType } from '../harness.ts';
import { VMCS } from '../../../src/engine/arch/vmx.ts';
import { CR0, PFEC } from '../../../src/engine/arch/x86.ts';
import { world1d, run, P, RW, US, NX, R, W, X } from './util.ts';

const VA = 0x500000;
const { P: FP, W: FW, U: FU, RSVD, I } = PFEC;

describe('#PF error codes from the walker', () => {
  const cases: [string, bigint, 0 | 3, 0 | 1 | 2, number][] = [
    ['user read of a supervisor page', P | RW, 3, R, FP | FU],
    ['user write to a read-only page', P | US, 3, W, FP | FW | FU],
    ['user read, not present', 0n, 3, R, FU],
    ['supervisor write, not present', 0n, 0, W, FW],
    ['user fetch from an NX page', P | US | NX, 3, X, FP | I | FU],
    ['supervisor fetch, not present (I set with NXE)', 0n, 0, X, I],
    ['supervisor read, reserved bit 40 set', P | RW | (1n << 40n), 0, R, RSVD | FP],
    ['user write, reserved bit 51 set', P | RW | US | (1n << 51n), 3, W, RSVD | FP | FW | FU],
    ['supervisor write to a read-only page with CR0.WP = 1', P, 0, W, FP | FW],
  ];
  for (const [name, pte, cpl, acc, code] of cases) {
    it(`${name}: error code ${code.toString(2).padStart(5, '0')}b, CR2 = the address`, () => {
      const w = world1d();
      w.map(VA, 0x30000, pte);
      expect(run(w.m, w.ctx({ cpl }), VA + 0x123, acc)).toEqual({ pf: code, cr2: VA + 0x123 });
    });
  }

  it('supervisor write to a read-only page with CR0.WP = 0 succeeds (and sets D)', () => {
    const w = world1d();
    w.map(VA, 0x30000, P);
    expect(run(w.m, w.ctx({ cr0: (CR0.PE | CR0.PG) >>> 0 }), VA, W)).toEqual({ hpa: 0x30000 });
    // ...and a user write to it still faults.
    w.map(VA + 4096, 0x31000, P | US);
    expect(run(w.m, w.ctx({ cpl: 3, cr0: (CR0.PE | CR0.PG) >>> 0 }), VA + 4096, W)).toEqual({ pf: FP | FW | FU, cr2: VA + 4096 });
  });

  it('permissions are ANDed over the levels: U/S clear in the PDE only', () => {
    const w = world1d({ psc: false });
    w.map(VA, 0x30000, P | RW | US);
    w.m.mmu.translate(w.ctx({ cpl: 3 }), VA, R);
    const refs = ofType(w.events, 'walk')[0].refs;
    const pdeAddr = Number(refs[2].addr);
    w.mem.write32(pdeAddr, w.mem.read32(pdeAddr) & ~4);
    w.m.mmu.flushAll();
    expect(run(w.m, w.ctx({ cpl: 3 }), VA, R)).toEqual({ pf: FP | FU, cr2: VA });
  });

  it('NX without EFER.NXE is a reserved bit, and fetches carry no I flag', () => {
    const w = world1d();
    w.map(VA, 0x30000, P | US | NX);
    expect(run(w.m, w.ctx({ cpl: 3, efer: 0x500 }), VA, X)).toEqual({ pf: RSVD | FP | FU, cr2: VA });
    expect(run(w.m, w.ctx({ cpl: 3, efer: 0x500 }), VA + 4096, X)).toEqual({ pf: FU, cr2: VA + 4096 });
  });

  it('PS in a PML4E, or in a PDPTE (no 1 GiB pages on this CPU), is a reserved-bit fault', () => {
    for (const level of [4, 3]) {
      const w = world1d({ psc: false });
      w.map(VA, 0x30000, P | RW);
      w.m.mmu.translate(w.ctx(), VA, R);
      const e = Number(ofType(w.events, 'walk')[0].refs[4 - level].addr);
      w.mem.write32(e, w.mem.read32(e) | 0x80);
      w.m.mmu.flushAll();
      expect(run(w.m, w.ctx(), VA, R)).toEqual({ pf: RSVD | FP, cr2: VA });
    }
  });

  it('a #PF drops the TLB entry for the address (SDM: page faults invalidate)', () => {
    const w = world1d();
    w.map(VA, 0x30000, P | RW); // supervisor page
    w.m.mmu.translate(w.ctx(), VA, R);
    expect(w.m.mmu.tlb4k.count()).toBe(1);
    w.map(VA, 0x40000, P | RW); // remapped without INVLPG: the stale entry would still serve CPL 0
    expect(run(w.m, w.ctx({ cpl: 3 }), VA, R)).toEqual({ pf: FP | FU, cr2: VA });
    expect(w.m.mmu.tlb4k.count()).toBe(0);
    expect(run(w.m, w.ctx(), VA, R)).toEqual({ hpa: 0x40000 });
  });
});

describe('#PF in a VMX guest', () => {
  const src = (body: string) => `
    .data
    ro: .quad 1
    .text
    _start:
    ${body}
      mov rax, 60
      vmcall
  `;

  it('user write to a read-only page: exception event (vector 14) and, with bit 14 in the exception bitmap, an exit', () => {
    // The text page is read-only; a CPL-3 write to it: P|W|U = 7.
    const g = makeGuest(src('mov qword ptr [_start], rax'), { cpl: 3, excBitmap: 1 << 14 });
    g.run();
    const ex = ofType(g.events, 'exception')[0];
    expect(ex).toMatchObject({ vector: 14, errorCode: 7, cr2: '0x' + g.prog.entry.toString(16), to: 'vmexit' });
    expect(g.exits[0]).toMatchObject({ reason: 0, qual: g.prog.entry });
    expect(g.exits[0].intrInfo).toBe((0x80000000 | 0x800 | (3 << 8) | 14) >>> 0);
    expect(Number(g.m.vmx.current!.read(VMCS.VM_EXIT_INTR_ERROR_CODE))).toBe(7);
  });

  it('CPL-0 guest: not-present read (0), fetch from NX data (P|I = 0x11), write to read-only text with WP (P|W = 3)', () => {
    for (const [body, code, cr2] of [
      ['mov rax, [0x900000]', 0, 0x900000],
      ['jmp ro', 0x11, -1],
      ['mov qword ptr [_start], rax', 3, -2],
    ] as const) {
      const g = makeGuest(src(body), { excBitmap: 1 << 14 });
      g.run();
      const want = cr2 === -1 ? g.prog.data.base : cr2 === -2 ? g.prog.entry : cr2;
      expect(ofType(g.events, 'exception')[0], body).toMatchObject({ vector: 14, errorCode: code, cr2: '0x' + want.toString(16) });
    }
  });

  it('without an exit, the #PF goes to the guest IDT (first exception event)', () => {
    const g = makeGuest(src('mov rax, [0x900000]'), { cpl: 3 });
    g.run();
    expect(ofType(g.events, 'exception')[0]).toMatchObject({ vector: 14, errorCode: 4, cr2: '0x900000', to: 'guest-idt' });
  });
});
