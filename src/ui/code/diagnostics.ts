// Diagnostics as you type: after a pause in typing, the assembler checks the program in the
// engine's worker and its errors appear at their line and column, with the text `check` prints.
// The worker sends the errors as keys with parameters; they are said in the page's language here,
// when shown, and said again after a language switch (createEditor's relint).

import { linter, type Diagnostic } from '@codemirror/lint';
import { StateEffect, type Text } from '@codemirror/state';
import type { AsmError, CheckDiagnostic } from '../engineClient.ts';
import { messages } from '../messages/index.ts';
import { sayEditorDiagnostics } from '../messages/asmText.ts';

/** The check's report without the echoed source line and caret (the editor shows both in place):
 *  `file:line:col: error: message` and, if any, `  hint: …`. Without the printed text (an error
 *  at a line that uses an included file or a macro), the same first line is built from the parts. */
export function diagnosticText(d: CheckDiagnostic, file: string): string {
  if (d.text === undefined) return `${file}:${d.line}:${d.col}: ${messages.asm.error}: ${d.message}`;
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
  /** The assembler's errors for the text (keys with parameters). */
  check(source: string): Promise<AsmError[]>;
  /** Told each outcome: the errors as the editor shows them (in the page's language), or why the
   *  check itself failed. */
  onResult?(r: { errors: CheckDiagnostic[] } | { failed: string }): void;
}

/** Waits this long after the last keystroke before checking (ms). */
export const CHECK_DELAY = 400;

/** Asks for a check of the unchanged text (a language switch: the same errors in new words). */
export const recheck = StateEffect.define<null>();

export function checkAsYouType(h: CheckHooks) {
  return linter(async (view) => {
    const doc = view.state.doc;
    try {
      const errors = sayEditorDiagnostics(await h.check(doc.toString()), h.fileName());
      h.onResult?.({ errors });
      return errors.map((e) => toDiagnostic(doc, e, h.fileName()));
    } catch (e) {
      h.onResult?.({ failed: e instanceof Error ? e.message : String(e) });
      return [];
    }
  }, { delay: CHECK_DELAY, needsRefresh: (u) => u.transactions.some((tr) => tr.effects.some((e) => e.is(recheck))) });
}
