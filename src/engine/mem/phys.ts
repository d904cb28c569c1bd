// Host-physical memory: 4 KiB frames, backed lazily, copy-on-write across snapshots.
// Models the machine's DRAM (no SDM chapter; frames are what EPT and page tables point at).
// World: hardware, used by every mode.

import type { Op } from '../cpu/decode.ts';

export const PAGE = 4096;

export interface Frame {
  u8: Uint8Array;
  dv: DataView;
  /** Snapshot epoch the frame belongs to; a write in a later epoch copies it first. */
  epoch: number;
  /** Decoded instructions by byte offset, placed by the loader (the CPU's decoded-instruction
   *  cache). Any data write to the frame drops it: self-modifying code is not modelled. */
  code: (Op | undefined)[] | null;
}

export class OutOfMemory extends Error {
  constructor(readonly frames: number) {
    super(`out of host-physical memory: all ${frames} frames (${frames * 4} KiB) are in use`);
  }
}

export interface MemSnapshot { frames: (Frame | undefined)[]; next: number; free: number[]; used: number; codeGen: number }

export class PhysMem {
  frames: (Frame | undefined)[] = [];
  epoch = 0;
  /** Bumped whenever a write discards a frame's decoded instructions (the CPU's fetch fast path checks it). */
  codeGen = 0;
  /** Frame allocator: bump pointer plus a LIFO free list (deterministic). Frame 0 is never handed out. */
  private next = 1;
  private free: number[] = [];
  used = 0;

  constructor(readonly nframes: number) {}

  get size() { return this.nframes * PAGE; }

  alloc(): number {
    let fn: number;
    if (this.free.length) fn = this.free.pop()!;
    else if (this.next < this.nframes) fn = this.next++;
    else throw new OutOfMemory(this.nframes);
    this.used++;
    this.frames[fn] = undefined; // a fresh frame reads as zeros
    return fn;
  }

  release(fn: number) {
    this.frames[fn] = undefined;
    this.free.push(fn);
    this.used--;
  }

  /** The frame for reading; undefined means all zeros. */
  rframe(fn: number): Frame | undefined { return this.frames[fn]; }

  /** The frame for writing: backed now, and private to the current epoch. */
  wframe(fn: number): Frame {
    let f = this.frames[fn];
    if (f === undefined) {
      if (fn <= 0 || fn >= this.nframes) throw new RangeError(`host-physical frame ${fn} does not exist`);
      const u8 = this.fresh();
      f = { u8, dv: new DataView(u8.buffer, u8.byteOffset, PAGE), epoch: this.epoch, code: null };
      this.frames[fn] = f;
    } else if (f.epoch !== this.epoch) {
      const u8 = f.u8.slice();
      f = { u8, dv: new DataView(u8.buffer), epoch: this.epoch, code: f.code };
      this.frames[fn] = f;
    }
    return f;
  }

  /** Fresh frames' bytes (zeros), cut from slabs of SLAB frames: one ArrayBuffer per frame
   *  costs about 8 µs in a fresh engine (libdune's set-up backs 6,144 page-table pages in one
   *  op), a slab's share a tenth of it. A slab lives while any frame cut from it does. */
  private fresh(): Uint8Array {
    if (this.slabAt === PhysMem.SLAB) { this.slab = new ArrayBuffer(PAGE * PhysMem.SLAB); this.slabAt = 0; }
    return new Uint8Array(this.slab!, PAGE * this.slabAt++, PAGE);
  }
  static readonly SLAB = 64;
  private slab: ArrayBuffer | null = null;
  private slabAt = PhysMem.SLAB;

  read8(pa: number): number {
    const f = this.frames[Math.floor(pa / PAGE)];
    return f ? f.u8[pa % PAGE] : 0;
  }
  read32(pa: number): number {
    const f = this.frames[Math.floor(pa / PAGE)];
    return f ? f.dv.getUint32(pa % PAGE, true) : 0;
  }
  write8(pa: number, v: number) {
    const f = this.wframe(Math.floor(pa / PAGE));
    f.u8[pa % PAGE] = v;
    if (f.code) { f.code = null; this.codeGen++; }
  }
  write32(pa: number, v: number) {
    const f = this.wframe(Math.floor(pa / PAGE));
    f.dv.setUint32(pa % PAGE, v >>> 0, true);
    if (f.code) { f.code = null; this.codeGen++; }
  }
  /** 64-bit values as BigInt, for the kernel and tests (the CPU uses 32-bit halves). */
  read64(pa: number): bigint {
    return BigInt(this.read32(pa)) | (BigInt(this.read32(pa + 4)) << 32n);
  }
  write64(pa: number, v: bigint) {
    this.write32(pa, Number(v & 0xffffffffn));
    this.write32(pa + 4, Number((v >> 32n) & 0xffffffffn));
  }
  readBytes(pa: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.read8(pa + i);
    return out;
  }
  writeBytes(pa: number, bytes: ArrayLike<number>) {
    for (let i = 0; i < bytes.length; i++) this.write8(pa + i, bytes[i]);
  }
  zeroFrame(fn: number) {
    const f = this.frames[fn];
    if (f) this.frames[fn] = undefined;
  }

  snapshot(): MemSnapshot {
    const s = { frames: this.frames.slice(), next: this.next, free: this.free.slice(), used: this.used, codeGen: this.codeGen };
    this.epoch++; // every frame now belongs to the snapshot: the next write copies it
    return s;
  }
  restore(s: MemSnapshot) {
    this.frames = s.frames.slice();
    this.next = s.next;
    this.free = s.free.slice();
    this.used = s.used;
    this.epoch++;
    this.codeGen = s.codeGen; // the restored frames carry the decoded instructions they had then
  }
}
