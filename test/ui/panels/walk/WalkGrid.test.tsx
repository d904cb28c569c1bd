// The walk grid rendered from real walk events: 24 numbered cells in hardware order, progressive
// lighting by step, the 1-D row, PSC-skipped and faulting cells, selection by mouse and keyboard,
// updates by data join (the same DOM nodes), reduced motion, and no console errors.

import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { WalkGrid } from '../../../../src/ui/panels/walk/WalkGrid.tsx';
import { renderWalkGrid } from '../../../../src/ui/panels/walk/renderWalkGrid.ts';
import { layoutWalk } from '../../../../src/ui/panels/walk/layout.ts';
import { messages } from '../../../../src/ui/messages/index.ts';
import { guestEptViolation, guestPageFault, guestWalk, linuxWalk, noConsoleErrors } from './fixtures.ts';

const t = messages.walk;
const full = guestWalk(false), cached = guestWalk(true), native = linuxWalk();

noConsoleErrors();
afterEach(cleanup);

const cells = (c: HTMLElement) => [...c.querySelectorAll<SVGGElement>('g.walk-cell')];
const refCells = (c: HTMLElement) => cells(c).filter((g) => g.hasAttribute('data-ref'));
const byRef = (c: HTMLElement, i: number) => c.querySelector<SVGGElement>(`g.walk-cell[data-ref="${i}"]`)!;
const text = (g: Element, cls: string) => g.querySelector(`.${cls}`)!.textContent;
/** A cell's hit area: what the keyboard and a screen reader reach (role, tabindex, name). */
const hit = (g: Element) => g.querySelector<SVGRectElement>('.walk-hit')!;

describe('WalkGrid: two-dimensional walk', () => {
  it('draws 24 numbered reference cells plus the data cell, in the right rows and columns', () => {
    const { container } = render(<WalkGrid walk={full} />);
    expect(cells(container)).toHaveLength(25);
    const refs = refCells(container);
    expect(refs).toHaveLength(24);
    for (let i = 0; i < 24; i++) {
      const g = byRef(container, i);
      const [row, col] = i < 20 ? [Math.floor(i / 5), i % 5] : [4, i - 20];
      expect([g.getAttribute('data-row'), g.getAttribute('data-col')]).toEqual([String(row), String(col)]);
      expect(text(g, 'walk-num')).toBe(String(i + 1));
      expect(g.classList.contains(col === 4 ? 'sp-guest' : 'sp-ept')).toBe(true);
      expect(text(g, 'walk-line1')).toBe(full.refs[i].addr);
      expect(text(g, 'walk-line2')).toBe(full.refs[i].value);
    }
    const data = container.querySelector('g.walk-cell.is-data')!;
    expect([data.getAttribute('data-row'), data.getAttribute('data-col')]).toEqual(['4', '4']);
    expect(text(data, 'walk-line1')).toBe(full.result);
    // Row and column headings from the catalog.
    expect([...container.querySelectorAll('.walk-row-label')].map((e) => e.textContent)).toEqual([...t.rows2d]);
    expect([...container.querySelectorAll('.walk-col-label')].map((e) => e.textContent)).toEqual([...t.cols2d]);
    expect(screen.getByRole('group', { name: t.gridLabel2d(24) })).toBeTruthy();
  });

  it('step=5 lights exactly the first 5 references; the rest show no address yet', () => {
    const { container } = render(<WalkGrid walk={full} step={5} />);
    const lit = cells(container).filter((g) => g.classList.contains('lit'));
    expect(lit.map((g) => g.getAttribute('data-ref'))).toEqual(['0', '1', '2', '3', '4']);
    expect(text(byRef(container, 5), 'walk-line1')).toBe(t.pending);
    expect(text(byRef(container, 5), 'walk-line2')).toBe('');
    expect(text(container.querySelector('.is-data')!, 'walk-line1')).toBe(t.pending);
    // Unlit references are not focusable buttons.
    expect(screen.getAllByRole('button')).toHaveLength(5);
  });

  it('updates by data join: stepping keeps the same cell nodes', () => {
    const { container, rerender } = render(<WalkGrid walk={full} step={3} />);
    const before = cells(container);
    rerender(<WalkGrid walk={full} step={12} />);
    const after = cells(container);
    expect(after).toHaveLength(25);
    after.forEach((g, i) => expect(g).toBe(before[i]));
    expect(after.filter((g) => g.classList.contains('lit'))).toHaveLength(12);
  });

  it('with warm walk caches shows the skipped cells as PSC hits and names the caches', () => {
    const { container } = render(<WalkGrid walk={cached} />);
    expect(refCells(container)).toHaveLength(3);
    const skipped = cells(container).filter((g) => g.classList.contains('is-psc'));
    expect(skipped).toHaveLength(15 + 3 + 3);
    for (const g of skipped) expect(text(g, 'walk-line1')).toBe(t.skippedPsc);
    expect(screen.getByTestId('walk-psc').textContent).toBe(`${t.pscHits} PDE cache, EPT PDE cache ×2`);
    expect(text(byRef(container, 1), 'walk-num')).toBe('2');
    expect(byRef(container, 1).getAttribute('data-row')).toBe('3');
  });

  it('a guest #PF marks the not-present guest entry and says why the walk stopped', () => {
    const w = guestPageFault();
    const { container } = render(<WalkGrid walk={w} />);
    const marked = cells(container).filter((g) => g.classList.contains('fault'));
    expect(marked.map((g) => g.getAttribute('data-ref'))).toEqual([String(w.refs.length - 1), null]);
    const g = byRef(container, w.refs.length - 1);
    expect([g.getAttribute('data-row'), g.getAttribute('data-col')]).toEqual(['1', '4']);
    expect(hit(g).getAttribute('aria-label')).toContain(t.stoppedHere);
    expect(screen.getByRole('status').textContent).toContain('#PF not present at level 3');
    const data = container.querySelector('.is-data')!;
    expect(text(data, 'walk-line1')).toBe(t.noAccess);
    expect(hit(data).getAttribute('aria-label')).toBe(t.dataFault(w.fault!));
  });

  it('an EPT violation marks the EPT cell of the guest PTE row, only once the step reaches it', () => {
    const { walk: w } = guestEptViolation();
    const { container, rerender } = render(<WalkGrid walk={w} step={10} />);
    expect(container.querySelectorAll('.walk-cell.fault')).toHaveLength(0);
    rerender(<WalkGrid walk={w} />);
    const g = container.querySelector('.walk-cell.fault:not(.is-data)')!;
    expect([g.getAttribute('data-ref'), g.getAttribute('data-row'), g.getAttribute('data-col')]).toEqual(['18', '3', '3']);
  });
});

