// Address translation: TLB lookup, then on a miss the native 4-level walk (root mode, or EPT off)
// or the two-dimensional walk (guest paging x EPT). SDM Vol. 3A "Paging" (4-level paging, A/D,
// #PF error codes) and Vol. 3C "EPT" (EPT violations, misconfigurations, A/D). World: hardware.

import { PFEC, PTE, PTE_NX_HI, ADDR_LO_MASK, ADDR_HI_MASK, EPTE, EPTP, CR0, CR4, EFER, VEC } from '../arch/x86.ts';
import { EXIT_REASON, EPT_QUAL } from '../arch/vmx.ts';
import { CpuFault, VmExit } from '../cpu/fault.ts';
import { hex, hex64, hexVa, type WalkRef, type WalkCause, type PscHit, type EventType } from '../trace/events.ts';
import { Tlb, TF, ctxOf, vpidOf } from './tlb.ts';
import { CacheModel, LEVELS } from './cache.ts';
import { DataMemo } from './datamemo.ts';
import type { PhysMem } from '../mem/phys.ts';
import type { CostModel } from '../cost.ts';

export const READ = 0, WRITE = 1, FETCH = 2;
export type Access = 0 | 1 | 2;

/** MAXPHYADDR of the modelled CPU (the paper's Ivy Bridge E3 reports 36 physical-address bits). */
export const MAXPHYADDR = 36;
const RSVD_HI = (~((1 << (MAXPHYADDR - 32)) - 1) & ADDR_HI_MASK) >>> 0; // entry bits 51:MAXPHYADDR

/** What translation needs to know about the CPU and VMX state at the moment of the access. */
export interface XlateCtx {
  cr0: number; cr3: number; cr4: number; efer: number; cpl: number;
  nonRoot: boolean; vpid: number;
  /** EPT in use: non-root with "enable EPT"; eptp is then the EPTP value (number, < 2^53). */
  ept: boolean; eptp: number;
}

interface PscEntry { table: number; rw: boolean; us: boolean; nx: boolean }

export interface WalkStats {
  walks: number; walkRefs: number; tlbMisses: number; tlbHits: number;
  /** Cycles spent by the page walker (miss start-up plus every reference): the paper's
   *  page-walk-cycles counter (Table 2 "page walk"). */
  walkCycles: number;
}

export interface Knobs { tlb: boolean; psc: boolean; eptAd: boolean; hugepages: boolean; vpid: boolean }
/** Defaults follow the paper's machine: an Ivy Bridge, whose EPT has no accessed/dirty flags. */
export const DEFAULT_KNOBS: Knobs = { tlb: true, psc: true, eptAd: false, hugepages: false, vpid: true };

/** Callbacks into the machine: costs, trace, fault accounting. */
export interface MmuHost {
  costs: CostModel;
  cycles: number;
  /** A sink is attached: every event must be emitted (at least counted). */
  tracing: boolean;
  /** Does the sink want this kind built? (Else emit a bare { type } to count it.) */
  wants(type: EventType): boolean;
  emit(body: object): void;
}

/** A walk being recorded for the trace (only when a sink wants walks). */
interface WalkRec { refs: WalkRef[]; psc: string[]; pscHits: PscHit[]; access: 'read' | 'write' | 'fetch' }
const ACCESS_NAME = ['read', 'write', 'fetch'] as const;
const PSC_NAME = ['PDE', 'PDPTE', 'PML4E'] as const; // by the level of the table the cached entry points to
const PSC_CACHE = PSC_NAME.map((n) => `${n} cache`), EPT_PSC_CACHE = PSC_NAME.map((n) => `EPT ${n} cache`);
// Bodies emitted only to be counted, when the sink does not want the kind.
const COUNT_WALK = { type: 'walk' }, COUNT_AD = { type: 'ad' }, COUNT_TLB = { type: 'tlb' };

const P2_32 = 2 ** 32;
const pscKey = (ctx: number, ep: number, level: number, prefix: number) => `${ctx}/${ep}/${level}/${prefix}`;

