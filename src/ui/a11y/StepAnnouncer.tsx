// A polite live region that says what the step at the cursor was ("VM exit: VMCALL, reason 18,
// from ring 0"), so a screen-reader user hears each step; while playing it speaks at most once
// every THROTTLE_MS, and the event where playing stops is always said.

import { useEffect, useRef, useState } from 'react';
import type { TraceEvent } from '../engineClient.ts';
import { a11y as msg } from '../messages/index.ts';

export const THROTTLE_MS = 1500;

/** The sentence for an event (pure: the tests read it). */
export function announce(e: TraceEvent | null): string {
  if (!e) return msg.start;
  switch (e.type) {
    case 'vmexit': { const from = (e as { fromCpl?: number }).fromCpl; return msg.vmexit(e.name, e.reason, typeof from === 'number' ? from : null); }
    case 'vmentry': return msg.vmentry(e.kind, e.rip);
    case 'syscall': return msg.syscall(e.name, e.via, e.ret);
    case 'exception': return msg.exception(e.name, e.vector);
    case 'instr': return msg.instr(e.text);
    default: {
      const r = e as unknown as Record<string, unknown>;
      return msg.other([e.type, r.name ?? r.fn ?? r.op ?? r.kind ?? ''].join(' ').trim());
    }
  }
}

export function StepAnnouncer({ event, playing }: { event: TraceEvent | null; playing: boolean }) {
  // Stepping: the cursor's event is said in the render that shows it (not set from an effect: that
  // rendered once more per step, and changed the page after the step's paint). Playing: what was
  // last said holds until a timer says the event then at the cursor, at most once per THROTTLE_MS.
  const [played, setPlayed] = useState<string | null>(null);
  const last = useRef(-Infinity);
  const said = useRef('');
  useEffect(() => {
    if (!playing) { last.current = Date.now(); said.current = announce(event); setPlayed(null); return; }
    const say = () => { last.current = Date.now(); setPlayed(announce(event)); };
    const wait = THROTTLE_MS - (Date.now() - last.current);
    if (wait <= 0) { say(); return; }
    const t = setTimeout(say, wait);
    return () => clearTimeout(t);
  }, [event, playing]);
  const text = playing ? played ?? said.current : announce(event);
  return <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="step-announcer">{text}</div>;
}
