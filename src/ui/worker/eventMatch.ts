// Event patterns (protocol.ts EventMatch) as a predicate: lessons' "go to the first VMCALL exit",
// the toolbar's "next VM exit other than EPT_VIOLATION" and the event search box.
// World: the engine's Web Worker (it filters events the Player replays).

import type { TraceEvent } from '../../engine/trace/events.ts';
import type { EventMatch } from './protocol.ts';

/** Does the text of any field (type, names, addresses, numbers; not walk references) contain q? */
function mentions(e: TraceEvent, q: string): boolean {
  for (const [k, v] of Object.entries(e)) {
    if (k === 'refs' || k === 'seq' || k === 'cycles') continue;
    const s = Array.isArray(v) ? v.join(' ') : typeof v === 'object' && v !== null ? Object.keys(v).join(' ') : String(v);
    if (s.toLowerCase().includes(q)) return true;
  }
  return false;
}

/** A predicate for the pattern: every given field must hold (text: a substring of an instr's
 *  text; notName: the name differs; query: some field mentions it, case-insensitive). */
export function eventPredicate(m: EventMatch): (e: TraceEvent) => boolean {
  const q = m.query?.trim().toLowerCase();
  return (e) => {
    const r = e as unknown as Record<string, unknown>;
    return (m.type === undefined || e.type === m.type) && (m.vmx === undefined || e.vmx === m.vmx) &&
      (m.name === undefined || r.name === m.name) && (m.notName === undefined || r.name !== m.notName) &&
      (m.via === undefined || r.via === m.via) && (m.text === undefined || String(r.text ?? '').includes(m.text)) &&
      (m.refs === undefined || (Array.isArray(r.refs) && r.refs.length === m.refs && r.fault === null)) &&
      (m.maxRefs === undefined || (Array.isArray(r.refs) && r.refs.length <= m.maxRefs && r.fault === null)) &&
      (!q || mentions(e, q));
  };
}
