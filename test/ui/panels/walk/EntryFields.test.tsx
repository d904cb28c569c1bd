// An entry's value split into named fields: the 4-level paging format (by level: PS, PAT, D, G
// where they exist) and the EPT format (memory type named from EPT_MT, IPAT, large page), using
// the names of src/engine/arch/x86.ts; values from the bits and from real walks.

import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { EntryFields } from '../../../../src/ui/panels/walk/EntryFields.tsx';
import { decodeEntry } from '../../../../src/ui/panels/walk/entry.ts';
import { EPTE, PTE } from '../../../../src/engine/arch/x86.ts';
import { messages } from '../../../../src/ui/messages/index.ts';
import { guestWalk, noConsoleErrors } from './fixtures.ts';

const t = messages.walk;
noConsoleErrors();
afterEach(cleanup);

/** name -> shown value, from the rendered table. */
function table(container: HTMLElement): Record<string, string> {
  return Object.fromEntries([...container.querySelectorAll('tbody tr')].map((tr) =>
    [tr.getAttribute('data-field')!, tr.querySelector('.walk-val')!.textContent!]));
}

describe('EntryFields: paging entries', () => {
  it('decodes a PTE 0x8000000000006103: P, RW, G and XD set; address 0x6000', () => {
    const v = 0x8000000000006103n;
    const { container } = render(<EntryFields entry={{ space: 'guest', level: 1, value: '0x' + v.toString(16) }} />);
    const f = table(container);
    // Expected values computed from the bits, by the x86.ts masks.
    const bit = (mask: number) => ((v & BigInt(mask)) !== 0n ? '1' : '0');
    expect(f).toEqual({
      P: bit(PTE.P), RW: bit(PTE.RW), US: bit(PTE.US), PWT: bit(PTE.PWT), PCD: bit(PTE.PCD), A: bit(PTE.A), D: bit(PTE.D),
      [t.patField]: bit(PTE.PS), G: bit(PTE.G), [t.addressField]: '0x6000', [t.xdField]: '1',
    });
    expect([f.P, f.RW, f.US, f.A, f.D, f.G]).toEqual(['1', '1', '0', '0', '0', '1']);
    expect(container.textContent).toContain(t.leaf);
    expect(container.querySelector('section')!.getAttribute('aria-label')).toBe(t.entryHeading(t.spaceGuest, 1));
  });

  it('by level: PS at levels 2-3 (leaf when set), reserved at 4; D and G only in leaves', () => {
    const pml4 = decodeEntry('host', 4, '0x1b027');
    expect(pml4.fields.map((f) => f.name)).toEqual(['P', 'RW', 'US', 'PWT', 'PCD', 'A', t.addressField, t.xdField]);
    expect(pml4.leaf).toBe(false);
    const pde2m = decodeEntry('guest', 2, '0x4000083');
    expect(pde2m.leaf).toBe(true);
    expect(pde2m.fields.map((f) => f.name)).toEqual(['P', 'RW', 'US', 'PWT', 'PCD', 'A', 'D', 'PS', 'G', t.addressField, t.xdField]);
    expect(pde2m.fields.find((f) => f.name === 'PS')!.value).toBe(1n);
    expect(decodeEntry('guest', 2, '0x5003').leaf).toBe(false);
    // Every flag name shown is a key of x86.ts PTE (or a catalog label for PAT, XD, address).
    for (const f of pde2m.fields) expect([...Object.keys(PTE), t.addressField, t.xdField]).toContain(f.name);
  });

  it('shows "not present" for an entry with P clear', () => {
    const { container } = render(<EntryFields entry={{ space: 'guest', level: 3, value: '0x0' }} />);
    expect(container.querySelector('.walk-entry-kind')!.textContent).toBe(`(${t.notPresent})`);
  });

  it('without an entry asks for a selection', () => {
    const { container } = render(<EntryFields entry={null} />);
    expect(container.textContent).toBe(t.entryNone);
  });
});

describe('EntryFields: EPT entries', () => {
  const w = guestWalk(false);
  const eptLeaf = w.refs.find((r) => r.space === 'ept' && r.level === 1)!;
  const eptTop = w.refs.find((r) => r.space === 'ept' && r.level === 4)!;

  it('decodes a real EPT leaf: R, W, X, memory type WB, IPAT, address', () => {
    const v = BigInt(eptLeaf.value);
    expect(Number((v >> BigInt(EPTE.MT_SHIFT)) & 7n)).toBe(6); // the engine maps guest memory WB
    const { container } = render(<EntryFields entry={eptLeaf} />);
    const f = table(container);
    expect(f[t.memTypeField]).toBe('6 WB');
    expect([f.R, f.W, f.X]).toEqual(['1', '1', '1']);
    expect(f.IPAT).toBe((v & BigInt(EPTE.IPAT)) ? '1' : '0');
    expect(f[t.addressField]).toBe('0x' + (v & 0xffffffffff000n).toString(16));
    expect(f.LARGE).toBeUndefined(); // bit 7 is ignored in an EPT PTE
    expect(container.textContent).toContain(t.entryHeading(t.spaceEpt, 1));
  });

  it('a non-leaf EPT entry has no memory type, IPAT or D; other memory types are named', () => {
    const top = decodeEntry('ept', 4, eptTop.value);
    expect(top.leaf).toBe(false);
    expect(top.fields.map((f) => f.name)).toEqual(['R', 'W', 'X', 'A', t.addressField]);
    const big = decodeEntry('ept', 2, '0x80000b7'); // RWX, MT 6, bit 7: a 2 MiB page
    expect(big.leaf).toBe(true);
    expect(big.fields.find((f) => f.name === 'LARGE')!.value).toBe(1n);
    expect(decodeEntry('ept', 1, '0x27').fields.find((f) => f.name === t.memTypeField)!.shown).toBe('4 WT');
    expect(decodeEntry('ept', 1, '0x17').fields.find((f) => f.name === t.memTypeField)!.shown).toBe(`2 ${t.mtReserved}`);
  });
});
