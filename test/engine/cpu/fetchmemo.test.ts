// The fetch memos (src/engine/cpu/fetchmemo.ts: the last page fetched at each CPL, a TlbNote of
// its 4 KiB TLB entry) against the TLB lookup they stand in for. Where a memo answers it must do
// exactly what the lookup's hit does (the slot's LRU stamp, the hit count); where the lookup would
// not hit that slot (a flush, a fill into the same set after a restore) or the code was dropped,
// the fetch must walk, fault or #UD as it would without the memo.

import { describe, it, expect } from 'vitest';
import { bare, fault } from './bare.ts';
import { assembleSource, Session } from '../../../src/engine/session.ts';
import { syscallLoop } from '../../../bench/player.ts';
import { CpuFault } from '../../../src/engine/cpu/fault.ts';
import { PFEC, VEC } from '../../../src/engine/arch/x86.ts';
import { mapPage } from '../../../src/engine/kernel/pgtable.ts';
import { eptMap } from '../../../src/engine/ept/ept.ts';
import type { Machine } from '../../../src/engine/machine.ts';

/** Make machine m's fetch memos never answer (every fetch past the fast path then looks up). */
function noMemos(m: Machine) {
  for (const memo of [m.fetchMemos.user, m.fetchMemos.sup]) Object.defineProperty(memo, 'slotHeld', { value: () => -1 });
}
/** Count the answers of machine m's fetch memos. */
function countAnswers(m: Machine) {
  const n = { answers: 0 };
  for (const memo of [m.fetchMemos.user, m.fetchMemos.sup]) {
    const slotHeld = memo.slotHeld.bind(memo);
    Object.defineProperty(memo, 'slotHeld', { value: (...a: Parameters<typeof slotHeld>) => { const i = slotHeld(...a); if (i >= 0) n.answers++; return i; } });
  }
  return n;
}
/** What a TLB lookup changes, and where execution is. */
const state = (m: Machine) => ({ rip: m.cpu.rip, cpl: m.cpu.cpl, cycles: m.cycles, lru: [...m.mmu.tlb4k.lru], stats: { ...m.mmu.stats } });

describe('the fetch memos stand in for a 4 KiB TLB hit, and only for one', () => {
  it('through a system-call loop (a CPL change at every SYSCALL and SYSRET), each step leaves the TLB as the lookup does', () => {
    const a = assembleSource(syscallLoop(50), 'loop.s');
    if (!a.ok) throw new Error(a.diagnostics);
    const s = new Session(a.program, { sink: null }), twin = new Session(a.program, { sink: null });
    noMemos(twin.machine);
    const n = countAnswers(s.machine);
    for (let k = 0; k < 1000 && s.machine.status === null; k++) {
      s.machine.step(1, true); twin.machine.step(1, true);
      expect(state(s.machine)).toEqual(state(twin.machine));
    }
    expect(s.machine.status).toEqual({ code: 0, how: 'exit' });
    expect(n.answers).toBeGreaterThanOrEqual(90); // both pages of (nearly) every round trip
  });

  const SRC = `
u1:
  add rax, 1
  add rax, 2
`;
  /** A bare machine whose CPL 3 memo holds the text page, and the CPL changed since (so the next
   *  fetch at CPL 3 is past the machine's fast path). */
  function memoized(pcide = false) {
    const b = bare(SRC, { cpl: 3, pcide });
    b.ring(3);
    const n = countAnswers(b.m);
    expect(b.step('u1')).toBeNull();
    b.ring(0); b.ring(3);
    expect(b.step('u1')).toBeNull();
    expect(n.answers).toBe(1);
    b.ring(0);
    return { b, n };
  }

  it('a TLB flush is felt: the text page made supervisor-only (PTE and flush) faults the next user fetch with #PF(P|U|I) and CR2', () => {
    const { b, n } = memoized();
    const u1 = b.sym('u1');
    b.supervisor(u1);
    b.ring(3);
    const e = b.step('u1');
    expect(fault(e)).toEqual([VEC.PF, PFEC.P | PFEC.U | PFEC.I]);
    expect((e as CpuFault).cr2).toBe(u1);
    expect(n.answers).toBe(1);
  });

  it('code dropped from the page (a write into it) is felt: the next fetch finds no instruction (#UD)', () => {
    const { b, n } = memoized();
    const u1 = b.sym('u1');
    const pa = b.g.hpa(b.g.gpaOf.get(u1 - (u1 & 4095))!) + (u1 & 4095);
    b.m.mem.write8(pa, b.m.mem.read8(pa));
    b.ring(3);
    expect(fault(b.step('u1'))).toEqual([VEC.UD, null]);
    expect(n.answers).toBe(1);
  });

  it('another PCID is felt though the TLB keeps the entries of PCID 0 (MOV to CR3 with bit 63 set): the fetch walks', () => {
    const { b, n } = memoized(true);
    expect(b.c.cr3 & 4095).toBe(0);
    b.c.cr3 += 1; // PCID 1, nothing invalidated
    const v = b.m.mmu.tlb4k.version, walks = b.m.mmu.stats.walks;
    b.ring(3);
    expect(b.m.mmu.tlb4k.version).toBe(v);
    expect(b.step('u1')).toBeNull();
    expect(b.m.mmu.stats.walks).toBe(walks + 1);
    expect(n.answers).toBe(1);
  });

  it('after a restore the memo is of another MMU: a fill into its slot there does not serve the fetch', () => {
    const b = bare(SRC, { cpl: 3 });
    b.ring(3);
    const q = b.sym('u1') - (b.sym('u1') & 4095) + 128 * 4096; // the same 4-way set of the 4 KiB TLB
    const fq = b.m.mem.alloc();
    mapPage(b.m.mem, b.g.gcr3, q, fq, { w: true, u: true, x: true }); // executable, so a fetch may use its entry
    for (let f = fq; f <= fq + 3; f++) eptMap(b.m.mem, b.g.eptRoot, f * 4096, f * 4096, { r: true, w: true, x: true });
    b.m.mmu.flushAll(); b.ring(3);
    const s = b.m.snapshot();
    const v = b.m.mmu.tlb4k.version;
    expect(b.step('u1')).toBeNull(); // walks, fills the text page into the set's first way, notes it
    expect(b.m.mmu.tlb4k.version).toBe(v + 1);
    b.m.restore(s);
    b.m.load(q, 8); // the same fill count, into the same way, of the other page
    expect(b.m.mmu.tlb4k.version).toBe(v + 1);
    b.ring(0); b.ring(3);
    const walks = b.m.mmu.stats.walks;
    b.m.cpu.rip = b.sym('u1'); // (restore made another CpuState: b.step would set the old one's RIP)
    expect(b.m.fetch().addr).toBe(b.sym('u1'));
    expect(b.m.mmu.stats.walks).toBe(walks + 1); // the text page walked for, not served by q's slot
  });

  it('without the TLB every fetch walks', () => {
    const b = bare(SRC, { cpl: 3, knobs: { tlb: false } });
    b.ring(3);
    const n = countAnswers(b.m);
    b.step('u1'); b.ring(0); b.ring(3);
    const walks = b.m.mmu.stats.walks;
    expect(b.step('u1')).toBeNull();
    expect(b.m.mmu.stats.walks).toBe(walks + 1);
    expect(n.answers).toBe(0);
  });
});
