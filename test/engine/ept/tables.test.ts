// The EPT's own tables as ept.ts builds and edits them (SDM Vol. 3C "EPT Translation Mechanism":
// entry formats, EPTP), with every table and frame above 4 GiB so the high halves matter. The
// expected entries are written out by hand from the SDM's layout.

import { describe, it, expect } from 'vitest';
import { PhysMem } from '../../../src/engine/mem/phys.ts';
import { eptEntryAddr, eptLookup, eptMap, eptSetRaw, eptUnmap, makeEptp } from '../../../src/engine/ept/ept.ts';

const RWX = { r: true, w: true, x: true };
const GPA = 0x4_0020_3000; // PML4 index 0, PDPT index 16, PD index 1, PT index 3

/** Memory of 64 GiB whose next four frames are at 5 GiB: root, PDPT, PD, PT in that order. */
function high() {
  const mem = new PhysMem(1 << 24);
  for (const fn of [0x140003, 0x140002, 0x140001, 0x140000]) mem.release(fn); // the allocator pops these first
  const root = mem.alloc() * 4096;
  expect(root).toBe(0x1_4000_0000);
  return { mem, root };
}
const entry = (mem: PhysMem, pa: number) => [mem.read32(pa), mem.read32(pa + 4)];

describe('eptMap / eptEntryAddr / eptLookup / eptUnmap with tables above 4 GiB', () => {
  it('creates the tables R+W+X with their high address halves, and the leaf WB + IPAT', () => {
    const { mem, root } = high();
    eptMap(mem, root, GPA, 0x2_3456_7000, RWX);
    expect(entry(mem, 0x1_4000_0000)).toEqual([0x40001007, 1]); // PML4E -> PDPT at 0x1_4000_1000
    expect(entry(mem, 0x1_4000_1080)).toEqual([0x40002007, 1]); // PDPTE 16 -> PD
    expect(entry(mem, 0x1_4000_2008)).toEqual([0x40003007, 1]); // PDE 1 -> PT
    expect(entry(mem, 0x1_4000_3018)).toEqual([0x34567077, 2]); // PTE 3: RWX, MT 6 (WB), IPAT
    expect(eptEntryAddr(mem, root, GPA, 1, false)).toBe(0x1_4000_3018);
    expect(eptEntryAddr(mem, root, GPA, 2, false)).toBe(0x1_4000_2008);
    expect(eptLookup(mem, root, GPA)).toEqual({ lo: 0x34567077, hi: 2, level: 1 });
  });

  it('a second page in the same PT reuses the tables', () => {
    const { mem, root } = high();
    eptMap(mem, root, GPA, 0x2_3456_7000, RWX);
    const used = mem.used;
    eptMap(mem, root, GPA + 0x1000, 0x5000, { r: true, w: false, x: false });
    expect(mem.used).toBe(used);
    expect(entry(mem, 0x1_4000_3020)).toEqual([0x5071, 0]); // R only, WB, IPAT
  });

  it('permissions and premarked A/D go into their bits (A bit 8, D bit 9)', () => {
    const { mem, root } = high();
    eptMap(mem, root, GPA, 0x2_3456_7000, { r: true, w: false, x: true, a: true });
    expect(eptLookup(mem, root, GPA)!.lo).toBe(0x34567175);
    eptMap(mem, root, GPA, 0x2_3456_7000, { ...RWX, a: true, d: true });
    expect(eptLookup(mem, root, GPA)!.lo).toBe(0x34567377);
  });

  it('unmap clears both halves once; a missing table is not created', () => {
    const { mem, root } = high();
    eptMap(mem, root, GPA, 0x2_3456_7000, RWX);
    expect(eptUnmap(mem, root, GPA)).toBe(true);
    expect(entry(mem, 0x1_4000_3018)).toEqual([0, 0]);
    expect(eptLookup(mem, root, GPA)).toBeNull();
    expect(eptUnmap(mem, root, GPA)).toBe(false);
    const used = mem.used;
    expect(eptUnmap(mem, root, 0x8_0000_0000)).toBe(false); // PDPT index 32: no PD there
    expect(eptEntryAddr(mem, root, 0x8_0000_0000, 1, false)).toBeNull();
    expect(mem.used).toBe(used);
  });

  it('lookup of an absent GPA in an absent PML4 slot is null', () => {
    const { mem, root } = high();
    eptMap(mem, root, GPA, 0x2_3456_7000, RWX);
    expect(eptLookup(mem, root, 0x80_0000_0000)).toBeNull(); // PML4 index 1
    expect(eptLookup(mem, root, GPA + 0x200000)).toBeNull(); // PD index 2: empty
  });
});

describe('2 MiB EPT pages', () => {
  it('a large leaf is found at level 2 for any address in it, and has no level-1 entry', () => {
    const { mem, root } = high();
    eptMap(mem, root, 0x40_0000, 0x2_4000_0000, RWX, true);
    expect(entry(mem, 0x1_4000_2010)).toEqual([0x400000f7, 2]); // PDE 2: RWX, WB, IPAT, bit 7
    expect(eptLookup(mem, root, 0x40_0000)).toEqual({ lo: 0x400000f7, hi: 2, level: 2 });
    expect(eptLookup(mem, root, 0x5f_f000)).toEqual({ lo: 0x400000f7, hi: 2, level: 2 });
    expect(eptEntryAddr(mem, root, 0x40_1000, 1, false)).toBeNull();
    expect(eptEntryAddr(mem, root, 0x40_1000, 1, true)).toBeNull(); // never splits a large page
  });
});

describe('bit 7 above the PDE', () => {
  // Only an EPT PDE's bit 7 makes a (2 MiB) leaf here: the modelled CPU has no 1 GiB EPT pages,
  // and the module never sets bit 7 in a PDPTE or PML4E. The helpers read through such an entry.
  it('a PDPTE or PML4E with bit 7 set is still a table pointer for lookup and entry address', () => {
    const { mem, root } = high();
    eptMap(mem, root, GPA, 0x2_3456_7000, RWX);
    mem.write32(0x1_4000_1080, mem.read32(0x1_4000_1080) | 0x80);
    mem.write32(0x1_4000_0000, mem.read32(0x1_4000_0000) | 0x80);
    expect(eptLookup(mem, root, GPA)).toEqual({ lo: 0x34567077, hi: 2, level: 1 });
    expect(eptEntryAddr(mem, root, GPA, 1, false)).toBe(0x1_4000_3018);
  });
});

describe('makeEptp and eptSetRaw', () => {
  it('EPTP: memory type 6 (WB) in bits 2:0, walk length 4 - 1 in bits 5:3, A/D enable bit 6', () => {
    expect(makeEptp(0x1234000, false)).toBe(0x123401e);
    expect(makeEptp(0x1234000, true)).toBe(0x123405e);
  });
  it('a raw entry is written as given, both halves', () => {
    const { mem, root } = high();
    eptSetRaw(mem, root, GPA, 0x12345006, 0xabc); // W without R: a misconfiguration
    expect(entry(mem, 0x1_4000_3018)).toEqual([0x12345006, 0xabc]);
    eptSetRaw(mem, root, GPA, 0xfffff000);
    expect(entry(mem, 0x1_4000_3018)).toEqual([0xfffff000, 0]);
  });
});
