// The UI's state, in zustand slices: session (the program and its recorded run), player (the
// cursor and what the machine looks like there), breakpoints, layout, preferences. The engine is
// reached only through the EngineClient passed to createStore.

import { create, type StateCreator } from 'zustand';
import type { EngineClient, MachineView, PlayerLoad, StepKind, TraceEvent, RunResult, EventMatch, EventSearch, WedgeView } from '../engineClient.ts';
import type { CursorView } from '../worker/cursor.ts';
import { shareCursor } from './share.ts';
import { EventBlocks } from './eventBlocks.ts';
import type { AsmError } from '../../engine/asm/ir.ts';
import { asLocale, setLocale as switchCatalog, type Locale } from '../messages/locale.ts';

export interface SessionSlice {
  source: string;
  file: string;
  /** The files the program `.include`s, by path relative to `file` (engine asm collectIncludes). */
  files: Record<string, string>;
  knobs: Record<string, string>;
  /** The program's standard input for the next recording (a GC sample's mode: samples/gc). */
  stdin: string;
  /** The standard input of the recorded run. */
  loadedStdin: string;
  loaded: Extract<PlayerLoad, { ok: true }> | null;
  /** The recorded run's events as the timeline reads them (fetched, or brought by cursor answers). */
  rows: EventBlocks | null;
  /** The source of the recorded run (the views show it, whatever the editor holds now). */
  loadedSource: string;
  /** The knobs of the recorded run. */
  loadedKnobs: Record<string, string>;
  diagnostics: string | null;
  /** The assembler's errors behind `diagnostics`, said in the UI's language when shown. */
  asmErrors: AsmError[] | null;
  busy: boolean;
  output: RunResult | null;
  /** Saves a program into /home and returns its path (set once the terminal's file store is ready). */
  saveToHome: ((source: string) => Promise<string>) | null;
  /** The program panel shows the editor (true) or the recorded source at the cursor (false). */
  editing: boolean;
  setEditing(e: boolean): void;
  setSource(s: string): void;
  /** Set a what-if knob ('' removes it). */
  setKnob(k: string, v: string): void;
  /** Record the program. landAt: where the cursor lands once it is recorded (a lesson step's
   *  event; null or absent: the start), so the views render once, there. */
  load(landAt?: () => Promise<number | null>): Promise<void>;
  /** Stop the recording (or run) in flight: what was recorded so far stays seekable. */
  stop(): void;
  /** Replace the program (and knobs) and run it: lessons and samples. */
  /** Load SOURCE (named FILE in messages and downloads) with the what-if knobs. */
  loadProgram(source: string, knobs?: Record<string, string>, file?: string, files?: Record<string, string>, stdin?: string, landAt?: () => Promise<number | null>): Promise<void>;
  setStdin(s: string): void;
}
export interface PlayerSlice {
  cursor: number;
  view: MachineView | null;
  /** The source line of the last program instruction retired at or before the cursor. */
  line: number | null;
  previous: MachineView | null;
  event: TraceEvent | null;
  /** The last VM exit at or before the cursor, for the VMCS panel's decoding. */
  lastExit: TraceEvent | null;
  /** The last transition (ring change, VM exit/entry, system call, exception) at or before the
   *  cursor, and its cost (cycles until the next transition). */
  transition: TraceEvent | null;
  transitionCost: number | undefined;
  /** Event types the timeline hides. */
  hiddenTypes: Set<string>;
  setHiddenTypes(t: Set<string>): void;
  /** The last page walk at or before the cursor, and how many of its references are lit (a
   *  single walk reference is one step). */
  lastWalk: TraceEvent | null;
  walkStep: number;
  /** Derived in the worker with the cursor (worker/cursor.ts): the swimlanes' transitions around
   *  it, the source lines the last move's events name, the Wedge view (null: no sthreads). */
  lanes: TraceEvent[];
  stepLines: number[];
  wedge: WedgeView | null;
  seek(seq: number): Promise<void>;
  step(dir: 1 | -1, kind: StepKind): Promise<void>;
  /** Move to the first event matching a pattern after the cursor (or after the start). */
  goTo(match: EventMatch, fromStart?: boolean): Promise<boolean>;
  /** Move to the next (dir 1) or previous (dir -1) event matching a pattern; false if none. */
  findMatch(match: EventSearch, dir: 1 | -1): Promise<boolean>;
  events(from: number, to: number): Promise<TraceEvent[]>;
}
export interface LessonSlice {
  lesson: { id: string; step: number } | null;
  setLesson(l: { id: string; step: number } | null): void;
}
export interface PlaySlice {
  playing: boolean;
  /** Steps per second while playing. */
  speed: number;
  play(): void;
  pause(): void;
  setSpeed(n: number): void;
}
export interface BreakpointSlice { breakpoints: Set<number>; toggleBreakpoint(line: number): void }
export interface PrefsSlice {
  theme: 'light' | 'dark';
  fontScale: number;
  setTheme(t: 'light' | 'dark'): void;
  setFontScale(f: number): void;
}
/** Which layout preset the page shows (shell/layouts.ts): set from the URL (#present, #embed). */
export type LayoutMode = 'normal' | 'present' | 'embed';
export interface LayoutSlice { mode: LayoutMode; setMode(m: LayoutMode): void }
/** The UI's language (messages/locale.ts): the link's `lang=`, else the one chosen before, else
 *  the browser's. Every panel re-renders on a switch (App subscribes to it at the root). */
