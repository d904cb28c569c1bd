// Draws the privilege map into an <svg>: four regions, the CPU marker, and the last transition as
// an arrow with its label and a moving token. A function of (data, options), updated by data join.

import { select, type Selection } from 'd3-selection';
import 'd3-transition';
import { REGION_IDS, type Move, type RegionId } from './regions.ts';

export interface RegionData { id: RegionId; title: string; who: string; members: string[]; current: boolean }
export interface PrivMapData { regions: RegionData[]; move: Move | null; cpuLabel: string }
export interface PrivMapOptions { reducedMotion: boolean; /** Unique per map: the ids of its arrowhead and hatch. */ idPrefix: string }

/** The boxes fill 0..318; the move's label has its own strip below them, so it never covers a
 *  region's caption. */
export const VIEW = { w: 640, h: 356 };
const LABEL_Y = 344;
const COL_X = { root: 12, nonroot: 332 }, COL_W = 296, ROW_Y = { 3: 12, 0: 172 }, ROW_H = 146;
const MOVE_MS = 700;

function box(id: RegionId) {
  const [mode, ring] = id.split('-') as ['root' | 'nonroot', '0' | '3'];
  return { x: COL_X[mode], y: ROW_Y[ring === '3' ? 3 : 0], w: COL_W, h: ROW_H, mode };
}
// Centres sit below the region captions, so a move's label (drawn above its arc) clears them.
const centre = (id: RegionId) => { const b = box(id); return { x: b.x + b.w / 2, y: b.y + b.h / 2 + 32 }; };

/** The arrow between two region centres, bowed so that opposite moves (exit, entry) do not overlap. */
function arc(m: Move) {
  const a = centre(m.from), b = centre(m.to);
  const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
  const bow = 28, nx = -dy / len * bow, ny = dx / len * bow;
  const c = { x: (a.x + b.x) / 2 + nx, y: (a.y + b.y) / 2 + ny };
  return { a, b, c, d: `M${a.x},${a.y} Q${c.x},${c.y} ${b.x},${b.y}` };
}

