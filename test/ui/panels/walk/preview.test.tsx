// Visual check without a browser: all walk panels rendered together from real walks (2-D mid-walk,
// 2-D with PSC hits, an EPT violation, a native walk, the TLB), written with walk.css to
// test-results/walk-panels/preview.html for a person to open and look at.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EntryFields, TlbTable, TranslationChain, VaSplit, WalkGrid } from '../../../../src/ui/panels/walk/index.ts';
import { duneSession, guestEptViolation, guestWalk, linuxWalk, noConsoleErrors } from './fixtures.ts';

noConsoleErrors();
afterEach(cleanup);

describe('walk panels preview', () => {
  it('renders every panel together and writes an HTML preview', () => {
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

    const css = ['src/ui/app.css', 'src/ui/panels/walk/walk.css'].map((f) => readFileSync(resolve(process.cwd(), f), 'utf8')).join('\n');
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Walk panels</title><style>${css}
      main { max-width: 1100px; margin: 1rem auto; font-family: system-ui, sans-serif; }
      .walk-panel { margin: 0.6rem 0 1.2rem; }</style></head><body>${container.innerHTML}</body></html>`;
    const dir = resolve(process.cwd(), 'test-results/walk-panels');
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'preview.html'), html);
    expect([...container.querySelectorAll('.walk-cell.lit .walk-bg')].every((r) => r.getAttribute('opacity') === '1')).toBe(true);
    mm.mockRestore();
  });
});