export class Mmu {
  tlb4k: Tlb;
  tlb2m: Tlb;
  /** Paging-structure caches (PML4E/PDPTE/PDE caches) for guest or native paging, tagged by context. */
  psc = new Map<string, PscEntry>();
  /** EPT paging-structure caches (the nested dimension), tagged by EP4TA, keyed by GPA prefix. */
  eptPsc = new Map<string, { table: number; r: boolean; w: boolean; x: boolean }>();
  cache: CacheModel;
  /** Bumped on anything that may change a translation (flush, CR3, mode, CPL): the machine's
   *  fast paths cache a page's translation while it is unchanged. With the TLB off nothing may be
   *  cached (every access walks), so then each read of it yields a new value. */
  get gen(): number { return this.knobs.tlb ? this.genN : ++this.genN; }
  set gen(v: number) { this.genN = v; }
  private genN = 0;
  /** Split entries filled so far (an upper bound: page drops scan every set while it is non-zero). */
  splits = 0;
  stats: WalkStats = { walks: 0, walkRefs: 0, tlbMisses: 0, tlbHits: 0, walkCycles: 0 };
  static readonly PSC_CAP = 64;
  /** The 4 KiB TLB slot the last translate() was served from, or -1 (a 2 MiB hit or a walk). */
  hitSlot = -1;
  /** Bumped with gen by every invalidation (not by a change of context, which the machine counts). */
  flushes = 0;
  /** The blocks' memo of 4 KiB TLB lookups for data (datamemo.ts); a clone starts with none. */
  readonly dmemo = new DataMemo();

  /** from: the MMU this one copies (clone), whose TLBs and cache model are copied instead of
   *  made empty (a checkpoint takes one). */
  constructor(readonly mem: PhysMem, readonly host: MmuHost, public knobs: Knobs, from?: Mmu) {
    this.tlb4k = from ? from.tlb4k.clone() : new Tlb(512, 4, 12);
    this.tlb2m = from ? from.tlb2m.clone() : new Tlb(32, 4, 21);
    this.cache = from ? from.cache.clone() : new CacheModel();
  }

  // ---- TLB lookup ------------------------------------------------------------------------

  /** Translate linear address va (48-bit) for an access; returns the host-physical address.
   *  Throws CpuFault (#PF) or VmExit (EPT violation / misconfiguration). */
  translate(c: XlateCtx, va: number, acc: Access): number {
    // Offsets by mask, not `%`: the operands are non-negative integers below 2^53, where the two
    // agree, and V8 makes `%` on a double (a kernel address) a slow call.
    const ctx = ctxOf(c.nonRoot ? c.vpid : 0, (c.cr4 & CR4.PCIDE) ? c.cr3 & 4095 : 0);
    const ep = c.ept ? Math.floor(c.eptp / 4096) : 0;
    this.hitSlot = -1;
    if (this.knobs.tlb) {
      const vpn = Math.floor(va / 4096);
      let i = this.tlb4k.find(vpn, ctx, ep);
      if (i >= 0 && this.allowed(c, this.tlb4k.flags[i], acc)) {
        this.stats.tlbHits++;
        this.hitSlot = i;
        return this.tlb4k.frame[i] * 4096 + (va & 4095);
      }
      if (i < 0) {
        i = this.tlb2m.find(Math.floor(va / 0x200000), ctx, ep);
        if (i >= 0 && this.allowed(c, this.tlb2m.flags[i], acc)) {
          this.stats.tlbHits++;
          return this.tlb2m.frame[i] * 4096 + (va & 0x1fffff);
        }
      }
    }
    this.stats.tlbMisses++;
    return this.walk(c, va, acc, ctx, ep);
  }

  /** May a cached translation serve this access? (Otherwise re-walk: the walk sets D or faults.) */
  allowed(c: XlateCtx, f: number, acc: Access): boolean {
    const user = c.cpl === 3;
    if (user && !(f & TF.US)) return false;
    if (acc === WRITE) {
      if (!(f & TF.DIRTY) || !(f & TF.EW)) return false;
      return (f & TF.RW) !== 0 || (!user && !(c.cr0 & CR0.WP));
    }
    if (acc === FETCH) return !(f & TF.NX) && (f & TF.EX) !== 0;
    return (f & TF.ER) !== 0;
  }

