// The program, registered as `source` (panels/registry.tsx): the code view (src/ui/code) that both
// edits the program and shows the line at the cursor, with the what-if knobs for the next run
// while editing, and the recorded run's knobs once it is loaded.

import { useEngine, useSlice, useStoreApi } from '../state/context.tsx';
import { ProgramPanel as CodeView } from '../code/ProgramPanel.tsx';
import { messages } from '../messages/index.ts';
import { KnobsLine, KnobsPicker } from './Knobs.tsx';

export function ProgramPanel() {
  const p = useSlice((s) => ({ editing: s.editing || !s.loaded, setEditing: s.setEditing }));
  return (
    <div className="program-slot">
      <CodeView useStore={useStoreApi()} engine={useEngine()} />
      {p.editing ? <KnobsPicker /> : (
        <>
          <KnobsLine />
          <button type="button" className="secondary" onClick={() => p.setEditing(true)}>{messages.editProgram}</button>
        </>
      )}
    </div>
  );
}
