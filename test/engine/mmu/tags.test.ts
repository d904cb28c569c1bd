// TLB tags (SDM Vol. 3C "Caching Translation Information"): a global translation is shared by the
// PCIDs of one VPID, never across VPIDs, even when both guests use the same EPTP.

import { describe, it, expect } from 'vitest';
import { ofType } from '../harness.ts';
import { CR4 } from '../../../src/engine/arch/x86.ts';
import { world2d, P, RW, G, R } from './util.ts';

describe('global TLB entries and VPIDs', () => {
  it('a global entry made under VPID 1 does not hit under VPID 2 with the same EPTP', () => {
    const w = world2d();
    w.map(0x400000, 0x20000, P | RW | G);
    w.ept(0x20000, 0x30000);
    const pge = { cr4: CR4.PAE | CR4.PGE };
    const walks = () => ofType(w.events, 'walk').length;
    expect(w.m.mmu.translate(w.ctx({ ...pge, vpid: 1 }), 0x400008, R)).toBe(0x30008);
    expect(walks()).toBe(1);
    expect(w.m.mmu.translate(w.ctx({ ...pge, vpid: 1, cr3: w.cr3 + 5 }), 0x400008, R)).toBe(0x30008);
    expect(walks()).toBe(1); // another PCID of VPID 1: the global entry hits
    expect(w.m.mmu.translate(w.ctx({ ...pge, vpid: 2 }), 0x400008, R)).toBe(0x30008);
    expect(walks()).toBe(2); // VPID 2 walks for itself
  });
});
