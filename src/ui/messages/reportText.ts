// A run's stderr in the UI's language, read when shown: what the guest wrote, as written, then the
// host's report said by key (catalog area `report`). Without the parts (an older result), the
// English stderr as the engine gave it.

import type { ReportMsg } from '../../engine/report.ts';
import { messages } from './index.ts';

export const sayReport = (m: ReportMsg): string => messages.report.text[m.key](m.params);

export function sayStderr(o: { stderr: string; guestStderr?: string; report?: ReportMsg[] }): string {
  if (o.guestStderr === undefined || !o.report) return o.stderr;
  return o.guestStderr + o.report.map(sayReport).join('\n');
}
