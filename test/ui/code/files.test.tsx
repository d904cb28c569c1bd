import { describe, it, expect, afterEach } from 'vitest';
import { render, screen, waitFor, cleanup, fireEvent, within } from '@testing-library/react';
import { EditorView } from '@codemirror/view';
import { ProgramView } from '../../../src/ui/code/ProgramView.tsx';
import { createStore } from '../../../src/ui/state/store.ts';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import { pageFileStore } from '../../../src/ui/files/pageStore.ts';
import { SAMPLES } from '../../../src/ui/samples.ts';
import { code as t } from '../../../src/ui/messages/code.ts';

describe('program view files: /samples read-only, /home through the file store', () => {
  afterEach(cleanup);

  it('opens a sample read-only, copies it to /home, shows unsaved edits and saves them', async () => {
    const engine = inThreadEngine();
    const useStore = createStore(engine, '_start:\n    hlt\n');
    const r = render(<ProgramView useStore={useStore} engine={engine} />);
    await waitFor(() => expect(r.container.querySelector(".cm-content")).toBeTruthy());
    const view = () => EditorView.findFromDOM(r.container.querySelector<HTMLElement>('.cm-content')!)!;
    const fs = await pageFileStore();
    const hello = SAMPLES.find((s) => s.name === 'hello-linux.s')!.source;

    fireEvent.change(screen.getByLabelText(t.open), { target: { value: '/samples/hello-linux.s' } });
    await waitFor(() => expect(view().state.doc.toString()).toBe(hello));
    expect(view().state.readOnly).toBe(true);
    expect(useStore.getState().source).toBe(hello);
    expect(useStore.getState().file).toBe('hello-linux.s');
    expect(screen.getByRole('status').textContent).toContain(t.readOnly('/samples/hello-linux.s'));

    // Copy to /home: asks for the name (the sample's by default) and edits the copy.
    fireEvent.click(screen.getByRole('button', { name: t.copyHome }));
    const form = screen.getByLabelText(new RegExp(t.saveAsPrompt)).closest('form')!;
    fireEvent.submit(form);
    await waitFor(() => expect(screen.getByTestId('file-state').textContent).toBe('/home/hello-linux.s'));
    expect(await fs.read('/home/hello-linux.s')).toBe(hello);
    expect(view().state.readOnly).toBe(false);

    // An edit is unsaved until Ctrl+S writes it through the file store.
    view().dispatch({ changes: { from: 0, insert: '; mine\n' }, userEvent: 'input.type' });
    await waitFor(() => expect(screen.getByTestId('file-state').textContent).toContain(t.unsaved));
    fireEvent.keyDown(view().contentDOM, { key: 's', code: 'KeyS', ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId('file-state').textContent).toBe('/home/hello-linux.s'));
    expect(await fs.read('/home/hello-linux.s')).toBe('; mine\n' + hello);

    // Changed elsewhere (the terminal's editor) since it was opened: Save does not overwrite it.
    await fs.write('/home/hello-linux.s', 'from the terminal\n');
    view().dispatch({ changes: { from: 0, insert: '; more\n' }, userEvent: 'input.type' });
    fireEvent.keyDown(view().contentDOM, { key: 's', code: 'KeyS', ctrlKey: true });
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain(t.changedElsewhere('/home/hello-linux.s')));
    expect(await fs.read('/home/hello-linux.s')).toBe('from the terminal\n');
    // It offers another name; saving there keeps both.
    fireEvent.submit(screen.getByLabelText(new RegExp(t.saveAsPrompt)).closest('form')!);
    await waitFor(() => expect(screen.getByTestId('file-state').textContent).toBe('/home/hello-linux-2.s'));
    expect(await fs.read('/home/hello-linux-2.s')).toBe('; more\n; mine\n' + hello);
    await fs.write('/home/hello-linux.s', '; mine\n' + hello);

    // Copying the sample again never overwrites the student's copy.
    fireEvent.change(screen.getByLabelText(t.open), { target: { value: '/samples/hello-linux.s' } });
    await waitFor(() => expect(view().state.readOnly).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: t.copyHome }));
    fireEvent.submit(screen.getByLabelText(new RegExp(t.saveAsPrompt)).closest('form')!);
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain(t.exists('/home/hello-linux.s')));
    expect(await fs.read('/home/hello-linux.s')).toBe('; mine\n' + hello);

    // The /home copy is listed and opens editable.
    const open = screen.getByLabelText(t.open);
    fireEvent.focus(open);
    await waitFor(() => expect(within(open).getByRole('option', { name: '/home/hello-linux.s' })).toBeTruthy());
    fireEvent.change(open, { target: { value: '/home/hello-linux.s' } });
    await waitFor(() => expect(view().state.doc.toString()).toBe('; mine\n' + hello));
    expect(view().state.readOnly).toBe(false);
  });
});
