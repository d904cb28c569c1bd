// Test helpers for address translation: a bare machine driven through Mmu.translate, raw
// paging-structure writes, and a REFERENCE TRANSLATOR written straight from the SDM (Vol. 3A
// "4-Level Paging", Vol. 3C "EPT Translation Mechanism"): no TLB, no caches, no A/D writes,
// 64-bit entries as bigint. The stepwise walker in src/engine/mmu must agree with it.

import { Machine } from '../../../src/engine/machine.ts';
import { CpuFault, VmExit } from '../../../src/engine/cpu/fault.ts';
import { ArraySink, type TraceEvent } from '../../../src/engine/trace/events.ts';
import { CR0, CR4, EFER } from '../../../src/engine/arch/x86.ts';
import { eptMap, makeEptp } from '../../../src/engine/ept/ept.ts';
import type { Knobs, XlateCtx, Access } from '../../../src/engine/mmu/mmu.ts';
import type { PhysMem } from '../../../src/engine/mem/phys.ts';

export const R = 0, W = 1, X = 2;

/** A machine with no kernel: only memory, the MMU and a trace sink. */
export function bare(knobs: Partial<Knobs> = {}, memBytes = 16 << 20) {
  const m = new Machine({ memBytes, knobs });
  const sink = new ArraySink();
  m.attach(sink);
  return { m, mem: m.mem, events: sink.events as TraceEvent[] };
}

/** A 64-bit, paging, CR0.WP = 1, EFER.NXE = 1 context at CPL 0 in VMX root; override as needed. */
export function xctx(o: Partial<XlateCtx> = {}): XlateCtx {
  return {
    cr0: (CR0.PE | CR0.PG | CR0.WP) >>> 0, cr3: 0, cr4: CR4.PAE, efer: EFER.LME | EFER.LMA | EFER.NXE, cpl: 0,
    nonRoot: false, vpid: 0, ept: false, eptp: 0, ...o,
  };
}

export const rd64 = (mem: PhysMem, pa: number) => BigInt(mem.read32(pa)) | (BigInt(mem.read32(pa + 4)) << 32n);
export function wr64(mem: PhysMem, pa: number, v: bigint) {
  mem.write32(pa, Number(v & 0xffffffffn));
  mem.write32(pa + 4, Number((v >> 32n) & 0xffffffffn));
}
export const idx = (a: number, level: number) => Math.floor(a / 2 ** (12 + 9 * (level - 1))) % 512;

/** Guest/host paging entry bits as bigint. */
export const P = 1n, RW = 2n, US = 4n, A = 0x20n, D = 0x40n, PS = 0x80n, G = 0x100n, NX = 1n << 63n;
/** EPT entry bits. */
export const ER = 1n, EW = 2n, EX = 4n, ELARGE = 0x80n, EA = 0x100n, ED = 0x200n, EWB = 6n << 3n;

/** Outcome of one translation: a host-physical address, a #PF, or an EPT exit. */
export type Outcome = { hpa: number } | { pf: number; cr2: number } | { exit: number; qual: number; gpa: number; gla: number | null };

/** Run Mmu.translate and capture its outcome. */
export function run(m: Machine, c: XlateCtx, va: number, acc: Access): Outcome {
  try {
    return { hpa: m.mmu.translate(c, va, acc) };
  } catch (e) {
    if (e instanceof CpuFault) return { pf: e.error ?? -1, cr2: e.cr2 };
    if (e instanceof VmExit) return { exit: e.reason, qual: e.qual, gpa: e.gpa ?? -1, gla: e.gla };
    throw e;
  }
}

// ---- the reference translator --------------------------------------------------------------

const MAXPHY = 36;
const ADDR = ((1n << 52n) - 1n) & ~0xfffn;           // bits 51:12
const RSVD_HI = ((1n << 52n) - 1n) & ~((1n << BigInt(MAXPHY)) - 1n); // bits 51:MAXPHYADDR
const bit = (v: bigint, n: number) => (v >> BigInt(n)) & 1n;

class Exit { constructor(readonly reason: number, readonly qual: number, readonly gpa: number) {} }

