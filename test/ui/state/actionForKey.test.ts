// The key a press names selects its action (state/actions.ts): Shift with a letter arrives as the
// upper-case key ('X'), and must reach the Shift+ action (back to the previous VM exit).
import { describe, expect, it } from 'vitest';
import { actionForKey } from '../../../src/ui/state/actions.ts';

const press = (key: string, shiftKey = false, ctrlKey = false) => actionForKey({ key, shiftKey, ctrlKey, metaKey: false })?.id;

describe('actionForKey', () => {
  it('maps Shift with a letter to the backward jumps', () => {
    expect(press('X', true)).toBe('back-vmexit');
    expect(press('F', true)).toBe('back-fault');
    expect(press('R', true)).toBe('back-ring');
    expect(press('S', true)).toBe('back-syscall');
  });
  it('keeps the forward letters, the shifted characters and the named keys', () => {
    expect(press('x')).toBe('next-vmexit');
    expect(press('P', true)).toBe('present');
    expect(press('+', true)).toBe('bigger');
    expect(press('ArrowLeft', true)).toBe('back-instr');
    expect(press('ArrowLeft')).toBe('back-event');
    expect(press('Enter', false, true)).toBe('load');
  });
  it('selects nothing for an upper-case letter typed without Shift (Caps Lock) or with Ctrl', () => {
    expect(press('X')).toBeUndefined();
    expect(press('X', true, true)).toBeUndefined();
  });
});
