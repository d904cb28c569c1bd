// Draws the walk grid into an SVG: one cell per grid position, numbered in hardware order, lit up
// to `step`, with the entry's address and value; skipped and faulting cells marked. A function of
// (walk + layout, view options) that updates by data join (keyed by cell), never clear-and-redraw,
// and writes only the attributes and texts that change.

import { select, type Selection } from 'd3-selection';
import 'd3-transition';
import { messages } from '../../messages/index.ts';
import type { GridCell, WalkEvent, WalkLayout } from './layout.ts';

const t = messages.walk;

export interface WalkGridData { walk: WalkEvent; layout: WalkLayout }
export interface WalkGridOpts {
  /** References lit (0..refs.length); the data cell lights when all are. */
  step: number;
  /** Selected ref (index into walk.refs), or null. */
  selected: number | null;
  reducedMotion: boolean;
  /** Unique per instance: id of the hatch pattern that marks EPT cells. */
  patternId: string;
  onSelect?: (i: number) => void;
}

/** Geometry in viewBox units; the SVG scales to its container (projector: the font scales too). */
export const GEOM = { label: 118, header: 32, w: 150, h: 78, gap: 6 } as const;
const FADE_MS = 220;

// Layers hold mixed element types; d3 typing of such a selection is not worth the noise.
type Any = Selection<any, any, any, any>;

const cellX = (c: GridCell) => GEOM.label + c.col * (GEOM.w + GEOM.gap);
const cellY = (c: GridCell) => GEOM.header + c.row * (GEOM.h + GEOM.gap);

const spaceName = (s: string) => (s === 'ept' ? t.spaceEpt : s === 'guest' ? t.spaceGuest : t.spaceHost);
const stateNote = (c: GridCell) =>
  c.state === 'psc' ? t.skippedPsc : c.state === 'large' ? t.skippedLarge : c.state === 'unreached' ? t.unreached : '';

/** Everything a cell shows, derived once per render. */
interface CellView {
  c: GridCell;
  lit: boolean;
  selected: boolean;
  fault: boolean;
  num: string;
  glyph: string;
  line1: string;
  line2: string;
  label: string;
}

function views(d: WalkGridData, o: WalkGridOpts): CellView[] {
  const { walk, layout } = d;
  const n = walk.refs.length;
  const allLit = o.step >= n;
  return layout.cells.map((c) => {
    if (c.state === 'data') {
      // A fault's full text is in the caption and the label; the cell only says no access happened.
      const line1 = !allLit ? t.pending : walk.result ?? t.noAccess;
      return { c, lit: allLit, selected: false, fault: allLit && walk.fault !== null, num: t.dataCell, glyph: '', line1, line2: '',
        label: !allLit ? t.dataCell : walk.result !== null ? t.dataLabel(walk.result) : t.dataFault(t.faultText(walk.fault ?? '', walk.cause)) };
    }
    if (c.ref === null) return { c, lit: false, selected: false, fault: false, num: '', glyph: '', line1: stateNote(c), line2: '', label: stateNote(c) };
    const r = walk.refs[c.ref];
    const lit = c.ref < o.step;
    const label = lit ? t.cellLabel(c.ref + 1, n, spaceName(r.space), r.level, r.addr, r.value) : t.cellLabelDim(c.ref + 1, n, spaceName(r.space), r.level);
    const fault = lit && layout.faultRef === c.ref;
    return { c, lit, selected: o.selected === c.ref, fault, num: String(c.ref + 1), glyph: t.glyph[r.space],
      line1: lit ? r.addr : t.pending, line2: lit ? r.value : '', label: fault ? `${label}. ${t.stoppedHere}: ${t.faultText(walk.fault ?? '', walk.cause)}` : label };
  });
}

