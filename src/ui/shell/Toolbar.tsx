// The toolbar: the ACTIONS in groups (stepping, jumping, lesson, view), each back/next pair shown
// as words with their keys between two arrow buttons whose accessible names are the full labels.

import type { ReactNode } from 'react';
import { useSlice, useStoreApi } from '../state/context.tsx';
import { ACTIONS, type Action } from '../state/actions.ts';
import { messages } from '../messages/index.ts';
import type { Store } from '../state/store.ts';
import { JumpBar } from './JumpBar.tsx';

const byId = new Map(ACTIONS.map((a) => [a.id, a]));
type Pair = keyof typeof messages.pairs;

function Btn({ a, s, children, className }: { a: Action; s: Store; children: ReactNode; className?: string }) {
  return (
    <button type="button" className={className} aria-label={a.label} title={a.label} disabled={a.enabled ? !a.enabled(s) : false}
      aria-pressed={a.id === 'play' ? s.playing : a.id === 'present' ? s.mode === 'present' : undefined}
      aria-keyshortcuts={a.keys.join(' ')} onClick={() => void a.perform(s)}>{children}</button>
  );
}

export function PairButtons({ pair, back, next, s }: { pair: Pair; back: string; next: string; s: Store }) {
  const w = messages.pairs[pair];
  return (
    <span className="pair" role="group" aria-label={w.word}>
      <Btn a={byId.get(back)!} s={s}>◀</Btn>
      <span className="pair-word">{w.word} <kbd>{w.keys}</kbd></span>
      <Btn a={byId.get(next)!} s={s}>▶</Btn>
    </span>
  );
}

export function Single({ id, s }: { id: string; s: Store }) {
  const w = messages.singles[id];
  return <Btn a={byId.get(id)!} s={s} className="single">{w.word} <kbd>{w.keys}</kbd></Btn>;
}

/** The toolbar's view of the store: enough to enable buttons; actions read the latest state. */
const selectBar = (s: Store) => ({ loaded: s.loaded, lesson: s.lesson, playing: s.playing, mode: s.mode, busy: s.busy,
  cursor: s.cursor, speed: s.speed, theme: s.theme, fontScale: s.fontScale });

export function Toolbar({ extra, compact }: { extra?: ReactNode; /** Embeds: event and VM-exit stepping only. */ compact?: boolean }) {
  useSlice(selectBar);
  const s = useStoreApi().getState();
  const g = messages.toolbarGroups;
  const total = s.loaded?.total ?? 0;
  const cursor = (
    <span className="cursor" aria-live="polite">
      {messages.cursorLabel} <strong data-testid="cursor">{s.cursor + 1}</strong> {messages.ofEvents} {total}
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
    <div className="toolbar stepping" role="toolbar" aria-label={g.step}>
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
      </div>
      <div className="group" role="group" aria-label={g.jump}>
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
