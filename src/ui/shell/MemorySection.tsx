// The memory panel, fetched from the engine only while it is open (page-table trees cost a
// replay to the cursor in the worker): refreshed at every cursor move, with the previous view
// kept so that A and D bits newly set light up.

import { useEffect, useState } from 'react';
import type { EngineClient } from '../engineClient.ts';
import { MemoryPanel } from '../panels/memory/index.ts';
import { messages } from '../messages/index.ts';
import { useEngine, useSlice } from '../state/context.tsx';

type MemoryView = Awaited<ReturnType<EngineClient['memory']>>;

export function MemorySection() {
  const engine = useEngine();
  const { cursor } = useSlice((s) => ({ cursor: s.cursor }));
  const [open, setOpen] = useState(false);
  const [views, setViews] = useState<{ now: MemoryView | null; previous: MemoryView | null }>({ now: null, previous: null });
  useEffect(() => {
    if (!open) return;
    let live = true;
    void engine.memory().then((m) => { if (live) setViews((v) => ({ now: m, previous: v.now })); });
    return () => { live = false; };
  }, [open, cursor, engine]);
  return (
    <details className="panel memory-section" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary><h2>{messages.panels.memory}</h2></summary>
      {open && <MemoryPanel memory={views.now} previous={views.previous} />}
    </details>
  );
}
