// The timeline: every event of the run in a virtualized list (seq, cycles, type, a one-line
// summary), the cursor's row highlighted and kept in view, a scrubber, and filters by type.

import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { EventType, TraceEvent } from '../../../engine/trace/events.ts';
import { messages } from '../../messages/index.ts';
import { summarize } from './eventSummary.ts';
import { TimelineFilters } from './TimelineFilters.tsx';
import { useDomId } from './a11y.tsx';
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

export function Timeline({ count, getRange, cursor, onSeek, filters, onFilters, windowSize = 400_000, filterSpan = 16_384 }: TimelineProps) {
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

  const rows = scan ? scan.seqs.length : win.size;
  const seqAt = (i: number) => (scan ? scan.seqs[i] : win.base + i);
  const indexOf = (seq: number) => {
    if (!scan) return seq - win.base;
    let lo = 0, hi = scan.seqs.length - 1; // the last shown event at or before seq
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (scan.seqs[mid] <= seq) lo = mid; else hi = mid - 1; }
    return Math.max(0, lo);
  };

  const scrollRef = useRef<HTMLDivElement>(null);
  const rowPx = useRowHeight();
  // Stable while the window and the matches stay: a new key function makes the virtualizer
  // re-measure every row of the window.
  const itemKey = useCallback((i: number) => (scan ? scan.seqs[i] : win.base + i), [scan, win.base]);
  const v = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowPx,
    overscan: 8,
    getItemKey: itemKey,
    // Open with the cursor's row in view (later cursor moves scroll in the effect below).
    initialOffset: () => Math.max(0, indexOf(cursor) * rowPx - 4 * rowPx),
  });
  const items = v.getVirtualItems();

  // The events of the rows in view: one small request.
  let visible: Map<number, TraceEvent> | null = null;
  if (scan) visible = scan.events;
  else if (items.length) {
    const got = getRange(win.base + items[0].index, win.base + items[items.length - 1].index + 1);
    if (got) visible = new Map(got.map((e) => [e.seq, e]));
  }
  const missing = scan ? !scan.complete : items.length > 0 && !visible;
  useEffect(() => {
    if (!missing) return;
    const h = setTimeout(() => setTick((k) => k + 1), RETRY_MS);
    return () => clearTimeout(h);
  }, [missing, tick]);

  // Keyboard focus moves over rows; it follows the cursor.
  const [active, setActive] = useState(cursor);
  useEffect(() => {
    setActive(cursor);
    if (rows > 0) v.scrollToIndex(indexOf(cursor), { align: 'auto' });
  }, [cursor, rows, win.base]);

  const move = (to: number) => {
    const i = Math.max(0, Math.min(rows - 1, to));
    if (rows === 0) return;
    setActive(seqAt(i));
    v.scrollToIndex(i, { align: 'auto' });
  };
  const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowPx * 10) / rowPx) - 1);
  const onKey = (e: KeyboardEvent) => {
    const i = indexOf(active);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(i + 1), ArrowUp: () => move(i - 1), PageDown: () => move(i + page),
      PageUp: () => move(i - page), Home: () => move(0), End: () => move(rows - 1),
      Enter: () => onSeek(active), ' ': () => onSeek(active),
    };
    const f = keys[e.key];
    if (f) { e.preventDefault(); f(); }
  };

  const last = Math.max(count - 1, 0);
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
      <div ref={scrollRef} className="tl-scroll" role="listbox" tabIndex={0} aria-label={t.timelineList}
        aria-describedby={`${id}-note`} aria-activedescendant={rows ? `${id}-r${active}` : undefined} onKeyDown={onKey}>
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const seq = seqAt(it.index);
            const e = visible?.get(seq);
            const summary = e ? summarize(e) : t.loading;
            return (
              <div key={it.key} id={`${id}-r${seq}`} role="option" aria-selected={seq === cursor}
                aria-label={t.eventRow(seq, e ? `${e.type} ${summary}` : summary)}
                className={'tl-row' + (seq === cursor ? ' cursor' : '') + (seq === active ? ' active' : '') + (e ? ` ev-${e.type}` : ' placeholder')}
                data-seq={seq} onClick={() => { setActive(seq); onSeek(seq); }}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: it.size, transform: `translateY(${it.start}px)` }}>
                <span className="tl-seq">{seq}</span>
                <span className="tl-cycles">{e ? fmt(e.cycles) : ''}</span>
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