  // ---- the walk --------------------------------------------------------------------------

  /** A page fault invalidates the TLB entries and paging-structure-cache entries for the faulting
   *  linear address (current PCID); an EPT violation also invalidates the guest-physical mappings
   *  used for the faulting GPA (SDM "Operations that Invalidate TLBs and Paging-Structure Caches";
   *  Vol. 3C "Invalidation of ... Mappings"). So a walk that faults leaves no cached entries, and
   *  every paging-structure-cache entry comes from a walk that set the A bits it skips. */
  private walk(c: XlateCtx, va: number, acc: Access, ctx: number, ep: number): number {
    try {
      return this.walkOnce(c, va, acc, ctx, ep);
    } catch (e) {
      if (e instanceof CpuFault) this.dropLa(ctx, ep, va);
      else if (e instanceof VmExit) { // EPT violation; a misconfiguration too (invalidating more is allowed)
        this.dropLa(ctx, ep, va);
        if (e.gpa !== null) for (let l = 1; l <= 3; l++) this.eptPsc.delete(`${ep}/${l}/${Math.floor(e.gpa / 2 ** (12 + 9 * l))}`);
      }
      throw e;
    }
  }

  private dropLa(ctx: number, ep: number, va: number) {
    this.bump();
    const v4 = Math.floor(va / 4096), v2 = Math.floor(va / 0x200000);
    const mine = (cx: number, g: boolean) => cx === ctx || (g && vpidOf(cx) === vpidOf(ctx)); // global: any PCID
    const p4 = (cx: number, e: number, vpn: number, g: boolean, f: number) => mine(cx, g) && e === ep && (vpn === v4 || ((f & TF.SPLIT) !== 0 && Math.floor(vpn / 512) === v2));
    if (this.splits > 0) this.tlb4k.drop(p4); else this.tlb4k.dropInSet(v4, p4);
    this.tlb2m.dropInSet(v2, (cx, e, vpn, g) => mine(cx, g) && e === ep && vpn === v2);
    for (let l = 1; l <= 3; l++) this.psc.delete(pscKey(ctx, ep, l, Math.floor(va / 2 ** (12 + 9 * l))));
  }

