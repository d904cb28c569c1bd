// Messages of the assembler's diagnostics as the page shows them: the frame's words and every
// message, hint and note by its key (engine/asm/messages.ts, in English there: `check` and the CLI
// print it).

import { ASM_TEXT } from '../../engine/asm/messages.ts';

export const asm = {
  error: 'error', hint: 'hint', note: 'note',
  text: ASM_TEXT,
  /** The editor's one-line facts about a name (code/guestNames.ts nameFact, the hover help). */
  facts: {
    instruction: 'instruction',
    aliasOf: (mn: string) => `alias of ${mn}`,
    reg64: (n: number) => `64-bit general register ${n} (x86 encoding order)`,
    low32: (full: string) => `the low 32 bits of ${full}; a write zero-extends into ${full}`,
    bitsOf: (range: string, full: string) => `bits ${range} of ${full}`,
    register: 'register',
    runtimeFn: (addr: string) => `runtime function (libdune or libc), linked at ${addr}`,
    libduneVar: (addr: string) => `libdune variable (8 bytes at ${addr})`,
    syscall: (n: number) => `Linux system call ${n} (put it in rax, then syscall)`,
    constant: (hex: string, dec: string) => `predefined constant = ${hex} (${dec})`,
  },
};
