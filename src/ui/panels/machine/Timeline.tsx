// The timeline: every event of the run in a virtualized list (seq, cycles, type, a one-line
// summary), the cursor's row highlighted and kept in view, a scrubber, and filters by type.
// libdune's set-up is one fold row (TimelineRows.ts), collapsed at first: a tree of one branch.

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { EventType, TraceEvent } from '../../../engine/trace/events.ts';
import { messages } from '../../messages/index.ts';
import { summarize } from './eventSummary.ts';
import { TimelineFilters } from './TimelineFilters.tsx';
import { useDomId, VisuallyHidden } from './a11y.tsx';
import { FOLD, listRows, windowRows, type Span } from './TimelineRows.ts';
import './machine.css';
import { fmt } from '../../messages/locale.ts';

const t = messages.machine;
const CHUNK = 1024;
const RETRY_MS = 150;

export interface TimelineProps {
  /** Total number of events in the run. */
  count: number;
  /** Events [from, to); null while they are loading (rows then show placeholders). Called only for
   *  the rows in view (and, when filtering, for CHUNK-sized pieces of the span near the cursor). */
  getRange(from: number, to: number): TraceEvent[] | null;
  cursor: number;
  onSeek(seq: number): void;
  /** Event types HIDDEN from the list (empty: every type is shown). */
  filters: Set<EventType>;
  /** Given: the filter toggles are shown and report the next set of hidden types. */
  onFilters?(next: Set<EventType>): void;
  /** Rows the scrolling list spans at most: a window of the trace around the cursor (browsers cap an
   *  element's height near 2^24 px, so 10,000,000 rows cannot be one list). Default 400,000. */
  windowSize?: number;
  /** With filters on: how many events around the cursor are searched for matches. Default 16,384. */
  filterSpan?: number;
  /** libdune's set-up span (seqs, inclusive): one fold row, collapsed at first. */
  fold?: Span | null;
}

/** A window [base, base+size) of [0, count) that contains `cursor`; kept while the cursor stays inside. */
function useWindow(count: number, cursor: number, size: number) {
  const base = useRef(0);
  const n = Math.min(count, size);
  const c = Math.min(Math.max(cursor, 0), Math.max(count - 1, 0));
  if (c < base.current || c >= base.current + n || base.current + n > count) {
    base.current = Math.max(0, Math.min(count - n, c - Math.floor(n / 2)));
  }
  return { base: base.current, size: n };
}

