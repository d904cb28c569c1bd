// The program: before a run (or while editing) the sample picker, the program text and "Run and
// record"; once a run is loaded, its recorded source with the line at the cursor. Registered as
// `source` (panels/registry.tsx); the code view (src/ui/code) replaces this component.

import { useSlice } from '../state/context.tsx';
import { selectSource } from '../state/selectors.ts';
import { SourcePanel } from '../panels/machine/index.ts';
import { SAMPLES } from '../samples.ts';
import { messages } from '../messages/index.ts';
import { KnobsLine, KnobsPicker } from './Knobs.tsx';

export function ProgramPanel() {
  const { source, line, breakpoints, onToggleBreakpoint } = useSlice(selectSource);
  const p = useSlice((s) => ({ editing: s.editing || !s.loaded, text: s.source, busy: s.busy, diagnostics: s.diagnostics,
    setSource: s.setSource, load: s.load, setEditing: s.setEditing }));
  if (!p.editing) {
    return (
      <div className="program-view">
        <SourcePanel source={source} line={line} breakpoints={breakpoints} onToggleBreakpoint={onToggleBreakpoint} />
        <KnobsLine />
        <button type="button" className="secondary" onClick={() => p.setEditing(true)}>{messages.editProgram}</button>
      </div>
    );
  }
  return (
    <section className="panel editor" aria-label={messages.programLabel}>
      <label htmlFor="sample">{messages.sampleLabel}</label>
      <select id="sample" defaultValue="" onChange={(e) => { const x = SAMPLES.find((q) => q.name === e.target.value); if (x) p.setSource(x.source); }}>
        <option value="" disabled>—</option>
        {SAMPLES.map((q) => <option key={q.name} value={q.name}>{q.name}</option>)}
      </select>
      <label htmlFor="program">{messages.programLabel}</label>
      <textarea id="program" spellCheck={false} value={p.text} onChange={(e) => p.setSource(e.target.value)} />
      <KnobsPicker />
      <div className="toolbar">
        <button type="button" onClick={() => void p.load()} disabled={p.busy}>{p.busy ? messages.loading : messages.load}</button>
      </div>
      {p.diagnostics && <pre className="diagnostics" role="alert">{p.diagnostics}</pre>}
    </section>
  );
}
