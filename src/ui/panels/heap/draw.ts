// Painting the heap grid: one cell per page into an RGBA pixel buffer (a canvas's ImageData), from
// a page-state map (engine/player/heapmap.ts). Each state has a colour and a pattern or glyph, so
// colour is never the only cue; recent activity overlays a second glyph. Cells are pre-rendered
// sprites copied into place: 16,384 pages paint in a few milliseconds. Pure: no DOM.

/** Page-state bits and activity kinds, as engine/player/heapmap.ts defines them (the UI does not
 *  import the engine: the worker sends plain arrays). */
export const ST = { MAPPED: 1, WP: 2, DBIT: 4, DIRTY: 8, INUSE: 16, FREED: 32, SCAN: 64 } as const;
export const ACT = { NONE: 0, WRITE: 1, FAULT: 2, ADD: 3, MARK: 4, SWEEP: 5, DFOUND: 6, PTE: 7, REARM: 8 } as const;

/** A cell's base state, in legend order. */
export const KINDS = ['unmapped', 'mapped', 'clean', 'wp', 'dirty', 'dbit', 'freed'] as const;
export type CellKind = (typeof KINDS)[number];
/** What is drawn over the base: the collector's work, a write, a fault, a PTE store. */
export const OVERLAYS = ['none', 'scan', 'write', 'fault', 'pte'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** The base state of a page from its bits (mode: the collector's mode name). */
export function cellKind(bits: number, mode: string): CellKind {
  if (bits & ST.FREED) return 'freed';
  if (bits & ST.INUSE) {
    if (bits & ST.DIRTY) return 'dirty';
    if (mode === 'dune-dirty' && bits & ST.DBIT) return 'dbit';
    if (bits & ST.WP) return 'wp';
    return 'clean';
  }
  return bits & ST.MAPPED ? 'mapped' : 'unmapped';
}

/** The overlay of a page from its activity and state (a fault or PTE store beats a plain write;
 *  the collector's work shows as the scan outline). */
export function cellOverlay(act: number, bits: number): Overlay {
  if (act === ACT.FAULT) return 'fault';
  if (act === ACT.PTE) return 'pte';
  if (act === ACT.WRITE || act === ACT.ADD) return 'write';
  if (bits & ST.SCAN) return 'scan';
  return 'none';
}

type Rgb = readonly [number, number, number];
export const BACKGROUND: Rgb = [0x1c, 0x21, 0x2b];
export const PALETTE: Record<CellKind, { fill: Rgb; mark: Rgb }> = {
  unmapped: { fill: [0x3a, 0x41, 0x50], mark: [0x3a, 0x41, 0x50] },
  mapped: { fill: [0x5a, 0x63, 0x76], mark: [0x5a, 0x63, 0x76] },
  clean: { fill: [0x3a, 0x7c, 0xc0], mark: [0x3a, 0x7c, 0xc0] },
  wp: { fill: [0x2c, 0x5e, 0x94], mark: [0xa8, 0xcc, 0xf0] },
  dirty: { fill: [0xe6, 0x8a, 0x1a], mark: [0x1c, 0x10, 0x00] },
  dbit: { fill: [0xe8, 0xcc, 0x2a], mark: [0x1c, 0x18, 0x00] },
  freed: { fill: [0x78, 0x78, 0x78], mark: [0xd8, 0xd8, 0xd8] },
};
export const OVERLAY_COLOUR: Record<Exclude<Overlay, 'none'>, Rgb> = {
  scan: [0xff, 0x4f, 0xe8], write: [0xff, 0xff, 0xff], fault: [0xff, 0x2a, 0x2a], pte: [0xff, 0xff, 0xff],
};

/** One cell's pixels (size x size, RGBA): the base's fill and pattern, then the overlay. */
export function sprite(kind: CellKind, overlay: Overlay, size: number): Uint8ClampedArray {
  const px = new Uint8ClampedArray(size * size * 4);
  const put = (x: number, y: number, c: Rgb) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    const i = (y * size + x) * 4;
    px[i] = c[0]; px[i + 1] = c[1]; px[i + 2] = c[2]; px[i + 3] = 255;
  };
  const p = PALETTE[kind], mid = Math.floor(size / 2), r = Math.max(1, Math.floor(size / 4));
  // Shapes first, so that no state differs from another by colour alone: not mapped is an empty
  // frame, mapped but unused a half cell, in use a full cell (then each state's pattern on it).
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) put(x, y, BACKGROUND);
  if (kind === 'unmapped') for (let i = 0; i < size; i++) { put(i, 0, p.fill); put(i, size - 1, p.fill); put(0, i, p.fill); put(size - 1, i, p.fill); }
  else if (kind === 'mapped') for (let y = mid; y < size; y++) for (let x = 0; x < size; x++) put(x, y, p.fill);
  else for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) put(x, y, p.fill);
  if (kind === 'wp') for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) { if ((x + y) % 3 === 0) put(x, y, p.mark); }
  if (kind === 'dirty') for (let y = mid - r + 1; y <= mid + r - 1 || y === mid; y++) for (let x = mid - r + 1; x <= mid + r - 1 || x === mid; x++) put(x, y, p.mark);
  if (kind === 'dbit') for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const d = Math.max(Math.abs(x - mid), Math.abs(y - mid));
    if (d === r) put(x, y, p.mark);
  }
  if (kind === 'freed') for (let x = 1; x < size - 1; x++) put(x, mid, p.mark);
  if (overlay === 'none') return px;
  const o = OVERLAY_COLOUR[overlay];
  if (overlay === 'scan') for (let i = 0; i < size; i++) { put(i, 0, o); put(i, size - 1, o); put(0, i, o); put(size - 1, i, o); }
  if (overlay === 'write') { const k = Math.max(2, Math.ceil(size / 2)); for (let y = 0; y < k; y++) for (let x = 0; x < k - y; x++) put(x, y, o); }
  if (overlay === 'fault') for (let y = 0; y < size; y++) { if (y !== size - 2 || size < 5) { put(mid, y, o); if (size >= 8) put(mid - 1, y, o); } }
  if (overlay === 'pte') for (let i = 0; i < size; i++) { put(i, i, o); put(size - 1 - i, i, o); }
  return px;
}

