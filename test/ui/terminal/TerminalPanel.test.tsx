import { describe, it, expect, afterEach } from 'vitest';
import { render, cleanup, waitFor, fireEvent, screen } from '@testing-library/react';
import { TerminalPanel } from '../../../src/ui/terminal/TerminalPanel.tsx';
import { createStore } from '../../../src/ui/state/store.ts';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import { messages } from '../../../src/ui/messages/index.ts';
import { memVfs } from './memVfs.ts';

/** The text xterm shows (its DOM renderer's rows). */
const shown = (el: HTMLElement) => el.querySelector('.xterm-rows')?.textContent ?? el.textContent ?? '';

/** Type into the terminal as a user would: through xterm's hidden textarea. */
function type(el: HTMLElement, text: string) {
  const ta = el.querySelector('textarea')!;
  for (const ch of text) {
    if (ch === '\r') fireEvent.keyDown(ta, { key: 'Enter', keyCode: 13 });
    else fireEvent.keyDown(ta, { key: ch, keyCode: ch.toUpperCase().charCodeAt(0) });
  }
}

describe('TerminalPanel', () => {
  afterEach(cleanup);
  it('renders xterm, echoes typed keys and runs a command', async () => {
    const engine = inThreadEngine();
    const store = createStore(engine, '');
    const { container } = render(<TerminalPanel host={{ fs: memVfs(), engine, store: () => store.getState() }} />);
    const el = container.querySelector('[data-testid="terminal"]') as HTMLElement;
    await waitFor(() => expect(shown(el)).toContain(messages.terminal.welcome.slice(0, 20)));
    type(el, 'hel');
    await waitFor(() => expect(shown(el)).toContain('$ hel'));
    type(el, 'p\r');
    await waitFor(() => expect(shown(el)).toContain('Ctrl-L clears.$ '));
    const box = screen.getByRole('checkbox', { name: messages.terminal.screenReader }) as HTMLInputElement;
    fireEvent.click(box);
    expect(box.checked).toBe(true);
  });
});
