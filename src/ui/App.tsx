// The page shell: header (view settings), the stepping toolbar, and the views laid out by a preset
// (shell/layouts.ts) of registered panels. The store (state/store.ts) owns the state.

import { useEffect, useMemo, useRef, useState } from 'react';
import type { EngineClient } from './engineClient.ts';
import { createStore, type UseStore } from './state/store.ts';
import { StoreProvider, useSlice } from './state/context.tsx';
import { actionForKey, lessonMove } from './state/actions.ts';
import { Toolbar, Single } from './shell/Toolbar.tsx';
import { Panels } from './shell/Panels.tsx';
import { LAYOUTS, type LayoutId } from './shell/layouts.ts';
import { parseViewHash, withMode } from './shell/viewHash.ts';
import { ShareBanner, ShareButton } from './share/ShareBar.tsx';
import { ComparePanel } from './panels/compare/ComparePanel.tsx';
import { TerminalSection } from './shell/TerminalSection.tsx';
import { Footer } from './shell/Footer.tsx';
import { SAMPLES } from './samples.ts';
import { parseLessonHash } from './lessons/LessonPlayer.tsx';
import { PanelHost } from './panels/registry.tsx';
import { LessonSlot } from './shell/LessonHost.tsx';
import { LESSONS } from '../lessons/index.ts';
import { helloProgram, messages } from './messages/index.ts';
import { LOCALES, LOCALE_NAMES, type Locale } from './messages/locale.ts';
import type { Store } from './state/store.ts';
import { SkipLink, MAIN_ID } from './a11y/SkipLink.tsx';
import { StepAnnouncer } from './a11y/StepAnnouncer.tsx';
import { keyAllowed } from './a11y/shortcuts.ts';
import { ShortcutsToggle } from './a11y/ShortcutsToggle.tsx';
import { PresentLanguage } from './shell/PresentLanguage.tsx';

/** Keys a presentation remote sends (PageDown/PageUp, arrows, Space): next/previous lesson step,
 *  or event when no lesson is playing. */
const PRESENT_NEXT = new Set(['PageDown', 'ArrowRight', 'ArrowDown', ' ']);
const PRESENT_PREV = new Set(['PageUp', 'ArrowLeft', 'ArrowUp']);

export function App({ engine }: { engine: EngineClient }) {
  const useStore = useMemo(() => createStore(engine, helloProgram), [engine]);
  // The language: a switch re-renders the whole tree from here (panels read `messages` when they
  // render); the page's lang follows it.
  const locale = useStore((s) => s.locale);
  useEffect(() => { document.documentElement.lang = locale; }, [locale]);
  // The lesson player and the program view render once (PanelHost) and move between layouts' slots.
  return (
    <StoreProvider store={useStore} engine={engine}>
      <PanelHost><Shell useStore={useStore} engine={engine} /></PanelHost>
    </StoreProvider>
  );
}

const selectShell = (s: Store) => ({ theme: s.theme, fontScale: s.fontScale, mode: s.mode, loaded: s.loaded !== null, editing: s.editing,
  lesson: s.lesson, setTheme: s.setTheme, setFontScale: s.setFontScale, setMode: s.setMode, locale: s.locale, setLocale: s.setLocale });

