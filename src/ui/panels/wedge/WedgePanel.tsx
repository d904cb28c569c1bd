// The Wedge view (issue 11, section 4): the parent's and each sthread's page tables side by side
// at the cursor (U bits, remapped frames, each space's PCID, which CR3 is live, what the TLB
// caches), and the recycle pass over D bits, stepped page by page. The worker derives it from the
// machine state at the cursor (worker/wedge.ts). Every colour has a glyph or text beside it.

import { useState } from 'react';
import { messages } from '../../messages/index.ts';
import { useEngine, useSlice } from '../../state/context.tsx';
import type { WedgeView, RecycleStop } from '../../engineClient.ts';
import './wedge.css';

const t = messages.wedge;
type Row = WedgeView['rows'][number];
type Cell = Row['cells'][number];
type Space = WedgeView['spaces'][number];
type Page = WedgeView['recycle'][number]['pages'][number];

function Flags({ c }: { c: Cell }) {
  const flags = (['w', 'u', 'a', 'd'] as const).map((f) => (
    <abbr key={f} className={`wv-flag ${c[f] ? 'on' : 'off'}`} title={`${t.flagTitle[f]}${c[f] ? '' : ` (${t.flagOff})`}`}>{c[f] ? t.flag[f] : '·'}</abbr>
  ));
  return <span className="wv-flags">{flags}</span>;
}

function EntryCell({ c }: { c: Cell }) {
  if (c.frame === null) return <td className="wv-cell wv-absent">{t.notPresent}</td>;
  return (
    <td className={`wv-cell${c.u ? ' wv-user' : ' wv-super'}${c.remapped ? ' wv-remapped' : ''}`}>
      <code className="wv-frame">{c.frame}</code> <Flags c={c} />
      {c.remapped && <span className="wv-tag" title={t.remappedTitle}> {t.remapped}</span>}
      <span className={`wv-tlb${c.tlb?.dirty ? ' dirty' : ''}`}>{c.tlb ? t.tlb(c.tlb.dirty) : t.tlbNone}</span>
    </td>
  );
}

function SpaceHead({ s }: { s: Space }) {
  return (
    <th scope="col" className={s.live ? 'wv-live' : undefined} aria-current={s.live ? 'true' : undefined}>
      <span className="wv-space-name">{s.id === 0 ? t.parent : t.sthread(s.id)}</span>
      <span className="wv-pcid">{t.pcid(s.pcid)}</span>
      <span className="wv-state">{t.state[s.state]}</span>
      <code className="wv-cr3">CR3 {s.cr3}</code>
      {s.live && <span className="wv-live-mark">{t.live}</span>}
    </th>
  );
}

function RecycleList({ id, pages }: { id: number; pages: Page[] }) {
  // Writable pages always; stack pages only when not clean (40 KiB of mostly untouched stack).
  const shown = pages.filter((p) => p.region === 'writable' || p.status !== 'clean');
  const hidden = pages.length - shown.length;
  return (
    <section className="wv-recycle-list" aria-label={t.recycleLabel(id)}>
      <h4>{t.recycleOf(id)}</h4>
      <ul>
        {shown.map((p) => (
          <li key={p.va} className={`wv-st wv-st-${p.status}`}>
            <code>{p.va}</code> <span className="wv-region">{t.region[p.region]}</span>{' '}
            <span className="wv-status">{t.status[p.status]}</span>
            {p.tlbDirty && <span className="wv-tlbdirty"> · {t.tlbDirty}</span>}
          </li>
        ))}
      </ul>
      {hidden > 0 && <p className="muted">{t.moreClean(hidden)}</p>}
    </section>
  );
}

export function WedgePanel() {
  const engine = useEngine();
  // The view comes with the cursor from the worker (worker/cursor.ts).
  const { view, seek } = useSlice((s) => ({ view: s.loaded ? s.wedge : null, seek: s.seek }));
  const [edge, setEdge] = useState(false);
  const step = async (dir: 1 | -1, stop: RecycleStop) => {
    const to = await engine.wedgeStep(dir, stop);
    setEdge(to === null);
    if (to !== null) await seek(to);
  };
  const livePcid = view?.spaces.find((s) => s.live)?.pcid ?? 0;
  // Only a program with sthreads has this view (the normal layout lists it for every run).
  if (!view) return null;
  return (
    <section className="panel wedge-panel" aria-label={messages.panels.wedge}>
      <h2>{messages.panels.wedge}</h2>
      <p className="muted">{t.help}</p>
      {(
        <>
          <p className="wv-cr3now" data-testid="wedge-cr3">{t.cr3Now(view.cr3, livePcid)}</p>
          <div className="wv-scroll" tabIndex={0} role="region" aria-label={t.tableLabel}>
            <table className="wv-table" data-testid="wedge-table" aria-label={t.tableLabel}>
              <thead><tr><th scope="col">{t.colPage}</th>{view.spaces.map((s) => <SpaceHead key={s.id} s={s} />)}</tr></thead>
              <tbody>
                {view.rows.map((r) => (
                  <tr key={`${r.region}-${r.va}`}>
                    <th scope="row"><code>{r.va}</code> <span className="wv-region">{r.owner !== null ? t.stackOf(r.owner) : t.region[r.region]}</span></th>
                    {r.cells.map((c, i) => <EntryCell key={i} c={c} />)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{t.recycle}</h3>
          <p className="muted">{t.recycleHelp}</p>
          <p data-testid="wedge-pass" role="status">{view.inRecycle ? t.inPass(view.visiting) : t.notInPass} {t.invlpg(view.invlpg)} {t.copied(view.recycledPages)}</p>
          <nav className="wv-steps" aria-label={t.stepNav}>
            <button type="button" onClick={() => void step(-1, 'visit')}>{t.prevVisit}</button>
            <button type="button" onClick={() => void step(1, 'visit')}>{t.nextVisit}</button>
            <button type="button" onClick={() => void step(-1, 'cleared')}>{t.prevCleared}</button>
            <button type="button" onClick={() => void step(1, 'cleared')}>{t.nextCleared}</button>
            <button type="button" onClick={() => void step(-1, 'copied')}>{t.prevCopied}</button>
            <button type="button" onClick={() => void step(1, 'copied')}>{t.nextCopied}</button>
            {edge && <span className="muted" role="status"> {t.noMore}</span>}
          </nav>
          {view.recycle.map((r) => <RecycleList key={r.id} id={r.id} pages={r.pages} />)}
        </>
      )}
    </section>
  );
}
