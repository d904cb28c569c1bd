// The Memory panel: the host page table, libdune's guest page table and the EPT as collapsible
// trees (A/D lit against the previous view), and the three address spaces side by side.

import { useEffect, useMemo, useRef } from 'react';
import type { MemoryView } from '../../../engine/player/memview.ts';
import { messages } from '../../messages/index.ts';
import { MemTree } from './MemTree.tsx';
import { layoutSpaces, renderSpaces } from './spacesRender.ts';
import { useDomId } from '../machine/a11y.tsx';
import './memory.css';
import { useLocale } from '../../messages/useLocale.ts';

const t = messages.memory;

export interface MemoryPanelProps {
  /** The memory at the cursor (engine.memory()), or null before a program is loaded. */
  memory: MemoryView | null;
  /** The view before the last step: A/D bits set since then, and new entries, are lit. */
  previous?: MemoryView | null;
}

export function MemoryPanel({ memory, previous }: MemoryPanelProps) {
  const id = useDomId('mem');
  // Only compare views of the same process.
  const prev = previous && memory && previous.pid === memory.pid ? previous : null;
  return (
    <section className="panel memory-panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t.title}</h2>
      {!memory ? <p className="hint">{t.none}</p> : (
        <>
          <p className="hint">{t.process(memory.pid, memory.name, memory.dune)}. {t.help}</p>
          <div className="mem-trees">
            <MemTree kind="host" tree={memory.host} previous={prev?.host} caption={`${t.hostRoot(memory.cr3)} · ${t.rootAt(memory.host.root)}`} />
            {memory.dune && memory.guest && (
              <MemTree kind="guest" tree={memory.guest} previous={prev?.guest}
                caption={`${t.guestRoot(memory.guestCr3!, memory.guestCr3From!)} · ${t.rootAt(memory.guest.root)}`} />
            )}
            {memory.dune && !memory.guest && <p className="hint">{t.noGuestYet}</p>}
            {memory.ept && (
              <MemTree kind="ept" tree={memory.ept} previous={prev?.ept} caption={`${t.eptRoot(memory.eptp!)} · ${t.rootAt(memory.ept.root)}`} />
            )}
            {!memory.dune && <p className="hint">{t.noGuest}</p>}
          </div>
          <AddressSpaces memory={memory} />
        </>
      )}
    </section>
  );
}

function AddressSpaces({ memory }: { memory: MemoryView }) {
  const svgRef = useRef<SVGSVGElement>(null);
  const id = useDomId('mem-sp');
  const s = memory.spaces;
  const locale = useLocale();
  const layout = useMemo(() => layoutSpaces(s, memory.dune), [s, memory.dune, locale]);
  useEffect(() => { if (svgRef.current) renderSpaces(svgRef.current, layout); }, [layout]);
  const f = s.frames;
  return (
    <div className="mem-spaces">
      <h3 id={`${id}-h`}>{t.spacesTitle}</h3>
      <p className="hint">{t.spacesHelp}</p>
      <p className="mem-frame-totals">
        {t.frames(f.used, f.total)} · {t.hostMapped(f.hostMapped)}{memory.dune && ` · ${t.eptMapped(f.eptMapped)}`}
      </p>
      {/* The picture is drawn by renderSpaces; React owns only the element. */}
      <svg ref={svgRef} role="img" aria-label={t.diagramLabel} className="mem-spaces-svg" />
      <ul className="visually-hidden">
        {s.vmas.map((a, i) => (
          <li key={i}>
            {t.vma(a.kind, a.perms)} {t.vmaRange(a.start, a.end)}: {a.window ? t.link(t.windowName[a.window], a.gpa!) : memory.dune ? t.outside : t.noWindows}
            {' · '}{memory.dune ? t.eptPages(a.eptPages) : t.pages(a.pages)}
          </li>
        ))}
      </ul>
    </div>
  );
}
