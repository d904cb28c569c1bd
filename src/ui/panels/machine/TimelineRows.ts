// The timeline's rows: the events of a window (or the ones a filter keeps) with one fold row for
// libdune's set-up. Collapsed, the fold row stands for the whole span (its events are not rows);
// open, it heads them. Pure arithmetic over the window: 400,000 rows cost nothing to describe.

/** The fold row's place in `at` (not an event seq). */
export const FOLD = -2;

export interface Span { from: number; to: number }

export interface Rows {
  count: number;
  /** The seq of row i, or FOLD. */
  at(i: number): number;
  /** The row showing seq: its own, or the fold row when the fold is collapsed over it (or the last
   *  row at or before it, for seqs a filter hides). */
  indexOf(seq: number): number;
  /** The fold's row, or -1 when the span is outside what the rows cover. */
  foldAt: number;
}

/** Rows [base, base+size) of the run, the fold inserted before the span (clipped to the window). */
export function windowRows(base: number, size: number, fold: Span | null, open: boolean): Rows {
  const plain: Rows = { count: size, at: (i) => base + i, indexOf: (s) => s - base, foldAt: -1 };
  if (!fold || size === 0) return plain;
  const a = Math.max(fold.from, base), b = Math.min(fold.to, base + size - 1);
  if (a > b) return plain;
  const h = a - base, hidden = open ? 0 : b - a + 1;
  return {
    count: size + 1 - hidden,
    at: (i) => (i < h ? base + i : i === h ? FOLD : base + i - 1 + hidden),
    indexOf: (s) => (s < a ? s - base : !open && s <= b ? h : s - base + 1 - hidden),
    foldAt: h,
  };
}

/** Rows of the seqs a filter keeps (ascending), the fold inserted where the span starts. */
export function listRows(seqs: readonly number[], fold: Span | null, open: boolean, range: Span): Rows {
  const out: number[] = [];
  let foldAt = -1;
  const a = fold ? Math.max(fold.from, range.from) : 0, b = fold ? Math.min(fold.to, range.to) : -1;
  for (const s of seqs) {
    if (fold && a <= b && foldAt < 0 && s >= a) { foldAt = out.length; out.push(FOLD); }
    if (foldAt >= 0 && !open && s >= a && s <= b) continue;
    out.push(s);
  }
  if (fold && a <= b && foldAt < 0) { foldAt = out.length; out.push(FOLD); }
  // The fold row sorts just before its span's first event.
  const key = (i: number) => (out[i] === FOLD ? a - 0.5 : out[i]);
  return {
    count: out.length,
    at: (i) => out[i],
    indexOf: (s) => {
      let lo = 0, hi = out.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (key(mid) <= s) lo = mid; else hi = mid - 1; }
      return Math.max(0, lo);
    },
    foldAt,
  };
}
