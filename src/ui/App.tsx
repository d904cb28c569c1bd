// The page shell: header, program editor, Run button, output panel.

import { useState } from 'react';
import type { EngineClient } from './engineClient.ts';
import { OutputPanel, type RunState } from './OutputPanel.tsx';
import { helloProgram, messages } from './messages/index.ts';

export function App({ engine }: { engine: EngineClient }) {
  const [source, setSource] = useState(helloProgram);
  const [state, setState] = useState<RunState>({ kind: 'idle' });

  async function run() {
    setState({ kind: 'running' });
    try {
      const result = await engine.run(source, { file: 'program.s' });
      setState({ kind: 'done', result });
    } catch (e) {
      setState({ kind: 'failed', error: e instanceof Error ? e.message : String(e) });
    }
  }

  const running = state.kind === 'running';
  return (
    <div className="app">
      <header className="app-header">
        <h1>{messages.appTitle}</h1>
        <p className="tagline">{messages.tagline}</p>
      </header>
      <main className="app-main">
        <section className="panel editor">
          <label htmlFor="program">{messages.programLabel}</label>
          <textarea
            id="program"
            spellCheck={false}
            value={source}
            onChange={(e) => setSource(e.target.value)}
          />
          <div className="toolbar">
            <button type="button" onClick={run} disabled={running}>
              {running ? messages.running : messages.run}
            </button>
          </div>
        </section>
        <OutputPanel state={state} />
      </main>
    </div>
  );
}