  private walkOnce(c: XlateCtx, va: number, acc: Access, ctx: number, ep: number): number {
    const host = this.host, mem = this.mem;
    const rec: WalkRec | null = host.tracing && host.wants('walk') ? { refs: [], psc: [], pscHits: [], access: ACCESS_NAME[acc] } : null;
    const user = c.cpl === 3, nxe = (c.efer & EFER.NXE) !== 0;
    const twoD = c.ept;
    const space = twoD ? 'guest' : 'host';
    this.stats.walks++;
    host.cycles += host.costs.tlbMiss;
    this.stats.walkCycles += host.costs.tlbMiss;

    // Guest (or native) paging: start at CR3, or at the deepest paging-structure-cache hit.
    let table = (c.cr3 - (c.cr3 % 4096)) % 2 ** 52; // CR3[51:12]; PCID bits dropped
    let level = 4;
    let rw = true, us = true, nx = false;
    if (this.knobs.psc) {
      for (let l = 1; l <= 3; l++) { // l = level of the cached entry's *target*: PDE cache -> table of level 1
        const hit = this.psc.get(pscKey(ctx, ep, l, Math.floor(va / 2 ** (12 + 9 * l))));
        if (hit) {
          table = hit.table; level = l; rw = hit.rw; us = hit.us; nx = hit.nx;
          if (rec) { rec.psc.push(PSC_CACHE[l - 1]); rec.pscHits.push({ space, serves: l, level: l }); }
          break;
        }
      }
    }
    const start = level;
    const entryAddrs: number[] = [];   // host-physical addresses of guest entries used (for A/D)
    const entryEpt: number[] = [];      // EPT R/W/X (bits 0-2) of the page holding each entry
    const entryGpa: number[] = [];
    let lo = 0, hi = 0, pageShift = 12;
    let eptLeafW = true, eptR = true, eptX = true, eptW = true, eptD = true, eptShift = 30;
    const faultPf = (code: number, why: string): never => {
      const ec = code | (user ? PFEC.U : 0) | (acc === WRITE ? PFEC.W : 0) | (acc === FETCH && nxe ? PFEC.I : 0);
      this.walkDone(rec, va, null, `#PF ${why}`, { kind: 'pf', space, level, serves: level, code: ec });
      throw new CpuFault(VEC.PF, ec, va, why);
    };
    for (;;) {
      const idx = Math.floor(va / 2 ** (12 + 9 * (level - 1))) % 512;
      const gpaEntry = table + idx * 8;
      let pa = gpaEntry;
      if (twoD) {
        // With EPT A/D on (EPTP bit 6, not the knob: the VMM may leave it off) guest
        // paging-structure accesses are writes to the EPT.
        const t = this.eptTranslate(c, gpaEntry, va, c.eptp & EPTP.AD ? WRITE : READ, false, rec, level);
        pa = t.hpa; entryEpt.push((t.r ? 1 : 0) | (t.w ? 2 : 0) | (t.x ? 4 : 0));
      }
      lo = mem.read32(pa); hi = mem.read32(pa + 4);
      this.ref(pa, rec, space, level, lo, hi, level, twoD ? gpaEntry : -1);
      entryAddrs.push(pa); entryGpa.push(gpaEntry);
      if (!(lo & PTE.P)) faultPf(0, `not present at level ${level}`);
      const leaf = level === 1 || (level === 2 && (lo & PTE.PS) !== 0);
      if ((hi & RSVD_HI) || (!nxe && (hi & PTE_NX_HI)) || (level === 4 && (lo & PTE.PS)) ||
          (level === 3 && (lo & PTE.PS)) || (level === 2 && (lo & PTE.PS) && (lo & 0x1fe000)))
        faultPf(PFEC.P | PFEC.RSVD, `reserved bit set at level ${level}`);
      rw &&= (lo & PTE.RW) !== 0; us &&= (lo & PTE.US) !== 0; nx ||= nxe && (hi & PTE_NX_HI) !== 0;
      if (leaf) { pageShift = level === 2 ? 21 : 12; break; }
      table = (hi & ADDR_HI_MASK) * P2_32 + ((lo & ADDR_LO_MASK) >>> 0);
      if (this.knobs.psc) this.pscPut(pscKey(ctx, ep, level - 1, Math.floor(va / 2 ** (12 + 9 * (level - 1)))), { table, rw, us, nx });
      level--;
    }
    // Permission checks (SDM "Access Rights"): user needs U/S everywhere; writes need R/W
    // everywhere (supervisor too when CR0.WP = 1); fetches need NX clear everywhere.
    if (user && !us) faultPf(PFEC.P, 'user access to a supervisor page');
    if (acc === WRITE && !rw && (user || (c.cr0 & CR0.WP))) faultPf(PFEC.P, 'write to a read-only page');
    if (acc === FETCH && nx) faultPf(PFEC.P, 'instruction fetch from a no-execute page');

    const pageBase = (hi & ADDR_HI_MASK) * P2_32 + ((lo & ADDR_LO_MASK) >>> 0) - (pageShift === 21 ? ((lo & ADDR_LO_MASK) >>> 0) % 0x200000 : 0);
    const gpa = pageBase + (va % 2 ** pageShift);
    let hpa = gpa;
    if (twoD) {
      const t = this.eptTranslate(c, gpa, va, acc, true, rec, 0);
      hpa = t.hpa; eptR = t.r; eptW = t.w; eptX = t.x; eptLeafW = t.w; eptD = t.d; eptShift = t.shift;
    }
    // A and D (SDM "Accessed and Dirty Flags"): A on every entry used, D on the leaf on a write.
    // Under EPT these are guest-physical writes: they need EPT write permission.
    let adEvents: object[] | null = null; // made at the first A/D write, when tracing
    const adBuild = host.tracing && host.wants('ad');
    for (let k = 0; k < entryAddrs.length; k++) {
      const pa = entryAddrs[k];
      const v = mem.read32(pa);
      const isLeaf = k === entryAddrs.length - 1;
      const needA = !(v & PTE.A), needD = isLeaf && acc === WRITE && !(v & PTE.D);
      if (!needA && !needD) continue;
      if (twoD && !(entryEpt[k] & 2)) {
        // The A/D write is a data write to a guest paging structure that the EPT maps read-only:
        // qualification = write, the entry's R/W/X, linear address valid, bit 8 = 0.
        const q = EPT_QUAL.WRITE | (entryEpt[k] << 3) | EPT_QUAL.GLA_VALID;
        this.walkDone(rec, va, null, 'EPT violation (guest A/D update)', { kind: 'ept-violation', space: 'guest', level: start - k, serves: start - k, code: q });
        throw new VmExit(EXIT_REASON.EPT_VIOLATION, q, entryGpa[k], va);
      }
      mem.write32(pa, v | (needA ? PTE.A : 0) | (needD ? PTE.D : 0));
      if (host.tracing) {
        adEvents ??= [];
        if (needA) adEvents.push(adBuild ? { type: 'ad', table: space, bit: 'A', entry: hex(pa), va: hexVa(va) } : COUNT_AD);
        if (needD) adEvents.push(adBuild ? { type: 'ad', table: space, bit: 'D', entry: hex(pa), va: hexVa(va) } : COUNT_AD);
      }
    }
    this.walkDone(rec, va, hpa, null, null);
    if (adEvents) for (const e of adEvents) host.emit(e);
    this.cache.access(hpa); // the access that missed the TLB also goes to the caches (cache.ts)

    // Fill the TLB with the combined mapping: the smaller of the guest and EPT page sizes
    // ("splintering" when the guest uses 2 MiB pages over 4 KiB EPT pages).
    if (this.knobs.tlb) {
      const shift = twoD ? Math.min(pageShift, eptShift) : pageShift;
      // A write may use the entry only if no D bit still needs setting: the guest leaf's, and
      // with EPT A/D the EPT leaf's too (else the write re-walks and sets it).
      const dirty = (acc === WRITE || (mem.read32(entryAddrs[entryAddrs.length - 1]) & PTE.D) !== 0) && eptD;
      const flags = (rw ? TF.RW : 0) | (us ? TF.US : 0) | (nx ? TF.NX : 0) | (eptR ? TF.ER : 0) |
        (eptW ? TF.EW : 0) | (eptX ? TF.EX : 0) | (dirty && eptLeafW ? TF.DIRTY : 0) |
        ((lo & PTE.G) && (c.cr4 & CR4.PGE) ? TF.G : 0) | (shift < pageShift ? TF.SPLIT : 0);
      if (shift < pageShift) this.splits++;
      const tlb = shift === 21 ? this.tlb2m : this.tlb4k;
      const base = hpa - (hpa % 2 ** shift);
      tlb.fill(Math.floor(va / 2 ** shift), ctx, ep, base / 4096, flags);
      if (host.tracing) host.emit(host.wants('tlb') ? { type: 'tlb', op: 'fill', vpid: c.nonRoot ? c.vpid : 0, pcid: ctx % 4096, va: hexVa(va - (va % 2 ** shift)), scope: shift === 21 ? '2M' : '4K' } : COUNT_TLB);
    }
    return hpa;
  }

