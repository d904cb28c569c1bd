// Draws Linux and Dune as two stacked horizontal bars on one scale, a segment per cost category
// (filled with the patterns CompareChart declares), updated by data join keyed by side and category.

import { select } from 'd3-selection';
import 'd3-transition';
import { scaleBand, scaleLinear } from 'd3-scale';

export interface StackSeg { key: string; cycles: number; x0: number; label: string }
export interface StackRow { key: string; label: string; total: number; totalText: string; segs: StackSeg[] }
export interface CompareChartOptions { reducedMotion: boolean; /** Pattern ids are `${idPrefix}-${category}`. */ idPrefix: string }

const W = 600, ROW = 56, LABEL_W = 64, TOTAL_W = 120, MS = 450;
/** Narrower segments get no label inside (the legend table carries every figure). */
const MIN_LABEL_W = 38;

export function renderCompareChart(svgEl: SVGSVGElement, rows: StackRow[], opts: CompareChartOptions) {
  const h = Math.max(ROW, rows.length * ROW);
  const svg = select(svgEl).attr('viewBox', `0 0 ${W} ${h}`);
  // One scale for both bars: the larger total spans the plot.
  const x = scaleLinear().domain([0, Math.max(1, ...rows.map((r) => r.total))]).range([0, W - LABEL_W - TOTAL_W]);
  const y = scaleBand().domain(rows.map((r) => r.key)).range([0, h]).padding(0.22);
  const bw = y.bandwidth();

  const g = svg.selectAll<SVGGElement, StackRow>('g.cmp-row').data(rows, (r) => r.key)
    .join((enter) => {
      const e = enter.append('g').attr('class', (r) => `cmp-row cmp-row-${r.key}`).attr('data-side', (r) => r.key);
      e.append('text').attr('class', 'cmp-side').attr('x', LABEL_W - 8).attr('text-anchor', 'end');
      e.append('g').attr('class', 'cmp-segs');
      e.append('text').attr('class', 'cmp-total').attr('x', LABEL_W);
      return e;
    });
  g.attr('transform', (r) => `translate(0,${y(r.key)})`);
  g.select('text.cmp-side').attr('y', bw / 2 + 5).text((r) => r.label);

  const segs = g.select<SVGGElement>('g.cmp-segs').selectAll<SVGGElement, StackSeg>('g.cmp-seg').data((r) => r.segs, (s) => s.key)
    .join((enter) => {
      const e = enter.append('g').attr('class', (s) => `cmp-seg cmp-${s.key}`).attr('data-key', (s) => s.key);
      e.append('rect').attr('x', LABEL_W).attr('width', 0);
      e.append('text').attr('class', 'cmp-seg-label').attr('text-anchor', 'middle');
      return e;
    });
  const rect = segs.select('rect').attr('height', bw).attr('fill', (s) => `url(#${opts.idPrefix}-${s.key})`);
  const label = segs.select<SVGTextElement>('text.cmp-seg-label').attr('y', bw / 2 + 5)
    .text((s) => (x(s.cycles) >= MIN_LABEL_W ? s.label : ''));
  const total = g.select<SVGTextElement>('text.cmp-total').attr('y', bw / 2 + 5).text((r) => r.totalText);

  const rx = (s: StackSeg) => LABEL_W + x(s.x0), rw = (s: StackSeg) => x(s.cycles);
  const lx = (s: StackSeg) => LABEL_W + x(s.x0) + x(s.cycles) / 2, tx = (r: StackRow) => LABEL_W + x(r.total) + 6;
  if (opts.reducedMotion) {
    rect.interrupt().attr('x', rx).attr('width', rw);
    label.interrupt().attr('x', lx);
    total.interrupt().attr('x', tx);
  } else {
    rect.transition('grow').duration(MS).attr('x', rx).attr('width', rw);
    label.transition('grow').duration(MS).attr('x', lx);
    total.transition('grow').duration(MS).attr('x', tx);
  }
}
