// The assembler's errors in the UI's language, read at the moment they are shown: every message,
// hint and note by its key from the catalog (asm), in the layout `check` prints.

import { editorDiagnostics, formatAsmErrors, type AsmSay, type EditorDiagnostic } from '../../engine/asm/diag.ts';
import type { AsmError } from '../../engine/asm/ir.ts';
import type { AsmMsg } from '../../engine/asm/messages.ts';
import { messages } from './index.ts';

/** How the page says a diagnostic now (the current locale's words). */
export function asmSay(): AsmSay {
  const a = messages.asm;
  return { error: a.error, hint: a.hint, note: a.note, text: (m: AsmMsg) => a.text[m.key](m.params) };
}

export function sayAsmErrors(errors: AsmError[]): string {
  return formatAsmErrors(errors, asmSay());
}

/** The errors as the editor of `file` shows them, in the current locale. */
export function sayEditorDiagnostics(errors: AsmError[], file: string): EditorDiagnostic[] {
  return editorDiagnostics(errors, file, asmSay());
}
