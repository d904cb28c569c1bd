// One paging structure as a collapsible tree (nested lists, ARIA tree): present entries with their
// bits, A and D lit where they changed since the previous view, summaries where tables are long.

import { useMemo, useState, type ReactNode } from 'react';
import { EPT_MT } from '../../../engine/arch/x86.ts';
import type { EntryView, TreeView, PteBitsView, EptBitsView } from '../../../engine/player/memview.ts';
import { messages } from '../../messages/index.ts';
import { useLocale } from '../../messages/useLocale.ts';

const t = messages.memory;
export type TreeKind = 'host' | 'guest' | 'ept';
type Bits = PteBitsView | EptBitsView;
type Entry = EntryView<Bits>;

const MT_NAME: Record<number, string> = Object.fromEntries(Object.entries(EPT_MT).map(([k, v]) => [v, k]));
const PTE_BITS = ['P', 'RW', 'US', 'A', 'D', 'PS', 'G', 'NX'] as const;
const EPT_BITS = ['R', 'W', 'X', 'A', 'D', 'large'] as const;

/** A node's key: the indices from the root, e.g. "4:0/3:0/2:2". */
const keyOf = (parent: string, e: Entry) => `${parent}/${e.level}:${e.index}`;

export interface Change { a: boolean; d: boolean; added: boolean }

/** Changes against the previous tree (none when there is no previous tree): per key, A/D newly
 *  set and new entries; plus the keys with a change somewhere below them. */
export function diffTree(cur: TreeView<Bits> | null, prev: TreeView<Bits> | null | undefined) {
  const changes = new Map<string, Change>(), below = new Set<string>();
  if (!cur || !prev) return { changes, below };
  const old = new Map<string, Bits>();
  const index = (es: Entry[] | undefined, parent: string) => es?.forEach((e) => { const k = keyOf(parent, e); old.set(k, e.bits); index(e.children, k); });
  index(prev.entries, '');
  const walk = (es: Entry[] | undefined, parent: string): boolean => {
    let any = false;
    for (const e of es ?? []) {
      const k = keyOf(parent, e), was = old.get(k);
      const c = { a: e.bits.A && !was?.A, d: e.bits.D && !was?.D, added: was === undefined };
      if (c.a || c.d || c.added) { changes.set(k, c); any = true; }
      if (walk(e.children, k)) { below.add(k); any = true; }
    }
    return any;
  };
  walk(cur.entries, '');
  return { changes, below };
}

export interface MemTreeProps {
  kind: TreeKind;
  tree: TreeView<Bits>;
  previous?: TreeView<Bits> | null;
  /** Text under the heading: the root (CR3, guest CR3, EPTP). */
  caption: string;
}

export function MemTree({ kind, tree, previous, caption }: MemTreeProps) {
  const locale = useLocale();
  const { changes, below } = useMemo(() => diffTree(tree, previous), [tree, previous, locale]);
  // The user's choices; unset nodes follow the default: open the top two levels, small tables
  // (not summarised) and the paths to changes; summarised tables stay closed.
  const [open, setOpen] = useState<Map<string, boolean>>(() => new Map());
  const isOpen = (k: string, e: Entry) => open.get(k) ?? (e.level >= 3 || below.has(k) || !e.truncated);
  const toggle = (k: string, e: Entry) => setOpen((o) => new Map(o).set(k, !isOpen(k, e)));
  const levels = kind === 'ept' ? t.eptLevels : t.levels;

  const node = (e: Entry, parent: string): ReactNode => {
    const k = keyOf(parent, e), c = changes.get(k);
    const title = t.entryTitle(levels[e.level], e.index);
    const kids = !e.leaf && (e.children !== undefined || e.counts !== undefined);
    const expanded = kids && isOpen(k, e);
    const hidden = e.counts ? e.counts.present - (e.children?.length ?? 0) : 0;
    return (
      <li key={k} role="treeitem" aria-level={5 - e.level} aria-expanded={kids ? expanded : undefined}
        className={'mem-node' + (c?.added ? ' mem-new' : '') + (below.has(k) ? ' mem-changed-below' : '')} data-key={k}>
        <div className="mem-row">
          {kids
            ? <button type="button" className="mem-toggle" aria-label={expanded ? t.collapse(title) : t.expand(title)}
                onClick={() => toggle(k, e)}>{expanded ? '▾' : '▸'}</button>
            : <span className="mem-toggle" aria-hidden="true" />}
          <span className="mem-title">{title}</span>
          <span className="mem-base">{t.maps(e.base)}</span>
          <span className="mem-target">{e.leaf ? t.toPage(e.target) : t.toTable(e.target)}</span>
          {kind === 'guest' && e.hpa && <span className="mem-hpa">{t.inHost(e.hpa)}</span>}
          <BitChips bits={e.bits} change={c} leaf={e.leaf} />
          <code className="mem-value" title={t.entryAt(e.entryAddr)}>{e.value}</code>
          {e.via === 'host' && !e.leaf && <span className="mem-via">{t.viaHost}</span>}
          {e.via === 'none' && !e.leaf && <span className="mem-via">{t.viaNone}</span>}
          {c?.added && <span className="mem-badge">{t.isNew}</span>}
          {!expanded && below.has(k) && <span className="mem-badge">{t.changedBelow}</span>}
        </div>
        {expanded && (
          <ul role="group">
            {e.children?.map((ch) => node(ch, k))}
            {e.counts && (
              <li role="none" className="mem-counts">
                {t.counts(e.counts)}{hidden > 0 && ` · ${t.notShown(hidden)}`}
              </li>
            )}
          </ul>
        )}
      </li>
    );
  };

  return (
    <div className={`mem-tree-box mem-${kind}`}>
      <h3>{t.trees[kind]}</h3>
      <p className="hint">{t.treeHelp[kind]} <span className="mem-caption">{caption}</span></p>
      {tree.entries.length === 0
        ? <p className="hint">{t.empty}</p>
        : <ul role="tree" aria-label={t.trees[kind]} className="mem-tree">{tree.entries.map((e) => node(e, ''))}</ul>}
      <p className="mem-counts">{t.counts(tree.counts)}</p>
      {tree.truncated && <p className="hint mem-capped">{t.capped}</p>}
    </div>
  );
}

/** The entry's bits as chips: set bits filled, clear ones dim (and hidden from screen readers). */
function BitChips({ bits, change, leaf }: { bits: Bits; change?: Change; leaf: boolean }) {
  const names: readonly string[] = 'NX' in bits ? PTE_BITS : EPT_BITS;
  const b = bits as unknown as Record<string, boolean | number>;
  const set = names.filter((n) => b[n] === true);
  // The EPT memory type (bits 5:3) is defined in leaf entries only; reserved in the others.
  const mt = 'memtype' in bits && leaf;
  if (mt) set.push(t.memtype(MT_NAME[bits.memtype] ?? String(bits.memtype)));
  return (
    <span className="mem-bits" aria-label={t.bitsLabel(set)} role="group">
      {names.map((n) => {
        const lit = (n === 'A' && change?.a) || (n === 'D' && change?.d);
        return (
          <span key={n} aria-hidden="true" className={'mem-bit' + (b[n] ? ' on' : ' off') + (lit ? ' lit' : '')} data-bit={n}>{n}</span>
        );
      })}
      {mt && <span className="mem-bit on mt" aria-hidden="true">{t.memtype(MT_NAME[bits.memtype] ?? String(bits.memtype))}</span>}
      {change?.a && <span className="visually-hidden">{t.litA}</span>}
      {change?.d && <span className="visually-hidden">{t.litD}</span>}
    </span>
  );
}