function Shell({ useStore, engine }: { useStore: UseStore; engine: EngineClient }) {
  const s = useSlice(selectShell);
  const viewHash = useMemo(() => parseViewHash(typeof window !== 'undefined' ? window.location.hash : ''), []);

  // One text-size control for every panel: panels size text in rem/em, so scale the root.
  // Presentation adds a step on top of it and the high-contrast theme.
  useEffect(() => {
    const present = s.mode === 'present';
    document.documentElement.style.fontSize = `${100 * (present ? Math.max(s.fontScale, 1.25) : s.fontScale)}%`;
    document.documentElement.dataset.theme = present ? 'contrast' : s.theme;
    document.documentElement.dataset.mode = s.mode;
    // A window short for its text size (1024x768 at 150-200%: under 36 rem tall): the toolbar folds
    // its jump group behind "More controls" (app.css), so that no row of it is cut off.
    const short = () => { document.documentElement.dataset.short = String(innerHeight / (16 * s.fontScale) < 36); };
    short();
    addEventListener('resize', short);
    return () => removeEventListener('resize', short);
  }, [s.fontScale, s.theme, s.mode]);

  useEffect(() => {
    const st = useStore.getState();
    if (viewHash.mode !== 'normal') st.setMode(viewHash.mode);
    const l = typeof window !== 'undefined' ? parseLessonHash(window.location.hash) : null;
    if (l) st.setLesson(l);
  }, [useStore, viewHash]);

  // Entering or leaving presentation rewrites `present` in the link, so a reload keeps the view
  // (the first run sees the mode before the URL's is applied: skipped).
  const synced = useRef(false);
  useEffect(() => {
    if (!synced.current) { synced.current = true; return; }
    const h = withMode(window.location.hash, s.mode);
    if (h !== window.location.hash) window.history.replaceState(null, '', h || window.location.pathname + window.location.search);
  }, [s.mode]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.closest?.('.xterm, .walk-grid')) && !(e.ctrlKey && e.key === 'Enter')) return;
      if (!keyAllowed(e)) return; // single-key shortcuts turned off (WCAG 2.1.4)
      const st = useStore.getState();
      if (st.mode === 'present' && !e.ctrlKey && !e.metaKey && !e.altKey) {
        const d = PRESENT_NEXT.has(e.key) && !e.shiftKey ? 1 : PRESENT_PREV.has(e.key) && !e.shiftKey ? -1 : 0;
        if (d !== 0) { e.preventDefault(); if (st.lesson) lessonMove(st, d); else void st.step(d as 1 | -1, 'event'); return; }
        if (e.key === 'Escape') { e.preventDefault(); st.setMode('normal'); return; }
      }
      if (t?.tagName === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return;
      const a = actionForKey(e);
      if (!a) return;
      if (a.enabled && !a.enabled(st)) return;
      e.preventDefault();
      void a.perform(st);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [useStore]);

  const layoutId: LayoutId = s.mode === 'present' ? 'present' : s.mode === 'embed' ? 'embed'
    : !s.loaded || s.editing ? 'edit' : s.lesson ? 'lesson' : 'normal';
  const layout = LAYOUTS[layoutId];
  const show = s.lesson ? LESSONS.find((l) => l.id === s.lesson!.id)?.steps[s.lesson.step]?.show : undefined;
  // A lesson step names the panels it is about; the event at the cursor always stays.
  const only = layoutId === 'embed' ? viewHash.panels : layoutId === 'edit' || !show ? undefined : [...show, 'event'];
  const narrow = useNarrow();
  // When the views become the page (a run is loaded), show the page from its top: header,
  // toolbar and views fill the window (an open terminal then sits below them, in view).
  useEffect(() => { if (layout.fit && typeof window.scrollTo === 'function') window.scrollTo({ top: 0 }); }, [layout.fit]);
  const dock = <LessonSlot />;
  const chrome = s.mode === 'normal';

  return (
    <div className={`app mode-${s.mode} layout-${layoutId}`}>
      <SkipLink />
      <Announcer useStore={useStore} />
      <div className={'screen' + (layout.fit ? ' fit' : '')} id={MAIN_ID} tabIndex={-1}>
      {s.mode !== 'present' && <header className="app-header">
        <h1>{messages.appTitle}</h1>
        {chrome && !s.loaded && <p className="tagline">{messages.tagline}</p>}
        {s.mode === 'embed' ? (
          <a className="open-full" href={viewHash.fullUrl} target="_blank" rel="noopener">{messages.openInLab}</a>
        ) : (
          <div className="prefs" role="group" aria-label={messages.toolbarGroups.view}>
            <label>{messages.themeLabel}{' '}
              <select value={s.theme} onChange={(e) => s.setTheme(e.target.value as 'light' | 'dark')}>
                <option value="light">{messages.themeLight}</option>
                <option value="dark">{messages.themeDark}</option>
              </select>
            </label>
            <label>{messages.languageLabel}{' '}
              <select value={s.locale} onChange={(e) => s.setLocale(e.target.value as Locale)} data-testid="language">
                {LOCALES.map((l) => <option key={l} value={l} lang={l}>{LOCALE_NAMES[l]}</option>)}
              </select>
            </label>
            <label>{messages.fontLabel}{' '}
              <input type="range" min={0.75} max={2} step={0.125} value={s.fontScale} aria-label={messages.fontLabel}
                onChange={(e) => s.setFontScale(Number(e.target.value))} />
            </label>
            <ShortcutsToggle />
            <ShareButton />
            <Single id="present" s={useStore.getState()} />
          </div>
        )}
      </header>}
      <ShareBanner auto={s.mode !== 'normal'} />
      {s.loaded && s.mode !== 'present' && <Toolbar compact={s.mode === 'embed'} />}
      {s.mode === 'present' && <PresentBar useStore={useStore} />}
      {!s.loaded && chrome && <SamplesHint />}
      {/* Keyed by layout: each layout remembers its own column widths. */}
      <Panels key={`${layoutId}-${narrow}`} layout={layout} name={layoutId} only={only} dock={dock} narrow={narrow} />
      </div>
      {chrome && <TerminalSection engine={engine} useStore={useStore} />}
      {chrome && <ComparePanel engine={engine} />}
      {chrome && <Footer />}
    </div>
  );
}

