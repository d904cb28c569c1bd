// The toolbar: the ACTIONS in groups (stepping, jumping, lesson, view), each back/next pair shown
// as words with their keys between two arrow buttons whose accessible names are the full labels.

import { useId, useState, type ReactNode } from 'react';
import { useSlice, useStoreApi } from '../state/context.tsx';
import { ACTIONS, type Action } from '../state/actions.ts';
import { messages } from '../messages/index.ts';
import { fmt } from '../messages/locale.ts';
import type { Store } from '../state/store.ts';
import { JumpBar } from './JumpBar.tsx';
import { activeKeys, useSingleKeys } from '../a11y/shortcuts.ts';

const byId = new Map(ACTIONS.map((a) => [a.id, a]));
type Pair = keyof typeof messages.pairs;

/** A toolbar button. Its accessible name comes from its content (WCAG 2.5.3 Label in Name): the
 *  visible part (a symbol, or the word and its key) and, after it, the action's full label for
 *  screen readers; the title shows the label on hover. Keys that are turned off (2.1.4) are not
 *  announced as shortcuts. */
function Btn({ a, s, visible, symbol, className }: { a: Action; s: Store; visible: ReactNode; /** The visible part is a symbol (◀ ▶): hidden from screen readers, the label says it. */ symbol?: boolean; className?: string }) {
  const singleKeys = useSingleKeys();
  const keys = activeKeys(a.keys, singleKeys);
  return (
    <button type="button" className={className} title={a.label} disabled={a.enabled ? !a.enabled(s) : false}
      aria-pressed={a.id === 'play' ? s.playing : a.id === 'present' ? s.mode === 'present' : undefined}
      aria-keyshortcuts={keys.length ? keys.join(' ') : undefined} onClick={() => void a.perform(s)}>
      {symbol ? <span aria-hidden="true">{visible}</span> : visible}
      <span className="visually-hidden">{symbol ? a.label : `: ${a.label}`}</span>
    </button>
  );
}

/** The key hint beside a word, unless every key it names is a single key that is turned off. */
function Keys({ text, actions }: { text: string; actions: Action[] }) {
  const singleKeys = useSingleKeys();
  return actions.some((a) => activeKeys(a.keys, singleKeys).length > 0) ? <kbd>{text}</kbd> : null;
}

export function PairButtons({ pair, back, next, s }: { pair: Pair; back: string; next: string; s: Store }) {
  const w = messages.pairs[pair];
  const b = byId.get(back)!, n = byId.get(next)!;
  return (
    <span className="pair" role="group" aria-label={w.word}>
      <Btn a={b} s={s} symbol visible="◀" />
      <span className="pair-word">{w.word} <Keys text={w.keys} actions={[b, n]} /></span>
      <Btn a={n} s={s} symbol visible="▶" />
    </span>
  );
}

export function Single({ id, s }: { id: string; s: Store }) {
  const w = messages.singles[id];
  const a = byId.get(id)!;
  return <Btn a={a} s={s} className="single" visible={<>{w.word} <Keys text={w.keys} actions={[a]} /></>} />;
}

/** The toolbar's view of the store: enough to enable buttons; actions read the latest state. */
const selectBar = (s: Store) => ({ loaded: s.loaded, lesson: s.lesson, playing: s.playing, mode: s.mode, busy: s.busy,
  cursor: s.cursor, speed: s.speed, theme: s.theme, fontScale: s.fontScale });

export function Toolbar({ extra, compact }: { extra?: ReactNode; /** Embeds: event and VM-exit stepping only. */ compact?: boolean }) {
  useSlice(selectBar);
  const s = useStoreApi().getState();
  // On a window short for its text size (html[data-short], App.tsx and app.css) the jump group
  // folds behind "More controls", so that no row of the toolbar is ever cut off.
  const [more, setMore] = useState(false);
  const jumpId = useId();
  const g = messages.toolbarGroups;
  const total = s.loaded?.total ?? 0;
  const cursor = (
    <span className="cursor" aria-live="polite" title={messages.eventNumbering}>
      {messages.cursorLabel} <strong data-testid="cursor" data-seq={s.cursor}>{s.cursor < 0 ? messages.cursorStart : `#${fmt(s.cursor)}`}</strong>
      {' '}{messages.ofEvents} <span data-testid="cursor-total" data-total={total}>{fmt(total)}</span>
    </span>
  );
  if (compact) {
    return (
      <div className="toolbar stepping" role="toolbar" aria-label={g.step}>
        <PairButtons pair="event" back="back-event" next="next-event" s={s} />
        <PairButtons pair="vmexit" back="back-vmexit" next="next-vmexit" s={s} />
        {cursor}
      {s.loaded && <RunNote loaded={s.loaded} />}
      </div>
    );
  }
  return (
    <div className={'toolbar stepping' + (more ? ' more-open' : '')} role="toolbar" aria-label={g.step}>
      <div className="group" role="group" aria-label={g.step}>
        <Single id="reset" s={s} />
        <PairButtons pair="event" back="back-event" next="next-event" s={s} />
        <PairButtons pair="instr" back="back-instr" next="next-instr" s={s} />
        <Single id="play" s={s} />
        <label className="speed" title={messages.speedLabel}>{messages.speedShort}{' '}
          <select aria-label={messages.speedLabel} value={s.speed} onChange={(e) => s.setSpeed(Number(e.target.value))}>
            {[1, 5, 20, 60].map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <Single id="end" s={s} />
        <button type="button" className="toolbar-more secondary" aria-expanded={more} aria-controls={jumpId} onClick={() => setMore(!more)}>
          {more ? messages.toolbarLess : messages.toolbarMore}
        </button>
      </div>
      <div className="group jump" role="group" aria-label={g.jump} id={jumpId}>
        <PairButtons pair="vmexit" back="back-vmexit" next="next-vmexit" s={s} />
        <PairButtons pair="syscall" back="back-syscall" next="next-syscall" s={s} />
        <PairButtons pair="fault" back="back-fault" next="next-fault" s={s} />
        <PairButtons pair="ring" back="back-ring" next="next-ring" s={s} />
        <Single id="program" s={s} />
        <Single id="continue" s={s} />
        <JumpBar />
        {extra}
      </div>
      {s.lesson && (
        <div className="group" role="group" aria-label={g.lesson}>
          <PairButtons pair="lesson" back="lesson-prev" next="lesson-next" s={s} />
        </div>
      )}
      {cursor}
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
