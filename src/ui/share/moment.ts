// A moment: the program, its knobs, the lesson step if any and the point in time, as the share
// link carries it (link.ts). Taking one from the store, and putting the store back at one.

import type { UseStore } from '../state/store.ts';
import type { SharedProgram } from './link.ts';

/** The moment the views show now (the recorded run, not unsaved edits in the editor). */
export function momentOf(useStore: UseStore): SharedProgram {
  const s = useStore.getState();
  const m: SharedProgram = { source: s.loaded ? s.loadedSource : s.source };
  if (s.loaded && s.cursor >= 0) m.seq = s.cursor;
  const knobs = s.loaded ? s.loadedKnobs : s.knobs;
  if (Object.keys(knobs).length) m.knobs = { ...knobs };
  if (s.lesson) m.lesson = { id: s.lesson.id, step: s.lesson.step + 1 };
  return m;
}

/** Wait until the store has been idle (loaded, not busy, cursor unchanged) for `quietMs`. */
function settled(useStore: UseStore, quietMs = 300, maxMs = 30_000): Promise<void> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    let last = -2, since = Date.now();
    const tick = () => {
      const s = useStore.getState();
      if (s.busy || !s.loaded || s.cursor !== last) { last = s.cursor; since = Date.now(); }
      if ((Date.now() - since >= quietMs && !s.busy && s.loaded) || Date.now() - t0 > maxMs) resolve();
      else setTimeout(tick, 50);
    };
    tick();
  });
}

/** Run the moment's program with its knobs (or play its lesson step), then move to its event. */
export async function openMoment(useStore: UseStore, m: SharedProgram): Promise<void> {
  const st = useStore.getState();
  if (m.lesson) {
    // The lesson player runs the step's program and moves to its event; the moment's own
    // program and cursor then take over.
    st.setLesson({ id: m.lesson.id, step: m.lesson.step - 1 });
    await settled(useStore);
  }
  await useStore.getState().loadProgram(m.source, m.knobs ?? {});
  if (m.seq !== undefined) await useStore.getState().seek(m.seq);
}
