// Draws cycles by category as labelled horizontal bars into an <svg>: a function of (data,
// options), updated by data join (bars keyed by category grow or shrink in place).

import { select } from 'd3-selection';
import 'd3-transition';
import { scaleBand, scaleLinear } from 'd3-scale';

export interface CostBar { key: string; label: string; cycles: number; text: string; aria: string }
export interface CostChartOptions { reducedMotion: boolean }

const W = 480, ROW = 30, LABEL_W = 170, VALUE_W = 150, MS = 400;

export function renderCostChart(svgEl: SVGSVGElement, bars: CostBar[], opts: CostChartOptions) {
  const h = Math.max(ROW, bars.length * ROW);
  const svg = select(svgEl).attr('viewBox', `0 0 ${W} ${h}`);
  const x = scaleLinear().domain([0, Math.max(1, ...bars.map((b) => b.cycles))]).range([0, W - LABEL_W - VALUE_W]);
  const y = scaleBand().domain(bars.map((b) => b.key)).range([0, h]).padding(0.25);

  const rows = svg.selectAll<SVGGElement, CostBar>('g.cc-row').data(bars, (b) => b.key)
    .join((enter) => {
      const g = enter.append('g').attr('class', (b) => `cc-row cc-${b.key}`).attr('data-key', (b) => b.key);
      g.append('text').attr('class', 'cc-label').attr('x', LABEL_W - 8).attr('text-anchor', 'end');
      g.append('rect').attr('class', 'cc-bar').attr('x', LABEL_W).attr('width', 0);
      g.append('text').attr('class', 'cc-value');
      return g;
    });
  rows.attr('transform', (b) => `translate(0,${y(b.key)})`);
  rows.select('text.cc-label').attr('y', y.bandwidth() / 2 + 5).text((b) => b.label);
  rows.select('text.cc-value').attr('y', y.bandwidth() / 2 + 5).text((b) => b.text);
  const bar = rows.select<SVGRectElement>('rect.cc-bar').attr('height', y.bandwidth());
  const value = rows.select<SVGTextElement>('text.cc-value');
  if (opts.reducedMotion) {
    bar.interrupt().attr('width', (b) => x(b.cycles));
    value.interrupt().attr('x', (b) => LABEL_W + x(b.cycles) + 6);
  } else {
    bar.transition('grow').duration(MS).attr('width', (b) => x(b.cycles));
    value.transition('grow').duration(MS).attr('x', (b) => LABEL_W + x(b.cycles) + 6);
  }
}
