// The what-if knobs (engine/knobs.ts, `--set KEY=VALUE`): chosen before a run, and shown beside
// the recorded source so a view never hides which machine it is of.

import { KNOB_DOCS } from '../../engine/knobs.ts';
import { useSlice } from '../state/context.tsx';
import { messages } from '../messages/index.ts';

const KEYS = Object.keys(KNOB_DOCS);

export function KnobsPicker() {
  const { knobs, setKnob } = useSlice((s) => ({ knobs: s.knobs, setKnob: s.setKnob }));
  return (
    <fieldset className="knobs">
      <legend>{messages.knobs.legend}</legend>
      {KEYS.map((k) => (
        <label key={k} title={messages.terminal.knobDocs[k]}>{k}{' '}
          <select value={knobs[k] ?? ''} onChange={(e) => setKnob(k, e.target.value)}>
            <option value="">{messages.knobs.default}</option>
            <option value="on">on</option>
            <option value="off">off</option>
          </select>
        </label>
      ))}
    </fieldset>
  );
}

/** "Recorded with psc=off" (or the defaults), under the recorded source. */
export function KnobsLine() {
  const { loadedKnobs } = useSlice((s) => ({ loadedKnobs: s.loadedKnobs }));
  const set = Object.entries(loadedKnobs);
  return <p className="muted knobs-line" data-testid="knobs">{set.length ? messages.knobs.recorded(set.map(([k, v]) => `${k}=${v}`).join(', ')) : messages.knobs.defaults}</p>;
}
