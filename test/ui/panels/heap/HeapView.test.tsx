// The heap view over the real engine run in-thread: a GC sample recorded in dune-dirty, the
// cursor moved to a collection, the summary, counters, legend and painted grid; a page picked with
// the keyboard; a program without a heap; the four lanes' table at the cursor's collection.
import { describe, it, expect, vi, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { render, screen, waitFor, fireEvent, act, within } from '@testing-library/react';
import { HeapView } from '../../../../src/ui/panels/heap/HeapView.tsx';
import { Lanes } from '../../../../src/ui/panels/heap/Lanes.tsx';
import { StoreProvider } from '../../../../src/ui/state/context.tsx';
import { createStore } from '../../../../src/ui/state/store.ts';
import { inThreadEngine } from '../../../../src/ui/engineInThread.ts';
import { messages } from '../../../../src/ui/messages/index.ts';
import { helloProgram } from '../../../../src/ui/messages/core.ts';
import { PALETTE } from '../../../../src/ui/panels/heap/draw.ts';
import type { EngineClient, GcLane } from '../../../../src/ui/engineClient.ts';
import { guardConsole } from '../machine/setup.ts';

guardConsole();
const t = messages.heap;

// jsdom has no 2-D canvas: a context that keeps what was put, so the test can read pixels.
const painted = new Map<HTMLCanvasElement, ImageData>();
beforeAll(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    const el = this;
    return {
      createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4), width: w, height: h }),
      putImageData: (img: ImageData) => { painted.set(el, img); },
    } as unknown as CanvasRenderingContext2D;
  } as never);
});

async function mount(file: string, stdin: string) {
  const engine = inThreadEngine();
  const store = createStore(engine, helloProgram);
  // The files it .includes, keyed as the engine resolves them against file (gc/driver.inc).
  const files = { 'gc/driver.inc': readFileSync('samples/gc/driver.inc', 'utf8') };
  await act(async () => { await store.getState().loadProgram(readFileSync(`samples/${file}`, 'utf8'), {}, file, files, stdin); });
  render(<StoreProvider store={store} engine={engine}><HeapView /></StoreProvider>);
  return { engine, store };
}

describe('HeapView', () => {
  it('shows the collector\'s heap at the cursor: summary, counters, legend, and the grid painted', { timeout: 60_000 }, async () => {
    const { store } = await mount('gc/churn.s', 'dune-dirty');
    expect(store.getState().loadedStdin).toBe('dune-dirty');
    // Before gc_init there is no heap.
    expect(await screen.findByTestId('heap-none')).toBeTruthy();
    // Two collections on (the view's own buttons).
    fireEvent.click(screen.getByRole('button', { name: t.nextCollection }));
    await screen.findByText(/^Collections 1 /, undefined, { timeout: 20_000 });
    fireEvent.click(screen.getByRole('button', { name: t.nextCollection }));
    await screen.findByText(/^Collections 2 /, undefined, { timeout: 20_000 });
    expect(screen.getByTestId('heap-summary').textContent).toBe(t.summary('dune-dirty', 38, 16384, 'guest'));
    // The legend: every state and overlay, each with its pattern named.
    const legend = screen.getByText(t.legendTitle).closest('figure')!;
    expect(within(legend).getAllByRole('listitem')).toHaveLength(11);
    expect(within(legend).getByText(/freed by the sweep: bar/)).toBeTruthy();
    // The grid: the first page (an old object, in use) painted in the in-use colour.
    const canvas = screen.getByRole('img', { name: /Heap grid/ }) as HTMLCanvasElement;
    await waitFor(() => expect(painted.get(canvas)).toBeTruthy());
    const img = painted.get(canvas)!;
    expect(img.width).toBe(canvas.width);
    const p0 = [...img.data.slice(0, 3)];
    expect([PALETTE.clean.fill, PALETTE.dirty.fill, PALETTE.dbit.fill].map((c) => c.join())).toContain(p0.join());
    // The accessible summary counts states.
    expect(canvas.getAttribute('aria-label')).toMatch(/clean \d+, .*dirty \d+/);
    // Keyboard: the grid takes focus; an arrow picks a page and names its state.
    canvas.focus();
    fireEvent.keyDown(canvas, { key: 'ArrowRight' });
    fireEvent.keyDown(canvas, { key: 'ArrowRight' });
    expect((await screen.findByTestId('heap-page')).textContent).toMatch(/^Page 1 at 0x7eff/);
  });

  it('says so when the program has no collector', async () => {
    const engine = inThreadEngine();
    const store = createStore(engine, helloProgram);
    await act(async () => { await store.getState().load(); });
    render(<StoreProvider store={store} engine={engine}><HeapView /></StoreProvider>);
    expect(screen.getByTestId('heap-none').textContent).toBe(t.none);
    expect(screen.queryByRole('img')).toBeNull();
  });
});

describe('Lanes', () => {
  it('shows each lane\'s counts at the cursor\'s collection and in all', async () => {
    const counters = (k: number) => ({ pageFaults: 10 * k, writeFaults: 3 * k, mprotect: 4 * k, flushes: k, invlpg: 2 * k, walkRefs: 100 * k, cycles: 1000 * k, instructions: 500 * k });
    const lane = (mode: string, scale: number): GcLane => ({ mode: mode as GcLane['mode'], ok: true, error: null, measured: 1234 * scale, maxTop: 4,
      totals: counters(9 * scale), snaps: [1, 2, 3].map((c) => ({ collection: c, counters: counters(c * scale), top: 4, state: new Uint8Array(16384) })) });
    const lanes = [lane('linux', 1), lane('dune', 2), lane('dune-tlb', 3), lane('dune-dirty', 4)];
    const engine = { gcLanes: vi.fn(async () => lanes) } as unknown as EngineClient;
    const top = vi.fn();
    render(<Lanes engine={engine} source="src" file="f.s" files={{}} collection={2} onTop={top} />);
    fireEvent.click(screen.getByRole('button', { name: t.lanes.run }));
    const row = await screen.findByTestId('gc-lanes');
    expect(top).toHaveBeenCalledWith(4);
    expect(screen.getByText(t.lanes.atCollection(2))).toBeTruthy();
    const tlb = within(row.querySelector('[data-mode="dune-tlb"]') as HTMLElement);
    // dune-tlb at collection 2: counters(6); in all: counters(27)
    const cells = tlb.getByRole('row', { name: /INVLPGs/ }).querySelectorAll('td');
    expect([...cells].map((c) => c.textContent)).toEqual(['12', '54']);
    expect(tlb.getByRole('row', { name: /cycles \(modelled\)/ }).querySelectorAll('td')[1].textContent).toBe('27,000');
    expect(tlb.getByText(t.lanes.measured(3702))).toBeTruthy();
  });
});
