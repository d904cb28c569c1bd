// The last VM exit, decoded: its SDM name and reason number, the qualification split into named
// fields and bits, the GPA/GLA it reports, and for EXCEPTION_NMI the interruption information.

import type { TraceEvent } from '../../../engine/trace/events.ts';
import type { VmcsFieldView } from '../../../engine/player/view.ts';
import { EXIT_NAME, EXIT_REASON, VMCS_GROUPS } from '../../../engine/arch/vmx.ts';
import { messages } from '../../messages/index.ts';
import { decodeIntrInfo, num, QUAL_DECODERS, type Decoded } from './qualification.ts';

const t = messages.machine;
export type VmExitEvent = Extract<TraceEvent, { type: 'vmexit' }>;

const INFO = VMCS_GROUPS.info;
const field = (fields: VmcsFieldView[] | null, enc: number) => fields?.find((f) => num(f.encoding) === enc);

export function ExitDecode({ exit, fields, headingId }: { exit: VmExitEvent; fields: VmcsFieldView[] | null; headingId: string }) {
  const name = EXIT_NAME[exit.reason] ?? exit.name;
  const q = num(exit.qualification);
  const decoder = QUAL_DECODERS[exit.reason];
  let intr: Decoded | null = null;
  if (exit.reason === EXIT_REASON.EXCEPTION_NMI) {
    const info = field(fields, INFO.VM_EXIT_INTR_INFO), err = field(fields, INFO.VM_EXIT_INTR_ERROR_CODE);
    if (info) intr = decodeIntrInfo(num(info.value), err ? num(err.value) : undefined);
  }
  const decoded = decoder ? decoder(q) : null;
  return (
    <section className="exit-decode" aria-labelledby={headingId} data-testid="exit-decode">
      <h3 id={headingId}>{t.lastExit}: {t.exitReason(name, exit.reason)}</h3>
      <dl className="kv">
        <dt>{t.qualification}</dt><dd className="mono" data-testid="qualification">{exit.qualification}</dd>
        {exit.gpa !== undefined && <><dt>{t.gpa}</dt><dd className="mono">{exit.gpa}</dd></>}
        {exit.gla !== undefined && <><dt>{t.gla}</dt><dd className="mono">{exit.gla}</dd></>}
      </dl>
      {decoded ? <DecodedView d={decoded} testId="qual-fields" /> : !intr && <p className="hint">{t.noDecode}</p>}
      {intr && (
        <>
          <h4>{t.intrInfo}</h4>
          <DecodedView d={intr} testId="intr-fields" />
        </>
      )}
    </section>
  );
}

function DecodedView({ d, testId }: { d: Decoded; testId: string }) {
  return (
    <>
      <table className="decoded" data-testid={testId}>
        <tbody>
          {d.fields.map((f) => (
            <tr key={f.label} data-field={f.label}>
              <th scope="row">{f.label}</th>
              <td className="mono bits">{f.bits && t.bit(f.bits)}</td>
              <td>{f.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.set.length > 0 && (
        <ul className="set-bits" data-testid={`${testId}-set`}>
          {d.set.map((b) => (
            <li key={b.name}><span className="mono">{b.name}</span> ({t.bit(String(b.bit))}): {b.meaning}</li>
          ))}
        </ul>
      )}
    </>
  );
}
