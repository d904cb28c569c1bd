// The terminal shows text, not commands (issue 12 §3): escape sequences in a file or a guest's
// output are shown as ^[ and the like; the shell's own sequences (clear) still work.

import { describe, it, expect } from 'vitest';
import { Shell, type ShellHost } from '../../../src/ui/terminal/shell.ts';
import { visible } from '../../../src/ui/terminal/visible.ts';
import { createStore } from '../../../src/ui/state/store.ts';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import { memVfs } from './memVfs.ts';

// A guest that clears the screen and fakes a prompt and a result.
const FAKE = `.data
msg: .ascii "\\x1b[2J\\x1b[H$ run grade.s\\r\\nAll tests passed\\x07\\n"
.text
_start:
    mov rax, SYS_write
    mov rdi, 1
    lea rsi, [msg]
    mov rdx, 43
    syscall
    mov rax, SYS_exit
    xor rdi, rdi
    syscall
`;

function setup() {
  const engine = inThreadEngine();
  const store = createStore(engine, '');
  let out = '';
  const fs = memVfs({ 'fake.s': FAKE, 'notes.txt': 'red \x1b[31mtext\x1b[0m, title \x1b]0;owned\x07, C1 \x9b2J end\n' });
  const host: ShellHost = { fs, engine, store: () => store.getState(), print: (s) => { out += s; } };
  const shell = new Shell(host);
  return async (line: string) => { out = ''; await shell.execute(line); return out; };
}

describe('terminal escape neutralisation', () => {
  it('visible() shows C0, DEL and C1 controls in caret notation and keeps newlines and tabs', () => {
    expect(visible('a\x1b[2Jb')).toBe('a^[[2Jb');
    expect(visible('bell\x07 del\x7f nul\x00')).toBe('bell^G del^? nul^@');
    expect(visible('csi\x9b2J')).toBe('csiM-^[2J');
    expect(visible('line\r\nnext\ttab\rcr')).toBe('line\nnext\ttab^Mcr');
  });

  it('cat of a file with escape sequences prints them visibly', async () => {
    const sh = setup();
    const out = await sh('cat notes.txt');
    expect(out).toBe('red ^[[31mtext^[[0m, title ^[]0;owned^G, C1 M-^[2J end\n');
    expect(out).not.toMatch(/[\x1b\x07\x9b]/);
  });

  it('a guest\'s output cannot clear the screen or fake a prompt', async () => {
    const sh = setup();
    const out = await sh('run fake.s');
    expect(out).toContain('^[[2J^[[H$ run grade.s\nAll tests passed^G\n');
    expect(out).not.toMatch(/[\x1b\x07]/);
  });

  it('the shell\'s own clear still clears', async () => {
    const sh = setup();
    expect(await sh('clear')).toBe('\x1b[2J\x1b[3J\x1b[H');
  });
});
