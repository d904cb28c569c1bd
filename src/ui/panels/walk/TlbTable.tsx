// The TLB's valid entries with their tags (VPID, PCID, EPT root) and what they map (VA page ->
// HPA, size, permission flags), sorted stably by tag then address; a hit, fill or flush marked.

import { messages } from '../../messages/index.ts';
import type { TlbEntryView } from '../../../engine/player/view.ts';
import { va48 } from './va.ts';
import './walk.css';

const t = messages.walk;

export type TlbHighlightKind = 'hit' | 'fill' | 'flush';
/** The entry an event names: its page, and (when the event gives them) its tags. A fill in VPID 1
 *  marks only the VPID-1 entry, never a root-mode entry for the same page. */
export interface TlbHighlight { va: string; kind: TlbHighlightKind; vpid?: number; pcid?: number; ept?: string | null }
export interface TlbTableProps {
  entries: TlbEntryView[];
  highlight?: TlbHighlight;
}

const SIZE: Record<TlbEntryView['size'], bigint> = { '4K': 1n << 12n, '2M': 1n << 21n };
const FLAGS = ['rw', 'us', 'nx', 'dirty', 'global'] as const;

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** Tag order (VPID, PCID, EPT root; root-mode entries first), then VA; Array.sort is stable. */
export function sortTlb(entries: TlbEntryView[]): TlbEntryView[] {
  return [...entries].sort((a, b) =>
    a.vpid - b.vpid || a.pcid - b.pcid ||
    cmp(a.ept === null ? -1n : BigInt(a.ept), b.ept === null ? -1n : BigInt(b.ept)) ||
    cmp(va48(a.va), va48(b.va)) || cmp(SIZE[a.size], SIZE[b.size]));
}

/** Does the entry's page contain this linear address? */
export const covers = (e: TlbEntryView, va: string) => {
  const base = va48(e.va), v = va48(va);
  return v >= base && v < base + SIZE[e.size];
};

/** Is this the entry the highlight names (page and every tag it gives)? */
export const names = (e: TlbEntryView, h: TlbHighlight) => covers(e, h.va) &&
  (h.vpid === undefined || e.vpid === h.vpid) && (h.pcid === undefined || e.pcid === h.pcid) &&
  (h.ept === undefined || e.ept === h.ept);

export function TlbTable({ entries, highlight }: TlbTableProps) {
  const rows = sortTlb(entries);
  const marked = rows.map((e) => highlight !== undefined && names(e, highlight));
  const seen = new Map<string, number>();
  const keys = rows.map((e) => {
    const k = `${e.vpid}/${e.pcid}/${e.ept}/${e.va}/${e.size}`, n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return n ? `${k}#${n}` : k;
  });
  const flushedGone = highlight?.kind === 'flush' && !marked.some(Boolean);
  const c = t.tlbCols;
  return (
    <section className="walk-panel walk-tlb" aria-label={t.tlbLabel} tabIndex={0}>
      <p className="walk-tlb-count">{t.tlbCount(entries.length)}</p>
      {flushedGone && <p className="walk-tlb-flushed hl-flush" role="status">{t.tlbFlushed(highlight!.va)}</p>}
      {rows.length === 0 ? (
        <p className="walk-empty">{t.tlbEmpty}</p>
      ) : (
        <table className="walk-tlb-table">
          <thead>
            <tr>
              <th scope="col">{c.vpid}</th><th scope="col">{c.pcid}</th><th scope="col">{c.ept}</th>
              <th scope="col">{c.va}</th><th scope="col">{c.hpa}</th><th scope="col">{c.size}</th><th scope="col">{c.flags}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e, i) => (
              <tr key={keys[i]}
                className={marked[i] ? `hl hl-${highlight!.kind}` : undefined}
                aria-current={marked[i] ? 'true' : undefined}>
                <td>{e.vpid}</td>
                <td>{e.pcid}</td>
                <td><code>{e.ept ?? t.tlbNoEpt}</code></td>
                <td>
                  <code>{e.va}</code>
                  {marked[i] && <span className="walk-tlb-badge">{t.tlbKind[highlight!.kind]}</span>}
                </td>
                <td><code>{e.hpa}</code></td>
                <td>{e.size}</td>
                <td className="walk-tlb-flags">
                  {FLAGS.filter((f) => e.flags[f]).map((f) => (
                    <abbr key={f} title={t.tlbFlagTitles[f]}>{t.tlbFlags[f]}</abbr>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
