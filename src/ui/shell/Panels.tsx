// The machine panels at the cursor, laid out in a grid. Each panel owns its own region.

import type { Store } from '../state/store.ts';
import { EventDetail } from './EventDetail.tsx';
import { messages } from '../messages/index.ts';

export function Panels({ s }: { s: Store }) {
  const v = s.view;
  return (
    <div className="panels">
      <section className="panel" aria-label={messages.panels.privilege}>
        <h2>{messages.panels.privilege}</h2>
        <p data-testid="mode">{v ? `VMX ${v.vmx}, ring ${v.cpl}` : ''}</p>
        <EventDetail event={s.event} />
      </section>
    </div>
  );
}
