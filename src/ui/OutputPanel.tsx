// Shows the outcome of the last run: stdout/stderr and counters, or the assembler's diagnostics.

import type { RunResult } from './engineClient.ts';
import { messages, fmt } from './messages/index.ts';
import { sayStderr } from './messages/reportText.ts';

export type RunState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; result: RunResult }
  | { kind: 'failed'; error: string };

export function OutputPanel({ state }: { state: RunState }) {
  return (
    <section className="panel output" aria-labelledby="output-heading">
      <h2 id="output-heading">{messages.outputHeading}</h2>
      <OutputBody state={state} />
    </section>
  );
}

function OutputBody({ state }: { state: RunState }) {
  switch (state.kind) {
    case 'idle':
    case 'running':
      return <p className="hint">{messages.outputEmpty}</p>;
    case 'failed':
      return (
        <div role="alert">
          <h3>{messages.engineError}</h3>
          <pre className="mono error" data-testid="engine-error">{state.error}</pre>
        </div>
      );
    case 'done': {
      const r = state.result;
      if (!r.ok && r.diagnostics) {
        return (
          <div role="alert">
            <h3>{messages.diagnosticsHeading}</h3>
            <pre className="mono error" data-testid="diagnostics">{r.diagnostics}</pre>
          </div>
        );
      }
      return (
        <>
          <dl className="counters">
            <div>
              <dt>{messages.exitCode}</dt>
              <dd data-testid="exit-code">{r.exitCode}{r.exitCode === 124 && !r.ok && <span className="muted"> ({messages.budgetStopped})</span>}</dd>
            </div>
            <div>
              <dt>{messages.instructions}</dt>
              <dd data-testid="instructions" data-value={r.instructions}>{fmt(r.instructions)}</dd>
            </div>
            <div>
              <dt>{messages.cycles}</dt>
              <dd data-testid="cycles" data-value={r.cycles}>{fmt(r.cycles)}</dd>
            </div>
          </dl>
          <h3>{messages.stdoutLabel}</h3>
          <pre className="mono" data-testid="stdout">{r.stdout || messages.stdoutEmpty}</pre>
          {r.stderr && (
            <>
              <h3>{messages.stderrLabel}</h3>
              <pre className="mono error" data-testid="stderr">{sayStderr(r)}</pre>
            </>
          )}
        </>
      );
    }
  }
}
