// The virtual address split into PML4/PDPT/PD/PT indices and the offset, and the translation
// chain gVA -> gPA -> hPA (2-D) or VA -> PA (1-D) of real walks.

import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { VaSplit } from '../../../../src/ui/panels/walk/VaSplit.tsx';
import { TranslationChain } from '../../../../src/ui/panels/walk/TranslationChain.tsx';
import { splitVa } from '../../../../src/ui/panels/walk/va.ts';
import { messages } from '../../../../src/ui/messages/index.ts';
import { guestPageFault, guestWalk, linuxWalk, noConsoleErrors } from './fixtures.ts';

const t = messages.walk;
noConsoleErrors();
afterEach(cleanup);

const values = (c: HTMLElement) => [...c.querySelectorAll('.walk-va-value')].map((e) => e.textContent);

describe('VaSplit', () => {
  // Bits 20:12 of 0x7fffffffeff8 are 0x1fe: its PT index is 510 (0x7ffffffffff8 has 511).
  it('0x7fffffffeff8: indices 255, 511, 511, 510 and offset 0xff8', () => {
    const { container } = render(<VaSplit va="0x7fffffffeff8" />);
    expect(values(container)).toEqual(['255', '511', '511', '510', '0xff8']);
    expect([...container.querySelectorAll('.walk-va-bits')].map((e) => e.textContent)).toEqual(['47:39', '38:30', '29:21', '20:12', '11:0']);
    expect(screen.getByLabelText(t.vaFieldLabel('PML4', '47:39', '255'))).toBeTruthy();
    expect(screen.getByLabelText(t.offsetLabel('11:0', '0xff8'))).toBeTruthy();
  });

  it('0x7ffffffffff8: indices 255, 511, 511, 511 and offset 0xff8', () => {
    expect(splitVa('0x7ffffffffff8').map((p) => p.value)).toEqual([255, 511, 511, 511, 0xff8]);
  });

  it('a canonical kernel address splits its low 48 bits', () => {
    expect(splitVa('0xffffffff81000280').map((p) => p.value)).toEqual([511, 510, 8, 0, 0x280]);
  });
});

describe('TranslationChain', () => {
  // The fixture's EPT maps gPA 0x24000f000 (the guest PTE's frame 0x24000f plus offset 0x000) to
  // hPA 0xf000: the three addresses differ, so a swapped or skipped step shows.
  it('2-D: gVA 0x401000 -> gPA 0x24000f000 (guest leaf) -> hPA 0xf000 (EPT leaf)', () => {
    const w = guestWalk(false);
    const { container } = render(<TranslationChain walk={w} />);
    const shown = [...container.querySelectorAll('.walk-chain-step')].map((e) =>
      [e.getAttribute('data-kind'), e.querySelector('code')!.textContent]);
    expect(shown).toEqual([['gva', '0x401000'], ['gpa', '0x24000f000'], ['hpa', '0xf000']]);
  });

  it('2-D with an offset inside the page: gVA 0x401008 -> gPA 0x24000f008 -> hPA 0xf008', () => {
    const w = { ...guestWalk(false), va: '0x401008', result: '0xf008' };
    const { container } = render(<TranslationChain walk={w} />);
    expect([...container.querySelectorAll('.walk-chain-value')].map((e) => e.textContent)).toEqual(['0x401008', '0x24000f008', '0xf008']);
  });

  it('1-D: VA -> PA', () => {
    const w = linuxWalk();
    const { container } = render(<TranslationChain walk={w} />);
    expect([...container.querySelectorAll('.walk-chain-value')].map((e) => e.textContent)).toEqual([w.va, w.result]);
  });

  it('a fault leaves the unreached addresses marked', () => {
    const { container } = render(<TranslationChain walk={guestPageFault()} />);
    expect([...container.querySelectorAll('.walk-chain-step.missing')].map((e) => e.getAttribute('data-kind'))).toEqual(['gpa', 'hpa']);
    expect(container.querySelector('.walk-chain-step.hpa code')!.textContent).toBe(t.chainFault);
  });
});
