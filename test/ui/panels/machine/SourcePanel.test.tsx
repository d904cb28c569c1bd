// The source panel with a real program and the line the machine is on: numbered lines, the
// current one marked, gutter buttons that toggle breakpoints.

import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { SourcePanel } from '../../../../src/ui/panels/machine/SourcePanel.tsx';
import { Session } from '../../../../src/engine/session.ts';
import { machineView } from '../../../../src/engine/player/view.ts';
import { asm } from '../../../engine/harness.ts';
import { messages } from '../../../../src/ui/messages/index.ts';
import { guardConsole } from './setup.ts';

guardConsole();

const SRC = `; two instructions, then exit
_start:
  mov rax, 5
  mov rbx, 7
  mov rdi, 0
  call exit
`;
const s = new Session(asm(SRC));
s.run(2);
const view = machineView(s); // before `mov rdi, 0`

function Harness({ onToggle }: { onToggle: (n: number) => void }) {
  const [bps, setBps] = useState(new Set<number>());
  return <SourcePanel source={SRC} line={view.line} breakpoints={bps}
    onToggleBreakpoint={(n) => { onToggle(n); setBps((b) => { const x = new Set(b); if (!x.delete(n)) x.add(n); return x; }); }} />;
}

describe('SourcePanel', () => {
  it('numbers the lines and marks the line of the instruction at RIP', () => {
    expect(view.line).toBe(5);
    render(<SourcePanel source={SRC} line={view.line} breakpoints={new Set([3])} onToggleBreakpoint={() => {}} />);
    const list = screen.getByRole('list', { name: messages.machine.sourceLabel });
    expect(list.querySelectorAll('li')).toHaveLength(6);
    const cur = list.querySelector('[aria-current="step"]')!;
    expect(cur.getAttribute('data-line')).toBe('5');
    expect(cur.textContent).toContain('mov rdi, 0');
    expect(screen.getByRole('button', { name: messages.machine.bpToggle(3) }).getAttribute('aria-pressed')).toBe('true');
  });

  it('toggles a breakpoint from the gutter button (a native button: Enter and Space work too)', () => {
    const onToggle = vi.fn();
    render(<Harness onToggle={onToggle} />);
    const btn = screen.getByRole('button', { name: messages.machine.bpToggle(4) });
    expect(btn.tagName).toBe('BUTTON');
    expect(btn.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(btn);
    expect(onToggle).toHaveBeenCalledWith(4);
    expect(btn.getAttribute('aria-pressed')).toBe('true');
    expect(btn.closest('li')!.classList.contains('bp')).toBe(true);
    fireEvent.click(btn);
    expect(btn.getAttribute('aria-pressed')).toBe('false');
  });
});
