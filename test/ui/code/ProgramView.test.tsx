import { describe, it, expect, afterEach } from 'vitest';
import { render, screen, waitFor, cleanup, fireEvent } from '@testing-library/react';
import { EditorView } from '@codemirror/view';
import { forEachDiagnostic } from '@codemirror/lint';
import { ProgramView } from '../../../src/ui/code/ProgramView.tsx';
import { createStore } from '../../../src/ui/state/store.ts';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import { Shell, type ShellHost } from '../../../src/ui/terminal/shell.ts';
import { memVfs } from '../terminal/memVfs.ts';
import { code as t } from '../../../src/ui/messages/code.ts';

const PROGRAM = '_start:\n    mov rax, SYS_getpid\n    syscall\n    mov rdi, 0\n    mov rax, SYS_exit\n    syscall\n';

async function setup(source = PROGRAM) {
  const engine = inThreadEngine();
  const useStore = createStore(engine, source);
  const r = render(<ProgramView useStore={useStore} engine={engine} />);
  const content = await waitFor(() => { const c = r.container.querySelector<HTMLElement>('.cm-content'); expect(c).toBeTruthy(); return c!; });
  const view = EditorView.findFromDOM(content)!;
  const lineEl = (n: number) => r.container.querySelectorAll<HTMLElement>('.cm-line')[n - 1];
  return { engine, useStore, view, lineEl, container: r.container };
}

const kinds = (el: HTMLElement) => [...el.querySelectorAll('[class*="g-"]')].map((s) => [s.textContent, [...s.classList].find((c) => c.startsWith('g-'))]);

