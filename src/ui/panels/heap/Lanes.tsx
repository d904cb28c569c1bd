// The four collector modes side by side on the same allocation trace (engine/player/gclanes.ts):
// the program runs once per mode in the worker; each lane shows its heap at the start of the
// collection the run at the cursor is in (or past), and its counts up to there and in all.

import { useEffect, useRef, useState } from 'react';
import type { EngineClient, GcLane } from '../../engineClient.ts';
import { messages, fmt } from '../../messages/index.ts';
import { gridLayout, paintHeap } from './draw.ts';

const t = messages.heap.lanes;
const ROWS = ['pageFaults', 'writeFaults', 'mprotect', 'flushes', 'invlpg', 'walkRefs', 'cycles'] as const;
const n = (v: number) => fmt(v);

function LaneGrid({ state, mode, shown, label }: { state: Uint8Array; mode: string; shown: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const g = gridLayout(shown, 150, 150);
    c.width = g.width; c.height = g.height;
    const ctx = c.getContext?.('2d');
    if (!ctx) return;
    const img = ctx.createImageData(g.width, g.height);
    paintHeap(img, g, { state, act: new Uint8Array(state.length), mode });
    ctx.putImageData(img, 0, 0);
  }, [state, mode, shown]);
  return <canvas ref={ref} className="lane-grid" role="img" aria-label={label} />;
}

export function Lanes({ engine, source, file, files, collection, onTop }: {
  engine: EngineClient; source: string; file: string; files: Record<string, string>; collection: number; onTop(top: number): void }) {
  const [lanes, setLanes] = useState<GcLane[] | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { setLanes(null); }, [source]);
  const run = async () => {
    setBusy(true);
    try {
      const r = await engine.gcLanes(source, file, files);
      setLanes(r);
      onTop(Math.max(...r.map((l) => l.maxTop)));
    } finally { setBusy(false); }
  };
  const top = lanes ? Math.max(...lanes.map((l) => l.maxTop)) : 0;
  const shown = Math.max(256, Math.ceil(top / 64) * 64);
  return (
    <section className="heap-lanes" aria-label={t.title}>
      <h3>{t.title}</h3>
      <p className="hint">{t.help}</p>
      <button type="button" onClick={() => void run()} disabled={busy}>{busy ? t.running : t.run}</button>
      {lanes && (
        <>
          <p>{collection > 0 ? t.atCollection(collection) : t.before}</p>
          <div className="lanes-row" data-testid="gc-lanes">
            {lanes.map((l) => {
              const snap = l.snaps.filter((s) => s.collection <= collection).at(-1) ?? null;
              return (
                <div key={l.mode} className="lane" data-mode={l.mode}>
                  <h4>{l.mode}</h4>
                  {!l.ok && <p className="error">{t.failed(l.mode, l.error ?? '')}</p>}
                  {snap ? <LaneGrid state={snap.state} mode={l.mode} shown={shown} label={t.gridLabel(l.mode, snap.collection)} /> : <div className="lane-grid-empty" />}
                  <table>
                    <thead><tr><th scope="col" /><th scope="col">{snap ? `#${snap.collection}` : '—'}</th><th scope="col">{t.total}</th></tr></thead>
                    <tbody>
                      {ROWS.map((k) => <tr key={k}><th scope="row">{t.rows[k]}</th><td>{snap ? n(snap.counters[k]) : '—'}</td><td>{n(l.totals[k])}</td></tr>)}
                    </tbody>
                  </table>
                  <p className="hint">{t.measured(l.measured)}</p>
                </div>
              );
            })}
          </div>
        </>
      )}
    </section>
  );
}
