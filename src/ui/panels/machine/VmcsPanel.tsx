// The current VMCS: fields by the SDM's groups (collapsible) with name, encoding and value, those
// written at the last exit or entry highlighted, and the last exit's qualification decoded.

import { useState } from 'react';
import { VMCS_GROUPS, EXIT_NAME, exitInstrLenDefined, type VmcsGroup } from '../../../engine/arch/vmx.ts';
import type { VmcsFieldView } from '../../../engine/player/view.ts';
import { messages } from '../../messages/index.ts';
import { ExitDecode, type VmExitEvent } from './ExitDecode.tsx';
import { useDomId, VisuallyHidden } from './a11y.tsx';
import './machine.css';

const t = messages.machine;
const GROUPS = Object.keys(VMCS_GROUPS) as VmcsGroup[];

export interface VmcsPanelProps {
  /** MachineView.vmcs: null before the first DUNE_ENTER. */
  fields: VmcsFieldView[] | null;
  lastExit?: VmExitEvent | null;
  /** Groups open at first (default: all). */
  initiallyOpen?: VmcsGroup[];
  /** A change of this key opens `initiallyOpen` again (the groups the user opened or closed are
   *  reset) without remounting the panel: its rows are updated in place, not built anew. */
  resetKey?: string;
}

/** VM_EXIT_REASON as the SDM writes it: the basic reason (bits 15:0) in decimal, and its name.
 *  VM_EXIT_INSTRUCTION_LEN: said to be undefined where the SDM leaves it so for the last exit. */
function valueOf(f: VmcsFieldView, fields: VmcsFieldView[], exited: boolean): string {
  const get = (name: string) => fields.find((x) => x.name === name)?.value;
  const basicOf = (v: string) => Number(BigInt(v) & 0xffffn);
  if (f.name === 'VM_EXIT_INSTRUCTION_LEN') {
    const reason = get('VM_EXIT_REASON');
    if (reason === undefined || !exited) return f.value;
    const basic = basicOf(reason), n = (name: string) => Number(get(name) ?? 0);
    const defined = exitInstrLenDefined(basic, { intrInfo: n('VM_EXIT_INTR_INFO'), idtInfo: n('IDT_VECTORING_INFO_FIELD'), qualification: n('EXIT_QUALIFICATION') });
    return defined ? f.value : t.instrLenUndefined(f.value, EXIT_NAME[basic] ?? String(basic));
  }
  if (f.name !== 'VM_EXIT_REASON') return f.value;
  const basic = basicOf(f.value);
  return EXIT_NAME[basic] ? t.reasonValue(f.value, basic, EXIT_NAME[basic]) : f.value;
}

export function VmcsPanel({ fields, lastExit, initiallyOpen = GROUPS, resetKey }: VmcsPanelProps) {
  const id = useDomId('vmcs');
  const [open, setOpen] = useState<Set<VmcsGroup>>(() => new Set(initiallyOpen));
  const [openedFor, setOpenedFor] = useState(resetKey);
  if (openedFor !== resetKey) { setOpenedFor(resetKey); setOpen(new Set(initiallyOpen)); }
  const toggle = (g: VmcsGroup) => setOpen((s) => {
    const n = new Set(s);
    if (!n.delete(g)) n.add(g);
    return n;
  });

  return (
    <section className="panel machine-panel vmcs-panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t.vmcsTitle}</h2>
      {!fields ? (
        <p className="hint empty" data-testid="vmcs-empty">{t.vmcsEmpty}</p>
      ) : (
        <>
          {lastExit && <ExitDecode exit={lastExit} fields={fields} headingId={`${id}-exit`} />}
          {GROUPS.map((g) => {
            const rows = fields.filter((f) => f.group === g);
            const changed = rows.filter((f) => f.changed).length;
            const isOpen = open.has(g);
            return (
              <div className="vmcs-group" key={g} data-group={g}>
                <h3>
                  <button type="button" className="disclosure" aria-expanded={isOpen} aria-controls={`${id}-${g}`} onClick={() => toggle(g)}>
                    <span aria-hidden="true">{isOpen ? '▾' : '▸'} </span>{t.groups[g]}
                    {changed > 0 && <span className="badge"> {t.groupChanged(changed)}</span>}
                  </button>
                </h3>
                {/* Explicit roles: a narrow column lays the rows out as stacked lines (machine.css). */}
                <table id={`${id}-${g}`} className="vmcs-table" hidden={!isOpen} aria-label={t.groups[g]} role="table">
                  <thead role="rowgroup">
                    <tr role="row"><th scope="col" role="columnheader">{t.colName}</th><th scope="col" role="columnheader">{t.colEncoding}</th><th scope="col" role="columnheader">{t.colValue}</th></tr>
                  </thead>
                  <tbody role="rowgroup">
                    {rows.map((f) => (
                      <tr key={f.encoding} role="row" className={f.changed ? 'changed' : undefined} data-field={f.name} data-changed={f.changed || undefined}>
                        <th scope="row" role="rowheader" className="mono">{f.name}</th>
                        <td role="cell" className="mono vmcs-enc">{f.encoding}</td>
                        <td role="cell" className={f.name === 'VM_EXIT_INSTRUCTION_LEN' ? 'mono vmcs-wrap' : 'mono'}>{valueOf(f, fields, !!lastExit)}{f.changed && <VisuallyHidden> ({t.changed})</VisuallyHidden>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          })}
        </>
      )}
    </section>
  );
}
