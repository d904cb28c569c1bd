// The program panel for the page shell: the code editor loads as its own chunk (CodeMirror stays
// out of the first load); until it arrives, a plain text area edits the same program. The Run
// button and the last run's assembly errors do not wait for it.

import { Component, lazy, Suspense, type ReactNode } from 'react';
import type { EngineClient } from '../engineClient.ts';
import type { UseStore } from '../state/store.ts';
import { messages } from '../messages/index.ts';
import { code as t } from '../messages/index.ts';
import { sayAsmErrors } from '../messages/asmText.ts';

const ProgramView = lazy(() => import('./ProgramView.tsx').then((m) => ({ default: m.ProgramView })));

export interface ProgramPanelProps { useStore: UseStore; engine: EngineClient }

function Fallback({ useStore }: { useStore: UseStore }) {
  const source = useStore((s) => s.source);
  return (
    <>
      <p className="muted">{t.loadingEditor}</p>
      <textarea aria-label={t.editorLabel} spellCheck={false} value={source} onChange={(e) => useStore.getState().setSource(e.target.value)} />
    </>
  );
}

/** If the editor's chunk cannot load (offline, a bad deploy), the text area stays, with the reason. */
class KeepFallback extends Component<{ fallback: ReactNode; children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(e: unknown) { return { error: e instanceof Error ? e.message : String(e) }; }
  override render() {
    return this.state.error === null ? this.props.children
      : <>{this.props.fallback}<p className="diagnostics" role="status">{t.editorFailed(this.state.error)}</p></>;
  }
}

export function ProgramPanel({ useStore, engine }: ProgramPanelProps) {
  const busy = useStore((s) => s.busy);
  const diagnostics = useStore((s) => (s.asmErrors ? sayAsmErrors(s.asmErrors) : s.diagnostics));
  return (
    <section className="panel editor program-view" aria-labelledby="program-view-h">
      <h2 id="program-view-h">{t.heading}</h2>
      <KeepFallback fallback={<Fallback useStore={useStore} />}>
        <Suspense fallback={<Fallback useStore={useStore} />}>
          <ProgramView useStore={useStore} engine={engine} />
        </Suspense>
      </KeepFallback>
      <div className="toolbar">
        <button type="button" onClick={() => void useStore.getState().load()} disabled={busy}>{busy ? messages.loading : messages.load}</button>
        {busy && <button type="button" onClick={() => useStore.getState().stop()}>{messages.stop}</button>}
      </div>
      {diagnostics && <pre className="diagnostics" role="alert">{diagnostics}</pre>}
    </section>
  );
}