export interface LocaleSlice { locale: Locale; setLocale(l: Locale): void }
export type Store = SessionSlice & PlayerSlice & BreakpointSlice & PrefsSlice & LessonSlice & PlaySlice & LayoutSlice & LocaleSlice;

const session = (engine: EngineClient, initial: string, gate: ReturnType<typeof cursorGate>): StateCreator<Store, [], [], SessionSlice> => (set, get) => ({
  source: initial, file: 'program.s', files: {}, knobs: {}, stdin: '', loadedStdin: '', loaded: null, rows: null, loadedSource: '', loadedKnobs: {}, diagnostics: null, asmErrors: null, busy: false, output: null, editing: true, saveToHome: null,
  setEditing: (editing) => set({ editing }),
  setSource: (source) => set({ source }),
  stop: () => engine.stop(),
  // An empty value removes the knob (the engine's default applies).
  setKnob: (k, v) => { const knobs = { ...get().knobs }; if (v === '') delete knobs[k]; else knobs[k] = v; set({ knobs }); },
  setStdin: (stdin) => set({ stdin }),
  async loadProgram(source, knobs = {}, file = get().file, files = {}, stdin = '', landAt) {
    set({ source, knobs, file, files, stdin });
    await get().load(landAt);
  },
  async load(landAt) {
    // A cursor answer still on its way belongs to the run this load replaces: it is dropped. (A
    // move asked for during the load is answered after the load's own: it lands after it.)
    gate.ask();
    set({ busy: true, diagnostics: null, asmErrors: null });
    try {
      const { source, knobs, stdin } = get();
      const r = await engine.load({ source, file: get().file, knobs, files: get().files, stdin });
      // An assembly error replaces the previous run's output: the two never stand side by side.
      if (!r.ok) { set({ busy: false, loaded: null, rows: null, output: null, diagnostics: r.diagnostics, asmErrors: r.errors ?? null, view: null, event: null }); return; }
      // The end for the output, then the start (seek(-1) lands on the first event a replay can
      // show) or the event asked for, for the cursor.
      const end = await engine.seek(r.total - 1);
      const at = landAt ? await landAt().catch(() => null) : null;
      const rows = new EventBlocks(engine.events);
      const start = (await cursorIn(engine, rows, { seq: at ?? -1 }, null))!;
      // One update: the run, its output and every cursor-derived field at the start appear
      // together, so nothing of the previous run stays beside the new one (the engine answers in
      // slices, so a state between them would be seen).
      set({ output: { ok: end.view.status?.how === 'exit', stdout: end.view.stdout, stderr: end.view.stderr, guestStderr: end.view.guestStderr, report: end.view.report,
        exitCode: end.view.status?.code ?? 124, diagnostics: '', instructions: end.view.instret, cycles: end.view.cycles, vmexits: r.vmexits },
        loaded: r, rows, loadedSource: source, loadedKnobs: { ...knobs }, loadedStdin: stdin, editing: false, busy: false, previous: null,
        cursor: start.event?.seq ?? -1, view: start.view, line: start.line, event: start.event, lastExit: start.lastExit,
        lastWalk: start.lastWalk, walkStep: start.lastWalk?.type === 'walk' ? start.lastWalk.refs.length : 0,
        transition: start.transition, transitionCost: start.transitionCost, lanes: start.lanes, stepLines: [], wedge: start.wedge });
    } catch (e) {
      set({ busy: false, diagnostics: e instanceof Error ? e.message : String(e) });
    }
  },
});

