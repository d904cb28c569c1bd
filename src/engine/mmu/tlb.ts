// The TLB: a set-associative cache of linear->host-physical translations, tagged by VPID, PCID and
// EP4TA (SDM Vol. 3A "Caching Translation Information", Vol. 3C "Caching Translation Information"
// for EPT: linear and combined mappings). World: hardware, both VMX modes.

/** Permission bits cached with a translation. SPLIT: a 4 KiB piece of a larger guest page (a
 *  2 MiB guest page over 4 KiB EPT pages); INVLPG of any address in that page drops every piece. */
export const TF = { RW: 1, US: 2, NX: 4, ER: 8, EW: 16, EX: 32, DIRTY: 64, G: 128, SPLIT: 256 } as const;

export class Tlb {
  readonly sets: number;
  vpn!: Float64Array; ctx!: Float64Array; ep!: Float64Array; frame!: Float64Array;
  flags!: Uint16Array; lru!: Uint32Array;
  /** One buffer holds the tags and translations (vpn, ctx, ep, frame, flags), shared with the
   *  clones made since it last changed (a checkpoint's copy): the first fill or drop after a
   *  clone copies it. Only lru, which every hit writes, is copied at each clone. */
  private buf!: ArrayBuffer;
  private shared = false;
  private tick = 0;
  /** Bumped by every fill and drop: while it is unchanged, find() with the same arguments finds
   *  the same slot (a note of a hit, datamemo.ts TlbNote, may stand in for the lookup). */
  version = 0;

  /** ways-way set-associative with `entries` entries; `shift` = 12 (4 KiB) or 21 (2 MiB). */
  constructor(readonly entries: number, readonly ways: number, readonly shift: number, from?: Tlb) {
    this.sets = entries / ways;
    if (from) {
      this.views(from.buf); this.shared = from.shared = true;
      this.lru = from.lru.slice(); this.tick = from.tick; this.version = from.version;
    } else {
      this.views(new ArrayBuffer(entries * 34)); this.vpn.fill(-1);
      this.lru = new Uint32Array(entries);
    }
  }
  private views(buf: ArrayBuffer) {
    const n = this.entries;
    this.buf = buf;
    this.vpn = new Float64Array(buf, 0, n); this.ctx = new Float64Array(buf, 8 * n, n);
    this.ep = new Float64Array(buf, 16 * n, n); this.frame = new Float64Array(buf, 24 * n, n);
    this.flags = new Uint16Array(buf, 32 * n, n);
  }
  /** Before a write to the tags: a buffer shared with a clone is copied first. */
  private own() {
    if (this.shared) { this.views(this.buf.slice(0)); this.shared = false; }
    this.version++;
  }

  /** Index of the entry for (page number, context), or -1. A global entry matches any PCID of its VPID. */
  find(vpn: number, ctx: number, ep: number): number {
    const base = (vpn & (this.sets - 1)) * this.ways;
    for (let i = base; i < base + this.ways; i++) {
      if (this.vpn[i] === vpn && this.ep[i] === ep &&
          (this.ctx[i] === ctx || ((this.flags[i] & TF.G) !== 0 && vpidOf(this.ctx[i]) === vpidOf(ctx)))) {
        this.lru[i] = ++this.tick;
        return i;
      }
    }
    return -1;
  }

  /** find() without its effect: the slot it would return, or -1 (DataMemo.note). */
  peek(vpn: number, ctx: number, ep: number): number {
    const base = (vpn & (this.sets - 1)) * this.ways;
    for (let i = base; i < base + this.ways; i++) {
      if (this.vpn[i] === vpn && this.ep[i] === ep &&
          (this.ctx[i] === ctx || ((this.flags[i] & TF.G) !== 0 && vpidOf(this.ctx[i]) === vpidOf(ctx)))) return i;
    }
    return -1;
  }

  /** What find() does to a slot it finds (a hit): it becomes the most recently used. */
  touch(i: number) { this.lru[i] = ++this.tick; }

  /** Insert, replacing the entry with the same tag, else a free way, else the least recently
   *  used way of the set (so a tag is never cached twice). Returns the slot. */
  fill(vpn: number, ctx: number, ep: number, frame: number, flags: number): number {
    const base = (vpn & (this.sets - 1)) * this.ways;
    let victim = -1, free = -1, lru = base;
    for (let i = base; i < base + this.ways; i++) {
      if (this.vpn[i] === vpn && this.ctx[i] === ctx && this.ep[i] === ep) { victim = i; break; }
      if (this.vpn[i] === -1) { if (free < 0) free = i; }
      else if (this.lru[i] < this.lru[lru]) lru = i;
    }
    if (victim < 0) victim = free >= 0 ? free : lru;
    this.own();
    this.vpn[victim] = vpn; this.ctx[victim] = ctx; this.ep[victim] = ep;
    this.frame[victim] = frame; this.flags[victim] = flags; this.lru[victim] = ++this.tick;
    return victim;
  }

  /** Invalidate every entry `pred` selects; returns how many. */
  drop(pred: (ctx: number, ep: number, vpn: number, global: boolean, flags: number) => boolean): number {
    let n = 0;
    this.own();
    for (let i = 0; i < this.entries; i++) {
      if (this.vpn[i] !== -1 && pred(this.ctx[i], this.ep[i], this.vpn[i], (this.flags[i] & TF.G) !== 0, this.flags[i])) {
        this.vpn[i] = -1; n++;
      }
    }
    return n;
  }

  /** drop() limited to the set that holds page number vpn (entries for vpn can live nowhere else). */
  dropInSet(vpn: number, pred: (ctx: number, ep: number, vpn: number, global: boolean, flags: number) => boolean): number {
    let n = 0;
    this.own();
    const base = (vpn & (this.sets - 1)) * this.ways;
    for (let i = base; i < base + this.ways; i++) {
      if (this.vpn[i] !== -1 && pred(this.ctx[i], this.ep[i], this.vpn[i], (this.flags[i] & TF.G) !== 0, this.flags[i])) {
        this.vpn[i] = -1; n++;
      }
    }
    return n;
  }
  count(): number { let n = 0; for (let i = 0; i < this.entries; i++) if (this.vpn[i] !== -1) n++; return n; }

  clone(): Tlb {
    return new Tlb(this.entries, this.ways, this.shift, this);
  }
}

/** A TLB context tag: VPID (16 bits) and PCID (12 bits). */
export const ctxOf = (vpid: number, pcid: number) => vpid * 4096 + pcid;
export const vpidOf = (ctx: number) => Math.floor(ctx / 4096);
export const pcidOf = (ctx: number) => ctx % 4096;