  /** One EPT walk of gpa (SDM "EPT Translation Mechanism"). final: the access is to the final
   *  translated GPA (qualification bit 8), else to a guest paging-structure entry. */
  /** serves: the guest level whose entry's GPA this translates (0: the final data GPA). */
  private eptTranslate(c: XlateCtx, gpa: number, va: number, acc: Access, final: boolean, rec: WalkRec | null, serves: number) {
    const isTable = !final;
    const mem = this.mem, host = this.host;
    const ep = Math.floor(c.eptp / 4096);
    const adOn = (c.eptp & 0x40) !== 0;
    let table = ep * 4096, level = 4;
    let r = true, w = true, x = true;
    if (this.knobs.psc) {
      for (let l = 1; l <= 3; l++) {
        const hit = this.eptPsc.get(`${ep}/${l}/${Math.floor(gpa / 2 ** (12 + 9 * l))}`);
        if (hit) {
          table = hit.table; level = l; r = hit.r; w = hit.w; x = hit.x;
          if (rec) { rec.psc.push(EPT_PSC_CACHE[l - 1]); rec.pscHits.push({ space: 'ept', serves, level: l }); }
          break;
        }
      }
    }
    const used: number[] = [];
    let lo = 0, hi = 0, shift = 12;
    for (;;) {
      const pa = table + (Math.floor(gpa / 2 ** (12 + 9 * (level - 1))) % 512) * 8;
      lo = mem.read32(pa); hi = mem.read32(pa + 4);
      this.ref(pa, rec, 'ept', level, lo, hi, serves, gpa);
      used.push(pa);
      const rwx = lo & 7;
      const leaf = level === 1 || (level === 2 && (lo & EPTE.LARGE) !== 0);
      if (rwx !== 0) {
        // Misconfiguration is checked before any violation (SDM "EPT Misconfigurations").
        const mt = (lo >> 3) & 7;
        if (rwx === 2 || rwx === 6 || (hi & RSVD_HI) ||
            (!leaf && (lo & 0x78)) || (level >= 3 && (lo & EPTE.LARGE)) ||
            (leaf && (mt === 2 || mt === 3 || mt === 7)) || (level === 2 && leaf && (lo & 0x1ff000))) {
          this.walkDone(rec, va, null, 'EPT misconfiguration', { kind: 'ept-misconfig', space: 'ept', level, serves, code: 0 });
          throw new VmExit(EXIT_REASON.EPT_MISCONFIG, 0, gpa, va);
        }
      }
      r &&= (rwx & 1) !== 0; w &&= (rwx & 2) !== 0; x &&= (rwx & 4) !== 0;
      if (rwx === 0) break; // not present: violation below
      if (leaf) { shift = level === 2 ? 21 : 12; break; }
      table = (hi & ADDR_HI_MASK) * P2_32 + ((lo & ADDR_LO_MASK) >>> 0);
      if (this.knobs.psc) this.eptPscPut(`${ep}/${level - 1}/${Math.floor(gpa / 2 ** (12 + 9 * (level - 1)))}`, { table, r, w, x });
      level--;
    }
    const present = (lo & 7) !== 0;
    const need = acc === WRITE ? w : acc === FETCH ? x : r;
    if (!present || !need) {
      // EPT violation. With EPT A/D on, a guest paging-structure access is treated as a write and
      // the SDM sets both bit 0 and bit 1 for it.
      let q = acc === WRITE ? EPT_QUAL.WRITE : acc === FETCH ? EPT_QUAL.FETCH : EPT_QUAL.READ;
      if (isTable && adOn) q |= EPT_QUAL.READ | EPT_QUAL.WRITE;
      if (present) q |= (r ? EPT_QUAL.READABLE : 0) | (w ? EPT_QUAL.WRITABLE : 0) | (x ? EPT_QUAL.EXECUTABLE : 0);
      q |= EPT_QUAL.GLA_VALID | (final ? EPT_QUAL.GLA_TRANSLATED : 0);
      this.walkDone(rec, va, null, `EPT violation at EPT level ${level}`, { kind: 'ept-violation', space: 'ept', level, serves, code: q });
      throw new VmExit(EXIT_REASON.EPT_VIOLATION, q, gpa, va);
    }
    // EPT A/D (EPTP bit 6): A on every entry used, D on the leaf for writes.
    let d = true;
    if (adOn) {
      d = acc === WRITE || (mem.read32(used[used.length - 1]) & EPTE.D) !== 0;
      for (let k = 0; k < used.length; k++) {
        const pa = used[k], v = mem.read32(pa);
        const setD = k === used.length - 1 && acc === WRITE && !(v & EPTE.D);
        if (!(v & EPTE.A) || setD) {
          mem.write32(pa, v | EPTE.A | (setD ? EPTE.D : 0));
          if (host.tracing) {
            const build = host.wants('ad');
            if (!(v & EPTE.A)) host.emit(build ? { type: 'ad', table: 'ept', bit: 'A', entry: hex(pa), va: hexVa(va) } : COUNT_AD);
            if (setD) host.emit(build ? { type: 'ad', table: 'ept', bit: 'D', entry: hex(pa), va: hexVa(va) } : COUNT_AD);
          }
        }
      }
    }
    const base = (hi & ADDR_HI_MASK) * P2_32 + ((lo & ADDR_LO_MASK) >>> 0);
    const hpa = shift === 21 ? base - (base % 0x200000) + (gpa % 0x200000) : base + (gpa % 4096);
    return { hpa, r, w, x, d, shift };
  }