export function Timeline({ count, getRange, cursor, onSeek, filters, onFilters, windowSize = 400_000, filterSpan = 16_384, fold = null }: TimelineProps) {
  const id = useDomId('tl');
  const filtering = filters.size > 0;
  const win = useWindow(count, cursor, filtering ? filterSpan : windowSize);
  const [tick, setTick] = useState(0);

  // Filtering: the seqs of shown events in the span, gathered chunk by chunk.
  const scan = useMemo(() => {
    if (!filtering) return null;
    const seqs: number[] = [];
    const events = new Map<number, TraceEvent>();
    let complete = true;
    for (let from = win.base; from < win.base + win.size; from += CHUNK) {
      const got = getRange(from, Math.min(from + CHUNK, win.base + win.size));
      if (!got) { complete = false; continue; }
      for (const e of got) if (!filters.has(e.type)) { seqs.push(e.seq); events.set(e.seq, e); }
    }
    return { seqs, events, complete };
    // tick: retry while chunks are still loading.
  }, [filtering, win.base, win.size, getRange, filters, tick]);

  const [open, setOpen] = useState(false);
  const model = useMemo(() => (scan ? listRows(scan.seqs, fold, open, { from: win.base, to: win.base + win.size - 1 })
    : windowRows(win.base, win.size, fold, open)), [scan, fold, open, win.base, win.size]);
  const rows = model.count;
  const inFold = (seq: number) => fold !== null && seq >= fold.from && seq <= fold.to;

  const scrollRef = useRef<HTMLDivElement>(null);
  const rowPx = useRowHeight();
  // Stable while the window and the matches stay: a new key function makes the virtualizer
  // re-measure every row of the window.
  const itemKey = useCallback((i: number) => model.at(i), [model]);
  const v = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowPx,
    overscan: 8,
    getItemKey: itemKey,
    // "Scrolling" ends at the browser's scrollend, not 150 ms after the last scroll event: each
    // cursor move that scrolls the list would otherwise render it once more, that much later.
    useScrollendEvent: true,
    // Open with the cursor's row in view (later cursor moves scroll in the effect below).
    initialOffset: () => Math.max(0, model.indexOf(cursor) * rowPx - 4 * rowPx),
  });
  /** Where the list scrolls to bring row i into view, if it is not (null: it is): the middle of
   *  the list. Rows are rowPx each, and the list's offset and height are the virtualizer's (from
   *  its scroll and resize observers), so a move within the rows in view reads no layout and
   *  writes nothing (scrollToIndex reads the list's scrollHeight each time: a forced layout per
   *  cursor move), and a step out of view leaves half a list of steps before the next scroll. */
  const revealOffset = (i: number): number | null => {
    const top = i * rowPx, h = v.scrollRect?.height ?? 0, off = v.scrollOffset ?? 0;
    if (h <= 0) return top !== off ? top : null;
    return top < off || top + rowPx > off + h ? Math.max(0, top - Math.floor((h - rowPx) / 2)) : null;
  };
  // The cursor's row scrolled into view in the render that shows the cursor (issue 8, in-page
  // step): the virtualizer is told the new offset before it picks the rows, so this render brings
  // the rows there, and the layout effect below scrolls the list to it. (Scrolling first and
  // letting the scroll event bring the rows laid the list out twice and rendered it twice.)
  const revealed = useRef('');
  const scrollTo = useRef<number | null>(null);
  const at = `${cursor}/${win.base}/${rows === 0}`;
  if (at !== revealed.current) {
    revealed.current = at;
    const to = rows === 0 ? null : revealOffset(model.indexOf(cursor));
    if (to !== null) { v.scrollOffset = to; scrollTo.current = to; }
  }
  const items = v.getVirtualItems();

  // The events of the rows in view: one small request per run of consecutive seqs (a collapsed
  // fold splits them).
  let visible: Map<number, TraceEvent> | null = null;
  let gotAll = true;
  if (scan) visible = scan.events;
  else if (items.length) {
    visible = new Map();
    const seqs = items.map((it) => model.at(it.index)).filter((q) => q !== FOLD);
    for (let i = 0; i < seqs.length;) {
      let j = i;
      while (j + 1 < seqs.length && seqs[j + 1] === seqs[j] + 1) j++;
      const got = getRange(seqs[i], seqs[j] + 1);
      if (got) for (const e of got) visible.set(e.seq, e); else gotAll = false;
      i = j + 1;
    }
  }
  const missing = scan ? !scan.complete : items.length > 0 && !gotAll;
  useEffect(() => {
    if (!missing) return;
    const h = setTimeout(() => setTick((k) => k + 1), RETRY_MS);
    return () => clearTimeout(h);
  }, [missing, tick]);

  // Keyboard focus moves over rows (a seq, or FOLD); it follows the cursor: the row it was moved
  // to holds until the cursor moves (derived, not set in an effect: no second render per move).
  const [moved, setMoved] = useState<{ cursor: number; row: number } | null>(null);
  const active = moved && moved.cursor === cursor ? moved.row : rows ? model.at(model.indexOf(cursor)) : cursor;
  const setActive = (row: number) => setMoved({ cursor, row });
  // The list scrolls in the frame that shows the new cursor, with the rows there already rendered
  // (above): in that frame's animation callbacks, after every view has changed the page, so that
  // the one layout the write forces is the frame's own (written in the commit, it laid the page
  // out before the other views' changes, and the frame laid it out again after them). The latest
  // offset asked for is written; not on every row-count change: opening or closing the fold
  // keeps the list where it is.
  const pending = useRef<number | null>(null);
  useLayoutEffect(() => {
    const to = scrollTo.current;
    scrollTo.current = null;
    if (to === null) return;
    const asked = pending.current !== null;
    pending.current = to;
    if (asked) return;
    requestAnimationFrame(() => {
      const el = scrollRef.current, top = pending.current;
      pending.current = null;
      if (el && top !== null) el.scrollTop = top;
    });
  }, [cursor, rows === 0, win.base]);

  const move = (to: number) => {
    const i = Math.max(0, Math.min(rows - 1, to));
    if (rows === 0) return;
    setActive(model.at(i));
    v.scrollToIndex(i, { align: 'auto' });
  };
  const toggle = (to: boolean) => {
    setOpen(to);
    setActive(FOLD);
    // The fold row stays where the eye is.
    if (model.foldAt >= 0) requestAnimationFrame(() => v.scrollToIndex(model.foldAt, { align: 'auto' }));
  };
  const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowPx * 10) / rowPx) - 1);
  const onKey = (e: KeyboardEvent) => {
    const i = active === FOLD ? model.foldAt : model.indexOf(active);
    const onFold = active === FOLD;
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(i + 1), ArrowUp: () => move(i - 1), PageDown: () => move(i + page),
      PageUp: () => move(i - page), Home: () => move(0), End: () => move(rows - 1),
      // The tree keys: → opens the fold (then enters it), ← closes it (from inside: back to its row).
      ArrowRight: () => { if (onFold && !open) toggle(true); else if (onFold) move(i + 1); },
      ArrowLeft: () => { if (onFold && open) toggle(false); else if (open && inFold(active)) move(model.foldAt); },
      Enter: () => (onFold ? toggle(!open) : onSeek(active)), ' ': () => (onFold ? toggle(!open) : onSeek(active)),
    };
    const f = keys[e.key];
    if (f) { e.preventDefault(); f(); }
  };
  const rowId = (seq: number) => (seq === FOLD ? `${id}-fold` : `${id}-r${seq}`);

  const last = Math.max(count - 1, 0);
  // aria-activedescendant must name a row in the DOM: the active row only once the virtual list
  // renders it (a cursor move out of view scrolls first; the next render brings the row).
  const activeShown = rows > 0 && items.some((it) => model.at(it.index) === active);
  // The seq field as wide as the run's last ("#" and its digits, in the row's monospace).
  const widths = useMemo(() => ({ '--tl-seq': `${fmt(last).length + 1}ch` }) as CSSProperties, [last]);
  return (
    <section className="panel machine-panel timeline" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t.timelineTitle}</h2>
      {onFilters && <TimelineFilters hidden={filters} onChange={onFilters} />}
      <input type="range" className="tl-scrubber" min={0} max={last} step={1} value={Math.min(cursor, last)}
        aria-label={t.scrubber} aria-valuetext={`${fmt(cursor)} / ${fmt(last)}`}
        onChange={(e) => onSeek(Number(e.currentTarget.value))} disabled={count === 0} />
      <p className="hint tl-note" id={`${id}-note`}>
        {scan
          ? (scan.complete ? t.filteredNote(scan.seqs.length, win.base, win.base + win.size - 1) : t.filteredLoading)
          : count > win.size ? t.windowNote(win.base, win.base + win.size - 1, count) : t.timelineHelp}
      </p>
      <div ref={scrollRef} className="tl-scroll" role="tree" tabIndex={0} aria-label={t.timelineList} style={widths}
        aria-describedby={`${id}-note`} aria-activedescendant={activeShown ? rowId(active) : undefined} onKeyDown={onKey}>
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const seq = model.at(it.index);
            const style = { position: 'absolute', top: 0, left: 0, right: 0, height: it.size, transform: `translateY(${it.start}px)` } as const;
            if (seq === FOLD && fold) {
              const here = !open && inFold(cursor);
              return (
                <div key={it.key} id={rowId(FOLD)} role="treeitem" aria-level={1} aria-expanded={open} aria-selected={here}
                  className={'tl-row tl-fold' + (here ? ' cursor' : '') + (active === FOLD ? ' active' : '')} data-testid="setup-fold"
                  onClick={() => toggle(!open)} style={style} title={`${t.setupFoldSpan(fold.from, fold.to)}: ${t.setupFoldWhat}`}>
                  <span className="tl-twisty" aria-hidden="true">{open ? '▾' : '▸'}</span>
                  <span className="tl-fold-name">{t.setupFold(fold.to - fold.from + 1)}</span>
                  <span className="tl-summary">{here ? t.setupFoldCursor(cursor) : t.setupFoldSpan(fold.from, fold.to)}</span>
                </div>
              );
            }
            const e = visible?.get(seq);
            const summary = e ? summarize(e) : t.loading;
            return (
              <div key={it.key} id={rowId(seq)} role="treeitem" aria-level={open && inFold(seq) ? 2 : 1} aria-selected={seq === cursor}
                className={'tl-row' + (seq === cursor ? ' cursor' : '') + (seq === active ? ' active' : '') + (open && inFold(seq) ? ' tl-in-fold' : '') + (e ? ` ev-${e.type}` : ' placeholder')}
                data-seq={seq} onClick={() => { setActive(seq); onSeek(seq); }} style={style}>
                <span className="tl-seq"><VisuallyHidden>{t.rowEvent} </VisuallyHidden>#{fmt(seq)}</span>
                <span className="tl-cycles">{e ? fmt(e.cycles) : ''}{e && <VisuallyHidden> {t.rowCycles}</VisuallyHidden>}</span>
                <span className="tl-type">{e?.type ?? ''}</span>
                <span className="tl-summary" title={e ? summary : undefined}>{summary}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

/** Row height in px: 1.6 root ems, so the font-scale control reaches the list. */
function useRowHeight() {
  return useMemo(() => {
    const fs = typeof window !== 'undefined' ? parseFloat(getComputedStyle(document.documentElement).fontSize) : NaN;
    return Math.round((Number.isFinite(fs) && fs > 0 ? fs : 16) * 1.6);
  }, []);
}
