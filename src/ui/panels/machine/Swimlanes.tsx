// The VM-exit swimlanes (swimlanes.ts): lanes by privilege region, cycles along x, each stay a bar
// from the transition that began it; click a bar to move the cursor to that transition.

import { useMemo } from 'react';
import { useSlice } from '../../state/context.tsx';
import { laneSegments, LANES } from './swimlanes.ts';
import { messages } from '../../messages/index.ts';
import './machine.css';
import { useLocale } from '../../messages/useLocale.ts';

const t = messages.machine;
// LEFT leaves room for the longest lane name ("kernel + Dune module" at 15 px is ~160 units).
const W = 640, LANE_H = 34, LEFT = 185, TOP = 8;

export function Swimlanes() {
  // The transitions around the cursor come with it from the worker (worker/cursor.ts: kept there
  // across moves, replayed only where the span moved).
  const { loaded, cursor, seek, cycles, marks } = useSlice((s) => ({ loaded: s.loaded, cursor: s.cursor, seek: s.seek, cycles: s.output?.cycles ?? 0, marks: s.lanes }));
  const locale = useLocale();
  const segs = useMemo(() => (loaded ? laneSegments(marks, cursor, cycles) : []), [loaded, marks, cursor, cycles, locale]);
  if (!loaded) return null;
  if (segs.length === 0) return <section className="panel" aria-label={t.laneTitle}><h2>{t.laneTitle}</h2><p className="hint">{t.laneEmpty}</p></section>;
  const x0 = segs[0].from, x1 = Math.max(segs.at(-1)!.to, x0 + 1);
  // Time is drawn on a square-root scale: a 100-cycle entry and a 30,000-cycle kernel stay both show.
  const x = (c: number) => LEFT + (W - LEFT - 8) * Math.sqrt((c - x0) / (x1 - x0));
  const h = TOP + LANES.length * LANE_H + 6;
  return (
    <section className="panel swimlanes" aria-label={t.laneTitle}>
      <h2>{t.laneTitle}</h2>
      <p className="hint">{t.laneHelp}</p>
      <svg className="lanes-svg" viewBox={`0 0 ${W} ${h}`} role="group" aria-label={t.laneTitle}>
        {LANES.map((lane, i) => (
          <g key={lane}>
            <line className="lane-rule" x1={LEFT} x2={W - 4} y1={TOP + i * LANE_H + LANE_H / 2} y2={TOP + i * LANE_H + LANE_H / 2} />
            <text className="lane-name" x={LEFT - 8} y={TOP + i * LANE_H + LANE_H / 2 + 5}>{t.lanes[lane]}</text>
          </g>
        ))}
        {segs.map((s) => {
          const i = LANES.indexOf(s.lane), y = TOP + i * LANE_H + 7, on = s.seq <= cursor && (segs[segs.indexOf(s) + 1]?.seq ?? Infinity) > cursor;
          return (
            <rect key={s.seq} className={'lane-bar' + (on ? ' current' : '')} x={x(s.from)} y={y} width={Math.max(3, x(s.to) - x(s.from))} height={LANE_H - 14}
              role="button" tabIndex={0} aria-label={t.laneBar(s.label, s.cost, s.seq)} aria-current={on || undefined}
              onClick={() => void seek(s.seq)} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); e.stopPropagation(); void seek(s.seq); } }}>
              <title>{t.laneBar(s.label, s.cost, s.seq)}</title>
            </rect>
          );
        })}
      </svg>
    </section>
  );
}
