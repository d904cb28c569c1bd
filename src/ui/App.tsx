// The page shell: program and samples, the stepping toolbar, and the panels that view the machine
// at the cursor. The store (state/store.ts) owns the state; panels are views of it.

import { useEffect, useMemo } from 'react';
import type { EngineClient } from './engineClient.ts';
import { createStore } from './state/store.ts';
import { actionForKey } from './state/actions.ts';
import { Toolbar } from './shell/Toolbar.tsx';
import { Panels } from './shell/Panels.tsx';
import { ComparePanel } from './panels/compare/ComparePanel.tsx';
import { TerminalSection } from './shell/TerminalSection.tsx';
import { OutputPanel } from './OutputPanel.tsx';
import { ProgramPanel } from './code/ProgramPanel.tsx';
import { LessonPlayer, parseLessonHash } from './lessons/LessonPlayer.tsx';
import { helloProgram, messages } from './messages/index.ts';
import { SkipLink, MAIN_ID } from './a11y/SkipLink.tsx';
import { StepAnnouncer } from './a11y/StepAnnouncer.tsx';

export function App({ engine }: { engine: EngineClient }) {
  const useStore = useMemo(() => createStore(engine, helloProgram), [engine]);
  const s = useStore();

  // One text-size control for every panel: panels size text in rem/em, so scale the root.
  useEffect(() => {
    document.documentElement.style.fontSize = `${100 * s.fontScale}%`;
    document.documentElement.dataset.theme = s.theme;
  }, [s.fontScale, s.theme]);

  useEffect(() => {
    const l = typeof window !== 'undefined' ? parseLessonHash(window.location.hash) : null;
    if (l) useStore.getState().setLesson(l);
  }, [useStore]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.tagName === 'SELECT') && !(e.ctrlKey && e.key === 'Enter')) return;
      const a = actionForKey(e);
      if (!a) return;
      const st = useStore.getState();
      if (a.enabled && !a.enabled(st)) return;
      e.preventDefault();
      void a.perform(st);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [useStore]);

  return (
    <div className="app" data-theme={s.theme}>
      <SkipLink />
      <StepAnnouncer event={s.event} playing={s.playing} />
      <header className="app-header">
        <h1>{messages.appTitle}</h1>
        <p className="tagline">{messages.tagline}</p>
        <div className="prefs">
          <label>{messages.themeLabel}{' '}
            <select value={s.theme} onChange={(e) => s.setTheme(e.target.value as 'light' | 'dark')}>
              <option value="light">{messages.themeLight}</option>
              <option value="dark">{messages.themeDark}</option>
            </select>
          </label>
          <label>{messages.fontLabel}{' '}
            <input type="range" min={0.75} max={2} step={0.125} value={s.fontScale} aria-label={messages.fontLabel}
              onChange={(e) => s.setFontScale(Number(e.target.value))} />
          </label>
        </div>
      </header>
      <main className="app-main" id={MAIN_ID} tabIndex={-1}>
        <ProgramPanel useStore={useStore} engine={engine} />
        <OutputPanel state={s.output ? { kind: 'done', result: s.output } : s.busy ? { kind: 'running' } : { kind: 'idle' }} />
      </main>
      <LessonPlayer s={s} />
      <Toolbar s={s} />
      {s.loaded ? <Panels s={s} engine={engine} /> : <p className="hint">{messages.noRun}</p>}
      <ComparePanel engine={engine} />
      <TerminalSection engine={engine} useStore={useStore} />
      <footer className="simplified">{messages.simplified}</footer>
    </div>
  );
}
