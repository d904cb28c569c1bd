import { describe, it, expect, afterEach } from 'vitest';
import { render, screen, waitFor, cleanup, fireEvent } from '@testing-library/react';
import { App } from '../../../src/ui/App.tsx';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import { messages } from '../../../src/ui/messages/index.ts';

describe('the page key map and the editor', () => {
  afterEach(cleanup);

  it('player keys act outside the editor, not while typing in it; Ctrl+Enter runs from inside', async () => {
    const r = render(<App engine={inThreadEngine()} />);
    const content = await waitFor(() => { const c = r.container.querySelector<HTMLElement>('.cm-content'); expect(c).toBeTruthy(); return c!; });
    fireEvent.keyDown(content, { key: 'Enter', code: 'Enter', ctrlKey: true });
    await waitFor(() => expect(screen.getByText(/Hello from a Linux process!/)).toBeTruthy());
    const cursor = () => Number(screen.getByTestId('cursor').dataset.seq);
    const start = cursor();
    fireEvent.keyDown(content, { key: 'ArrowRight', code: 'ArrowRight' });
    fireEvent.keyDown(content, { key: 's', code: 'KeyS' });
    await new Promise((ok) => setTimeout(ok, 50));
    expect(cursor()).toBe(start);
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(cursor()).toBe(start + 1));
    expect(screen.getByRole('button', { name: messages.load })).toBeTruthy();
  });
});
