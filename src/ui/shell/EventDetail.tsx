// The event at the cursor, field by field.

import type { TraceEvent } from '../engineClient.ts';

export function EventDetail({ event }: { event: TraceEvent | null }) {
  if (!event) return <p className="muted">—</p>;
  const { seq, type, cycles, vmx, cpl, ...rest } = event as TraceEvent & Record<string, unknown>;
  return (
    <div className="event-detail" data-testid="event">
      <p><strong>{type}</strong> <span className="muted">#{seq} · {cycles} cycles · VMX {vmx} · ring {cpl}</span></p>
      <dl>
        {Object.entries(rest).filter(([k]) => k !== 'refs').map(([k, v]) => (
          <div key={k}><dt>{k}</dt><dd data-field={k}>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd></div>
        ))}
      </dl>
    </div>
  );
}
