// What-if diff: the recorded run beside the same program with one knob changed (counts of exits,
// walks, walk references, flushes and cycles, and the first event where the traces part), with
// one click to either run at that event. The worker runs both (worker/whatif.ts).

import { useState } from 'react';
import { KNOB_DOCS } from '../../../engine/knobs.ts';
import { useEngine, useSlice, useStoreApi } from '../../state/context.tsx';
import type { WhatIf, WhatIfCounts } from '../../engineClient.ts';
import { messages } from '../../messages/index.ts';
import { fmt } from '../../messages/locale.ts';

const t = messages.whatif;
const ROWS: (keyof WhatIfCounts)[] = ['vmexits', 'walks', 'walkRefs', 'flushes', 'cycles', 'events'];
const n = (v: number) => fmt(v);

export function WhatIfPanel() {
  const engine = useEngine();
  const useStore = useStoreApi();
  const { loaded, source, base } = useSlice((s) => ({ loaded: s.loaded, source: s.loadedSource, base: s.loadedKnobs }));
  const [knob, setKnob] = useState('psc');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ r: WhatIf; variant: Record<string, string> } | null>(null);
  if (!loaded) return null;
  // The variant flips the chosen knob from what the recorded run used (default: on).
  const variant = { ...base, [knob]: (base[knob] ?? 'on') === 'on' ? 'off' : 'on' };
  const compare = async () => {
    setBusy(true);
    try { setResult({ r: await engine.whatIf(source, base, variant), variant }); } finally { setBusy(false); }
  };
  const open = async (knobs: Record<string, string>, seq: number) => {
    await useStore.getState().loadProgram(source, knobs);
    await useStore.getState().seek(seq);
  };
  const r = result?.r;
  return (
    <section className="panel whatif" aria-label={t.title}>
      <h2>{t.title}</h2>
      <p className="hint">{t.help}</p>
      <label>{t.knob}{' '}
        <select value={knob} onChange={(e) => { setKnob(e.target.value); setResult(null); }}>
          {Object.keys(KNOB_DOCS).map((k) => <option key={k} value={k} title={messages.terminal.knobDocs[k]}>{k}</option>)}
        </select>
      </label>{' '}
      <button type="button" onClick={() => void compare()} disabled={busy}>{busy ? t.running : t.compare(knob, variant[knob])}</button>
      {r && !r.ok && <p className="error" role="alert">{r.error}</p>}
      {r && r.ok && result && (
        <>
          <table className="whatif-table" data-testid="whatif">
            <thead><tr><th scope="col">{t.colWhat}</th><th scope="col">{t.colBase}</th><th scope="col">{t.colVariant(knob, result.variant[knob])}</th><th scope="col">{t.colDiff}</th></tr></thead>
            <tbody>
              {ROWS.map((k) => (
                <tr key={k} data-row={k}><th scope="row">{t.rows[k]}</th><td>{n(r.base[k])}</td><td>{n(r.variant[k])}</td>
                  <td>{r.variant[k] === r.base[k] ? '=' : `${r.variant[k] > r.base[k] ? '+' : '−'}${n(Math.abs(r.variant[k] - r.base[k]))}`}</td></tr>
              ))}
            </tbody>
          </table>
          {r.diverge === null ? <p>{t.same}</p> : (
            <p data-testid="whatif-diverge">{t.diverge(r.diverge)}{' '}
              <button type="button" className="secondary" onClick={() => void open(base, r.diverge!)}>{t.openBase}</button>{' '}
              <button type="button" className="secondary" onClick={() => void open(result.variant, r.diverge!)}>{t.openVariant}</button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
