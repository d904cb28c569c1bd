// One paging-structure entry's 64-bit value split into its named fields (P, RW, US, ... address,
// XD for paging entries; R, W, X, memory type, IPAT, ... for EPT), as a table with each value.

import { messages } from '../../messages/index.ts';
import type { WalkRef } from '../../../engine/trace/events.ts';
import { decodeEntry } from './entry.ts';
import './walk.css';

const t = messages.walk;

export interface EntryFieldsProps {
  /** The entry to decode (a walk ref: space, level and value are used), or null for none. */
  entry: Pick<WalkRef, 'space' | 'level' | 'value'> | null;
}

const spaceName = (s: WalkRef['space']) => (s === 'ept' ? t.spaceEpt : s === 'guest' ? t.spaceGuest : t.spaceHost);

export function EntryFields({ entry }: EntryFieldsProps) {
  if (!entry) return <section className="walk-panel walk-entry"><p className="walk-empty">{t.entryNone}</p></section>;
  const d = decodeEntry(entry.space, entry.level, entry.value);
  const heading = t.entryHeading(spaceName(entry.space), entry.level);
  const kind = !d.present ? t.notPresent : d.leaf ? t.leaf : t.nonLeaf;
  return (
    <section className={`walk-panel walk-entry sp-${entry.space}`} aria-label={heading}>
      <h3 className="walk-entry-head">
        {heading} <code className="walk-entry-value">{entry.value}</code> <span className="walk-entry-kind">({kind})</span>
      </h3>
      <table className="walk-fields">
        <thead>
          <tr><th scope="col">{t.colField}</th><th scope="col">{t.colBits}</th><th scope="col">{t.colValue}</th><th scope="col">{t.colMeaning}</th></tr>
        </thead>
        <tbody>
          {d.fields.map((f) => (
            <tr key={f.bits} data-field={f.name} className={f.hi === f.lo && f.value !== 0n ? 'walk-set' : undefined}>
              <th scope="row">{f.name}</th>
              <td className="walk-bits">{f.bits}</td>
              <td className="walk-val"><code>{f.shown}</code></td>
              <td>{f.meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
