// The page walk as a grid: the 5x5 two-dimensional walk (guest levels x EPT levels) or the native
// row of 4, lit reference by reference. React owns the container; renderWalkGrid draws the cells.

import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { messages } from '../../messages/index.ts';
import { layoutWalk, moveSelection, type WalkEvent } from './layout.ts';
import { renderWalkGrid } from './renderWalkGrid.ts';
import { useReducedMotion } from '../../shared/motion.ts';
import './walk.css';
import { useLocale } from '../../messages/useLocale.ts';

const t = messages.walk;

export interface WalkGridProps {
  walk: WalkEvent;
  /** How many references are lit (default: all). */
  step?: number;
  /** Selected reference (index into walk.refs). Uncontrolled when omitted. */
  selected?: number;
  onSelect?(i: number): void;
}

const NAV = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']);

export function WalkGrid({ walk, step, selected, onSelect }: WalkGridProps) {
  const svg = useRef<SVGSVGElement>(null);
  const locale = useLocale();
  const layout = useMemo(() => layoutWalk(walk), [walk, locale]);
  const [own, setOwn] = useState<number | undefined>(undefined);
  const sel = selected ?? own;
  const lit = Math.max(0, Math.min(step ?? walk.refs.length, walk.refs.length));
  const reducedMotion = useReducedMotion();
  const id = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  const patternId = `walk-hatch-${id}`;
  const focusAfter = useRef(false);

  const choose = useCallback((i: number) => { setOwn(i); onSelect?.(i); }, [onSelect]);

  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    renderWalkGrid(el, { walk, layout }, { step: lit, selected: sel ?? null, reducedMotion, patternId, onSelect: choose });
    if (focusAfter.current && sel !== undefined) {
      focusAfter.current = false;
      (el.querySelector(`[data-ref="${sel}"] .walk-hit`) as SVGElement | null)?.focus?.();
    }
  }, [walk, layout, lit, sel, reducedMotion, patternId, choose]);

  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    if (lit === 0) return;
    if (e.key === 'Enter' || e.key === ' ') {
      const r = (e.target as Element).closest?.('[data-ref]')?.getAttribute('data-ref');
      if (r !== null && r !== undefined) { e.preventDefault(); choose(Number(r)); }
      return;
    }
    if (!NAV.has(e.key)) return;
    e.preventDefault();
    e.stopPropagation();
    const from = Math.min(sel ?? 0, lit - 1);
    // Only lit references can be selected: the rest have not been read yet.
    const next = Math.min(moveSelection(layout, from, e.key, lit), lit - 1);
    focusAfter.current = true;
    choose(next);
  };

  const hits = summarize(walk.psc ?? []);
  const helpId = `walk-help-${id}`;
  const label = layout.dims === 2 ? t.gridLabel2d(walk.refs.length) : t.gridLabel1d(walk.refs.length);
  return (
    <figure className="walk-panel walk-grid" data-dims={layout.dims}>
      <svg ref={svg} role="group" aria-label={label} aria-describedby={helpId} onKeyDown={onKeyDown} />
      <figcaption>
        <p className="walk-progress" data-testid="walk-progress" aria-live="polite">{t.refOf(lit, walk.refs.length)}</p>
        <p id={helpId} className="walk-help">{t.gridHelp}</p>
        <p className="walk-psc" data-testid="walk-psc">
          {hits.length ? `${t.pscHits} ${hits.join(', ')}` : t.noPsc}
        </p>
        {walk.fault !== null && lit >= walk.refs.length && (
          <p className="walk-fault" role="status">{t.faultCaption} {t.faultText(walk.fault, walk.cause)}</p>
        )}
        <ul className="walk-legend">
          {layout.dims === 2 ? (
            <>
              <li><span className="walk-swatch sp-guest" aria-hidden="true">{t.glyph.guest}</span>{t.legendGuest}</li>
              <li><span className="walk-swatch sp-ept" aria-hidden="true">{t.glyph.ept}</span>{t.legendEpt}</li>
            </>
          ) : (
            <li><span className="walk-swatch sp-host" aria-hidden="true">{t.glyph.host}</span>{t.legendHost}</li>
          )}
          <li><span className="walk-swatch is-psc" aria-hidden="true" />{t.legendSkipped}</li>
          <li><span className="walk-swatch fault" aria-hidden="true">✕</span>{t.legendFault}</li>
        </ul>
      </figcaption>
    </figure>
  );
}

/** "EPT PDE cache ×2" style summary of the caches that hit, in first-hit order. */
function summarize(psc: string[]): string[] {
  const counts = new Map<string, number>();
  for (const p of psc) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts].map(([p, n]) => (n > 1 ? `${p} ×${n}` : p));
}