  /** One read of a paging-structure entry: costed by the cache level that served it. */
  private ref(pa: number, rec: WalkRec | null, space: WalkRef['space'], level: number, lo: number, hi: number, serves: number, gpa: number) {
    this.stats.walkRefs++;
    const hit = this.cache.access(pa);
    const c = this.host.costs.walkRef[hit] + (space === 'ept' ? this.host.costs.eptRef : 0);
    this.host.cycles += c;
    this.stats.walkCycles += c;
    if (rec) {
      const r: WalkRef = { space, level, addr: hex(pa), value: hex64(lo, hi), serves, cache: LEVELS[hit] };
      if (gpa >= 0) r.gpa = hex(gpa);
      rec.refs.push(r);
    }
  }

  /** The walk ended (result: the host-physical address, or null with the fault): its event. */
  private walkDone(rec: WalkRec | null, va: number, result: number | null, fault: string | null, cause: WalkCause | null) {
    if (!rec) { if (this.host.tracing) this.host.emit(COUNT_WALK); return; }
    const e: Record<string, unknown> = { type: 'walk', va: hexVa(va), refs: rec.refs, result: result === null ? null : hex(result), fault };
    if (rec.psc.length) e.psc = rec.psc;
    e.access = rec.access;
    e.pscHits = rec.pscHits;
    e.cause = cause;
    this.host.emit(e);
  }

