// Shared per-file setup for the machine-panel tests: unmount after each test and fail on any
// console error React or a panel reports.

import { afterEach, beforeEach, expect, vi } from 'vitest';
import { cleanup } from '@testing-library/react';

export function guardConsole() {
  let spy: ReturnType<typeof vi.spyOn>;
  beforeEach(() => { spy = vi.spyOn(console, 'error'); });
  afterEach(() => {
    cleanup();
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
}

/** Make matchMedia report prefers-reduced-motion as `reduce`. */
export function mockReducedMotion(reduce: boolean) {
  return vi.spyOn(window, 'matchMedia').mockImplementation((q: string) => ({
    matches: reduce && q.includes('prefers-reduced-motion'), media: q, onchange: null,
    addEventListener: () => {}, removeEventListener: () => {}, addListener: () => {}, removeListener: () => {},
    dispatchEvent: () => false,
  }) as unknown as MediaQueryList);
}
