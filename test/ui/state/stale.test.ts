// The views never contradict the cursor: a cursor answer that arrives after a later move was
// asked for (a key repeat, a click while a step is on its way, a load) is dropped, in whatever
// order the answers come; what lands is the latest move, whole (cursor, view and event agree).

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createStore } from '../../../src/ui/state/store.ts';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import type { CursorResult, EngineClient } from '../../../src/ui/engineClient.ts';

/** The in-thread engine with its cursor answers held until released, in any order. */
function heldEngine() {
  const real = inThreadEngine();
  const held: { seq: number | undefined; release: () => Promise<void> }[] = [];
  let holding = false;
  const engine: EngineClient = {
    ...real,
    cursor: (to, from) => {
      if (!holding) return real.cursor(to, from);
      return new Promise<CursorResult | null>((resolve) => {
        held.push({ seq: 'seq' in to ? to.seq : undefined, release: () => real.cursor(to, from).then(resolve) });
      });
    },
  };
  return { engine, held, hold: (on: boolean) => { holding = on; } };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

/** Every field a cursor answer sets tells the same cursor. */
function agrees(st: ReturnType<ReturnType<typeof createStore>['getState']>) {
  expect(st.event?.seq).toBe(st.cursor);
  expect(st.view!.seq).toBe(st.cursor + 1);
}

describe('stale cursor answers are dropped', () => {
  const source = readFileSync('samples/hello-linux.s', 'utf8');

  it.each([['in order', [0, 1]], ['out of order', [1, 0]]] as const)('two seeks answered %s: the later seek lands, whole', async (_, order) => {
    const { engine, held, hold } = heldEngine();
    const store = createStore(engine, source);
    await store.getState().load();
    const total = store.getState().loaded!.total;
    const [a, b] = [Math.floor(total / 3), Math.floor((2 * total) / 3)];
    hold(true);
    const moves = [store.getState().seek(a), store.getState().seek(b)];
    await settle();
    expect(held.map((h) => h.seq)).toEqual([a, b]);
    // Each answer, as it lands, may only show the latest move asked for.
    const shown: number[] = [];
    const off = store.subscribe((s) => shown.push(s.cursor));
    for (const i of order) { await held[i].release(); await settle(); }
    await Promise.all(moves);
    off();
    expect(store.getState().cursor).toBe(b);
    expect(shown).not.toContain(a);
    agrees(store.getState());
  });

  it('a step answered after a later seek does not move the cursor back', async () => {
    const { engine, held, hold } = heldEngine();
    const store = createStore(engine, source);
    await store.getState().load();
    const to = Math.floor(store.getState().loaded!.total / 2);
    hold(true);
    const moves = [store.getState().step(1, 'instr'), store.getState().seek(to)];
    await settle();
    await held[1].release(); await settle();
    expect(store.getState().cursor).toBe(to);
    await held[0].release(); await Promise.all(moves);
    expect(store.getState().cursor).toBe(to);
    agrees(store.getState());
  });

  it('a move on its way when a load starts does not land after it', async () => {
    const { engine, held, hold } = heldEngine();
    const store = createStore(engine, source);
    await store.getState().load();
    const far = store.getState().loaded!.total - 1;
    hold(true);
    const move = store.getState().seek(far);
    await settle();
    hold(false);
    const load = store.getState().load();
    await load;
    const start = store.getState().cursor;
    expect(start).not.toBe(far);
    await held[0].release(); await move;
    expect(store.getState().cursor).toBe(start);
    agrees(store.getState());
  });

  // render's block: answers to the page's event cache leave out what an earlier answer carried
  // (worker/cursor.ts RowBlocks.compact); taken out of the order the worker sent them, the later
  // one cannot be made whole: its move is asked again, whole, and lands alone.
  it('compact answers taken out of order: the move is asked again, and what lands is whole', async () => {
    const real = inThreadEngine();
    const answers: { r: CursorResult | null; give: (r: CursorResult | null) => void }[] = [];
    let holding = false, asked = 0;
    const engine: EngineClient = {
      ...real,
      cursor: async (to, from, rows) => {
        asked++;
        const r = await real.cursor(to, from, rows);
        if (!holding) return r;
        return new Promise((give) => answers.push({ r, give }));
      },
    };
    const store = createStore(engine, source);
    await store.getState().load();
    const total = store.getState().loaded!.total;
    const [a, b] = [Math.floor(total / 3), Math.floor((2 * total) / 3)];
    holding = true;
    const moves = [store.getState().seek(a), store.getState().seek(b)];
    while (answers.length < 2) await settle();
    holding = false;
    expect(Object.keys(answers[1].r!.same ?? {}).length).toBeGreaterThan(0);
    const before = asked;
    answers[1].give(answers[1].r); await settle(); await settle();
    answers[0].give(answers[0].r);
    await Promise.all(moves);
    expect(asked).toBe(before + 1);
    const st = store.getState();
    expect(st.cursor).toBe(b);
    agrees(st);
    // The machine there, whole: as a fresh engine's answer without a cache gives it.
    const fresh = inThreadEngine();
    await fresh.load({ source, file: 'program.s', knobs: {}, files: {}, stdin: '' });
    expect(st.view).toEqual((await fresh.cursor({ seq: b }, null))!.view);
  });
});
