// The heap view: the garbage collector's heap page by page at the cursor, on one canvas (a cell
// per page, thousands of them), with a legend where every state has a pattern or glyph besides
// its colour, step and play controls of its own (playing asks the worker for the heap map only,
// at up to 60 steps per second; the other views follow when it pauses), and the four collector
// modes side by side (Lanes). The map comes from the worker (engine/player/heapmap.ts).

import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useEngine, useSlice } from '../../state/context.tsx';
import type { HeapMap } from '../../engineClient.ts';
import { messages, fmt } from '../../messages/index.ts';
import { gridLayout, paintHeap, pageAt, tally, sprite, cellKind, cellOverlay, KINDS, type CellKind, type GridLayout, type Overlay, type SpriteCache } from './draw.ts';
import { Lanes } from './Lanes.tsx';
import './heap.css';

const t = messages.heap;
const SPEEDS = [1, 10, 30, 60] as const;
/** The instruction that starts a collection (asm-gc-mark.ts: gc_collect counts it), as the trace shows it. */
export const COLLECTION_START = { type: 'instr', text: 'inc qword ptr [__gc_collections]' } as const;
/** The collector's modes as gc_mode_from_stdin reads them (engine/libdune/asm-gc.ts GC_MODES). */
const GC_MODE_NAMES: readonly string[] = ['linux', 'dune', 'dune-tlb', 'dune-dirty'];
const STEP_SIZES = [1, 10, 100, 1000, 10000] as const;
/** The legend's overlays, and each one's words (read when rendering, in the UI's language). */
const LEGEND_OVERLAYS: readonly Exclude<Overlay, 'none'>[] = ['scan', 'write', 'fault', 'pte'];
const overlayLabel = (ov: Exclude<Overlay, 'none'>): string => (ov === 'scan' ? t.states.scan : t.acts[ov]);
const kindLabel = (k: CellKind): string => t.states[k];

/** Pages shown: up to the high-water mark (rounded up to a whole row of 64), or the reservation. */
export function shownPages(map: HeapMap, mode: 'used' | 'all', maxTop = 0): number {
  if (mode === 'all') return map.pages;
  return Math.min(map.pages, Math.max(256, Math.ceil(Math.max(map.top, maxTop) / 64) * 64));
}

/** A legend swatch: the grid's own sprite, drawn larger. */
function Swatch({ kind, overlay }: { kind: CellKind; overlay: Overlay }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current, ctx = c?.getContext?.('2d');
    if (!c || !ctx) return;
    const size = 14, img = ctx.createImageData(size, size);
    img.data.set(sprite(kind, overlay, size));
    ctx.putImageData(img, 0, 0);
  }, [kind, overlay]);
  return <canvas ref={ref} className="heap-swatch" width={14} height={14} aria-hidden="true" />;
}

