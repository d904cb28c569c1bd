// The UI's state, in zustand slices: session (the program and its recorded run), player (the
// cursor and what the machine looks like there), breakpoints, layout, preferences. The engine is
// reached only through the EngineClient passed to createStore.

import { create, type StateCreator } from 'zustand';
import type { EngineClient, MachineView, PlayerLoad, StepKind, TraceEvent, RunResult, EventMatch } from '../engineClient.ts';

export interface SessionSlice {
  source: string;
  file: string;
  knobs: Record<string, string>;
  loaded: Extract<PlayerLoad, { ok: true }> | null;
  diagnostics: string | null;
  busy: boolean;
  output: RunResult | null;
  setSource(s: string): void;
  setKnob(k: string, v: string): void;
  load(): Promise<void>;
  /** Replace the program (and knobs) and run it: lessons and samples. */
  loadProgram(source: string, knobs?: Record<string, string>): Promise<void>;
}
export interface PlayerSlice {
  cursor: number;
  view: MachineView | null;
  previous: MachineView | null;
  event: TraceEvent | null;
  /** The last VM exit at or before the cursor, for the VMCS panel's decoding. */
  lastExit: TraceEvent | null;
  seek(seq: number): Promise<void>;
  step(dir: 1 | -1, kind: StepKind): Promise<void>;
  /** Move to the first event matching a pattern after the cursor (or after the start). */
  goTo(match: EventMatch, fromStart?: boolean): Promise<boolean>;
  events(from: number, to: number): Promise<TraceEvent[]>;
}
export interface LessonSlice {
  lesson: { id: string; step: number } | null;
  setLesson(l: { id: string; step: number } | null): void;
}
export interface BreakpointSlice { breakpoints: Set<number>; toggleBreakpoint(line: number): void }
export interface PrefsSlice {
  theme: 'light' | 'dark';
  fontScale: number;
  setTheme(t: 'light' | 'dark'): void;
  setFontScale(f: number): void;
}
export type Store = SessionSlice & PlayerSlice & BreakpointSlice & PrefsSlice & LessonSlice;

const session = (engine: EngineClient, initial: string): StateCreator<Store, [], [], SessionSlice> => (set, get) => ({
  source: initial, file: 'program.s', knobs: {}, loaded: null, diagnostics: null, busy: false, output: null,
  setSource: (source) => set({ source }),
  setKnob: (k, v) => set({ knobs: { ...get().knobs, [k]: v } }),
  async loadProgram(source, knobs = {}) {
    set({ source, knobs });
    await get().load();
  },
  async load() {
    set({ busy: true, diagnostics: null });
    try {
      const r = await engine.load({ source: get().source, file: get().file, knobs: get().knobs });
      if (!r.ok) { set({ busy: false, loaded: null, diagnostics: r.diagnostics, view: null, event: null }); return; }
      set({ loaded: r, busy: false, cursor: -1, previous: null, lastExit: null });
      const at = await engine.seek(-1);
      const end = await engine.seek(r.total - 1);
      set({ output: { ok: end.view.status?.how === 'exit', stdout: end.view.stdout, stderr: end.view.stderr,
        exitCode: end.view.status?.code ?? 124, diagnostics: '', instructions: end.view.instret, cycles: end.view.cycles, vmexits: {} } });
      const start = await engine.seek(at.event ? at.event.seq : -1);
      set({ view: start.view, event: start.event, cursor: start.event?.seq ?? -1 });
    } catch (e) {
      set({ busy: false, diagnostics: e instanceof Error ? e.message : String(e) });
    }
  },
});

const player = (engine: EngineClient): StateCreator<Store, [], [], PlayerSlice> => (set, get) => ({
  cursor: -1, view: null, previous: null, event: null, lastExit: null,
  async seek(seq) {
    const { loaded, view } = get();
    if (!loaded) return;
    seq = Math.max(-1, Math.min(seq, loaded.total - 1));
    const r = await engine.seek(seq);
    const lm = loaded.landmarks.filter((l) => l.type === 'vmexit' && l.seq <= seq).at(-1);
    const lastExit = lm ? (lm.seq === seq ? r.event : (await engine.events(lm.seq, lm.seq + 1))[0] ?? null) : null;
    set({ cursor: seq, previous: view, view: r.view, event: r.event, lastExit });
  },
  async step(dir, kind) {
    const { loaded } = get();
    if (!loaded) return;
    const target = await engine.find(dir, kind, [...get().breakpoints]);
    if (target !== null) await get().seek(target);
  },
  events: (from, to) => engine.events(from, to),
  async goTo(match, fromStart = false) {
    if (!get().loaded) return false;
    const seq = await engine.match(fromStart ? 0 : get().cursor + 1, match);
    if (seq === null) return false;
    await get().seek(seq);
    return true;
  },
});

export function createStore(engine: EngineClient, initialSource: string) {
  return create<Store>()((...a) => ({
    ...session(engine, initialSource)(...a),
    ...player(engine)(...a),
    breakpoints: new Set<number>(),
    toggleBreakpoint: (line) => a[0]((s) => {
      const b = new Set(s.breakpoints);
      if (b.has(line)) b.delete(line); else b.add(line);
      return { breakpoints: b };
    }),
    lesson: null,
    setLesson: (lesson) => a[0]({ lesson }),
    theme: 'light', fontScale: 1,
    setTheme: (theme) => a[0]({ theme }),
    setFontScale: (fontScale) => a[0]({ fontScale: Math.min(2, Math.max(0.75, fontScale)) }),
  }));
}
export type UseStore = ReturnType<typeof createStore>;
