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
  const [text, setText] = useState('');
  const last = useRef(-Infinity);
  useEffect(() => {
    const say = () => { last.current = Date.now(); setText(announce(event)); };
    const wait = playing ? THROTTLE_MS - (Date.now() - last.current) : 0;
    if (wait <= 0) { say(); return; }
    const t = setTimeout(say, wait);
    return () => clearTimeout(t);
  }, [event, playing]);
  return <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="step-announcer">{text}</div>;
}
