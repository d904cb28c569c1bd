// The views, laid out by a preset (layouts.ts): columns of registered panels (panels/registry.tsx).
// This file only places them; each panel reads its own slice of the store.

import { useState, type PointerEvent as ReactPointerEvent } from 'react';
import { PANELS } from '../panels/registry.tsx';
import { columnsOf, type Layout } from './layouts.ts';
import { messages } from '../messages/index.ts';

/** Column widths (fractions) for one layout, remembered across reloads. */
function useColumns(key: string, initial: number[]): [number[], (i: number, dx: number, total: number) => void] {
  const [cols, setCols] = useState<number[]>(() => {
    try { const v = JSON.parse(globalThis.localStorage?.getItem(key) ?? ''); if (Array.isArray(v) && v.length === initial.length) return v; } catch { /* default */ }
    return initial;
  });
  const move = (i: number, dx: number, total: number) => setCols((c) => {
    const sum = c.reduce((a, b) => a + b, 0), d = (dx / total) * sum;
    const n = c.slice();
    n[i] = Math.max(0.4, c[i] + d); n[i + 1] = Math.max(0.4, c[i + 1] - d);
    try { globalThis.localStorage?.setItem(key, JSON.stringify(n)); } catch { /* not remembered */ }
    return n;
  });
  return [cols, move];
}

/** Where divider i sits, in percent of the row (a focusable separator's aria-valuenow). */
const splitAt = (cols: number[], i: number) => Math.round((100 * cols.slice(0, i + 1).reduce((a, b) => a + b, 0)) / cols.reduce((a, b) => a + b, 0));

/** A draggable (and keyboard-operable) divider between two columns. */
function Divider({ i, onMove, at }: { i: number; onMove: (i: number, dx: number, total: number) => void; at: number }) {
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    const total = (e.currentTarget.parentElement?.clientWidth ?? 1000);
    let x = e.clientX;
    const mv = (ev: PointerEvent) => { onMove(i, ev.clientX - x, total); x = ev.clientX; };
    const up = () => { window.removeEventListener('pointermove', mv); window.removeEventListener('pointerup', up); };
    window.addEventListener('pointermove', mv); window.addEventListener('pointerup', up);
  };
  return <div className="divider" role="separator" aria-orientation="vertical" aria-label={messages.resize} tabIndex={0} onPointerDown={onPointerDown}
    aria-valuemin={0} aria-valuemax={100} aria-valuenow={at}
    onKeyDown={(e) => { if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') { e.preventDefault(); e.stopPropagation(); onMove(i, e.key === 'ArrowLeft' ? -24 : 24, e.currentTarget.parentElement?.clientWidth ?? 1000); } }} />;
}

export interface PanelsProps {
  layout: Layout;
  /** Key under which resized column widths are remembered. */
  name: string;
  /** Keep only these panel ids (a lesson step's `show`, an embed's `panels=`). */
  only?: readonly string[];
  /** The lesson text, docked as the first column when the layout asks for it. */
  dock?: React.ReactNode;
  /** Use the layout's narrow-screen columns. */
  narrow?: boolean;
}

export function Panels({ layout, name, only, dock, narrow }: PanelsProps) {
  const cols = columnsOf(layout, only, narrow);
  const [widths, moveCol] = useColumns(`dune-lab.columns.${name}.${cols.length}`, cols.map((c) => c.width));
  const parts: React.ReactNode[] = [];
  const template: string[] = [];
  if (layout.lessonDock && dock) { parts.push(<div className="column dock" key="dock">{dock}</div>); template.push('minmax(12rem, 0.75fr)'); }
  cols.forEach((c, i) => {
    if (i > 0) { parts.push(<Divider key={`d${i}`} i={i - 1} onMove={moveCol} at={splitAt(widths, i - 1)} />); template.push('6px'); }
    parts.push(
      <div className="column" key={c.panels.join(',')} data-panels={c.panels.join(' ')}>
        {c.panels.map((id) => { const P = PANELS[id].Component; return <div className="slot" data-panel={id} key={id}><P /></div>; })}
      </div>,
    );
    template.push(`minmax(0, ${widths[i] ?? c.width}fr)`);
  });
  return <div className={'panels' + (layout.fit ? ' fit' : '')} style={{ gridTemplateColumns: template.join(' ') }}>{parts}</div>;
}
