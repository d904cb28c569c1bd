// All walk panels rendered together from real walks (2-D mid-walk, 2-D with PSC hits, an EPT
// violation, a native walk, the TLB), as the Walk section shows them: one grid per walk, no empty
// cell, every lit cell drawn at full opacity when the user asks for reduced motion.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { EntryFields, TlbTable, TranslationChain, VaSplit, WalkGrid } from '../../../../src/ui/panels/walk/index.ts';
import { duneSession, guestEptViolation, guestWalk, linuxWalk, noConsoleErrors } from './fixtures.ts';

noConsoleErrors();
afterEach(cleanup);

describe('walk panels preview', () => {
  it('renders every panel together; with reduced motion nothing is caught mid-fade', () => {
    // A static snapshot must not catch a fade mid-way: ask for reduced motion.
    const mm = vi.spyOn(window, 'matchMedia').mockImplementation((q: string) =>
      ({ matches: q.includes('reduce'), media: q, addEventListener() {}, removeEventListener() {} }) as unknown as MediaQueryList);
    const full = guestWalk(false), cached = guestWalk(true), native = linuxWalk();
    const { walk: violation } = guestEptViolation();
    const { view } = duneSession();
    const sel = 13;
    const { container } = render(
      <main>
        <h2>2-D walk, step 14, reference 14 selected</h2>
        <VaSplit va={full.va} />
        <TranslationChain walk={full} />
        <WalkGrid walk={full} step={14} selected={sel} />
        <EntryFields entry={full.refs[sel]} />
        <h2>2-D walk, complete</h2>
        <WalkGrid walk={full} />
        <EntryFields entry={full.refs[23]} />
        <h2>2-D walk with paging-structure cache hits</h2>
        <WalkGrid walk={cached} />
        <h2>EPT violation in the walk</h2>
        <WalkGrid walk={violation} />
        <TranslationChain walk={violation} />
        <h2>Native walk</h2>
        <WalkGrid walk={native} selected={3} />
        <EntryFields entry={native.refs[3]} />
        <TranslationChain walk={native} />
        <h2>TLB</h2>
        <TlbTable entries={view.tlb.slice(0, 40)} highlight={{ va: view.tlb[1].va, kind: 'fill' }} />
      </main>,
    );
    // Every drawn grid has a viewBox and no empty reference cell.
    const svgs = container.querySelectorAll('svg.walk-svg');
    expect(svgs).toHaveLength(5);
    for (const s of svgs) expect(s.getAttribute('viewBox')).toMatch(/^0 0 \d+ \d+$/);
    for (const g of container.querySelectorAll('g.walk-cell[data-ref]')) expect(g.querySelector('.walk-num')!.textContent).not.toBe('');
    // The three chains: the 2-D walk over the fixture's EPT (gPA = hPA + 9 GiB), the violation
    // (stopped before the gPA of the data), the native walk (VA -> PA).
    const chains = [...container.querySelectorAll('.walk-chain')].map((c) => [...c.querySelectorAll('.walk-chain-value')].map((e) => e.textContent));
    expect(chains[0]).toEqual(['0x401000', '0x24000f000', '0xf000']);
    expect(chains[1].slice(0, 1)).toEqual(['0x400000']); // the first fetch: its PT is the EPT's hole
    expect(container.querySelectorAll('.walk-chain')[1].querySelectorAll('.walk-chain-step.missing')).toHaveLength(2);
    expect(chains[2]).toEqual([native.va, native.result]);
    const lit = [...container.querySelectorAll('.walk-cell.lit .walk-bg')];
    expect(lit.length).toBeGreaterThan(0);
    expect(lit.every((r) => r.getAttribute('opacity') === '1')).toBe(true);
    mm.mockRestore();
  });
});