describe('WalkGrid: native walk', () => {
  it('draws one row of 4 host references and the data access', () => {
    const { container } = render(<WalkGrid walk={native} />);
    expect(refCells(container).map((g) => g.getAttribute('data-col'))).toEqual(['0', '1', '2', '3']);
    expect(refCells(container).every((g) => g.classList.contains('sp-host'))).toBe(true);
    expect(cells(container)).toHaveLength(5);
    expect(text(container.querySelector('.is-data')!, 'walk-line1')).toBe(native.result);
    expect([...container.querySelectorAll('.walk-col-label')].map((e) => e.textContent)).toEqual([...t.cols1d]);
  });
});

describe('WalkGrid: selection', () => {
  function Controlled({ onSelect }: { onSelect: (i: number) => void }) {
    const [sel, setSel] = useState(0);
    return <WalkGrid walk={full} step={12} selected={sel} onSelect={(i) => { setSel(i); onSelect(i); }} />;
  }

  it('click selects a lit cell; arrow keys move the selection and the focus', () => {
    const seen: number[] = [];
    const { container } = render(<Controlled onSelect={(i) => seen.push(i)} />);
    expect(hit(byRef(container, 0)).getAttribute('tabindex')).toBe('0');
    expect(hit(byRef(container, 1)).getAttribute('tabindex')).toBe('-1');
    fireEvent.click(screen.getByRole('button', { name: new RegExp(`^Reference 7 of 24`) }));
    expect(seen).toEqual([6]);
    expect(byRef(container, 6).classList.contains('selected')).toBe(true);
    expect(hit(byRef(container, 6)).getAttribute('aria-pressed')).toBe('true');
    fireEvent.keyDown(byRef(container, 6), { key: 'ArrowRight' });
    fireEvent.keyDown(byRef(container, 7), { key: 'ArrowUp' });
    fireEvent.keyDown(byRef(container, 2), { key: 'ArrowDown' });
    fireEvent.keyDown(byRef(container, 7), { key: 'ArrowDown' }); // row gL2: only nL4, nL3 lit; nearest
    fireEvent.keyDown(byRef(container, 11), { key: 'Home' });
    fireEvent.keyDown(byRef(container, 0), { key: 'End' }); // last lit, not last read
    expect(seen).toEqual([6, 7, 2, 7, 11, 0, 11]);
    expect(hit(byRef(container, 11)).getAttribute('tabindex')).toBe('0');
    expect(document.activeElement).toBe(hit(byRef(container, 11)));
    // Unlit cells ignore clicks.
    fireEvent.click(byRef(container, 20));
    expect(seen).toHaveLength(7);
  });

  it('the drawn text is hidden from screen readers: a button is named by its label alone (WCAG 2.5.3)', () => {
    const { container } = render(<WalkGrid walk={full} step={3} />);
    for (const g of cells(container)) {
      for (const el of g.querySelectorAll('text, rect:not(.walk-hit), path')) expect(el.getAttribute('aria-hidden')).toBe('true');
      expect(g.hasAttribute('role')).toBe(false);
      expect(hit(g).textContent).toBe(hit(g).getAttribute('aria-label')); // its <title>: the tooltip
    }
    expect(screen.getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual([0, 1, 2].map((i) =>
      t.cellLabel(i + 1, 24, t.spaceEpt, [4, 3, 2][i], full.refs[i].addr, full.refs[i].value)));
  });
});

describe('renderWalkGrid', () => {
  const data = { walk: full, layout: layoutWalk(full) };
  const opts = { selected: null, patternId: 'p1' };

  it('with reduced motion draws newly lit cells at full opacity at once (no transition)', () => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    renderWalkGrid(svg, data, { ...opts, step: 0, reducedMotion: true });
    renderWalkGrid(svg, data, { ...opts, step: 4, reducedMotion: true });
    const bg = [...svg.querySelectorAll('g.walk-cell[data-ref] .walk-bg')];
    expect(bg.slice(0, 4).map((r) => r.getAttribute('opacity'))).toEqual(['1', '1', '1', '1']);
  });

  it('without reduced motion newly lit cells start faded and transition in', () => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    renderWalkGrid(svg, data, { ...opts, step: 2, reducedMotion: false });
    renderWalkGrid(svg, data, { ...opts, step: 4, reducedMotion: false });
    const bg = [...svg.querySelectorAll('g.walk-cell[data-ref] .walk-bg')];
    expect(bg.slice(2, 4).map((r) => Number(r.getAttribute('opacity')))).toEqual([0.25, 0.25]);
    expect(svg.querySelector('pattern')!.id).toBe('p1');
    expect(svg.querySelectorAll('g.walk-cells')).toHaveLength(1);
  });
});