/** A cursor request answered for the page's event cache `rows`: its blocks kept and its view made
 *  whole (the worker leaves out what it sent that cache before: EventBlocks.expand), whether or
 *  not the answer is still wanted, so that the cache follows every answer the worker sent it.
 *  Without a cache (no run yet), or if an answer cannot be made whole, the move is asked again
 *  without one (a whole answer). */
async function cursorIn(engine: EngineClient, rows: EventBlocks | null, to: Parameters<EngineClient['cursor']>[0],
  from: number | null): Promise<CursorView | null> {
  const r = await engine.cursor(to, from, rows?.id);
  if (!r) return null;
  if (!rows) return r as CursorView;
  rows.put(r.blocks);
  // Asked again by its seq: a find would start from where the first answer left the worker.
  return rows.expand(r) ?? (await engine.cursor({ seq: r.seq }, from) as CursorView | null);
}

/** Cursor requests in order: an answer lands only if no later move (or load) was asked for since
 *  it was sent, so the views never show a cursor the page has already left (a fast key repeat's
 *  earlier answers are dropped; the latest one, asked of the worker after them, lands). */
export function cursorGate() {
  let asked = 0;
  return {
    /** A new request (a move, or a load that replaces the run): the ticket its answer must show. */
    ask: () => ++asked,
    /** Is this ticket's answer still the latest asked for? */
    current: (ticket: number) => ticket === asked,
  };
}

const player = (engine: EngineClient, gate: ReturnType<typeof cursorGate>): StateCreator<Store, [], [], PlayerSlice> => (set, get) => {
  /** One update for a cursor move: everything derived at the new cursor appears together. Parts
   *  equal to the previous cursor's keep their identity (share.ts), so the panels showing them do
   *  not render again. A stale answer (ticket no longer current) is dropped. */
  const land = (ticket: number, seq: number, r: CursorView, rows: EventBlocks | null, enterWalk = false) => {
    if (!gate.current(ticket)) return;
    const st = get();
    const x = shareCursor(st, r);
    rows?.held(r.answer, x.view, x.lanes);
    // Stepping forward onto a walk lights its first reference only (one event step is then one
    // reference); any other move shows the last walk whole.
    const walkStep = enterWalk && x.event?.type === 'walk' ? Math.min(1, x.event.refs.length)
      : x.lastWalk?.type === 'walk' ? x.lastWalk.refs.length : 0;
    set({ cursor: seq, previous: st.view, view: x.view, line: r.line, event: x.event, lastExit: x.lastExit, lastWalk: x.lastWalk, walkStep,
      transition: x.transition, transitionCost: r.transitionCost, lanes: x.lanes, stepLines: x.stepLines, wedge: r.wedge });
  };
  return {
  cursor: -1, view: null, line: null, previous: null, event: null, lastExit: null, lastWalk: null, walkStep: 0,
  transition: null, transitionCost: undefined, hiddenTypes: new Set<string>(), lanes: [], stepLines: [], wedge: null,
  setHiddenTypes: (hiddenTypes) => set({ hiddenTypes }),
  async seek(seq) {
    const { loaded, cursor } = get();
    if (!loaded) return;
    seq = Math.max(-1, Math.min(seq, loaded.total - 1));
    // The worker computes the context at the cursor (last VM exit, the transition and its cost)
    // in the seek's own replay, and the other views' data there (worker/cursor.ts).
    const ticket = gate.ask(), rows = get().rows;
    const r = await cursorIn(engine, rows, { seq }, cursor);
    if (r) land(ticket, seq, r, rows);
  },
  async step(dir, kind) {
    const { loaded, event, walkStep } = get();
    if (!loaded) return;
    // Inside a walk, one event step lights (or unlights) one reference.
    if (kind === 'event' && event?.type === 'walk') {
      if (dir > 0 && walkStep < event.refs.length) { set({ walkStep: walkStep + 1 }); return; }
      if (dir < 0 && walkStep > 1) { set({ walkStep: walkStep - 1 }); return; }
    }
    if (kind === 'event' && dir > 0) {
      const { cursor } = get();
      const seq = Math.min(cursor + 1, loaded.total - 1);
      const ticket = gate.ask(), rows = get().rows;
      const r = await cursorIn(engine, rows, { seq }, cursor);
      if (r) land(ticket, seq, r, rows, true);
      return;
    }
    // The search and the seek in one request.
    const ticket = gate.ask(), rows = get().rows;
    const r = await cursorIn(engine, rows, { find: { dir, step: kind, lines: [...get().breakpoints] } }, get().cursor);
    const total = get().loaded?.total ?? 0;
    if (r) land(ticket, Math.max(-1, Math.min(r.seq, total - 1)), r, rows);
  },
  events: (from, to) => engine.events(from, to),
  async findMatch(match, dir) {
    if (!get().loaded) return false;
    const seq = await engine.match(dir > 0 ? get().cursor + 1 : get().cursor, match, dir);
    if (seq === null) return false;
    await get().seek(seq);
    return true;
  },
  async goTo(match, fromStart = false) {
    if (!get().loaded) return false;
    const seq = await engine.match(fromStart ? 0 : get().cursor + 1, match);
    if (seq === null) return false;
    await get().seek(seq);
    return true;
  },
  };
};

