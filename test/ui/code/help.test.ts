import { describe, it, expect } from 'vitest';
import { EditorState } from '@codemirror/state';
import { CompletionContext } from '@codemirror/autocomplete';
import { EditorView } from '@codemirror/view';
import { guestCompletions, helpFor, keyboardHelp } from '../../../src/ui/code/help.ts';
import { guestLanguage } from '../../../src/ui/code/language.ts';

/** The completion labels at the | in text. */
function complete(text: string, explicit = false): string[] {
  const pos = text.indexOf('|');
  const state = EditorState.create({ doc: text.replace('|', ''), extensions: [guestLanguage] });
  return guestCompletions(new CompletionContext(state, pos, explicit))?.options.map((o) => o.label) ?? [];
}

describe('completion and hover help', () => {
  it('mnemonics and directives where a statement starts', () => {
    const at = complete('_start:\n    sy|');
    expect(at).toContain('syscall');
    expect(at).toContain('sysretq');
    expect(at).toContain('.text');
    expect(at).not.toContain('rax');
    expect(complete('here: |', true)).toContain('mov');
  });

  it('labels, registers, libdune functions and SYS_ names in operands', () => {
    const at = complete('_start:\n    call du|\nloop: jmp loop\nK = 3\n');
    expect(at).toEqual(expect.arrayContaining(['_start', 'loop', 'K', 'rax', 'r15d', 'dune_init_and_enter', 'dune_vm_map_pages', 'SYS_write', 'PROT_READ']));
    expect(at).not.toContain('mov');
    // Nothing inside a comment.
    expect(complete('    mov rax, 1 ; ca|')).toEqual([]);
  });

  it('hover: what the tables say, and where the program defines a label', () => {
    const state = EditorState.create({ doc: '_start:\n  jmp _start\n' });
    expect(helpFor(state, 'xor')).toEqual({ title: 'xor', lines: ['instruction', 'forms: r/m, r; r, m; r/m, imm'] });
    expect(helpFor(state, 'jz')?.lines).toEqual(['alias of je', 'forms: a label or number only']);
    expect(helpFor(state, 'SYS_write')?.lines).toEqual(['Linux system call 1 (put it in rax, then syscall)']);
    expect(helpFor(state, '_start')?.lines).toEqual(['defined on line 1']);
    expect(helpFor(state, '.zero')?.lines[1]).toMatch(/N zero bytes/);
    expect(helpFor(state, 'frobnicate')).toBeNull();
  });

  it('the same help from the keyboard: Ctrl+I at the cursor, Escape hides it', () => {
    const parent = document.createElement('div');
    document.body.append(parent);
    const view = new EditorView({ parent, state: EditorState.create({ doc: '  lea rax, [rip + x]\n', extensions: [keyboardHelp] }) });
    view.dispatch({ selection: { anchor: 3 } });
    view.contentDOM.dispatchEvent(new KeyboardEvent('keydown', { key: 'i', code: 'KeyI', ctrlKey: true, bubbles: true }));
    expect(parent.querySelector('.cm-guest-help')?.textContent).toBe('leainstructionforms: r16/32/64, m');
    view.contentDOM.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true }));
    expect(parent.querySelector('.cm-guest-help')).toBeNull();
    view.destroy();
    parent.remove();
  });
});