describe('program view (CodeMirror, happy-dom)', () => {
  afterEach(cleanup);

  it('highlights with the assembler\'s names', async () => {
    const { lineEl, view } = await setup('msg: .asciz "hi" ; text\n  call dune_init_and_enter\n  mov rax, SYS_exit\n  movv rbx, 0x1f\n');
    expect(view.contentDOM.getAttribute('aria-label')).toBe(t.editorLabel);
    expect(kinds(lineEl(1))).toEqual([['msg', 'g-label'], ['.asciz', 'g-directive'], ['"hi"', 'g-string'], ['; text', 'g-comment']]);
    expect(kinds(lineEl(2))).toEqual([['call', 'g-mnemonic'], ['dune_init_and_enter', 'g-libdune']]);
    expect(kinds(lineEl(3))).toEqual([['mov', 'g-mnemonic'], ['rax', 'g-register'], ['SYS_exit', 'g-syscall']]);
    // Not a mnemonic the assembler knows: not coloured as one.
    expect(kinds(lineEl(4))).toEqual([['rbx', 'g-register'], ['0x1f', 'g-number']]);
  });

  it('shows the assembler\'s errors at their line and column as you type, with check\'s text', async () => {
    const { view, lineEl, container, engine, useStore } = await setup();
    await waitFor(() => expect(screen.getByTestId('check-status').textContent).toBe(t.clean));
    // Replace line 4 ("    mov rdi, 0") with a mistake, as typing would.
    const l4 = view.state.doc.line(4);
    view.dispatch({ changes: { from: l4.from + 4, to: l4.from + 7, insert: 'mvo' }, userEvent: 'input.type' });
    await waitFor(() => expect(screen.getByTestId('check-status').textContent)
      .toBe(`${t.problems(1)}: program.s:4:5: error: unknown instruction 'mvo' hint: did you mean 'mov'?`), { timeout: 5000 });
    const found: { from: number; to: number; message: string }[] = [];
    forEachDiagnostic(view.state, (d, from, to) => found.push({ from, to, message: d.message }));
    expect(found).toEqual([{ from: l4.from + 4, to: l4.from + 7,
      message: "program.s:4:5: error: unknown instruction 'mvo'\n  hint: did you mean 'mov'?" }]);
    // The terminal's `check` prints the same lines (plus the source line and caret the editor shows in place).
    const printed: string[] = [];
    const host: ShellHost = { fs: memVfs({ 'program.s': view.state.doc.toString() }), engine, store: () => useStore.getState(), print: (x) => { printed.push(x); }, edit: () => {} };
    await new Shell(host).execute('check /home/program.s');
    const lines = printed.join('').split('\n');
    expect(lines[0]).toBe(found[0].message.split('\n')[0]);
    expect(lines[3]).toBe(found[0].message.split('\n')[1]);
    await waitFor(() => expect(lineEl(4).querySelector('.cm-lintRange-error')?.textContent).toBe('mvo'));
    expect(container.querySelectorAll('.cm-lintRange-error')).toHaveLength(1);
    // Fixed: the error goes.
    view.dispatch({ changes: { from: l4.from + 4, to: l4.from + 7, insert: 'mov' }, userEvent: 'input.type' });
    await waitFor(() => expect(screen.getByTestId('check-status').textContent).toBe(t.clean), { timeout: 5000 });
    expect(container.querySelectorAll('.cm-lintRange-error')).toHaveLength(0);
  });

  it('one breakpoint set: the store, the terminal\'s break and F9 in the editor', async () => {
    const { view, useStore, engine, container } = await setup();
    const dots = () => [...container.querySelectorAll<HTMLElement>('.cm-bp-gutter .cm-bp-dot')].map((d) => Number(d.dataset.line));
    const bpLines = () => [...useStore.getState().breakpoints].sort((a, b) => a - b);
    // The terminal's `break` sets it in the store; the gutter shows it.
    const fs = memVfs({});
    const host: ShellHost = { fs, engine, store: () => useStore.getState(), print: () => {}, edit: () => {} };
    await new Shell(host).execute('break 5');
    await waitFor(() => expect(dots()).toEqual([5]));
    // F9 on line 2 toggles line 2's breakpoint in the same set.
    view.dispatch({ selection: { anchor: view.state.doc.line(2).from + 3 } });
    fireEvent.keyDown(view.contentDOM, { key: 'F9', code: 'F9' });
    expect(bpLines()).toEqual([2, 5]);
    await waitFor(() => expect(dots()).toEqual([2, 5]));
    // And the terminal's `delete` clears it from the gutter.
    await new Shell(host).execute('delete 5');
    await waitFor(() => expect(dots()).toEqual([2]));
    fireEvent.keyDown(view.contentDOM, { key: 'F9', code: 'F9' });
    expect(bpLines()).toEqual([]);
    await waitFor(() => expect(dots()).toEqual([]));
    // Breakpoints move with their lines as lines come and go above them.
    await new Shell(host).execute('break 4');
    await new Shell(host).execute('break 6');
    view.dispatch({ changes: { from: view.state.doc.line(2).from, insert: '    nop\n    nop\n' }, userEvent: 'input' });
    expect(bpLines()).toEqual([6, 8]);
    await waitFor(() => expect(dots()).toEqual([6, 8]));
    expect(view.state.doc.line(6).text).toBe('    mov rdi, 0');
    const l3 = view.state.doc.line(3);
    view.dispatch({ changes: { from: l3.from, to: l3.to + 1 }, userEvent: 'delete' });
    expect(bpLines()).toEqual([5, 7]);
  });

  it('while stepping: the line at RIP is highlighted and the step\'s event lines are marked', async () => {
    const { useStore, container } = await setup();
    const current = () => container.querySelector('.cm-step-current')?.textContent ?? null;
    const events = () => [...container.querySelectorAll('.cm-step-event')].map((e) => e.textContent);
    expect(current()).toBeNull();
    await useStore.getState().load();
    await waitFor(() => expect(current()).toBe('    mov rax, SYS_getpid'));
    await useStore.getState().step(1, 'instr');
    await waitFor(() => expect(current()).toBe('    syscall'));
    await waitFor(() => expect(events()).toEqual(['    mov rax, SYS_getpid']));
    // Over the system call: the kernel runs (no program line at RIP), the syscall line is marked.
    await useStore.getState().step(1, 'instr');
    await waitFor(() => expect(events()).toEqual(['    syscall']));
    expect(current()).toBeNull();
    await useStore.getState().step(1, 'instr');
    await waitFor(() => expect(current()).toBe('    mov rax, SYS_exit'));
    await waitFor(() => expect(events()).toEqual(['    mov rdi, 0']));
    // Back to the start: the step back covers every line run so far (the current line shows as current).
    await useStore.getState().seek(-1);
    await waitFor(() => expect(current()).toBe('    mov rax, SYS_getpid'));
    await waitFor(() => expect(events()).toEqual(['    syscall', '    mov rdi, 0']));
  });

  it('asks before an edit discards the recording', async () => {
    const { view, useStore } = await setup();
    await useStore.getState().load();
    expect(useStore.getState().loaded).not.toBeNull();
    view.dispatch({ changes: { from: 0, insert: '; note\n' }, userEvent: 'input.type' });
    await screen.findByRole('alertdialog');
    expect(view.state.doc.toString()).toBe(PROGRAM); // nothing changed yet
    fireEvent.click(screen.getByRole('button', { name: t.discardNo }));
    expect(useStore.getState().loaded).not.toBeNull();
    expect(view.state.doc.toString()).toBe(PROGRAM);
    view.dispatch({ changes: { from: 0, insert: '; note\n' }, userEvent: 'input.type' });
    await screen.findByRole('alertdialog');
    fireEvent.click(screen.getByRole('button', { name: t.discardYes }));
    expect(useStore.getState().loaded).toBeNull();
    expect(view.state.doc.toString()).toBe('; note\n' + PROGRAM);
    expect(useStore.getState().source).toBe('; note\n' + PROGRAM);
  });

  it('a program replaced from elsewhere (a lesson, the terminal) is one edit: Ctrl+Z brings the text back', async () => {
    const { view, useStore } = await setup('; my own work\n');
    await useStore.getState().loadProgram(PROGRAM);
    await waitFor(() => expect(view.state.doc.toString()).toBe(PROGRAM));
    expect(screen.getByRole('status').textContent).toContain(t.replaced);
    // Undoing it is an edit of a recorded program: asked first, then the text is back.
    fireEvent.keyDown(view.contentDOM, { key: 'z', code: 'KeyZ', ctrlKey: true });
    fireEvent.click(await screen.findByRole('button', { name: t.discardYes }));
    expect(view.state.doc.toString()).toBe('; my own work\n');
    expect(useStore.getState().source).toBe('; my own work\n');
    expect(useStore.getState().loaded).toBeNull();
  });
});
