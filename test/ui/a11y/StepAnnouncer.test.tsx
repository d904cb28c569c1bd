import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { StepAnnouncer, announce, THROTTLE_MS } from '../../../src/ui/a11y/StepAnnouncer.tsx';
import type { TraceEvent } from '../../../src/ui/engineClient.ts';

afterEach(() => { cleanup(); vi.useRealTimers(); });

const base = { cycles: 0, vmx: 'root' as const, cpl: 0 as const };
const exit = (seq: number) => ({ ...base, seq, type: 'vmexit', reason: 18, name: 'VMCALL', qualification: '0x0', instrLen: 3, rip: '0x301f81', fromCpl: 0 }) as unknown as TraceEvent;
const sys = (seq: number, name = 'write') => ({ ...base, seq, type: 'syscall', nr: 1, name, args: [], ret: '0x3', via: 'vmcall' }) as unknown as TraceEvent;

describe('StepAnnouncer', () => {
  it('says what the step was, in words', () => {
    expect(announce(exit(1))).toBe('VM exit: VMCALL, reason 18, from ring 0');
    expect(announce(sys(2))).toBe('System call write via vmcall, returns 0x3');
    expect(announce(null)).toBe('At the start of the run');
  });

  it('is a polite status region; every step is said when stepping, at most one per THROTTLE_MS while playing', () => {
    vi.useFakeTimers();
    const { getByTestId, rerender } = render(<StepAnnouncer event={exit(1)} playing={false} />);
    const region = getByTestId('step-announcer');
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.getAttribute('role')).toBe('status');
    expect(region.textContent).toBe('VM exit: VMCALL, reason 18, from ring 0');
    rerender(<StepAnnouncer event={sys(2)} playing={false} />);
    expect(region.textContent).toMatch(/^System call write/);
    // Playing: the first change right after is held back, later ones replace it.
    rerender(<StepAnnouncer event={exit(3)} playing />);
    expect(region.textContent).toMatch(/^System call write/);
    rerender(<StepAnnouncer event={sys(4, 'getpid')} playing />);
    act(() => { vi.advanceTimersByTime(THROTTLE_MS / 2); });
    expect(region.textContent).toMatch(/^System call write/);
    act(() => { vi.advanceTimersByTime(THROTTLE_MS); });
    expect(region.textContent).toMatch(/^System call getpid via vmcall/);
    // Stopping says where it stopped at once.
    rerender(<StepAnnouncer event={exit(5)} playing={false} />);
    expect(region.textContent).toBe('VM exit: VMCALL, reason 18, from ring 0');
  });
});
