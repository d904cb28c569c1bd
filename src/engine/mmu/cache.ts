// A three-level data-cache model (L1D, L2, LLC; 64-byte lines, LRU) used to cost page-walk
// references by where they hit. Modelled on an Ivy Bridge core (the paper's Xeon E3-1230 v2).
// Simplification: ordinary data accesses are costed as L1 hits and only enter this model when
// they follow a TLB miss (so walks still see the pollution of TLB-missing workloads).

export const LEVELS = ['L1', 'L2', 'LLC', 'DRAM'] as const;
export type Level = (typeof LEVELS)[number];

/** A level's state kept in a snapshot: only its filled ways (most sets of the LLC are empty in
 *  most runs, and a checkpoint should not hold a megabyte of -1). Immutable once made. */
interface Packed { at: Int32Array; tag: Int32Array; lru: Uint32Array; tick: number }

const EMPTY: Packed = { at: new Int32Array(0), tag: new Int32Array(0), lru: new Uint32Array(0), tick: 0 };

class Level1 {
  /** Line numbers (host-physical address / 64 < 2^30 with MAXPHYADDR 36), -1 when empty. */
  tags!: Int32Array; lru!: Uint32Array; sets: number; tick = 0;
  /** Set while the level is a snapshot's copy not yet touched: unpacked on first use. */
  private packed: Packed | null = null;
  /** The packed form of the current state, while nothing has touched the level since it was
   *  made (packed or unpacked): a checkpoint then shares it instead of scanning every way. */
  private asPacked: Packed | null = null;
  /** A new level starts packed and empty: its arrays are made on first use (a machine's MMU is
   *  built and then replaced by a snapshot's often). */
  constructor(readonly bytes: number, readonly ways: number, packed: Packed = EMPTY) {
    this.sets = bytes / 64 / ways;
    this.packed = packed;
  }
  private empty() {
    this.tags = new Int32Array(this.sets * this.ways).fill(-1);
    this.lru = new Uint32Array(this.sets * this.ways);
  }
  private unpack(p: Packed) {
    this.empty();
    for (let k = 0; k < p.at.length; k++) { this.tags[p.at[k]] = p.tag[k]; this.lru[p.at[k]] = p.lru[k]; }
    this.tick = p.tick;
    this.packed = null;
    this.asPacked = p;
  }
  /** Look up a line; insert it on a miss. Returns whether it hit. */
  touch(line: number): boolean {
    if (this.packed) this.unpack(this.packed);
    this.asPacked = null;
    const base = (line & (this.sets - 1)) * this.ways;
    let victim = base;
    for (let i = base; i < base + this.ways; i++) {
      if (this.tags[i] === line) { this.lru[i] = ++this.tick; return true; }
      if (this.lru[i] < this.lru[victim]) victim = i;
    }
    this.tags[victim] = line; this.lru[victim] = ++this.tick;
    return false;
  }
  /** A copy in packed form (a snapshot's copy shares the packed state; it is never written). */
  clone(): Level1 {
    if (this.packed) return new Level1(this.bytes, this.ways, this.packed);
    if (this.asPacked) return new Level1(this.bytes, this.ways, this.asPacked);
    let n = 0;
    for (let i = 0; i < this.tags.length; i++) if (this.tags[i] !== -1 || this.lru[i] !== 0) n++;
    const p: Packed = { at: new Int32Array(n), tag: new Int32Array(n), lru: new Uint32Array(n), tick: this.tick };
    for (let i = 0, k = 0; i < this.tags.length; i++) {
      if (this.tags[i] !== -1 || this.lru[i] !== 0) { p.at[k] = i; p.tag[k] = this.tags[i]; p.lru[k] = this.lru[i]; k++; }
    }
    this.asPacked = p;
    return new Level1(this.bytes, this.ways, p);
  }
}

export class CacheModel {
  constructor(private l1 = new Level1(32 << 10, 8), private l2 = new Level1(256 << 10, 8),
              private llc = new Level1(8 << 20, 16)) {}
  /** Access host-physical address pa; returns the level that served it (0 L1 .. 3 DRAM). */
  access(pa: number): number {
    const line = Math.floor(pa / 64);
    if (this.l1.touch(line)) return 0;
    if (this.l2.touch(line)) return 1;
    if (this.llc.touch(line)) return 2;
    return 3;
  }
  clone(): CacheModel { return new CacheModel(this.l1.clone(), this.l2.clone(), this.llc.clone()); }
}