export interface GridLayout { cell: number; gap: number; cols: number; rows: number; width: number; height: number; shown: number }

/** Cells as large as fit `width` x `maxHeight` for `shown` pages (3 to 18 pixels, 1-pixel gaps). */
export function gridLayout(shown: number, width: number, maxHeight: number): GridLayout {
  const gap = 1;
  let cell = 18;
  for (; cell > 3; cell--) {
    const cols = Math.max(1, Math.floor((width + gap) / (cell + gap)));
    if (Math.ceil(shown / cols) * (cell + gap) <= maxHeight) break;
  }
  const cols = Math.max(1, Math.floor((width + gap) / (cell + gap)));
  const rows = Math.max(1, Math.ceil(shown / cols));
  return { cell, gap, cols, rows, width: cols * (cell + gap) - gap, height: rows * (cell + gap) - gap, shown };
}

/** The page under a pixel of the grid, or null (a gap or past the last page). */
export function pageAt(g: GridLayout, x: number, y: number): number | null {
  const p = g.cell + g.gap, c = Math.floor(x / p), r = Math.floor(y / p);
  if (x % p >= g.cell || y % p >= g.cell || c >= g.cols || c < 0 || r < 0) return null;
  const page = r * g.cols + c;
  return page < g.shown ? page : null;
}

export interface Paintable { data: Uint8ClampedArray; width: number; height: number }
export interface HeapCells { state: Uint8Array; act: Uint8Array; mode: string }

/** Sprites by kind, overlay and size, as 32-bit pixels (one write per pixel). */
export type SpriteCache = Map<string, Uint32Array>;

/** Paint the first g.shown pages into img (g.width x g.height). With `prev` (what img shows now,
 *  painted with the same layout), only the cells whose look changed are painted again: a step
 *  usually changes a handful of pages. */
export function paintHeap(img: Paintable, g: GridLayout, h: HeapCells, cache: SpriteCache = new Map(), prev: HeapCells | null = null) {
  const px = new Uint32Array(img.data.buffer, img.data.byteOffset, img.data.length / 4);
  if (!prev) {
    const bg = new Uint32Array(new Uint8ClampedArray([BACKGROUND[0], BACKGROUND[1], BACKGROUND[2], 255]).buffer)[0];
    px.fill(bg);
  }
  const pitch = g.cell + g.gap, n = Math.min(g.shown, h.state.length), c = g.cell;
  let painted = 0;
  for (let page = 0; page < n; page++) {
    const bits = h.state[page], kind = cellKind(bits, h.mode), ov = cellOverlay(h.act[page], bits);
    if (prev && cellKind(prev.state[page], prev.mode) === kind && cellOverlay(prev.act[page], prev.state[page]) === ov) continue;
    const key = `${kind}/${ov}/${c}`;
    let sp = cache.get(key);
    if (!sp) { const rgba = sprite(kind, ov, c); sp = new Uint32Array(rgba.buffer, rgba.byteOffset, c * c); cache.set(key, sp); }
    const x0 = (page % g.cols) * pitch, y0 = Math.floor(page / g.cols) * pitch;
    for (let y = 0; y < c; y++) {
      const row = (y0 + y) * img.width + x0, from = y * c;
      for (let x = 0; x < c; x++) px[row + x] = sp[from + x];
    }
    painted++;
  }
  return painted;
}

/** How many pages are in each base state and overlay (the accessible summary, and the tests). */
export function tally(h: HeapCells, shown: number): Record<CellKind | Exclude<Overlay, 'none'>, number> {
  const t = Object.fromEntries([...KINDS, 'scan', 'write', 'fault', 'pte'].map((k) => [k, 0])) as Record<CellKind | Exclude<Overlay, 'none'>, number>;
  for (let p = 0; p < Math.min(shown, h.state.length); p++) {
    t[cellKind(h.state[p], h.mode)]++;
    const o = cellOverlay(h.act[p], h.state[p]);
    if (o !== 'none') t[o]++;
  }
  return t;
}
