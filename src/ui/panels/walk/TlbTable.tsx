// The TLB's valid entries with their tags (VPID, PCID, EPT root) and what they map (VA page ->
// HPA, size, permission flags), sorted stably by tag then address; a hit, fill or flush marked
// and scrolled into view. A TLB of more than WHOLE entries renders only the rows in view (a
// real <table> whose spacer rows stand for the others; aria-rowcount/aria-rowindex tell a screen
// reader where it is), with a few hidden sizer rows holding each column's widest text, so the
// columns are as wide as the whole table's and do not jump while it scrolls.

import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { observeElementRect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { messages } from '../../messages/index.ts';
import type { TlbEntryView } from '../../../engine/player/view.ts';
import './walk.css';

const t = messages.walk;

export type TlbHighlightKind = 'hit' | 'fill' | 'flush';
/** The entry an event names: its page, and (when the event gives them) its tags. A fill in VPID 1
 *  marks only the VPID-1 entry, never a root-mode entry for the same page. */
export interface TlbHighlight { va: string; kind: TlbHighlightKind; vpid?: number; pcid?: number; ept?: string | null }
export interface TlbTableProps {
  entries: TlbEntryView[];
  highlight?: TlbHighlight;
}

/** Tables up to this many rows render whole. */
const WHOLE = 64;
const OVERSCAN = 10;
const SIZE: Record<TlbEntryView['size'], number> = { '4K': 2 ** 12, '2M': 2 ** 21 };
const FLAGS = ['rw', 'us', 'nx', 'dirty', 'global'] as const;

/** Low 48 bits of a (canonical) linear address given as hex: its last 12 digits, exact in a double. */
const low48 = (va: string) => parseInt(va.replace(/^0x/i, '').slice(-12) || '0', 16);
/** Hex digits without 0x and leading zeros, lower case: two such compare as numbers by length, then text. */
const digits = (hex: string) => hex.replace(/^0x/i, '').replace(/^0+/, '').toLowerCase();
const cmpText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const cmpHex = (a: string, b: string) => a.length - b.length || cmpText(a, b);

interface Keyed { e: TlbEntryView; ept: string | null; va: number }
/** Tag order (VPID, PCID, EPT root; root-mode entries first), then VA, then size; stable. */
const order = (a: Keyed, b: Keyed) =>
  a.e.vpid - b.e.vpid || a.e.pcid - b.e.pcid ||
  (a.ept === b.ept ? 0 : a.ept === null ? -1 : b.ept === null ? 1 : cmpHex(a.ept, b.ept)) ||
  a.va - b.va || SIZE[a.e.size] - SIZE[b.e.size];

function sortKeyed(entries: TlbEntryView[]): Keyed[] {
  return entries.map((e) => ({ e, ept: e.ept === null ? null : digits(e.ept), va: low48(e.va) })).sort(order);
}

/** Tag order (VPID, PCID, EPT root; root-mode entries first), then VA; Array.sort is stable. */
export function sortTlb(entries: TlbEntryView[]): TlbEntryView[] {
  return sortKeyed(entries).map((k) => k.e);
}

const coversAt = (base: number, size: TlbEntryView['size'], v: number) => v >= base && v < base + SIZE[size];

/** Does the entry's page contain this linear address? */
export const covers = (e: TlbEntryView, va: string) => coversAt(low48(e.va), e.size, low48(va));

const tagsMatch = (e: TlbEntryView, h: TlbHighlight) =>
  (h.vpid === undefined || e.vpid === h.vpid) && (h.pcid === undefined || e.pcid === h.pcid) &&
  (h.ept === undefined || e.ept === h.ept);

/** Is this the entry the highlight names (page and every tag it gives)? */
export const names = (e: TlbEntryView, h: TlbHighlight) => covers(e, h.va) && tagsMatch(e, h);

const flagText = (e: TlbEntryView) => FLAGS.filter((f) => e.flags[f]).map((f) => t.tlbFlags[f]).join(' ');

/** The sorted rows and their keys, once per entries array; and the rows that together hold each
 *  column's widest text (the longest of each text column, every distinct size and flag set). */
function tableModel(entries: TlbEntryView[]) {
  const keyed = sortKeyed(entries);
  const rows = keyed.map((k) => k.e);
  const seen = new Map<string, number>();
  const keys = rows.map((e) => {
    const k = `${e.vpid}/${e.pcid}/${e.ept}/${e.va}/${e.size}`, n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return n ? `${k}#${n}` : k;
  });
  const widest = new Set<number>();
  const longest = (text: (e: TlbEntryView) => string) => {
    let best = -1, len = -1;
    rows.forEach((e, i) => { const n = text(e).length; if (n > len) { best = i; len = n; } });
    if (best >= 0) widest.add(best);
  };
  longest((e) => String(e.vpid)); longest((e) => String(e.pcid)); longest((e) => e.ept ?? t.tlbNoEpt);
  longest((e) => e.va); longest((e) => e.hpa);
  const firstOf = new Map<string, number>();
  rows.forEach((e, i) => { for (const k of [`s${e.size}`, `f${flagText(e)}`]) if (!firstOf.has(k)) firstOf.set(k, i); });
  for (const i of firstOf.values()) widest.add(i);
  return { rows, keys, vas: keyed.map((k) => k.va), widest: [...widest].sort((a, b) => a - b) };
}

/** The cells of one entry (the badge when it is the highlighted one). */
function Cells({ e, kind }: { e: TlbEntryView; kind?: TlbHighlightKind }) {
  return (
    <>
      <td>{e.vpid}</td>
      <td>{e.pcid}</td>
      <td><code>{e.ept ?? t.tlbNoEpt}</code></td>
      <td>
        <code>{e.va}</code>
        {kind && <span className="walk-tlb-badge">{t.tlbKind[kind]}</span>}
      </td>
      <td><code>{e.hpa}</code></td>
      <td>{e.size}</td>
      <td className="walk-tlb-flags">
        {FLAGS.filter((f) => e.flags[f]).map((f) => (
          <abbr key={f} title={t.tlbFlagTitles[f]}>{t.tlbFlags[f]}</abbr>
        ))}
      </td>
    </>
  );
}

/** The root font size in px (the font-scale control sets it). */
function useRootPx() {
  return useMemo(() => {
    const fs = typeof window !== 'undefined' ? parseFloat(getComputedStyle(document.documentElement).fontSize) : NaN;
    return Number.isFinite(fs) && fs > 0 ? fs : 16;
  }, []);
}

export function TlbTable({ entries, highlight }: TlbTableProps) {
  const model = useMemo(() => tableModel(entries), [entries]);
  const { rows, keys, vas } = model;
  // The highlighted rows' indices (sorted order).
  const marked = useMemo(() => {
    if (!highlight) return [];
    const v = low48(highlight.va), out: number[] = [];
    rows.forEach((e, i) => { if (coversAt(vas[i], e.size, v) && tagsMatch(e, highlight)) out.push(i); });
    return out;
  }, [model, highlight]);
  const isMarked = useMemo(() => new Set(marked), [marked]);
  const first = marked.length ? marked[0] : -1;
  // The marked row whose VA (and badge) is widest: a sizer row of its own.
  const widestMarked = marked.reduce((b, i) => (b < 0 || rows[i].va.length > rows[b].va.length ? i : b), -1);
  const flushedGone = highlight?.kind === 'flush' && marked.length === 0;
  const windowed = rows.length > WHOLE;

  const scrollRef = useRef<HTMLElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const rootPx = useRootPx();
  // Estimated row height (21.78 px at a 16 px root in Chromium; measured rows replace it), and the
  // box's height (walk.css: 28rem) for when it has no layout (a hidden panel): a box's worth of rows.
  const rowPx = 1.361 * rootPx, boxPx = 28 * rootPx;
  const observeRect = useCallback((inst: Virtualizer<HTMLElement, Element>, cb: (r: { width: number; height: number }) => void) =>
    observeElementRect(inst, (r) => cb(r.height > 0 ? r : { width: r.width, height: boxPx })), [boxPx]);
  // Unrounded (rows are fractions of a pixel high: rounded, 500 rows would drift 3 rows off).
  const measureRow = useCallback((el: Element, entry?: ResizeObserverEntry) =>
    entry?.borderBoxSize?.[0]?.blockSize || el.getBoundingClientRect().height || rowPx, [rowPx]);
  // Where the first body row starts in the scroll box (the count, the notice, the header above it).
  const [margin, setMargin] = useState(() => 2.6 * rowPx);
  const itemKey = useCallback((i: number) => keys[i], [keys]);
  const v = useVirtualizer({
    count: windowed ? rows.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowPx,
    overscan: OVERSCAN,
    getItemKey: itemKey,
    scrollMargin: margin,
    initialRect: { width: 0, height: boxPx },
    observeElementRect: observeRect,
    measureElement: measureRow,
    // Open with the highlighted row in view (the effect below centres it).
    initialOffset: () => (first >= 0 ? Math.max(0, margin + (first - 4) * rowPx) : 0),
  });

  useLayoutEffect(() => {
    const box = scrollRef.current, body = bodyRef.current;
    if (!windowed || !box || !body) return;
    const at = body.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientTop + box.scrollTop;
    if (Math.abs(at - margin) > 0.5) setMargin(at);
  }, [windowed, flushedGone]);

  // A new highlight scrolls its (first) row into view, to the middle of the box, if it is not in
  // view below the sticky header. Only the box scrolls, never the page.
  useLayoutEffect(() => {
    const box = scrollRef.current, body = bodyRef.current;
    if (first < 0 || !box || !body) return;
    const boxTop = box.getBoundingClientRect().top + box.clientTop, off = box.scrollTop, h = box.clientHeight;
    // Rendered even when out of view (below), so its place is the DOM's.
    const tr = body.querySelector<HTMLElement>(`tr[aria-rowindex="${first + 2}"]`);
    if (!tr) return;
    const r = tr.getBoundingClientRect(), top = r.top - boxTop + off, size = r.height;
    const head = (body.previousElementSibling as HTMLElement | null)?.getBoundingClientRect().height ?? 0;
    if (!(top < off + head || top + size > off + h)) return;
    const to = Math.max(0, top - (h - size) / 2);
    // Through the virtualizer when windowed: until the scroll event, it holds the old offset, and
    // a row measured meanwhile above that offset (the highlighted row, rendered out of the window)
    // corrected the scroll from it, back to where the box was (a second highlight within its
    // 150 ms of scrolling: stepping through TLB events).
    if (windowed) v.scrollToOffset(to); else box.scrollTop = to;
  }, [highlight, model]);

  // The rows rendered: all, or those in view and the highlighted one (always in the DOM, so the
  // row aria-current names is there to find), with a spacer row for each run of rows left out.
  const parts: ({ row: number } | { gap: number })[] = [];
  if (!windowed) rows.forEach((_, i) => parts.push({ row: i }));
  else {
    const shown = v.getVirtualItems().map((it) => it.index);
    if (first >= 0 && !shown.includes(first)) {
      shown.push(first);
      shown.sort((a, b) => a - b);
    }
    let at = margin;
    for (const i of shown) {
      const m = v.measurementsCache[i];
      if (m.start - at > 0.5) parts.push({ gap: m.start - at });
      parts.push({ row: i });
      at = m.end;
    }
    const end = margin + v.getTotalSize();
    if (end - at > 0.5) parts.push({ gap: end - at });
  }
  const c = t.tlbCols;
  const kind = highlight?.kind;
  return (
    <section ref={scrollRef} className="walk-panel walk-tlb" aria-label={t.tlbLabel} tabIndex={0}>
      <p className="walk-tlb-count">{t.tlbCount(entries.length)}</p>
      {flushedGone && <p className="walk-tlb-flushed hl-flush" role="status">{t.tlbFlushed(highlight!.va)}</p>}
      {rows.length === 0 ? (
        <p className="walk-empty">{t.tlbEmpty}</p>
      ) : (
        <table className="walk-tlb-table" aria-rowcount={rows.length + 1}>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">{c.vpid}</th><th scope="col">{c.pcid}</th><th scope="col">{c.ept}</th>
              <th scope="col">{c.va}</th><th scope="col">{c.hpa}</th><th scope="col">{c.size}</th><th scope="col">{c.flags}</th>
            </tr>
          </thead>
          <tbody ref={bodyRef}>
            {parts.map((p, n) => {
              if ('gap' in p) {
                return <tr key={`gap-${n}`} className="walk-tlb-spacer" aria-hidden="true" style={{ height: p.gap }}><td colSpan={7} /></tr>;
              }
              const i = p.row, hl = isMarked.has(i);
              return (
                <tr key={keys[i]} data-index={i} ref={windowed ? v.measureElement : undefined} aria-rowindex={i + 2}
                  className={hl ? `hl hl-${kind}` : undefined} aria-current={hl ? 'true' : undefined}>
                  <Cells e={rows[i]} kind={hl ? kind : undefined} />
                </tr>
              );
            })}
            {windowed && [...model.widest, ...(widestMarked >= 0 ? [widestMarked] : [])].map((i, n) => (
              <tr key={`sizer-${n}`} className="walk-tlb-sizer" aria-hidden="true">
                <Cells e={rows[i]} kind={n === model.widest.length ? kind : undefined} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