/** Render (or update) the grid. */
export function renderWalkGrid(svg: SVGSVGElement, d: WalkGridData, o: WalkGridOpts): void {
  const { layout } = d;
  const root = select(svg);
  const width = GEOM.label + layout.cols * (GEOM.w + GEOM.gap);
  const height = GEOM.header + layout.rows * (GEOM.h + GEOM.gap);
  put(root, 'viewBox', `0 0 ${width} ${height}`);
  put(root, 'class', `walk-svg dims-${layout.dims}`);

  // The EPT hatch: pattern as well as colour, for colour-blind eyes and washed-out projectors.
  const defs = layer(root, 'defs', 'walk-defs');
  const pat = defs.selectAll('pattern').data([o.patternId]).join((e) => {
    const p = e.append('pattern').attr('patternUnits', 'userSpaceOnUse').attr('width', 10).attr('height', 10)
      .attr('patternTransform', 'rotate(45)');
    p.append('line').attr('class', 'walk-hatch-line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 10);
    return p;
  });
  put(pat, 'id', (id: string) => id);

  const headers = layout.dims === 2 ? t.cols2d : t.cols1d;
  const cols = layer(root, 'g', 'walk-col-labels').selectAll('text').data(headers).join('text');
  put(cols, 'class', (_: string, i: number) => (i === 4 && layout.dims === 2 ? 'walk-col-label guest' : 'walk-col-label'));
  put(cols, 'x', (_: string, i: number) => GEOM.label + i * (GEOM.w + GEOM.gap) + GEOM.w / 2);
  put(cols, 'y', GEOM.header - 10);
  say(cols, (s: string) => s);
  const rowLabels = layout.dims === 2 ? t.rows2d : t.rows1d;
  const rows = layer(root, 'g', 'walk-row-labels').selectAll('text').data(rowLabels).join('text');
  put(rows, 'class', 'walk-row-label');
  put(rows, 'x', GEOM.label - 10);
  put(rows, 'y', (_: string, i: number) => GEOM.header + i * (GEOM.h + GEOM.gap) + GEOM.h / 2 + 5);
  say(rows, (s: string) => s);

  const cells = layer(root, 'g', 'walk-cells').selectAll<SVGGElement, CellView>('g.walk-cell')
    .data(views(d, o), (v) => v.c.key)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'walk-cell');
      g.append('rect').attr('class', 'walk-bg').attr('width', GEOM.w).attr('height', GEOM.h);
      g.append('rect').attr('class', 'walk-hatch').attr('width', GEOM.w).attr('height', GEOM.h);
      g.append('text').attr('class', 'walk-num').attr('x', 8).attr('y', 20);
      g.append('text').attr('class', 'walk-glyph').attr('x', GEOM.w - 8).attr('y', 20);
      g.append('text').attr('class', 'walk-line1').attr('x', GEOM.w / 2).attr('y', 46);
      g.append('text').attr('class', 'walk-line2').attr('x', GEOM.w / 2).attr('y', 66);
      g.append('path').attr('class', 'walk-fault-mark').attr('d', `M${GEOM.w - 30},${GEOM.h - 26} l16,16 m0,-16 l-16,16`);
      // What is drawn is for the eye; the hit area on top is what a screen reader and the keyboard
      // reach, named by the label (the drawn text is not its label: WCAG 2.5.3).
      g.selectAll('rect, text, path').attr('aria-hidden', 'true');
      g.append('rect').attr('class', 'walk-hit').attr('width', GEOM.w).attr('height', GEOM.h).append('title');
      return g;
    });

  const firstFocusable = o.selected ?? (o.step > 0 && d.walk.refs.length ? 0 : null);
  put(cells, 'transform', (v: CellView) => `translate(${cellX(v.c)},${cellY(v.c)})`);
  put(cells, 'class', (v: CellView) => ['walk-cell', `is-${v.c.state}`, v.c.space ? `sp-${v.c.space}` : '',
    v.lit ? 'lit' : '', v.selected ? 'selected' : '', v.fault ? 'fault' : ''].filter(Boolean).join(' '));
  put(cells, 'data-row', (v: CellView) => v.c.row);
  put(cells, 'data-col', (v: CellView) => v.c.col);
  put(cells, 'data-ref', (v: CellView) => v.c.ref);
  cells.on('click', (_, v) => { if (v.c.ref !== null && v.lit) o.onSelect?.(v.c.ref); });
  const hit = cells.select('.walk-hit');
  put(hit, 'role', (v: CellView) => (v.c.ref !== null && v.lit ? 'button' : 'img'));
  put(hit, 'tabindex', (v: CellView) => (v.c.ref === null || !v.lit ? null : v.c.ref === firstFocusable ? 0 : -1));
  put(hit, 'aria-label', (v: CellView) => v.label);
  put(hit, 'aria-pressed', (v: CellView) => (v.c.ref !== null && v.lit ? String(v.selected) : null));
  say(cells.select('.walk-hit title'), (v: CellView) => v.label);
  put(cells.select('.walk-hatch'), 'fill', (v: CellView) => (v.c.space === 'ept' ? `url(#${o.patternId})` : 'none'));
  say(cells.select('.walk-num'), (v: CellView) => v.num);
  say(cells.select('.walk-glyph'), (v: CellView) => v.glyph);
  say(cells.select('.walk-line1'), (v: CellView) => v.line1);
  say(cells.select('.walk-line2'), (v: CellView) => v.line2);

  // Newly lit cells fade in, unless the user asked for reduced motion.
  cells.each(function (v) {
    const bg = select(this).select<SVGRectElement>('.walk-bg');
    const was = this.getAttribute('data-lit') === '1';
    if (was !== v.lit) this.setAttribute('data-lit', v.lit ? '1' : '0');
    bg.interrupt();
    if (v.lit && !was && !o.reducedMotion) bg.attr('opacity', 0.25).transition().duration(FADE_MS).attr('opacity', 1);
    else put(bg, 'opacity', 1);
  });
}

/** The single child `<tag class=cls>` of root, created on first use (one owner per region). */
function layer(root: Any, tag: string, cls: string): Any {
  return put(root.selectAll(`${tag}.${cls}`).data([0]).join(tag), 'class', cls);
}

type Value = string | number | null;
/** d3's attr, writing only where the value differs (d3 writes every element each time: a DOM
 *  mutation and style work per cell per step, for a grid that mostly stays as it is). null
 *  removes the attribute. */
function put(sel: Any, name: string, value: Value | ((d: any, i: number) => Value)): Any {
  sel.each(function (this: Element, d: unknown, i: number) {
    const v = typeof value === 'function' ? value(d, i) : value;
    if (v === null) { if (this.hasAttribute(name)) this.removeAttribute(name); return; }
    const str = String(v);
    if (this.getAttribute(name) !== str) this.setAttribute(name, str);
  });
  return sel;
}
/** d3's text, writing only where the text differs. */
function say(sel: Any, value: (d: any, i: number) => string): Any {
  sel.each(function (this: Element, d: unknown, i: number) { const str = value(d, i); if (this.textContent !== str) this.textContent = str; });
  return sel;
}
