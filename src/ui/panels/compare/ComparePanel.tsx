// Linux vs Dune for one row of the paper's Tables 2 and 3: pick the row, run both programs in the
// engine's worker, and see the two figures beside the paper's, where the cycles go, and why.

import { useEffect, useRef, useState } from 'react';
import { messages } from '../../messages/index.ts';
import { useDomId } from '../machine/a11y.tsx';
import { CompareChart } from './CompareChart.tsx';
import type { CompareRow, CompareSide, PaperOp } from '../../engineClient.ts';
import './compare.css';

const t = messages.compare;
const ROWS = Object.keys(t.rows) as PaperOp[];
const SIDES = ['linux', 'dune'] as const;

export interface ComparePanelProps {
  /** The engine, or anything with its `compare` (EngineClient.compare: runs in the Web Worker). */
  engine: { compare(stem: string): Promise<CompareRow> };
  /** The row selected at first (default: getpid). */
  initial?: PaperOp;
}

type Scope = 'perOp' | 'whole';

export function ComparePanel({ engine, initial = 'getpid' }: ComparePanelProps) {
  const id = useDomId('compare');
  const [op, setOp] = useState<PaperOp>(initial);
  const [busy, setBusy] = useState<PaperOp | null>(null);
  const [result, setResult] = useState<CompareRow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scope, setScope] = useState<Scope>('perOp');
  // Answers to a request the panel no longer waits for (unmounted, or a newer one) are dropped.
  const latest = useRef(0);
  useEffect(() => () => { latest.current++; }, []);

  const run = async () => {
    const ticket = ++latest.current;
    setBusy(op); setError(null);
    try {
      const r = await engine.compare(op);
      if (ticket === latest.current) setResult(r);
    } catch (e) {
      if (ticket === latest.current) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (ticket === latest.current) setBusy(null);
    }
  };

  const perOpOk = !!(result?.linux.timed && result.dune.timed);
  const shown: Scope = perOpOk ? scope : 'whole';
  const pick = (s: CompareSide) => (shown === 'perOp' && s.timed ? s.timed.perOp : s.breakdown);

  return (
    <section className="panel compare-panel" aria-labelledby={`${id}-h`} aria-busy={busy !== null}>
      <h2 id={`${id}-h`}>{t.title}</h2>
      <p className="hint">{t.help}</p>
      <form className="cmp-controls" onSubmit={(e) => { e.preventDefault(); if (!busy) void run(); }}>
        <label htmlFor={`${id}-op`}>{t.pick}</label>
        <select id={`${id}-op`} value={op} onChange={(e) => setOp(e.target.value as PaperOp)}>
          {ROWS.map((r) => <option key={r} value={r}>{t.rows[r].label}</option>)}
        </select>
        <button type="submit" disabled={busy !== null}>{t.run}</button>
      </form>
      <div role="status" aria-live="polite" className="cmp-status">
        {busy && <p className="cmp-busy"><span className="cmp-spinner" aria-hidden="true" />{t.busy(t.rows[busy].label)}</p>}
      </div>
      {error && <p role="alert" className="cmp-error">{t.error(error)}</p>}
      {result && <Result r={result} scope={shown} perOpOk={perOpOk} onScope={setScope} pick={pick} id={id} />}
    </section>
  );
}

function Result({ r, scope, perOpOk, onScope, pick, id }: {
  r: CompareRow; scope: Scope; perOpOk: boolean; onScope: (s: Scope) => void; pick: (s: CompareSide) => CompareSide['breakdown']; id: string;
}) {
  const row = t.rows[r.op];
  const exits = Object.entries(r.dune.breakdown.counts.exitsByName).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const perOpExits = r.dune.timed?.perOp.counts.exitsByName ?? {};
  return (
    <div className="cmp-result" data-op={r.op}>
      <h3>{t.heading(row.label)} <span className="cmp-table-tag">{t.table(r.paper.table)}</span></h3>
      <p className="cmp-why">{row.why}</p>
      {SIDES.filter((s) => !r[s].ok).map((s) => <p key={s} role="alert" className="cmp-error">{t.failed(r[s].file, r[s].status)}</p>)}

      <table className="cmp-figures" data-testid="cmp-figures">
        <caption>{t.figuresCaption(row.unit)}</caption>
        <thead>
          <tr><th scope="col">{t.colSide}</th><th scope="col">{t.colMeasured}</th><th scope="col">{t.colPaper}</th><th scope="col">{t.colDeviation}</th></tr>
        </thead>
        <tbody>
          {SIDES.map((s) => (
            <tr key={s} data-side={s}>
              <th scope="row">{t.sides[s]}</th>
              <td className="cmp-measured">{t.figure(r[s].figure)}</td>
              <td className="cmp-paper">{t.figure(r.paper[s])}</td>
              <td>{t.deviation(r[s].figure, r.paper[s])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {SIDES.filter((s) => r[s].printed !== null && r[s].figure !== null && r[s].printed !== r[s].figure).map((s) => (
        <p key={s} className="hint">{t.printedDiffers(t.sides[s], r[s].printed!)}</p>
      ))}

      <h3>{t.costTitle}</h3>
      <fieldset className="cmp-scope">
        <legend>{t.scopeLabel}</legend>
        {(['perOp', 'whole'] as const).map((s) => (
          <label key={s}>
            <input type="radio" name={`${id}-scope`} value={s} checked={scope === s} disabled={s === 'perOp' && !perOpOk} onChange={() => onScope(s)} />
            {t.scope[s]}
          </label>
        ))}
      </fieldset>
      <p className="hint">{t.scopeHelp[scope]}</p>
      <CompareChart linux={pick(r.linux)} dune={pick(r.dune)} />

      <h3>{t.exitsTitle}</h3>
      {exits.length === 0 ? <p className="hint">{t.noExits}</p> : (
        <table className="cmp-exits">
          <thead><tr><th scope="col">{t.colReason}</th><th scope="col">{t.colPerOp}</th><th scope="col">{t.colWhole}</th></tr></thead>
          <tbody>
            {exits.map(([name, n]) => (
              <tr key={name}><th scope="row"><code>{name}</code></th><td>{perOpExits[name] !== undefined ? t.count(perOpExits[name]) : t.count(0)}</td><td>{t.count(n)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">{t.exitsLine(r.dune.breakdown.counts.vmexits, r.dune.breakdown.counts.vmentries)}</p>
    </div>
  );
}
