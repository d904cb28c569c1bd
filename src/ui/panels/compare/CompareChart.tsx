// The two cost breakdowns as stacked bars on one scale (d3 owns the <svg>), with the legend as a
// table that gives every figure in text; colours are Okabe–Ito and each category also has a pattern.

import { useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { messages } from '../../messages/index.ts';
import { useDomId, usePrefersReducedMotion } from '../machine/a11y.tsx';
import { renderCompareChart, type StackRow } from './compareChartRender.ts';
import type { CostBreakdown, CostKey } from '../../engineClient.ts';
import { useLocale } from '../../messages/useLocale.ts';

const t = messages.compare;
const KEYS = Object.keys(t.categories) as CostKey[];
const SIDES = ['linux', 'dune'] as const;

export interface CompareChartProps { linux: CostBreakdown; dune: CostBreakdown }

const pct = (v: number, total: number) => (total ? Math.round((v / total) * 100) : 0);

export function CompareChart({ linux, dune }: CompareChartProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const id = useDomId('cmp');
  const reducedMotion = usePrefersReducedMotion();
  const by = { linux, dune };
  const locale = useLocale();
  const rows = useMemo<StackRow[]>(() => SIDES.map((side) => {
    const b = side === 'linux' ? linux : dune;
    let x0 = 0;
    const segs = KEYS.map((key) => {
      // The rest is never drawn below zero (it is a difference; see costs.ts).
      const cycles = Math.max(0, b.cycles[key]);
      const s = { key, cycles, x0, label: t.segLabel(pct(cycles, b.total)) };
      x0 += cycles;
      return s;
    });
    return { key: side, label: t.sides[side], total: b.total, totalText: t.totalCell(b.total), segs };
  }), [linux, dune, locale]);

  // Drawn before paint: no frame shows the figures without their bars.
  useLayoutEffect(() => {
    if (svgRef.current) renderCompareChart(svgRef.current, rows, { reducedMotion, idPrefix: id });
  }, [rows, reducedMotion, id]);

  return (
    <figure className="cmp-chart">
      <Patterns id={id} />
      <svg ref={svgRef} className="cmp-svg" aria-hidden="true" />
      <figcaption className="hint">{t.sameScale}</figcaption>
      <table className="cmp-legend">
        <thead>
          <tr><th scope="col">{t.colCategory}</th>{SIDES.map((s) => <th key={s} scope="col">{t.sides[s]}</th>)}</tr>
        </thead>
        <tbody>
          {KEYS.map((key) => (
            <tr key={key} data-key={key}>
              <th scope="row">
                <svg className="cmp-swatch" viewBox="0 0 16 16" aria-hidden="true"><rect width="16" height="16" fill={`url(#${id}-${key})`} /></svg>
                {t.categories[key]}
              </th>
              {SIDES.map((s) => <td key={s}>{t.cell(by[s].cycles[key], pct(by[s].cycles[key], by[s].total))}</td>)}
            </tr>
          ))}
          <tr className="cmp-total-row">
            <th scope="row">{t.total}</th>
            {SIDES.map((s) => <td key={s}>{t.totalCell(by[s].total)}</td>)}
          </tr>
        </tbody>
      </table>
      <p className="hint">{t.restNote}</p>
    </figure>
  );
}

/** One pattern per category: a colour plus a texture (none, diagonal lines, dots, cross-hatch),
 *  so no two categories differ by hue alone. Colours come from compare.css. */
function Patterns({ id }: { id: string }) {
  const P = (key: CostKey, marks: ReactNode) => (
    <pattern id={`${id}-${key}`} patternUnits="userSpaceOnUse" width="8" height="8">
      <rect className={`cmp-p-bg cmp-${key}`} width="8" height="8" />
      {marks}
    </pattern>
  );
  return (
    <svg className="cmp-defs" width="0" height="0" aria-hidden="true" focusable="false">
      <defs>
        {P('instructions', null)}
        {P('walks', <path className="cmp-p-mark" d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" />)}
        {P('vmexits', <circle className="cmp-p-dot" cx="4" cy="4" r="1.6" />)}
        {P('kernel', <path className="cmp-p-mark" d="M0,4 h8 M4,0 v8" />)}
      </defs>
    </svg>
  );
}
