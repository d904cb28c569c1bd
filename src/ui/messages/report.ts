// The host's report as the page shows it (a run's stderr after the guest's own): every line by its
// key (engine/report.ts, in English there: the CLI prints it).

import { REPORT_TEXT } from '../../engine/report.ts';

export const report = { text: REPORT_TEXT };
