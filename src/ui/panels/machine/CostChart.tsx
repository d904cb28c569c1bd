// Cycles by category (instructions, page walks, VM exits and entries, kernel...) as a small bar
// chart, from a summary the caller computes; the numbers are also given as text.

import { useEffect, useMemo, useRef } from 'react';
import { messages } from '../../messages/index.ts';
import { renderCostChart, type CostBar } from './costChartRender.ts';
import { useDomId, usePrefersReducedMotion } from './a11y.tsx';
import './machine.css';
import { fmt } from '../../messages/locale.ts';
import { useLocale } from '../../messages/useLocale.ts';

const t = messages.machine;

export interface CostChartProps {
  /** Cycles by category, e.g. {instructions, walks, vmexits, kernel}; keys outside the catalog are shown as given. */
  summary: Record<string, number>;
  title?: string;
}

export function CostChart({ summary, title = t.costTitle }: CostChartProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const id = useDomId('cost');
  const reducedMotion = usePrefersReducedMotion();
  const locale = useLocale();
  const bars = useMemo<CostBar[]>(() => {
    const total = Object.values(summary).reduce((a, b) => a + b, 0);
    return Object.entries(summary).map(([key, cycles]) => {
      const label = t.costCategories[key] ?? key;
      const pct = total ? Math.round((cycles / total) * 100) : 0;
      return { key, label, cycles, text: `${fmt(cycles)} (${pct}%)`, aria: t.costBar(label, cycles, pct) };
    });
  }, [summary, locale]);

  useEffect(() => {
    if (svgRef.current) renderCostChart(svgRef.current, bars, { reducedMotion });
  }, [bars, reducedMotion]);

  const empty = bars.every((b) => b.cycles === 0);
  return (
    <section className="panel machine-panel cost-chart" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      {empty && <p className="hint">{t.costEmpty}</p>}
      <svg ref={svgRef} className="cc-svg" aria-hidden="true" style={empty ? { display: 'none' } : undefined} />
      <ul className="visually-hidden" aria-label={title}>
        {bars.map((b) => <li key={b.key}>{b.aria}</li>)}
      </ul>
    </section>
  );
}
