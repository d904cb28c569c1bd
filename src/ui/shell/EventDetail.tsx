// The event at the cursor, field by field in plain words (eventFields.ts).

import type { TraceEvent } from '../engineClient.ts';
import { eventRows } from './eventFields.ts';
import { messages } from '../messages/index.ts';

export function EventDetail({ event }: { event: TraceEvent | null }) {
  if (!event) return <p className="muted">—</p>;
  const m = messages.event;
  return (
    <div className="event-detail" data-testid="event">
      <p><strong>{event.type}</strong> <span className="muted">{m.headerRest(m.types[event.type] ?? '', event.seq, event.cycles, event.vmx, event.cpl)}</span></p>
      <dl>
        {eventRows(event).map(([k, label, v]) => (
          <div key={k}><dt>{label}</dt><dd data-field={k}>{v}</dd></div>
        ))}
      </dl>
    </div>
  );
}
