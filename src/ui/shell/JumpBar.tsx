// Moving by meaning: the next/previous event of a chosen kind (state/patterns.ts) and a search box
// over the run's events (type, name, address), both answered by the worker's event matcher.

import { useState } from 'react';
import { useStoreApi } from '../state/context.tsx';
import { PATTERNS, type PatternId } from '../state/patterns.ts';
import type { EventSearch } from '../engineClient.ts';
import { messages } from '../messages/index.ts';

export function JumpBar() {
  const useStore = useStoreApi();
  const [pattern, setPattern] = useState<PatternId>('exit-not-ept');
  const [query, setQuery] = useState('');
  const [miss, setMiss] = useState(false);
  const [busy, setBusy] = useState(false);
  const go = async (match: EventSearch, dir: 1 | -1) => {
    setBusy(true);
    try { setMiss(!(await useStore.getState().findMatch(match, dir))); } finally { setBusy(false); }
  };
  const p = PATTERNS.find((x) => x.id === pattern)!;
  const label = messages.patterns[pattern];
  const search = (dir: 1 | -1) => { if (query.trim()) void go({ query: query.trim() }, dir); };
  return (
    <span className="jump-bar">
      <span className="pair" role="group" aria-label={messages.patternsLabel}>
        <button type="button" aria-label={messages.patternPrev(label)} title={messages.patternPrev(label)} disabled={busy} onClick={() => void go(p.match, -1)}>◀</button>
        <select aria-label={messages.patternsLabel} value={pattern} onChange={(e) => setPattern(e.target.value as PatternId)}>
          {PATTERNS.map((x) => <option key={x.id} value={x.id}>{messages.patterns[x.id]}</option>)}
        </select>
        <button type="button" aria-label={messages.patternNext(label)} title={messages.patternNext(label)} disabled={busy} onClick={() => void go(p.match, 1)}>▶</button>
      </span>
      <span className="pair search" role="search">
        <input type="search" aria-label={messages.searchLabel} placeholder={messages.searchLabel} value={query}
          onChange={(e) => { setQuery(e.target.value); setMiss(false); }}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); search(e.shiftKey ? -1 : 1); } }} />
        <button type="button" aria-label={messages.searchPrev} title={messages.searchPrev} disabled={busy} onClick={() => search(-1)}>◀</button>
        <button type="button" aria-label={messages.searchNext} title={messages.searchNext} disabled={busy} onClick={() => search(1)}>▶</button>
      </span>
      {miss && <span className="muted" role="status">{messages.noMatch}</span>}
    </span>
  );
}
