// The Wedge and sandbox panels (src/ui/panels/wedge, panels/sandbox) over the in-thread engine:
// what they show for the samples, stepping the recycle pass, and seeking from a verdict mark.
import { describe, it, expect, afterEach } from 'vitest';
import { render, cleanup, act, screen, within, fireEvent } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { StoreProvider } from '../../../src/ui/state/context.tsx';
import { createStore } from '../../../src/ui/state/store.ts';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import { WedgePanel } from '../../../src/ui/panels/wedge/WedgePanel.tsx';
import { SandboxPanel, callAt } from '../../../src/ui/panels/sandbox/SandboxPanel.tsx';
import { messages } from '../../../src/ui/messages/index.ts';

afterEach(cleanup);
const settle = () => act(async () => { await new Promise((r) => setTimeout(r, 30)); });

async function loaded(file: string, files: Record<string, string> = {}) {
  const engine = inThreadEngine();
  const store = createStore(engine, '');
  await store.getState().loadProgram(readFileSync(file, 'utf8'), {}, file.split('/').at(-1), files);
  expect(store.getState().loaded).not.toBe(null);
  return { engine, store };
}

describe('the Wedge panel', () => {
  it('shows the parent and sthread 1 side by side, and the unrecorded write at the end of recycle-leak.s', { timeout: 60_000 }, async () => {
    const { engine, store } = await loaded('samples/wedge/recycle-leak.s', { 'wedge.inc': readFileSync('samples/wedge/wedge.inc', 'utf8') });
    render(<StoreProvider store={store} engine={engine}><WedgePanel /></StoreProvider>);
    await act(async () => { await store.getState().seek(store.getState().loaded!.total - 1); });
    await settle();
    const table = await screen.findByTestId('wedge-table');
    const heads = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(heads[1]).toContain(messages.wedge.parent);
    expect(heads[1]).toContain(messages.wedge.pcid(0));
    expect(heads[1]).toContain(messages.wedge.live);
    expect(heads[2]).toContain(messages.wedge.sthread(1));
    expect(heads[2]).toContain(messages.wedge.pcid(1));
    expect(heads[2]).not.toContain(messages.wedge.live);
    // the writable page: remapped in the sthread, the TLB still "dirty" under PCID 1
    const w = within(table).getAllByRole('rowheader').find((th) => th.textContent?.startsWith('0x401000 '))!.closest('tr')!;
    expect(w.textContent).toContain(messages.wedge.remapped);
    expect(w.textContent).toContain(messages.wedge.tlb(true));
    expect(screen.getByText(messages.wedge.status.unrecorded)).toBeTruthy();
    expect(screen.getByTestId('wedge-pass').textContent).toContain(messages.wedge.copied(1));
  });

  it('steps back to the recycle pass, where the page was copied back', { timeout: 60_000 }, async () => {
    const { engine, store } = await loaded('samples/wedge/recycle-leak.s', { 'wedge.inc': readFileSync('samples/wedge/wedge.inc', 'utf8') });
    render(<StoreProvider store={store} engine={engine}><WedgePanel /></StoreProvider>);
    await act(async () => { await store.getState().seek(store.getState().loaded!.total - 1); });
    await settle();
    const end = store.getState().cursor;
    await act(async () => { fireEvent.click(await screen.findByText(messages.wedge.prevCopied)); });
    await settle(); await settle();
    const copied = store.getState().cursor;
    expect(copied).toBeLessThan(end);
    expect(screen.getByTestId('wedge-pass').textContent).toContain(messages.wedge.inPass(null));
    expect(screen.queryByText(messages.wedge.status.unrecorded)).toBe(null);
    expect(screen.getByTestId('wedge-cr3').textContent).toContain('PCID 1');
    // one step further back: D was just cleared, the copy not made yet
    await act(async () => { fireEvent.click(screen.getByText(messages.wedge.prevCleared)); });
    await settle(); await settle();
    expect(store.getState().cursor).toBeLessThan(copied);
    expect(screen.getByTestId('wedge-pass').textContent).toContain(messages.wedge.inPass('0x401000'));
    expect(screen.getByText(messages.wedge.status.pending)).toBeTruthy();
  });

  it('renders nothing for a program without sthreads', async () => {
    const { engine, store } = await loaded('samples/hello-dune.s');
    const { container } = render(<StoreProvider store={store} engine={engine}><WedgePanel /></StoreProvider>);
    await settle();
    expect(container.textContent).toBe('');
  });
});

describe('the sandbox panel', () => {
  it('one mark per ring-3 call with its verdict; a mark seeks to its call, whose path shows', { timeout: 60_000 }, async () => {
    const { engine, store } = await loaded('samples/sandbox/box.s');
    render(<StoreProvider store={store} engine={engine}><SandboxPanel /></StoreProvider>);
    await settle();
    const strip = await screen.findByRole('group', { name: messages.sandbox.strip });
    const marks = within(strip).getAllByRole('button');
    expect(marks.map((m) => m.textContent)).toEqual(['✓', '✓', '✓', '✗', '✓', '!', '✓', '✓', '☠']);
    expect(marks[3].getAttribute('aria-label')).toContain('open');
    await act(async () => { fireEvent.click(marks[3]); });
    await settle();
    const path = screen.getByTestId('sandbox-path');
    const steps = within(path).getAllByRole('listitem').map((li) => li.textContent ?? '');
    expect(steps[0]).toContain(messages.sandbox.step.trap);
    expect(steps[1]).toContain(messages.sandbox.step.log);
    expect(steps[2]).toContain(messages.sandbox.step.return('-1'));
    expect(screen.getByTestId('sandbox-noexit')).toBeTruthy();
    const rows = within(screen.getByTestId('sandbox-table')).getAllByRole('row');
    expect(rows[4].getAttribute('aria-current')).toBe('true'); // header + calls 1..3, then open
  });

  it('callAt: the call the cursor is in, else the last before it', () => {
    const c = (seq: number) => ({ seq }) as Parameters<typeof callAt>[0][number];
    expect(callAt([c(10), c(20)], 5)).toBe(null);
    expect(callAt([c(10), c(20)], 10)).toBe(0);
    expect(callAt([c(10), c(20)], 19)).toBe(0);
    expect(callAt([c(10), c(20)], 99)).toBe(1);
  });
});
