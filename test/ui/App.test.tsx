import { describe, it, expect, afterEach } from 'vitest';
import { render, screen, fireEvent, waitFor, within, cleanup } from '@testing-library/react';
import { App } from '../../src/ui/App.tsx';
import { inThreadEngine } from '../../src/ui/engineInThread.ts';
import { messages } from '../../src/ui/messages/index.ts';

describe('App shell (with the real engine, in-thread)', () => {
  afterEach(cleanup);
  it('runs and records the hello program, shows its output, and steps forward and back', async () => {
    render(<App engine={inThreadEngine()} />);
    expect(screen.getByRole('heading', { name: messages.appTitle })).toBeTruthy();
    expect(screen.getByText(messages.noRun)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: messages.load }));
    await waitFor(() => expect(screen.getByTestId('stdout').textContent).toMatch(/Hello from a Linux process!/)); // not the program text
    const cursor = () => Number(screen.getByTestId('cursor').dataset.seq);
    const start = cursor();
    fireEvent.click(screen.getByRole('button', { name: messages.actions.nextEvent }));
    await waitFor(() => expect(cursor()).toBe(start + 1));
    fireEvent.click(screen.getByRole('button', { name: messages.actions.nextSyscall }));
    await waitFor(() => expect(within(screen.getByTestId('event')).getByText('syscall', { selector: 'strong' })).toBeTruthy());
    const atSyscall = cursor();
    fireEvent.click(screen.getByRole('button', { name: messages.actions.backEvent }));
    await waitFor(() => expect(cursor()).toBe(atSyscall - 1));
  });

  it('shows assembly diagnostics and keeps what the user wrote', async () => {
    render(<App engine={inThreadEngine()} />);
    const ta = screen.getByRole('textbox', { name: messages.programLabel }) as HTMLTextAreaElement;
    fireEvent.change(ta, { target: { value: 'mov rax, 1\n  movv rbx, 2\n' } });
    fireEvent.click(screen.getByRole('button', { name: messages.load }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/program\.s:2:3: error: unknown instruction 'movv'/));
    expect(ta.value).toBe('mov rax, 1\n  movv rbx, 2\n');
  });

  it('what-if knobs are chosen before the run and shown beside the recorded source', async () => {
    render(<App engine={inThreadEngine()} />);
    fireEvent.change(screen.getByRole('combobox', { name: 'psc' }), { target: { value: 'off' } });
    fireEvent.click(screen.getByRole('button', { name: messages.load }));
    await waitFor(() => expect(screen.getByTestId('knobs').textContent).toBe('Recorded with psc=off.'));
    // The recorded source stays in the views while the editor is reopened and changed.
    fireEvent.click(screen.getByRole('button', { name: messages.editProgram }));
    expect((screen.getByRole('combobox', { name: 'psc' }) as HTMLSelectElement).value).toBe('off');
  });

  it('run plays forward instruction by instruction until paused', async () => {
    render(<App engine={inThreadEngine()} />);
    fireEvent.click(screen.getByRole('button', { name: messages.load }));
    await waitFor(() => expect(screen.getByTestId('stdout').textContent).toMatch(/Hello from a Linux process!/)); // not the program text
    fireEvent.change(screen.getByLabelText(messages.speedLabel), { target: { value: '60' } });
    const before = Number(screen.getByTestId('cursor').dataset.seq);
    // The name: the visible word and key, then the full label (Label in Name, WCAG 2.5.3).
    const play = screen.getByRole('button', { name: (n) => n.endsWith(messages.actions.play) });
    fireEvent.click(play);
    await waitFor(() => expect(Number(screen.getByTestId('cursor').dataset.seq)).toBeGreaterThan(before + 2));
    fireEvent.click(play);
    await waitFor(() => expect(play.getAttribute('aria-pressed')).toBe('false'));
  });

  it('keyboard shortcuts drive the same actions', async () => {
    render(<App engine={inThreadEngine()} />);
    fireEvent.click(screen.getByRole('button', { name: messages.load }));
    await waitFor(() => expect(screen.getByTestId('stdout').textContent).toMatch(/Hello from a Linux process!/)); // not the program text
    const before = Number(screen.getByTestId('cursor').dataset.seq);
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(Number(screen.getByTestId('cursor').dataset.seq)).toBe(before + 1));
  });
});

describe('presentation mode', () => {
  afterEach(() => { cleanup(); window.location.hash = ''; document.documentElement.dataset.mode = ''; });
  it('#present: big previous/next, PageDown/PageUp step (events without a lesson), Esc leaves', async () => {
    window.location.hash = '#present';
    render(<App engine={inThreadEngine()} />);
    await waitFor(() => expect(document.documentElement.dataset.mode).toBe('present'));
    expect(document.documentElement.dataset.theme).toBe('contrast');
    // Presentation has no editor: leave, run, and come back with Shift+P.
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(document.documentElement.dataset.mode).toBe('normal'));
    fireEvent.click(screen.getByRole('button', { name: messages.load }));
    await waitFor(() => expect(screen.getByText(/Hello from a Linux process!/)).toBeTruthy());
    fireEvent.keyDown(window, { key: 'P', shiftKey: true });
    await waitFor(() => expect(screen.getByTestId('present-where')).toBeTruthy());
    const where = () => screen.getByTestId('present-where').textContent ?? '';
    const start = where();
    fireEvent.keyDown(window, { key: 'PageDown' });
    await waitFor(() => expect(where()).not.toBe(start));
    fireEvent.keyDown(window, { key: 'PageUp' });
    await waitFor(() => expect(where()).toBe(start));
    expect(screen.queryByRole('heading', { name: messages.terminalHeading })).toBeNull();
  });
});
