// The three address spaces drawn into an <svg>: each VMA (host-virtual), its slot in the
// guest-physical window it lands in, and the frames behind it, one row per VMA, joined by lines.

import { select } from 'd3-selection';
import type { SpacesView, WindowName } from '../../../engine/player/memview.ts';
import { messages } from '../../messages/index.ts';

const t = messages.memory;

export interface Box { key: string; x: number; y: number; w: number; h: number; lines: string[]; cls: string }
export interface Link { key: string; d: string; cls: string }
export interface SpacesLayout { w: number; h: number; cols: { x: number; label: string }[]; boxes: Box[]; links: Link[] }

const COL_X = [8, 318, 628], COL_W = 264, TOP = 40, ROW = 58, BOX_H = 48, HEAD = 46, INSET = 12;
const mid = (b: Box) => b.y + b.h / 2;
const curve = (x1: number, y1: number, x2: number, y2: number) => {
  const c = (x1 + x2) / 2;
  return `M${x1},${y1} C${c},${y1} ${c},${y2} ${x2},${y2}`;
};

/** Rows top to bottom in address order; a window header row before each window's first VMA. */
export function layoutSpaces(s: SpacesView, dune: boolean): SpacesLayout {
  const boxes: Box[] = [], links: Link[] = [];
  let y = TOP;
  let win: { name: WindowName; box: Box } | null = null;
  const seen = new Set<WindowName>();
  const openWindow = (name: WindowName) => {
    const w = s.windows.find((x) => x.name === name)!;
    const box: Box = { key: `win-${name}`, x: COL_X[1], y, w: COL_W, h: HEAD, cls: `mem-window mem-win-${name}`,
      lines: [t.window(t.windowName[name], w.gpaStart, w.gpaEnd), t.windowFrom(w.hvaStart) + ' · ' + t.eptPages(w.eptPages)] };
    boxes.push(box);
    seen.add(name);
    y += HEAD + 6;
    return { name, box };
  };
  const closeWindow = () => { if (win) { win.box.h = y - win.box.y; y += 10; win = null; } };

  s.vmas.forEach((a, i) => {
    if (dune && a.window !== (win?.name ?? null)) { closeWindow(); if (a.window) win = openWindow(a.window); }
    const vma: Box = { key: `vma-${i}`, x: COL_X[0], y, w: COL_W, h: BOX_H, cls: `mem-vma mem-kind-${a.kind}`,
      lines: [t.vma(a.kind, a.perms) + ' · ' + t.pages(a.pages), t.vmaRange(a.start, a.end)] };
    boxes.push(vma);
    const mine = s.frames.ept.filter((f) => f.vma === i).map((f) => f.hpa).sort((p, q) => Number(BigInt(p) - BigInt(q)));
    const k = dune ? a.eptPages : a.pages;
    const fr: Box = { key: `fr-${i}`, x: COL_X[2], y, w: COL_W, h: BOX_H, cls: 'mem-frames' + (k ? '' : ' mem-empty'),
      lines: dune ? [t.eptPages(k), mine.length ? t.framesOf(mine.length, mine[0], mine[mine.length - 1]) : ''] : [t.pages(k), t.hostMapped(k)] };
    boxes.push(fr);
    if (dune && a.window && a.gpa) {
      const slot: Box = { key: `slot-${i}`, x: COL_X[1] + INSET, y, w: COL_W - 2 * INSET, h: BOX_H, cls: `mem-slot mem-kind-${a.kind}`,
        lines: [t.vma(a.kind, a.perms), a.gpa] };
      boxes.push(slot);
      links.push({ key: `l1-${i}`, cls: 'mem-link', d: curve(vma.x + vma.w, mid(vma), slot.x, mid(slot)) });
      links.push({ key: `l2-${i}`, cls: 'mem-link' + (k ? '' : ' mem-link-none'), d: curve(slot.x + slot.w, mid(slot), fr.x, mid(fr)) });
    } else if (dune) {
      boxes.push({ key: `slot-${i}`, x: COL_X[1] + INSET, y, w: COL_W - 2 * INSET, h: BOX_H, cls: 'mem-slot mem-outside', lines: [t.outside, ''] });
    } else {
      links.push({ key: `l0-${i}`, cls: 'mem-link mem-link-direct' + (k ? '' : ' mem-link-none'), d: curve(vma.x + vma.w, mid(vma), fr.x, mid(fr)) });
    }
    y += ROW;
  });
  closeWindow();
  for (const w of s.windows) if (!seen.has(w.name)) { win = openWindow(w.name); closeWindow(); }
  if (!dune) boxes.push({ key: 'no-windows', x: COL_X[1], y: TOP, w: COL_W, h: BOX_H, cls: 'mem-window mem-outside', lines: [t.noWindows, ''] });
  return {
    w: COL_X[2] + COL_W + 8, h: Math.max(y, TOP + ROW) + 8, boxes, links,
    cols: [t.colHostVirtual, t.colGuestPhysical, t.colHostPhysical].map((label, i) => ({ x: COL_X[i] + COL_W / 2, label })),
  };
}

/** Draw (or update, by key) the layout into svgEl; lines first so boxes sit on top of them. */
export function renderSpaces(svgEl: SVGSVGElement, L: SpacesLayout) {
  const svg = select(svgEl).attr('viewBox', `0 0 ${L.w} ${L.h}`);
  svg.selectAll<SVGTextElement, { x: number; label: string }>('text.mem-col-label').data(L.cols)
    .join('text').attr('class', 'mem-col-label').attr('x', (d) => d.x).attr('y', 22).text((d) => d.label);
  const linkLayer = svg.selectAll<SVGGElement, null>('g.mem-links').data([null]).join('g').attr('class', 'mem-links');
  linkLayer.selectAll<SVGPathElement, Link>('path').data(L.links, (d) => d.key)
    .join('path').attr('class', (d) => d.cls).attr('d', (d) => d.d).attr('data-key', (d) => d.key);
  const boxLayer = svg.selectAll<SVGGElement, null>('g.mem-boxes').data([null]).join('g').attr('class', 'mem-boxes');
  const g = boxLayer.selectAll<SVGGElement, Box>('g.mem-box').data(L.boxes, (d) => d.key)
    .join((enter) => {
      const e = enter.append('g');
      e.append('rect').attr('rx', 6);
      e.append('text').attr('class', 'mem-l1');
      e.append('text').attr('class', 'mem-l2');
      return e;
    });
  g.attr('class', (d) => 'mem-box ' + d.cls).attr('data-key', (d) => d.key);
  g.select('rect').attr('x', (d) => d.x).attr('y', (d) => d.y).attr('width', (d) => d.w).attr('height', (d) => d.h);
  g.select('text.mem-l1').attr('x', (d) => d.x + 10).attr('y', (d) => d.y + 19).text((d) => d.lines[0]);
  g.select('text.mem-l2').attr('x', (d) => d.x + 10).attr('y', (d) => d.y + 38).text((d) => d.lines[1] ?? '');
}
