import { describe, it, expect, afterEach } from 'vitest';
import { Profiler } from 'react';
import { render, cleanup, act, screen } from '@testing-library/react';
import { PANELS, PANEL_IDS, PanelHost } from '../../../src/ui/panels/registry.tsx';
import { StoreProvider } from '../../../src/ui/state/context.tsx';
import { createStore } from '../../../src/ui/state/store.ts';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import { LAYOUTS, columnsOf } from '../../../src/ui/shell/layouts.ts';
import { parseViewHash } from '../../../src/ui/shell/viewHash.ts';
import { code } from '../../../src/ui/messages/code.ts';
import { messages } from '../../../src/ui/messages/index.ts';
import { helloProgram } from '../../../src/ui/messages/core.ts';

afterEach(cleanup);

async function loaded() {
  const engine = inThreadEngine();
  const store = createStore(engine, helloProgram);
  await store.getState().load();
  return { engine, store };
}

describe('the panel registry', () => {
  it('every registered panel renders from the store alone, under its title', async () => {
    const { engine, store } = await loaded();
    // The Wedge and sandbox views render only for a program with sthreads / ring-3 system calls
    // (test/ui/panels/apps.test.tsx renders them); for this program they render nothing.
    for (const id of PANEL_IDS) {
      const { Component, titleKey } = PANELS[id];
      if (id === 'wedge' || id === 'sandbox') {
        const { container, unmount } = render(<StoreProvider store={store} engine={engine}><Component /></StoreProvider>);
        await act(async () => { await new Promise((r) => setTimeout(r, 50)); });
        expect(container.textContent, id).toBe('');
        unmount();
        continue;
      }
      expect(PANELS[id].id).toBe(id);
      const { unmount } = render(<StoreProvider store={store} engine={engine}><PanelHost><Component /></PanelHost></StoreProvider>);
      const title = messages.panels[titleKey];
      // The source panel is the program view (src/ui/code), titled "Program".
      const want = id === 'source' ? code.heading : id === 'output' ? messages.outputHeading : id === 'privilege' ? messages.machine.privTitle
        : id === 'cpu' ? messages.machine.cpuTitle : id === 'vmcs' ? messages.machine.vmcsTitle : id === 'timeline' ? messages.machine.timelineTitle : title;
      expect(screen.getAllByText(want).length, id).toBeGreaterThan(0);
      unmount();
    }
  });

  it('a panel re-renders when its slice changes, not when another panel\'s does', async () => {
    const { engine, store } = await loaded();
    const counts: Record<string, number> = { cpu: 0, tlb: 0 };
    const Cpu = PANELS.cpu.Component, Tlb = PANELS.tlb.Component;
    render(
      <StoreProvider store={store} engine={engine}>
        <Profiler id="cpu" onRender={() => { counts.cpu++; }}><Cpu /></Profiler>
        <Profiler id="tlb" onRender={() => { counts.tlb++; }}><Tlb /></Profiler>
      </StoreProvider>,
    );
    const before = { ...counts };
    await act(async () => { store.getState().setSpeed(20); store.getState().setHiddenTypes(new Set(['ad'])); store.getState().toggleBreakpoint(3); });
    expect(counts).toEqual(before);
    await act(async () => { await store.getState().seek(store.getState().cursor + 1); });
    expect(counts.cpu).toBeGreaterThan(before.cpu);
  });
});

describe('layouts are presets', () => {
  it('a lesson step keeps only its panels, in the layout\'s order; empty columns go', () => {
    expect(columnsOf(LAYOUTS.present, ['tlb', 'privilege', 'event']).map((c) => c.panels)).toEqual([['privilege', 'event'], ['tlb']]);
    expect(columnsOf(LAYOUTS.present, ['walk']).map((c) => c.panels)).toEqual([['walk']]);
    // The lesson picker stays in layouts that do not dock it.
    expect(columnsOf(LAYOUTS.normal, ['walk']).flatMap((c) => c.panels)).toEqual(['walk', 'lesson']);
  });
  it('every layout names registered panels only, each once', () => {
    for (const [name, l] of Object.entries(LAYOUTS)) {
      for (const cols of [l.columns, l.narrow ?? []]) {
        const ids = cols.flat();
        expect(new Set(ids).size, name).toBe(ids.length);
        for (const id of ids) expect(PANEL_IDS, name).toContain(id);
      }
    }
  });
  it('reads #present and #embed with its panels, and links the embed back to the full app', () => {
    expect(parseViewHash('#lesson=pagewalk&step=2&present', 'http://x/lab/#a').mode).toBe('present');
    const v = parseViewHash('#embed&lesson=pagewalk&step=2&panels=walk,tlb,nosuch', 'http://x/lab/#embed');
    expect(v).toEqual({ mode: 'embed', panels: ['walk', 'tlb'], fullUrl: 'http://x/lab/#lesson=pagewalk&step=2' });
    expect(parseViewHash('', 'http://x/')).toEqual({ mode: 'normal', panels: undefined, fullUrl: 'http://x/' });
  });
});