/** EPT translation of gpa (SDM 28.2.2-28.2.3). kind: the access as the EPT sees it. */
function eptRef(mem: PhysMem, eptp: number, gpa: number, kind: Access, final: boolean, table: boolean) {
  const ad = (eptp & 0x40) !== 0;
  let t = BigInt(eptp) & ADDR;
  let and = 7n;
  const acc = table ? (ad ? 3 : 1) : kind === W ? 2 : kind === X ? 4 : 1; // qualification bits 2:0
  const violation = (rwx: bigint) => new Exit(48, acc | (Number(rwx) << 3) | 0x80 | (final ? 0x100 : 0), gpa);
  for (let level = 4; level >= 1; level--) {
    const e = rd64(mem, Number(t) + idx(gpa, level) * 8);
    const rwx = e & 7n;
    if (rwx === 0n) throw violation(0n);            // not present: bits 5:3 are 0
    const leaf = level === 1 || (level === 2 && bit(e, 7) === 1n);
    const mt = (e >> 3n) & 7n;
    if (rwx === 2n || rwx === 6n || (e & RSVD_HI) !== 0n || (level >= 3 && bit(e, 7) === 1n) ||
        (!leaf && ((e >> 3n) & 0xfn) !== 0n) || (leaf && (mt === 2n || mt === 3n || mt === 7n)) ||
        (level === 2 && leaf && ((e >> 12n) & 0x1ffn) !== 0n))
      throw new Exit(49, 0, gpa);
    and &= rwx;
    if (leaf) {
      const size = level === 2 ? 0x200000 : 0x1000;
      const need = table ? (ad ? 2n : 1n) : kind === W ? 2n : kind === X ? 4n : 1n;
      if ((and & need) === 0n) throw violation(and);
      const base = Number(e & ADDR) - (Number(e & ADDR) % size);
      return { hpa: base + (gpa % size), rwx: Number(and) };
    }
    t = e & ADDR;
  }
  throw new Error('unreachable');
}

/** Translate va as the SDM says: 4-level paging, through the EPT when c.ept. Reads memory only. */
export function reference(mem: PhysMem, c: XlateCtx, va: number, acc: Access): Outcome {
  const user = c.cpl === 3, nxe = (c.efer & EFER.NXE) !== 0, adOn = (c.eptp & 0x40) !== 0;
  const pf = (code: number): Outcome => ({ pf: code | (user ? 4 : 0) | (acc === W ? 2 : 0) | (acc === X && nxe ? 16 : 0), cr2: va });
  try {
    let t = BigInt(c.cr3) & ADDR;
    let rw = true, us = true, nx = false, size = 0x1000, e = 0n;
    const used: { pa: number; gpa: number; rwx: number; leaf: boolean }[] = [];
    for (let level = 4; ; level--) {
      const gpa = Number(t) + idx(va, level) * 8;
      const x = c.ept ? eptRef(mem, c.eptp, gpa, R, false, true) : { hpa: gpa, rwx: 7 };
      e = rd64(mem, x.hpa);
      if (!(e & P)) return pf(0);
      if ((e & RSVD_HI) || (!nxe && (e & NX)) || (level >= 3 && (e & PS)) || (level === 2 && (e & PS) && ((e >> 13n) & 0xffn)))
        return pf(1 | 8);
      rw &&= (e & RW) !== 0n; us &&= (e & US) !== 0n; nx ||= nxe && (e & NX) !== 0n;
      const leaf = level === 1 || (level === 2 && (e & PS) !== 0n);
      used.push({ pa: x.hpa, gpa, rwx: x.rwx, leaf });
      if (leaf) { size = level === 2 ? 0x200000 : 0x1000; break; }
      t = e & ADDR;
    }
    if (user && !us) return pf(1);
    if (acc === W && !rw && (user || (c.cr0 & CR0.WP))) return pf(1);
    if (acc === X && nx) return pf(1);
    const base = Number(e & ADDR) - (Number(e & ADDR) % size);
    const gpa = base + (va % size);
    if (!c.ept) return { hpa: gpa };
    const fin = eptRef(mem, c.eptp, gpa, acc, true, false);
    // Guest A/D updates are guest-physical writes; without EPT A/D they need EPT W separately.
    if (!adOn) for (const u of used) {
      const v = rd64(mem, u.pa);
      if (((v & A) === 0n || (u.leaf && acc === W && (v & D) === 0n)) && !(u.rwx & 2))
        throw new Exit(48, 2 | (u.rwx << 3) | 0x80, u.gpa);
    }
    return { hpa: fin.hpa };
  } catch (x) {
    if (x instanceof Exit) return { exit: x.reason, qual: x.qual, gpa: x.gpa, gla: va };
    throw x;
  }
}

