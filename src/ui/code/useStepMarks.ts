// What the program view marks at the cursor: the line of the instruction at RIP, and the lines
// the current step's events name (each instruction it executed, and a fault's, exit's or entry's
// RIP), from the events between the previous cursor and this one.

import { useEffect, useMemo, useRef, useState } from 'react';
import type { EngineClient, TraceEvent } from '../engineClient.ts';
import type { UseStore } from '../state/store.ts';
import type { StepMarks } from './stepping.ts';

/** A step longer than this (a `continue` across a loop) marks only its last events. */
const MAX_STEP_EVENTS = 2000;

/** The source lines a run of events names, given RIP (hex) -> line. */
export function eventLines(events: TraceEvent[], lineOf: ReadonlyMap<string, number>): number[] {
  const out = new Set<number>();
  for (const e of events) {
    const rip = 'rip' in e && typeof e.rip === 'string' ? e.rip : null;
    const l = rip === null ? undefined : lineOf.get(rip);
    if (l !== undefined) out.add(l);
  }
  return [...out].sort((a, b) => a - b);
}

export function useStepMarks(useStore: UseStore, engine: EngineClient): StepMarks {
  const loaded = useStore((s) => s.loaded);
  const cursor = useStore((s) => s.cursor);
  const current = useStore((s) => (s.loaded ? s.view?.line ?? null : null));
  const [events, setEvents] = useState<number[]>([]);
  const lineOf = useRef<Promise<Map<string, number>> | null>(null);
  const before = useRef<number | null>(null);

  useEffect(() => {
    // No map (an engine without the request): no event lines, never an error.
    lineOf.current = loaded ? engine.lines().then((ls) => new Map((Array.isArray(ls) ? ls : []).map(([l, a]) => ['0x' + a.toString(16), l])), () => new Map()) : null;
    before.current = null;
    setEvents([]);
  }, [loaded, engine]);

  useEffect(() => {
    const from = before.current;
    before.current = cursor;
    if (!loaded || from === null || from === cursor || !lineOf.current) { setEvents([]); return; }
    let live = true;
    const lo = Math.max(Math.min(from, cursor) + 1, Math.max(from, cursor) - MAX_STEP_EVENTS + 1, 0), hi = Math.max(from, cursor);
    void Promise.all([lineOf.current, engine.events(lo, hi + 1)]).then(([map, evs]) => {
      if (live) setEvents(eventLines(evs, map));
    }, () => { if (live) setEvents([]); });
    return () => { live = false; };
  }, [cursor, loaded, engine]);

  return useMemo(() => ({ current, events }), [current, events]);
}
