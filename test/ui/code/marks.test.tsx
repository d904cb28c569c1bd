// The program view's marked lines (cursor line, the step's lines, breakpoints): one tab stop with
// a roving tabindex, arrows inside, Enter shows the line in the editor, Delete removes a
// breakpoint; the keys it uses never reach the page's player keys.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { EditorView } from '@codemirror/view';
import { MarksList, markedLines } from '../../../src/ui/code/MarksList.tsx';
import { ProgramView } from '../../../src/ui/code/ProgramView.tsx';
import { createStore } from '../../../src/ui/state/store.ts';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import { code as t } from '../../../src/ui/messages/code.ts';

afterEach(cleanup);

const DOC = '_start:\n    mov rax, SYS_getpid\n    syscall\n    mov rdi, 0\n    mov rax, SYS_exit\n    syscall\n';
const tabStops = (c: HTMLElement) => [...c.querySelectorAll<HTMLElement>('[tabindex]')].filter((e) => e.tabIndex >= 0);

describe('markedLines', () => {
  it('merges the cursor line, the step lines and breakpoints in line order, with each line\'s text', () => {
    expect(markedLines({ current: 3, events: [2, 3] }, new Set([5, 3, 99]), DOC)).toEqual([
      { line: 2, kinds: ['event'], text: 'mov rax, SYS_getpid' },
      { line: 3, kinds: ['current', 'event', 'breakpoint'], text: 'syscall' },
      { line: 5, kinds: ['breakpoint'], text: 'mov rax, SYS_exit' },
    ]);
  });
});

describe('MarksList', () => {
  const items = markedLines({ current: 3, events: [2] }, new Set([5, 6]), DOC);

  it('is one tab stop; arrows, Home and End move the focus and the tab stop inside it', () => {
    const onGo = vi.fn(), onRemove = vi.fn();
    const page = vi.fn();
    window.addEventListener('keydown', page);
    const { container } = render(<MarksList items={items} onGo={onGo} onRemoveBreakpoint={onRemove} />);
    const opts = screen.getAllByRole('option');
    expect(opts.map((o) => o.dataset.line)).toEqual(['2', '3', '5', '6']);
    expect(tabStops(container)).toEqual([opts[0]]);
    opts[0].focus();
    fireEvent.keyDown(opts[0], { key: 'ArrowDown' });
    expect(document.activeElement).toBe(opts[1]);
    expect(tabStops(container)).toEqual([opts[1]]);
    expect(opts[1].getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(opts[1], { key: 'End' });
    expect(document.activeElement).toBe(opts[3]);
    fireEvent.keyDown(opts[3], { key: 'ArrowDown' }); // stays at the end
    expect(document.activeElement).toBe(opts[3]);
    fireEvent.keyDown(opts[3], { key: 'Home' });
    expect(document.activeElement).toBe(opts[0]);
    fireEvent.keyDown(opts[0], { key: 'ArrowUp' });
    expect(tabStops(container)).toEqual([opts[0]]);
    // None of these reached the page's shortcut handler.
    expect(page).not.toHaveBeenCalled();
    window.removeEventListener('keydown', page);
  });

  it('Enter shows the line; Delete removes a breakpoint and only a breakpoint; kinds are words and glyphs', () => {
    const onGo = vi.fn(), onRemove = vi.fn();
    render(<MarksList items={items} onGo={onGo} onRemoveBreakpoint={onRemove} />);
    const opts = screen.getAllByRole('option');
    fireEvent.keyDown(opts[0], { key: 'Enter' });
    expect(onGo).toHaveBeenCalledWith(2);
    fireEvent.keyDown(opts[0], { key: 'Delete' });
    expect(onRemove).not.toHaveBeenCalled();
    fireEvent.keyDown(opts[0], { key: 'End' });
    fireEvent.keyDown(opts[3], { key: 'Delete' });
    expect(onRemove).toHaveBeenCalledWith(6);
    // Colour is not the only cue: each kind has its words and a glyph.
    expect(opts[1].textContent).toBe(`${t.markGlyph.current}${t.markLine(3)}(${t.markKind.current})syscall`);
    expect(opts[2].textContent).toContain(t.markKind.breakpoint);
  });
});

describe('in the program view', () => {
  it('lists the store\'s breakpoints; Enter puts the editor\'s cursor on the line; Delete clears it', async () => {
    const engine = inThreadEngine();
    const useStore = createStore(engine, DOC);
    const { container } = render(<ProgramView useStore={useStore} engine={engine} />);
    const content = await waitFor(() => { const c = container.querySelector<HTMLElement>('.cm-content'); expect(c).toBeTruthy(); return c!; });
    const view = EditorView.findFromDOM(content)!;
    expect(screen.queryByRole('listbox', { name: t.marksLabel })).toBeNull();
    useStore.getState().toggleBreakpoint(4);
    useStore.getState().toggleBreakpoint(2);
    const list = await screen.findByRole('listbox', { name: t.marksLabel });
    const opts = () => [...list.querySelectorAll<HTMLElement>('[role="option"]')];
    await waitFor(() => expect(opts().map((o) => o.dataset.line)).toEqual(['2', '4']));
    fireEvent.keyDown(opts()[0], { key: 'ArrowDown' });
    fireEvent.keyDown(opts()[1], { key: 'Enter' });
    expect(view.state.doc.lineAt(view.state.selection.main.head).number).toBe(4);
    fireEvent.keyDown(opts()[1], { key: 'Delete' });
    await waitFor(() => expect([...useStore.getState().breakpoints]).toEqual([2]));
    await waitFor(() => expect(opts().map((o) => o.dataset.line)).toEqual(['2']));
  });
});
