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
  it('2-D: gVA -> gPA (guest leaf page + offset) -> hPA (the result)', () => {
    const w = guestWalk(false);
    const leaf = w.refs.filter((r) => r.space === 'guest').at(-1)!;
    const gpa = '0x' + ((BigInt(leaf.value) & 0xffffffffff000n) + (BigInt(w.va) & 0xfffn)).toString(16);
    const { container } = render(<TranslationChain walk={w} />);
    const shown = [...container.querySelectorAll('.walk-chain-step')].map((e) =>
      [e.getAttribute('data-kind'), e.querySelector('code')!.textContent]);
    expect(shown).toEqual([['gva', w.va], ['gpa', gpa], ['hpa', w.result]]);
    expect(w.result).toBe(gpa); // makeGuest's EPT is an identity map
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