export function renderPrivilegeMap(svgEl: SVGSVGElement, data: PrivMapData, opts: PrivMapOptions) {
  const svg = select(svgEl);
  svg.attr('viewBox', `0 0 ${VIEW.w} ${VIEW.h}`);
  ensureDefs(svg, opts.idPrefix);

  // Regions: one group per region, keyed by id.
  const byId = new Map(data.regions.map((r) => [r.id, r]));
  const regions = svg.selectAll<SVGGElement, RegionData>('g.pm-region')
    .data(REGION_IDS.map((id) => byId.get(id)!), (d) => d.id)
    .join((enter) => {
      const g = enter.append('g').attr('class', (d) => `pm-region pm-${box(d.id).mode}`).attr('data-region', (d) => d.id);
      g.append('rect').attr('class', 'pm-box').attr('rx', 8)
        .attr('x', (d) => box(d.id).x).attr('y', (d) => box(d.id).y).attr('width', COL_W).attr('height', ROW_H);
      g.filter((d) => box(d.id).mode === 'nonroot').append('rect').attr('class', 'pm-hatch').attr('rx', 8)
        .attr('fill', `url(#${opts.idPrefix}-hatch)`)
        .attr('x', (d) => box(d.id).x).attr('y', (d) => box(d.id).y).attr('width', COL_W).attr('height', ROW_H);
      g.append('text').attr('class', 'pm-title').attr('x', (d) => box(d.id).x + 12).attr('y', (d) => box(d.id).y + 24);
      g.append('text').attr('class', 'pm-who').attr('x', (d) => box(d.id).x + 12).attr('y', (d) => box(d.id).y + 46);
      g.append('text').attr('class', 'pm-members').attr('x', (d) => box(d.id).x + 12).attr('y', (d) => box(d.id).y + ROW_H - 14);
      return g;
    });
  regions.classed('pm-current', (d) => d.current).attr('aria-current', (d) => (d.current ? 'true' : null));
  regions.select('text.pm-title').text((d) => d.title);
  regions.select('text.pm-who').text((d) => d.who);
  regions.select('text.pm-members').text((d) => d.members.join(', '));

  // The CPU marker: a labelled badge in the current region's bottom-right corner (the title runs along the top).
  const cur = data.regions.find((r) => r.current);
  const badge = svg.selectAll<SVGGElement, RegionId>('g.pm-cpu').data(cur ? [cur.id] : [])
    .join((enter) => {
      const g = enter.append('g').attr('class', 'pm-cpu').attr('transform', (id) => badgeAt(id));
      g.append('rect').attr('x', -34).attr('y', -15).attr('width', 68).attr('height', 26).attr('rx', 13);
      g.append('text').attr('text-anchor', 'middle').attr('y', 4);
      return g;
    });
  badge.select('text').text(`▶ ${data.cpuLabel}`);
  if (opts.reducedMotion) badge.interrupt().attr('transform', (id) => badgeAt(id));
  else {
    // Tween the two numbers ourselves: d3's transform interpolator needs SVG APIs not every DOM has.
    badge.transition('cpu').duration(MOVE_MS).attrTween('transform', function (id) {
      const from = /translate\(([-\d.]+),([-\d.]+)\)/.exec(this.getAttribute('transform') ?? '');
      const [x0, y0] = from ? [+from[1], +from[2]] : [badgeX(id), badgeY(id)];
      const x1 = badgeX(id), y1 = badgeY(id);
      return (k: number) => `translate(${x0 + (x1 - x0) * k},${y0 + (y1 - y0) * k})`;
    });
  }

  // The last transition: arrow, label and a token travelling from source to destination.
  const moves = svg.selectAll<SVGGElement, Move>('g.pm-move').data(data.move ? [data.move] : [], (m) => m.id)
    .join(
      (enter) => {
        const g = enter.append('g').attr('class', 'pm-move');
        g.append('path').attr('class', 'pm-arrow').attr('marker-end', `url(#${opts.idPrefix}-arrowhead)`);
        g.append('text').attr('class', 'pm-move-label').attr('text-anchor', 'middle');
        g.append('circle').attr('class', 'pm-token').attr('r', 7);
        return g;
      },
      (update) => update,
      (exit) => exit.remove(),
    );
  moves.attr('data-from', (m) => m.from).attr('data-to', (m) => m.to);
  moves.select('path').attr('d', (m) => arc(m).d);
  moves.select('text').text((m) => m.label)
    .attr('x', VIEW.w / 2).attr('y', LABEL_Y);
  const token = moves.select<SVGCircleElement>('circle');
  if (opts.reducedMotion) {
    token.interrupt().attr('cx', (m) => arc(m).b.x).attr('cy', (m) => arc(m).b.y);
  } else {
    // Only a token that has not arrived yet moves (a re-render mid-flight keeps going).
    token.filter(function () { return !this.hasAttribute('cx'); })
      .attr('cx', (m) => arc(m).a.x).attr('cy', (m) => arc(m).a.y)
      .transition('move').duration(MOVE_MS)
      .attrTween('cx', (m) => (k: number) => `${bez(arc(m), k).x}`)
      .attrTween('cy', (m) => (k: number) => `${bez(arc(m), k).y}`);
  }
}

function bez(p: ReturnType<typeof arc>, k: number) {
  const u = 1 - k;
  return { x: u * u * p.a.x + 2 * u * k * p.c.x + k * k * p.b.x, y: u * u * p.a.y + 2 * u * k * p.c.y + k * k * p.b.y };
}

const badgeX = (id: RegionId) => box(id).x + COL_W - 46;
const badgeY = (id: RegionId) => box(id).y + ROW_H - 24;
const badgeAt = (id: RegionId) => `translate(${badgeX(id)},${badgeY(id)})`;

function ensureDefs(svg: Selection<SVGSVGElement, unknown, null, undefined>, prefix: string) {
  const defs = svg.selectAll('defs').data([0]).join('defs');
  defs.selectAll('marker').data([0]).join((enter) => {
    const m = enter.append('marker').attr('id', `${prefix}-arrowhead`).attr('viewBox', '0 0 10 10')
      .attr('refX', 9).attr('refY', 5).attr('markerWidth', 8).attr('markerHeight', 8).attr('orient', 'auto-start-reverse');
    m.append('path').attr('class', 'pm-arrowhead').attr('d', 'M0,0 L10,5 L0,10 z');
    return m;
  });
  // Non-root regions carry a hatch as well as a tint: the difference survives without colour.
  defs.selectAll('pattern').data([0]).join((enter) => {
    const p = enter.append('pattern').attr('id', `${prefix}-hatch`).attr('width', 10).attr('height', 10)
      .attr('patternUnits', 'userSpaceOnUse').attr('patternTransform', 'rotate(45)');
    p.append('line').attr('class', 'pm-hatch-line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 10);
    return p;
  });
}