/** Presentation: big previous/next targets, where we are, and the way out. */
function PresentBar({ useStore }: { useStore: UseStore }) {
  const p = useSlice((s) => ({ lesson: s.lesson, cursor: s.cursor, total: s.loaded?.total ?? 0, busy: s.busy, fontScale: s.fontScale }));
  const st = useStore.getState();
  const n = p.lesson ? LESSONS.find((l) => l.id === p.lesson!.id)?.steps.length ?? 0 : 0;
  const move = (d: 1 | -1) => { const x = useStore.getState(); if (x.lesson) lessonMove(x, d); else void x.step(d, 'event'); };
  return (
    <nav className="present-bar" aria-label={messages.present.nav}>
      <button type="button" className="big" onClick={() => move(-1)} disabled={p.busy}>{messages.present.prev}</button>
      <span className="where" data-testid="present-where">
        {p.lesson ? messages.present.step(p.lesson.step + 1, n) : messages.present.event(p.cursor, p.total)}
      </span>
      <button type="button" className="big" onClick={() => move(1)} disabled={p.busy}>{messages.present.next}</button>
      <span className="present-prefs">
        <PresentLanguage />
        <Single id="smaller" s={st} /> <Single id="bigger" s={st} />
        <button type="button" className="leave" aria-label={messages.present.leave} title={messages.present.leave} onClick={() => st.setMode('normal')}>{messages.present.leaveShort}</button>
      </span>
    </nav>
  );
}

/** Below 1150 px wide (a 1024x768 projector) the layouts use their two-column form. */
function useNarrow(): boolean {
  const q = '(max-width: 1150px)';
  const [narrow, setNarrow] = useState(() => typeof matchMedia === 'function' && matchMedia(q).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const m = matchMedia(q), on = () => setNarrow(m.matches);
    m.addEventListener?.('change', on);
    return () => m.removeEventListener?.('change', on);
  }, []);
  return narrow;
}

function SamplesHint() {
  return <p className="hint"><span>{messages.noRun}</span> {SAMPLES.length > 0 && <span>{messages.samplesHint}</span>}</p>;
}

/** The polite live region, fed by its own slice (the shell does not re-render per step). */
function Announcer({ useStore }: { useStore: UseStore }) {
  const event = useStore((x) => x.event);
  const playing = useStore((x) => x.playing);
  return <StepAnnouncer event={event} playing={playing} />;
}