  private pscPut(k: string, v: PscEntry) {
    if (this.psc.size >= Mmu.PSC_CAP) this.psc.delete(this.psc.keys().next().value!);
    this.psc.set(k, v);
  }
  private eptPscPut(k: string, v: { table: number; r: boolean; w: boolean; x: boolean }) {
    if (this.eptPsc.size >= Mmu.PSC_CAP) this.eptPsc.delete(this.eptPsc.keys().next().value!);
    this.eptPsc.set(k, v);
  }

  // ---- invalidation (SDM "Invalidation of TLBs and Paging-Structure Caches") -----------------

  private bump() { this.gen++; this.flushes++; }
  /** What translate() does for an access a 4 KiB TLB hit in slot i serves (hitSlot): the slot
   *  becomes the most recently used and the hit is counted. */
  touchHit(i: number) { this.tlb4k.touch(i); this.stats.tlbHits++; }

  /** INVLPG: that page in the current PCID (and global entries for it in any PCID of the VPID),
   *  and all paging-structure caches of the current PCID. */
  invlpg(vpid: number, pcid: number, va: number): number {
    this.bump();
    const ctx = ctxOf(vpid, pcid);
    const v4 = Math.floor(va / 4096), v2 = Math.floor(va / 0x200000);
    // A 2 MiB guest page over 4 KiB EPT pages is cached as 4 KiB pieces: drop them all (SDM
    // "Details of TLB Use": INVLPG invalidates every TLB entry for the translation).
    const n = this.tlb4k.drop((cx, _e, vpn, g, f) => (vpn === v4 || ((f & TF.SPLIT) !== 0 && Math.floor(vpn / 512) === v2)) &&
        (cx === ctx || (g && Math.floor(cx / 4096) === vpid))) +
      this.tlb2m.drop((cx, _e, vpn, g) => vpn === v2 && (cx === ctx || (g && Math.floor(cx / 4096) === vpid)));
    this.dropPsc((cx) => cx === ctx);
    return n;
  }
  /** Flush one (VPID, PCID) context, keeping global entries if asked (MOV to CR3). */
  flushPcid(vpid: number, pcid: number, keepGlobal: boolean): number {
    this.bump();
    const ctx = ctxOf(vpid, pcid);
    const p = (cx: number, _e: number, _v: number, g: boolean) => cx === ctx && !(keepGlobal && g);
    const n = this.tlb4k.drop(p) + this.tlb2m.drop(p);
    this.dropPsc((cx) => cx === ctx);
    return n;
  }
  /** Flush every mapping tagged with this VPID (all PCIDs, all EP4TAs): INVVPID single-context,
   *  or VM entry/exit when "enable VPID" is 0 (VPID 0). */
  flushVpid(vpid: number, keepGlobal = false): number {
    this.bump();
    const p = (cx: number, _e: number, _v: number, g: boolean) => Math.floor(cx / 4096) === vpid && !(keepGlobal && g);
    const n = this.tlb4k.drop(p) + this.tlb2m.drop(p);
    this.dropPsc((cx) => Math.floor(cx / 4096) === vpid);
    return n;
  }
  /** INVVPID individual-address. */
  flushVpidAddr(vpid: number, va: number): number {
    this.bump();
    const v4 = Math.floor(va / 4096), v2 = Math.floor(va / 0x200000);
    const n = this.tlb4k.drop((cx, _e, vpn, _g, f) => (vpn === v4 || ((f & TF.SPLIT) !== 0 && Math.floor(vpn / 512) === v2)) && Math.floor(cx / 4096) === vpid) +
      this.tlb2m.drop((cx, _e, vpn) => vpn === v2 && Math.floor(cx / 4096) === vpid);
    this.dropPsc((cx) => Math.floor(cx / 4096) === vpid);
    return n;
  }
  /** INVEPT single-context (one EP4TA: combined and guest-physical mappings) or all-context (null). */
  flushEpt(ep: number | null): number {
    this.bump();
    const p = (_c: number, e: number) => (ep === null ? e !== 0 : e === ep);
    const n = this.tlb4k.drop(p) + this.tlb2m.drop(p);
    for (const k of [...this.eptPsc.keys()]) if (ep === null || k.startsWith(`${ep}/`)) this.eptPsc.delete(k);
    for (const k of [...this.psc.keys()]) { const e = Number(k.split('/')[1]); if (e !== 0 && (ep === null || e === ep)) this.psc.delete(k); }
    return n;
  }
  /** INVVPID all-context: linear and combined mappings of every VPID except 0000H (the host's);
   *  guest-physical mappings (EPT paging-structure caches) are untouched. */
  flushAllVpids(): number {
    this.bump();
    const p = (cx: number) => Math.floor(cx / 4096) !== 0;
    const n = this.tlb4k.drop(p) + this.tlb2m.drop(p);
    this.dropPsc((cx) => Math.floor(cx / 4096) !== 0);
    return n;
  }
  flushAll(): number {
    this.bump();
    const n = this.tlb4k.drop(() => true) + this.tlb2m.drop(() => true);
    this.psc.clear(); this.eptPsc.clear();
    return n;
  }
  private dropPsc(pred: (ctx: number) => boolean) {
    for (const k of [...this.psc.keys()]) if (pred(Number(k.split('/')[0]))) this.psc.delete(k);
  }

  clone(mem: PhysMem, host: MmuHost): Mmu {
    const m = new Mmu(mem, host, { ...this.knobs }, this);
    m.psc = new Map(this.psc); m.eptPsc = new Map(this.eptPsc);
    m.stats = { ...this.stats }; m.genN = this.genN; m.splits = this.splits;
    return m;
  }
}
