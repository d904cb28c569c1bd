// The stepping toolbar: one button per action (ACTIONS), with its label as accessible name.

import type { Store } from '../state/store.ts';
import { ACTIONS } from '../state/actions.ts';
import { messages } from '../messages/index.ts';

const SHORT = messages.actionsShort as Record<string, string>;

export function Toolbar({ s }: { s: Store }) {
  const total = s.loaded?.total ?? 0;
  return (
    <div className="toolbar stepping" role="toolbar" aria-label="Stepping">
      {ACTIONS.filter((a) => a.id !== 'load').map((a) => (
        <button key={a.id} type="button" aria-label={a.label} title={a.label} disabled={a.enabled ? !a.enabled(s) : false}
          aria-pressed={a.id === 'play' ? s.playing : undefined} onClick={() => void a.perform(s)}>{SHORT[a.id] ?? a.id}</button>
      ))}
      <label className="speed">{messages.speedLabel}{' '}
        <select value={s.speed} onChange={(e) => s.setSpeed(Number(e.target.value))}>
          {[1, 5, 20, 60].map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      <span className="cursor" aria-live="polite">
        {messages.cursorLabel} <strong data-testid="cursor">{s.cursor + 1}</strong> {messages.ofEvents} {total}
      </span>
      {s.loaded && <RunNote loaded={s.loaded} />}
    </div>
  );
}

/** What the recording could not keep: the budget or a stop ended it, or the landmark index is
 *  coarse (the player keeps working, more slowly). */
function RunNote({ loaded }: { loaded: NonNullable<Store['loaded']> }) {
  const coarse = Object.keys(loaded.landmarks.coarse);
  const notes = [
    loaded.stopped === 'budget' ? messages.unfinished : loaded.stopped === 'cancelled' ? messages.stoppedByUser(loaded.instructions) : null,
    coarse.length ? messages.coarseLandmarks(coarse.join(', ')) : null,
  ].filter((n): n is string => n !== null);
  return notes.length ? <span className="run-note" role="status">{notes.join(' ')}</span> : null;
}
