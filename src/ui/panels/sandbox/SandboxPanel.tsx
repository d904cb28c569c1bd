// The sandbox view (issue 11, section 4): each ring-3 system call's path (allowed: handler ->
// VMCALL -> host kernel -> back; denied: handler -> -EPERM, no exit; -EFAULT for a pointer
// outside the program's regions) and the policy's verdicts as marks along the run. The worker
// lists the calls once per recording (worker/sandbox.ts). Every verdict has a glyph and a word.

import { useEffect, useState } from 'react';
import { messages } from '../../messages/index.ts';
import { useEngine, useSlice } from '../../state/context.tsx';
import type { SandboxCall } from '../../engineClient.ts';
import './sandbox.css';

const t = messages.sandbox;
type Step = SandboxCall['path'][number];

/** The call the cursor is in, else the last one before it (null: none yet). */
export function callAt(calls: SandboxCall[], cursor: number): number | null {
  let at: number | null = null;
  calls.forEach((c, i) => { if (c.seq <= cursor) at = i; });
  return at;
}

function stepText(s: Step, c: SandboxCall): string {
  switch (s.at) {
    case 'trap': return t.step.trap;
    case 'vmcall': return s.why === 'forward' ? t.step.forward : t.step.log;
    case 'kernel': return t.step.kernel(s.name);
    case 'return': return t.step.return(c.ret ?? '?');
    case 'end': return t.step.end;
    case 'fault': return t.step.fault(s.cr2);
  }
}

function Strip({ calls, total, cursor, onSeek }: { calls: SandboxCall[]; total: number; cursor: number; onSeek: (seq: number) => void }) {
  // The calls' part of the run (the set-up before the first call takes most of it).
  const lo = calls[0].seq, hi = Math.max(lo + 1, calls.at(-1)!.end ?? calls.at(-1)!.seq, Math.min(cursor, total - 1));
  const x = (seq: number) => `${(100 * (Math.min(Math.max(seq, lo), hi) - lo)) / (hi - lo)}%`;
  return (
    <div className="sb-strip" role="group" aria-label={t.strip}>
      <div className="sb-strip-track">
        {calls.map((c, i) => (
          <button key={c.seq} type="button" className={`sb-mark sb-${c.verdict}`} style={{ left: x(c.seq) }}
            aria-label={t.mark(i + 1, c.name, t.verdict[c.verdict], c.seq)} title={t.mark(i + 1, c.name, t.verdict[c.verdict], c.seq)}
            onClick={() => onSeek(c.seq)}>{t.verdict[c.verdict].slice(0, 1)}</button>
        ))}
        {cursor >= lo && <span className="sb-cursor" style={{ left: x(cursor) }} aria-hidden="true" title={t.cursor} />}
      </div>
      <p className="muted sb-strip-help">{t.stripHelp}</p>
    </div>
  );
}

export function SandboxPanel() {
  const engine = useEngine();
  const { cursor, loaded, seek } = useSlice((s) => ({ cursor: s.cursor, loaded: s.loaded, seek: s.seek }));
  const [calls, setCalls] = useState<SandboxCall[] | null>(null);
  useEffect(() => {
    setCalls(null);
    if (!loaded) return;
    let live = true;
    void engine.sandbox().then((c) => { if (live) setCalls(c); });
    return () => { live = false; };
  }, [loaded, engine]);
  const sel = calls ? callAt(calls, cursor) : null;
  const c = sel === null || !calls ? null : calls[sel];
  // The step of the selected call at or before the cursor.
  const current = c ? c.path.reduce((k, s, i) => (s.seq <= cursor ? i : k), -1) : -1;
  // Only a run with ring-3 system calls has this view (the normal layout lists it for every run).
  if (!loaded || !calls || calls.length === 0) return null;
  return (
    <section className="panel sandbox-panel" aria-label={messages.panels.sandbox}>
      <h2>{messages.panels.sandbox}</h2>
      <p className="muted">{t.help}</p>
      {(
        <>
          <Strip calls={calls} total={loaded.total} cursor={cursor} onSeek={(s) => void seek(s)} />
          <div className="sb-scroll" tabIndex={0} role="region" aria-label={t.tableLabel}>
            <table className="sb-table" data-testid="sandbox-table" aria-label={t.tableLabel}>
              <thead><tr>{(['n', 'call', 'args', 'ret', 'verdict', 'exits'] as const).map((k) => <th key={k} scope="col">{t.cols[k]}</th>)}</tr></thead>
              <tbody>
                {calls.map((x, i) => (
                  <tr key={x.seq} className={`sb-row sb-${x.verdict}`} aria-current={i === sel ? 'true' : undefined}>
                    <td><button type="button" className="link" onClick={() => void seek(x.seq)} aria-label={t.mark(i + 1, x.name, t.verdict[x.verdict], x.seq)}>{i + 1}</button></td>
                    <td><code>{x.name}</code>{x.nr >= 0 && <span className="muted"> ({x.nr})</span>}</td>
                    <td><code>{x.args.join(', ')}</code></td>
                    <td><code>{x.ret ?? '—'}</code></td>
                    <td className="sb-verdict">{t.verdict[x.verdict]}</td>
                    <td>{t.exits(x.exits.forward, x.exits.log)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{t.path}</h3>
          {!c ? <p className="muted">{t.pathNone}</p> : (
            <>
              <ol className="sb-path" data-testid="sandbox-path">
                {c.path.map((s, i) => (
                  <li key={s.seq} className={`sb-step sb-step-${s.at}${s.at === 'vmcall' ? `-${s.why}` : ''}`} aria-current={i === current ? 'step' : undefined}>
                    <button type="button" className="link" onClick={() => void seek(s.seq)}>{stepText(s, c)}</button>
                    <span className="muted"> · {t.at(s.seq)}</span>
                  </li>
                ))}
              </ol>
              {c.verdict !== 'fault' && c.exits.forward === 0 && <p data-testid="sandbox-noexit">{t.noExit}</p>}
            </>
          )}
        </>
      )}
    </section>
  );
}
