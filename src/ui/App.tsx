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
import { SAMPLES } from './samples.ts';
import { LessonPlayer, parseLessonHash } from './lessons/LessonPlayer.tsx';
import { helloProgram, messages } from './messages/index.ts';

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
      <main className="app-main">
        <section className="panel editor" aria-label={messages.programLabel}>
          <label htmlFor="sample">{messages.sampleLabel}</label>
          <select id="sample" defaultValue="" onChange={(e) => { const x = SAMPLES.find((p) => p.name === e.target.value); if (x) s.setSource(x.source); }}>
            <option value="" disabled>—</option>
            {SAMPLES.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
          </select>
          <label htmlFor="program">{messages.programLabel}</label>
          <textarea id="program" spellCheck={false} value={s.source} onChange={(e) => s.setSource(e.target.value)} />
          <div className="toolbar">
            <button type="button" onClick={() => void s.load()} disabled={s.busy}>
              {s.busy ? messages.loading : messages.load}
            </button>
            {s.busy && <button type="button" onClick={() => s.stop()}>{messages.stop}</button>}
          </div>
          {s.diagnostics && <pre className="diagnostics" role="alert">{s.diagnostics}</pre>}
        </section>
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