/** Preferences survive a reload (localStorage, where the browser allows it). */
function remembered(key: string, fallback: string): string {
  try { return globalThis.localStorage?.getItem(key) ?? fallback; } catch { return fallback; }
}
function remember(key: string, value: string) {
  try { globalThis.localStorage?.setItem(key, value); } catch { /* private mode: not remembered */ }
}

const LANG_KEY = 'dune-lab.lang';
/** The language a page opens in: `lang=` in the URL's hash, the saved choice (or the lesson
 *  language saved before the UI was bilingual), the browser's languages, English. */
export function initialLocale(hash = typeof location !== 'undefined' ? location.hash : ''): Locale {
  const fromHash = asLocale(new URLSearchParams(hash.replace(/^#/, '')).get('lang'));
  if (fromHash) return fromHash;
  const saved = asLocale(remembered(LANG_KEY, '')) ?? asLocale(remembered('dune-lab.lessonLang', ''));
  if (saved) return saved;
  const langs = typeof navigator !== 'undefined' ? (navigator.languages?.length ? navigator.languages : [navigator.language]) : [];
  for (const l of langs) { const x = asLocale(l); if (x) return x; }
  return 'en';
}

export function createStore(engine: EngineClient, initialSource: string, locale: Locale = initialLocale()) {
  switchCatalog(locale);
  const gate = cursorGate();
  return create<Store>()((...a) => ({
    ...session(engine, initialSource, gate)(...a),
    ...player(engine, gate)(...a),
    breakpoints: new Set<number>(),
    toggleBreakpoint: (line) => a[0]((s) => {
      const b = new Set(s.breakpoints);
      if (b.has(line)) b.delete(line); else b.add(line);
      return { breakpoints: b };
    }),
    // Run/pause: step forward one instruction at `speed` steps per second until the end, a
    // breakpoint line, or pause.
    playing: false, speed: 5,
    play: () => {
      const [set, get] = [a[0], a[1]];
      if (get().playing || !get().loaded) return;
      set({ playing: true });
      const tick = async () => {
        const st = get();
        if (!st.playing || !st.loaded) return;
        const before = st.cursor;
        await st.step(1, 'instr');
        const now = get();
        const line = now.line;
        if (now.cursor === before || (line !== null && line !== undefined && now.breakpoints.has(line))) { set({ playing: false }); return; }
        setTimeout(() => void tick(), 1000 / get().speed);
      };
      void tick();
    },
    pause: () => a[0]({ playing: false }),
    setSpeed: (speed) => a[0]({ speed: Math.max(1, Math.min(60, speed)) }),
    mode: 'normal',
    setMode: (mode) => a[0]({ mode }),
    lesson: null,
    setLesson: (lesson) => a[0]({ lesson }),
    locale,
    // The catalog switches before the store notifies, so every render after it reads the new one.
    setLocale: (l) => { switchCatalog(l); remember(LANG_KEY, l); a[0]({ locale: l }); },
    theme: remembered('dune-lab.theme', 'light') === 'dark' ? 'dark' : 'light',
    fontScale: Number(remembered('dune-lab.fontScale', '1')) || 1,
    setTheme: (theme) => { remember('dune-lab.theme', theme); a[0]({ theme }); },
    setFontScale: (f) => {
      const fontScale = Math.min(2, Math.max(0.75, f));
      remember('dune-lab.fontScale', String(fontScale));
      a[0]({ fontScale });
    },
  }));
}
export type UseStore = ReturnType<typeof createStore>;
