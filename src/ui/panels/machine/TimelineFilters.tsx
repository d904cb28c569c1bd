// The timeline's filter toggles: one checkbox per event type (checked = shown). The caller owns
// the set of hidden types; this only reports the next set.

import { memo } from 'react';
import type { EventType } from '../../../engine/trace/events.ts';
import { messages } from '../../messages/index.ts';
import { EVENT_TYPES } from './eventSummary.ts';

const t = messages.machine;

/** Memoized: the timeline renders at every cursor move, the toggles only when the set changes
 *  (React writes every input's name and type again each time it renders one). */
export const TimelineFilters = memo(function TimelineFilters({ hidden, onChange }: { hidden: Set<EventType>; onChange: (next: Set<EventType>) => void }) {
  const toggle = (type: EventType) => {
    const next = new Set(hidden);
    if (!next.delete(type)) next.add(type);
    onChange(next);
  };
  return (
    <fieldset className="tl-filters">
      <legend>{t.filtersLabel}</legend>
      {EVENT_TYPES.map((type) => (
        <label key={type} className={`tl-filter ev-${type}`}>
          <input type="checkbox" checked={!hidden.has(type)} onChange={() => toggle(type)} aria-label={t.filterToggle(type)} />
          <span aria-hidden="true">{type}</span>
        </label>
      ))}
    </fieldset>
  );
});
