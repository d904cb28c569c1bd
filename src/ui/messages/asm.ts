// Messages of the assembler's diagnostics as the page shows them: the frame's words and every
// message, hint and note by its key (engine/asm/messages.ts, in English there: `check` and the CLI
// print it).

import { ASM_TEXT } from '../../engine/asm/messages.ts';

export const asm = {
  error: 'error', hint: 'hint', note: 'note',
  text: ASM_TEXT,
};
