// The assembler's errors in the UI's language: the messages with keys from the catalog (asm), the
// others as the assembler wrote them (English), in the layout `check` prints.

import { formatAsmErrors } from '../../engine/asm/diag.ts';
import type { AsmError } from '../../engine/asm/ir.ts';
import { messages } from './index.ts';

export function sayAsmErrors(errors: AsmError[]): string {
  const a = messages.asm;
  return formatAsmErrors(errors, {
    error: a.error, hint: a.hint, note: a.note,
    msg: (m) => a.text[m.key](m.params),
    what: (w) => { const m = /^in macro '(.*)' used here$/.exec(w); return w === 'included from here' ? a.included : m ? a.macroUsed(m[1]) : w; },
  });
}