export function HeapView() {
  const engine = useEngine();
  const { loaded, cursor, seek, source, file, files, stdin, setStdin, load, busy, findMatch } = useSlice((s) => ({ loaded: s.loaded, cursor: s.cursor, seek: s.seek, findMatch: s.findMatch,
    source: s.loadedSource, file: s.file, files: s.files, stdin: s.loadedStdin, setStdin: s.setStdin, load: s.load, busy: s.busy }));
  const [map, setMap] = useState<HeapMap | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(60);
  const [stepSize, setStepSize] = useState<number>(100);
  const [shownMode, setShownMode] = useState<'used' | 'all'>('used');
  const [selected, setSelected] = useState<number | null>(null);
  const [width, setWidth] = useState(560);
  const [maxTop, setMaxTop] = useState(0);
  const wrap = useRef<HTMLDivElement>(null);
  const atRef = useRef<HTMLSpanElement>(null);
  const countersRef = useRef<HTMLParagraphElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const sprites = useRef<SpriteCache>(new Map());
  // What the canvas shows now: its pixels, layout and cells (the next paint redraws only changes).
  const painted = useRef<{ img: ImageData; key: string; cells: HeapMap } | null>(null);
  const live = useRef<{ map: HeapMap | null; seq: number; steps: number; grid: GridLayout | null }>({ map: null, seq: -1, steps: 0, grid: null });
  const window = Math.min(20_000, Math.max(512, stepSize));
  // Only a program that calls gc_init has a heap to show (its own text or its included files).
  const usesGc = /\bgc_init\b/.test(source) || Object.values(files).some((f) => /\bgc_init\b/.test(f));

  // The container's width decides the cell size.
  useEffect(() => {
    const el = wrap.current;
    if (!el || typeof ResizeObserver !== 'function') return;
    const ro = new ResizeObserver(() => setWidth(Math.max(200, Math.floor(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const draw = useCallback((m: HeapMap | null) => {
    const c = canvas.current;
    if (!c || !m) return;
    const g = gridLayout(shownPages(m, shownMode, maxTop), width, 420);
    live.current.grid = g;
    if (c.width !== g.width) c.width = g.width;
    if (c.height !== g.height) c.height = g.height;
    const ctx = c.getContext?.('2d');
    if (!ctx) return;
    const key = `${g.width}x${g.height}/${g.cell}/${g.shown}/${selected}`;
    const was = painted.current?.key === key ? painted.current : null;
    const img = was ? was.img : ctx.createImageData(g.width, g.height);
    paintHeap(img, g, m, sprites.current, was ? was.cells : null);
    painted.current = { img, key, cells: m };
    if (selected !== null && selected < g.shown) {
      // The selected page: a 1-pixel white frame in the gap around it.
      const p = g.cell + g.gap, x0 = (selected % g.cols) * p, y0 = Math.floor(selected / g.cols) * p;
      for (let i = -1; i <= g.cell; i++) for (const [x, y] of [[x0 + i, y0 - 1], [x0 + i, y0 + g.cell], [x0 - 1, y0 + i], [x0 + g.cell, y0 + i]]) {
        if (x < 0 || y < 0 || x >= g.width || y >= g.height) continue;
        const k = (y * g.width + x) * 4; img.data[k] = 255; img.data[k + 1] = 255; img.data[k + 2] = 255; img.data[k + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
  }, [shownMode, maxTop, width, selected]);

  // Paused: the map follows the app's cursor.
  useEffect(() => {
    if (!loaded || playing || !usesGc) { if (!usesGc) setMap(null); return; }
    let on = true;
    void engine.heap(Math.max(0, cursor), window).then((m) => {
      if (!on) return;
      live.current.map = m; live.current.seq = Math.max(0, cursor);
      setMap(m);
      if (m) setMaxTop((v) => Math.max(v, m.top));
    });
    return () => { on = false; };
  }, [engine, loaded, cursor, playing, window, usesGc]);
  useEffect(() => { setMaxTop(0); setSelected(null); }, [loaded]);
  useEffect(() => { draw(map); }, [map, draw]);

  // Playing: one heap request per step, paced by the display's frames; the canvas is painted in
  // the frame after each answer, without a React render; the step and counters text is written
  // twice a second, and the rest of the panel catches up when it pauses.
  useEffect(() => {
    if (!playing || !loaded) return;
    let raf = 0, inflight = false, last = -Infinity, lastText = 0, stopped = false;
    const total = loaded.total;
    const el = wrap.current;
    const tick = (now: number) => {
      if (stopped) return;
      if (!inflight && now - last >= 1000 / speed - 2) {
        const next = live.current.seq + stepSize;
        if (next >= total) { setPlaying(false); setMap(live.current.map); return; }
        inflight = true; last = now;
        void engine.heap(next, window).then((m) => {
          inflight = false;
          if (stopped) return;
          live.current.map = m; live.current.seq = next; live.current.steps++;
          draw(m);
          if (el) { el.dataset.seq = String(next); el.dataset.steps = String(live.current.steps); }
        });
      }
      if (now - lastText > 500 && live.current.map) {
        // The figures as text, straight into the DOM: a React render here costs frames.
        lastText = now;
        const m = live.current.map;
        if (atRef.current) atRef.current.textContent = t.at(live.current.seq);
        if (countersRef.current) countersRef.current.textContent = t.counters(m.counters);
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => { stopped = true; cancelAnimationFrame(raf); };
  }, [playing, loaded, speed, stepSize, window, engine, draw]);

  const pause = () => { setPlaying(false); setMap(live.current.map); void seek(live.current.seq); };
  const step = (dir: 1 | -1) => { if (loaded) void seek(Math.max(0, Math.min(loaded.total - 1, Math.max(0, cursor) + dir * stepSize))); };
  const onKey = (e: KeyboardEvent) => {
    const g = live.current.grid;
    if (!g) return;
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : e.key === 'ArrowDown' ? g.cols : e.key === 'ArrowUp' ? -g.cols : 0;
    if (!d) return;
    e.preventDefault(); e.stopPropagation();
    setSelected((s) => Math.max(0, Math.min(g.shown - 1, (s ?? 0) + (s === null ? 0 : d))));
  };

  if (!loaded) return null;
  if (!usesGc) return <section className="panel heap-view" aria-label={t.title}><h2>{t.title}</h2><p className="muted" data-testid="heap-none">{t.none}</p></section>;
  const m = map;
  const shown = m ? shownPages(m, shownMode, maxTop) : 0;
  const counts = m ? tally(m, shown) : null;
  const selOverlay = m && selected !== null && selected < m.pages ? cellOverlay(m.act[selected], m.state[selected]) : null;
  return (
    <section className="panel heap-view" aria-label={t.title}>
      <h2>{t.title}</h2>
      <p className="hint">{t.help}</p>
      <div className="heap-controls" role="group" aria-label={t.title}>
        <button type="button" onClick={() => void findMatch(COLLECTION_START, -1)} disabled={playing} aria-label={t.prevCollection} title={t.prevCollection}>«</button>
        <button type="button" onClick={() => step(-1)} disabled={playing} aria-label={t.back} title={t.back}>◀</button>
        {playing ? <button type="button" onClick={pause} aria-label={t.pause}>❚❚</button>
          : <button type="button" onClick={() => { live.current.seq = Math.max(0, cursor); live.current.steps = 0; setPlaying(true); }} aria-label={t.play}>▶▶</button>}
        <button type="button" onClick={() => step(1)} disabled={playing} aria-label={t.forward} title={t.forward}>▶</button>
        <button type="button" onClick={() => void findMatch(COLLECTION_START, 1)} disabled={playing} aria-label={t.nextCollection} title={t.nextCollection}>»</button>
        <label title={t.modeHelp}>{t.modePick} <select value={GC_MODE_NAMES.includes(stdin.trim()) ? stdin.trim() : 'linux'} disabled={busy || playing}
          onChange={(e) => { setStdin(e.target.value); void load(); }}>
          {GC_MODE_NAMES.map((n) => <option key={n} value={n}>{n}</option>)}</select></label>
        <label>{t.stepSize} <select value={stepSize} onChange={(e) => setStepSize(Number(e.target.value))}>
          {STEP_SIZES.map((n) => <option key={n} value={n}>{fmt(n)}</option>)}</select></label>
        <label>{t.speed} <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
          {SPEEDS.map((n) => <option key={n} value={n}>{n}</option>)}</select></label>
        {m && <label>{t.shown} <select value={shownMode} onChange={(e) => setShownMode(e.target.value as 'used' | 'all')}>
          <option value="used">{t.shownUsed}</option><option value="all">{t.shownAll(m.pages)}</option></select></label>}
        <span ref={atRef} className="heap-at" data-testid="heap-at">{t.at(playing ? live.current.seq : Math.max(0, cursor))}</span>
      </div>
      {playing && <p className="hint">{t.playing}</p>}
      {!m ? <p className="muted" data-testid="heap-none">{t.none}</p> : (
        <>
          <p data-testid="heap-summary">{t.summary(m.mode, m.top, m.pages, m.table)}</p>
          <p ref={countersRef} className="heap-counters">{t.counters(m.counters)}</p>
        </>
      )}
      <div ref={wrap} className="heap-grid" data-testid="heap-grid" data-seq={m?.seq ?? ''} data-steps={0}>
        <canvas ref={canvas} tabIndex={m ? 0 : -1} role="img" onKeyDown={onKey}
          aria-label={m && counts ? `${t.grid(shown, m.pages)} ${t.counts(counts)}` : t.none}
          onClick={(e) => {
            const g = live.current.grid, r = e.currentTarget.getBoundingClientRect();
            if (!g) return;
            const p = pageAt(g, (e.clientX - r.left) * (g.width / r.width), (e.clientY - r.top) * (g.height / r.height));
            if (p !== null) setSelected(p);
          }} />
      </div>
      {m && selected !== null && selected < m.pages && (
        <p className="heap-page" aria-live="polite" data-testid="heap-page">
          {t.page(selected, m.base + selected * 4096, kindLabel(cellKind(m.state[selected], m.mode)))}
          {selOverlay && selOverlay !== 'none' ? t.ago(overlayLabel(selOverlay), m.age[selected]) : ''}
        </p>
      )}
      {m && <p className="hint">{m.scanAt >= 0 ? t.scanAt(m.scanAt) : t.noScan} {t.window(m.window)}</p>}
      <figure className="heap-legend">
        <figcaption>{t.legendTitle}</figcaption>
        <ul>
          {KINDS.map((k) => <li key={k}><Swatch kind={k} overlay="none" /> {kindLabel(k)}{counts ? ` (${fmt(counts[k])})` : ''}</li>)}
          {LEGEND_OVERLAYS.map((ov) => <li key={ov}><Swatch kind="clean" overlay={ov} /> {overlayLabel(ov)}{counts ? ` (${fmt(counts[ov])})` : ''}</li>)}
        </ul>
      </figure>
      <p className="hint">{t.reconstruction}</p>
      <Lanes engine={engine} source={source} file={file} files={files} collection={m?.counters.collections ?? 0} onTop={(v) => setMaxTop((x) => Math.max(x, v))} />
    </section>
  );
}
