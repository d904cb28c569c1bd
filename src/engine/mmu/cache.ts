// A three-level data-cache model (L1D, L2, LLC; 64-byte lines, LRU) used to cost page-walk
// references by where they hit. Modelled on an Ivy Bridge core (the paper's Xeon E3-1230 v2).
// Simplification: ordinary data accesses are costed as L1 hits and only enter this model when
// they follow a TLB miss (so walks still see the pollution of TLB-missing workloads).

export const LEVELS = ['L1', 'L2', 'LLC', 'DRAM'] as const;
export type Level = (typeof LEVELS)[number];

class Level1 {
  /** Line numbers (host-physical address / 64 < 2^30 with MAXPHYADDR 36), -1 when empty. */
  tags: Int32Array; lru: Uint32Array; sets: number; tick = 0;
  constructor(readonly bytes: number, readonly ways: number) {
    this.sets = bytes / 64 / ways;
    this.tags = new Int32Array(this.sets * ways).fill(-1);
    this.lru = new Uint32Array(this.sets * ways);
  }
  /** Look up a line; insert it on a miss. Returns whether it hit. */
  touch(line: number): boolean {
    const base = (line & (this.sets - 1)) * this.ways;
    let victim = base;
    for (let i = base; i < base + this.ways; i++) {
      if (this.tags[i] === line) { this.lru[i] = ++this.tick; return true; }
      if (this.lru[i] < this.lru[victim]) victim = i;
    }
    this.tags[victim] = line; this.lru[victim] = ++this.tick;
    return false;
  }
  clone(): Level1 {
    const c = new Level1(this.bytes, this.ways);
    c.tags.set(this.tags); c.lru.set(this.lru); c.tick = this.tick;
    return c;
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
