// Diagnostics as you type: after a pause in typing, the assembler checks the program in the
// engine's worker and its errors appear at their line and column, with the text `check` prints.

import { linter, type Diagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import type { CheckDiagnostic } from '../engineClient.ts';

/** The check's report without the echoed source line and caret (the editor shows both in place):
 *  `file:line:col: error: message` and, if any, `  hint: …`. Without the printed text (an engine
 *  that sends only the message), the same first line is built from the parts. */
export function diagnosticText(d: CheckDiagnostic, file: string): string {
  if (d.text === undefined) return `${file}:${d.line}:${d.col}: error: ${d.message}`;
  const lines = d.text.split('\n');
  return [lines[0], ...lines.slice(3)].join('\n');
}

/** An assembler error as an editor diagnostic, clamped to the document (without a length, the
 *  mark runs to the end of the word at the column). */
export function toDiagnostic(doc: Text, d: CheckDiagnostic, file: string): Diagnostic {
  const line = doc.line(Math.min(Math.max(1, d.line), doc.lines));
  const from = Math.min(line.to, line.from + Math.max(0, d.col - 1));
  const len = d.length ?? Math.max(1, /^[\w.$@]*/.exec(line.text.slice(from - line.from))![0].length);
  const to = Math.min(line.to, from + Math.max(1, len));
  return { from, to: Math.max(to, from), severity: 'error', message: diagnosticText(d, file), source: 'check' };
}

export interface CheckHooks {
  /** The name errors are reported under (the open file's). */
  fileName(): string;
  check(source: string): Promise<CheckDiagnostic[]>;
  /** Told each outcome: the errors, or why the check itself failed. */
  onResult?(r: { errors: CheckDiagnostic[] } | { failed: string }): void;
}

/** Waits this long after the last keystroke before checking (ms). */
export const CHECK_DELAY = 400;

export function checkAsYouType(h: CheckHooks) {
  return linter(async (view) => {
    const doc = view.state.doc;
    try {
      const errors = await h.check(doc.toString());
      h.onResult?.({ errors });
      return errors.map((e) => toDiagnostic(doc, e, h.fileName()));
    } catch (e) {
      h.onResult?.({ failed: e instanceof Error ? e.message : String(e) });
      return [];
    }
  }, { delay: CHECK_DELAY });
}
