// A 48-bit virtual address split into its index fields: PML4, PDPT, PD and PT indices (9 bits
// each) and the 12-bit page offset, each with its bit range and value.

import { messages } from '../../messages/index.ts';
import { splitVa } from './va.ts';
import './walk.css';

const t = messages.walk;

export interface VaSplitProps {
  /** Linear address, hex (canonical form accepted: the low 48 bits are split). */
  va: string;
}

export function VaSplit({ va }: VaSplitProps) {
  const parts = splitVa(va);
  return (
    <section className="walk-panel walk-vasplit" aria-label={t.vaSplitLabel}>
      <code className="walk-va">{va}</code>
      <ol className="walk-va-parts">
        {parts.map((p, i) => {
          const bits = `${p.hi}:${p.lo}`;
          const offset = i === 4;
          const shown = offset ? '0x' + p.value.toString(16) : String(p.value);
          const name = t.vaFields[i];
          return (
            <li key={bits} className={offset ? 'walk-va-part offset' : `walk-va-part l${4 - i}`} data-field={name}
              aria-label={offset ? t.offsetLabel(bits, shown) : t.vaFieldLabel(name, bits, shown)}>
              <span className="walk-va-name">{name}</span>
              <span className="walk-va-bits">{bits}</span>
              <span className="walk-va-value">{shown}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
