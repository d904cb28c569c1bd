// Messages of the assembler's diagnostics as the page shows them: the frame's words and the
// messages that have keys (engine/asm/messages.ts, in English there: `check` and the CLI print it).

import { ASM_TEXT } from '../../engine/asm/messages.ts';

export const asm = {
  error: 'error', hint: 'hint', note: 'note',
  /** A note's "what" (preprocess.ts): the words for an include or a macro use. */
  included: 'included from here',
  macroUsed: (name: string) => `in macro '${name}' used here`,
  text: ASM_TEXT,
};