// ---- building paging structures by hand ------------------------------------------------------

/** Address of the entry for `a` at `level` in the 4-level structure rooted at `root` (host
 *  paging, or an EPT when `ept`), creating missing tables with `mid` flags. `at(gpa)` maps a
 *  table's address to where it lives in host memory (identity unless a guest table under EPT). */
export function entryAt(mem: PhysMem, root: number, a: number, level: number, mid: bigint,
  alloc: () => number = () => mem.alloc() * 4096, at: (x: number) => number = (x) => x): number {
  let t = root;
  for (let l = 4; l > level; l--) {
    const pa = at(t) + idx(a, l) * 8;
    let e = rd64(mem, pa);
    if ((e & 7n) === 0n) { e = BigInt(alloc()) | mid; wr64(mem, pa, e); }
    t = Number(e & ADDR);
  }
  return at(t) + idx(a, level) * 8;
}

export const hex = (n: number) => '0x' + n.toString(16);

// ---- hand-built worlds for Mmu.translate ----------------------------------------------------


/** Native paging: a root table and map(va, pa, flags, big) (intermediate entries P|RW|US). */
export function world1d(knobs: Partial<Knobs> = {}) {
  const b = bare(knobs);
  const cr3 = b.mem.alloc() * 4096;
  const map = (va: number, pa: number, flags: bigint, big = false) =>
    wr64(b.mem, entryAt(b.mem, cr3, va, big ? 2 : 1, P | RW | US), BigInt(pa) | flags | (big ? PS : 0n));
  return { ...b, cr3, map, ctx: (o: Partial<XlateCtx> = {}) => xctx({ cr3, ...o }) };
}

/** A guest under EPT: guest tables in frames with GPA = HPA, each EPT-mapped (identity) by a
 *  4 KiB EPT page, or by a 2 MiB EPT page when eptBig. map() adds guest mappings, ept() EPT ones. */
export function world2d(o: { knobs?: Partial<Knobs>; ad?: boolean; eptBig?: boolean; vpid?: number } = {}) {
  const b = bare(o.knobs);
  const eptRoot = b.mem.alloc() * 4096;
  const eptp = makeEptp(eptRoot, o.ad ?? false);
  const all = { r: true, w: true, x: true };
  const ept = (gpa: number, hpa: number, p = all, big = false) => eptMap(b.mem, eptRoot, gpa, hpa, p, big);
  const alloc = () => {
    const pa = b.mem.alloc() * 4096;
    if (o.eptBig) { const base = pa - (pa % 0x200000); ept(base, base, all, true); } else ept(pa, pa);
    return pa;
  };
  const cr3 = alloc();
  const map = (va: number, gpa: number, flags: bigint, big = false) =>
    wr64(b.mem, entryAt(b.mem, cr3, va, big ? 2 : 1, P | RW | US, alloc), BigInt(gpa) | flags | (big ? PS : 0n));
  const ctx = (c: Partial<XlateCtx> = {}) => xctx({ cr3, nonRoot: true, vpid: o.vpid ?? 1, ept: true, eptp, ...c });
  return { ...b, eptRoot, eptp, cr3, map, ept, alloc, ctx };
}

/** Expected hardware order of a 2-D walk: for each guest level, EPT levels then the guest entry;
 *  then the EPT levels for the final GPA. eptLevels: 4 (4 KiB EPT pages) or 3 (2 MiB). */
export function order2d(guestLevels: number[], eptLevels: number[]): string[] {
  const out: string[] = [];
  for (const g of guestLevels) { for (const e of eptLevels) out.push(`ept${e}`); out.push(`guest${g}`); }
  for (const e of eptLevels) out.push(`ept${e}`);
  return out;
}
