// Fresh frames cut from shared slabs (mem/phys.ts PhysMem.fresh): each frame is its own 4 KiB,
// zeroed, its DataView bounded to it; neighbours in a slab never see each other's writes, and
// copy-on-write across snapshots keeps working for slab frames.

import { describe, it, expect } from 'vitest';
import { PhysMem, PAGE } from '../../../src/engine/mem/phys.ts';

describe('PhysMem fresh frames from slabs', () => {
  it('more frames than one slab holds: each zeroed, 4 KiB, written alone', () => {
    const mem = new PhysMem(1024);
    const n = PhysMem.SLAB * 2 + 3;
    const fns = Array.from({ length: n }, () => mem.alloc());
    for (const fn of fns) {
      const f = mem.wframe(fn);
      expect(f.u8.length).toBe(PAGE);
      expect(f.dv.byteLength).toBe(PAGE);
      expect(f.u8.every((b) => b === 0)).toBe(true);
      // The first and last words of the frame, through both views.
      f.dv.setUint32(0, fn, true);
      f.dv.setUint32(PAGE - 4, 0xffff0000 + fn, true);
      // Past the frame's end: the DataView stops there, it does not reach the slab's next frame.
      expect(() => f.dv.setUint32(PAGE - 2, 1, true)).toThrow(RangeError);
    }
    for (const fn of fns) {
      expect(mem.read32(fn * PAGE)).toBe(fn);
      expect(mem.read32(fn * PAGE + PAGE - 4)).toBe(0xffff0000 + fn);
      expect(mem.read32(fn * PAGE + 4)).toBe(0);
    }
    // Frames cut from one slab share its buffer, at their own offsets.
    const a = mem.wframe(fns[0]), b = mem.wframe(fns[1]);
    expect(a.u8.buffer).toBe(b.u8.buffer);
    expect(b.u8.byteOffset - a.u8.byteOffset).toBe(PAGE);
  });

  it('copy on write after a snapshot: the snapshot keeps the slab frame, the run writes a copy', () => {
    const mem = new PhysMem(64);
    const fn = mem.alloc(), next = mem.alloc();
    mem.write32(fn * PAGE + 8, 0x1234);
    mem.write32(next * PAGE, 0x5678);
    const s = mem.snapshot();
    mem.write32(fn * PAGE + 8, 0xabcd);
    expect(mem.read32(fn * PAGE + 8)).toBe(0xabcd);
    expect(mem.read32(next * PAGE)).toBe(0x5678);
    mem.restore(s);
    expect(mem.read32(fn * PAGE + 8)).toBe(0x1234);
    expect(mem.read32(next * PAGE)).toBe(0x5678);
  });
});
