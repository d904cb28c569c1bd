// The comparison panel over the real engine handler run in-thread: pick getpid, press Compare,
// see the busy state, then both figures beside the paper's, the stacked bars, legend and exits.

import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ComparePanel } from '../../../../src/ui/panels/compare/ComparePanel.tsx';
import { createHandler } from '../../../../src/ui/worker/handler.ts';
import { clientOver } from '../../../../src/ui/engineClient.ts';
import { messages } from '../../../../src/ui/messages/index.ts';
import { guardConsole, mockReducedMotion } from '../machine/setup.ts';

guardConsole();
const t = messages.compare;

/** As engineInThread.ts, but the handler runs a macrotask later, as a worker's answer arrives:
 *  the page renders its busy state first. */
function engine() {
  const handle = createHandler();
  return clientOver((req) => new Promise((resolve, reject) => setTimeout(() => {
    try { resolve(handle(req) as never); } catch (e) { reject(e); }
  }, 0)));
}

describe('ComparePanel', () => {
  it('runs the getpid pair in the engine and shows both figures beside the paper\'s', { timeout: 60_000 }, async () => {
    const motion = mockReducedMotion(true);
    render(<ComparePanel engine={engine()} initial="trap" />);
    fireEvent.change(screen.getByLabelText(t.pick), { target: { value: 'getpid' } });
    const button = screen.getByRole('button', { name: t.run });
    fireEvent.click(button);

    expect(screen.getByText(t.busy('getpid'))).toBeTruthy(); // click is wrapped in act: the busy state is rendered
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(document.querySelector('.compare-panel')!.getAttribute('aria-busy')).toBe('true');

    const figures = await screen.findByTestId('cmp-figures', {}, { timeout: 30_000 });
    const row = (side: string) => within(figures.querySelector<HTMLElement>(`tr[data-side="${side}"]`)!);
    // Measured (the programs' own RDTSC figures) and the paper's Table 2.
    expect(row('linux').getByText('Linux')).toBeTruthy();
    expect(figures.querySelector('tr[data-side="linux"] .cmp-paper')!.textContent).toBe('138');
    expect(figures.querySelector('tr[data-side="dune"] .cmp-paper')!.textContent).toBe('895');
    const measured = (side: string) => Number(figures.querySelector(`tr[data-side="${side}"] .cmp-measured`)!.textContent!.replace(/,/g, ''));
    expect(Math.abs(measured('linux') - 138) / 138).toBeLessThan(0.1);
    expect(Math.abs(measured('dune') - 895) / 895).toBeLessThan(0.1);
    expect(row('dune').getByText(/^[+−]\d+\.\d%$/)).toBeTruthy();
    expect(screen.getByText(t.rows.getpid.why)).toBeTruthy();
    expect((button as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByText(t.busy('getpid'))).toBeNull();

    // The stacked bars: both sides, four categories each, on one scale (reduced motion: no tween).
    const sides = [...document.querySelectorAll('g.cmp-row')].map((g) => g.getAttribute('data-side'));
    expect(sides).toEqual(['linux', 'dune']);
    const width = (side: string) => [...document.querySelectorAll(`g.cmp-row-${side} g.cmp-seg rect`)]
      .reduce((a, r) => a + Number(r.getAttribute('width')), 0);
    expect(document.querySelectorAll('g.cmp-row-dune g.cmp-seg')).toHaveLength(4);
    expect(width('dune') / width('linux')).toBeGreaterThan(5); // ~898 vs ~141 cycles per call
    expect(document.querySelector('g.cmp-row-dune g.cmp-vmexits rect')!.getAttribute('fill')).toMatch(/^url\(#/);

    // The legend in text: a row per category, the Dune VM exits ~630 per call, Linux none.
    const legend = document.querySelector<HTMLElement>('table.cmp-legend')!;
    const vmx = legend.querySelector('tr[data-key="vmexits"]')!.querySelectorAll('td');
    expect(vmx[0].textContent).toBe('0 (0%)');
    expect(vmx[1].textContent).toMatch(/^630(\.1)? \(70%\)$/);
    expect(within(legend).getByText(t.categories.kernel)).toBeTruthy();

    // VM exits by reason: one VMCALL per call.
    const exits = document.querySelector<HTMLElement>('table.cmp-exits')!;
    const vmcall = within(exits).getByText('VMCALL').closest('tr')!;
    expect(vmcall.querySelectorAll('td')[0].textContent).toBe('1');

    // The whole run: start-up included, the same sum shown.
    fireEvent.click(screen.getByLabelText(t.scope.whole));
    expect(screen.getByText(t.scopeHelp.whole)).toBeTruthy();
    const total = legend.querySelector('tr.cmp-total-row')!.querySelectorAll('td');
    expect(Number(total[1].textContent!.replace(/,/g, ''))).toBeGreaterThan(1_000_000);
    motion.mockRestore();
  });

  it('shows an engine error as an alert and lets the user try again', async () => {
    const failing = { compare: () => Promise.reject(new Error('no paper row "nope"')) };
    render(<ComparePanel engine={failing} />);
    fireEvent.click(screen.getByRole('button', { name: t.run }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(t.error('no paper row "nope"'));
    await waitFor(() => expect((screen.getByRole('button', { name: t.run }) as HTMLButtonElement).disabled).toBe(false));
  });

  it('the handler refuses a row the paper does not have', () => {
    expect(() => createHandler()({ kind: 'compare', stem: 'nope' })).toThrow(/no paper row "nope"/);
  });
});
