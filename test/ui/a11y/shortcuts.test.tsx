// WCAG 2.1.4: the single-key shortcuts can be turned off (a remembered view setting); with them
// off a letter key does nothing while arrows still step, and the buttons stop announcing them.

import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from '../../../src/ui/App.tsx';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import { messages } from '../../../src/ui/messages/index.ts';
import { a11y as msg } from '../../../src/ui/messages/a11y.ts';
import { activeKeys, isCharacterKey, reloadSingleKeys, setSingleKeys, singleKeysOn } from '../../../src/ui/a11y/shortcuts.ts';

afterEach(() => { cleanup(); setSingleKeys(true); });

describe('character keys', () => {
  it('letters, digits, symbols and Space are character keys; arrows, Home, F9 and Ctrl+ chords are not', () => {
    for (const key of ['x', 'X', 's', '+', '-', ' ', '1', 'é']) expect(isCharacterKey({ key })).toBe(true);
    for (const key of ['ArrowLeft', 'Home', 'End', 'PageDown', 'Escape', 'F9', 'Enter']) expect(isCharacterKey({ key })).toBe(false);
    expect(isCharacterKey({ key: 'x', ctrlKey: true })).toBe(false);
    expect(isCharacterKey({ key: 'x', altKey: true })).toBe(false);
    expect(activeKeys(['Shift+X', 'x', 'ArrowLeft', 'Shift+ArrowLeft', 'Ctrl+Enter', ' '], false)).toEqual(['ArrowLeft', 'Shift+ArrowLeft', 'Ctrl+Enter']);
  });
});

describe('the single-key shortcuts setting', () => {
  it('off: S does nothing, → still steps, the setting is remembered; on again: S jumps', async () => {
    render(<App engine={inThreadEngine()} />);
    fireEvent.click(screen.getByRole('button', { name: messages.load }));
    await waitFor(() => expect(screen.getByTestId('stdout').textContent).toMatch(/Hello from a Linux process!/));
    const cursor = () => Number(screen.getByTestId('cursor').dataset.seq);
    const sys = screen.getByRole('button', { name: messages.actions.nextSyscall });
    expect(sys.getAttribute('aria-keyshortcuts')).toBe('s');

    const box = screen.getByRole('checkbox', { name: msg.singleKeys });
    expect((box as HTMLInputElement).checked).toBe(true);
    fireEvent.click(box);
    expect(singleKeysOn()).toBe(false);
    expect(localStorage.getItem('dune-lab.singleKeys')).toBe('off');
    expect(sys.getAttribute('aria-keyshortcuts')).toBeNull();
    // The key hints beside the words go with them; the arrows' stay.
    expect(screen.getByRole('group', { name: messages.pairs.syscall.word }).querySelector('kbd')).toBeNull();
    expect(screen.getByRole('group', { name: messages.pairs.event.word }).querySelector('kbd')).not.toBeNull();

    const at = cursor();
    fireEvent.keyDown(window, { key: 's' });
    fireEvent.keyDown(window, { key: 'x' });
    fireEvent.keyDown(window, { key: ' ' });
    await new Promise((r) => setTimeout(r, 300));
    expect(cursor()).toBe(at);
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(cursor()).toBe(at + 1));

    // Remembered: read again from storage, still off.
    reloadSingleKeys();
    expect(singleKeysOn()).toBe(false);

    fireEvent.click(box);
    expect(localStorage.getItem('dune-lab.singleKeys')).toBe('on');
    fireEvent.keyDown(window, { key: 's' });
    await waitFor(() => expect(screen.getByTestId('event').textContent).toMatch(/syscall/));
    expect(cursor()).toBeGreaterThan(at + 1);
  });
});
