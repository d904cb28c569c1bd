// Property: every panel shows the state at the cursor. At random cursor positions in a Linux, a
// Dune and a sandboxed run, the mode and CPL each panel's slice shows equal the event's, a TLB
// fill's entry is in the TLB view with the event's tags, a VM exit's reason is in the VMCS, and
// the source line is the one whose instruction retired last.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createStore } from '../../../src/ui/state/store.ts';
import { inThreadEngine } from '../../../src/ui/engineInThread.ts';
import { selectCpu, selectEvent, selectPrivilege, selectSource, selectTlb, selectVmcs, selectWalk, tlbHighlight } from '../../../src/ui/state/selectors.ts';
import { names } from '../../../src/ui/panels/walk/TlbTable.tsx';
import { assembleSource } from '../../../src/engine/session.ts';
import type { TraceEvent } from '../../../src/ui/engineClient.ts';

/** A small seeded generator (mulberry32): the same positions every run. */
function rng(seed: number) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RUNS = ['hello-linux.s', 'getpid-dune.s', 'sandbox-dune.s'];
const va48 = (h: string) => Number(BigInt(h) & 0xffff_ffff_ffffn);

describe.each(RUNS)('the views at the cursor agree with the event (%s)', (sample) => {
  it('at random positions, and at the TLB fills, walks, exits and instructions near them', async () => {
    const source = readFileSync(`samples/${sample}`, 'utf8');
    const a = assembleSource(source, 'program.s');
    if (!a.ok) throw new Error(a.diagnostics);
    const lineOf = new Map(a.program.instrs.map((i) => [i.addr, i.line]));
    const engine = inThreadEngine();
    const store = createStore(engine, source);
    await store.getState().load();
    const total = store.getState().loaded!.total;
    // Events before the first checkpoint (process creation, before the first instruction) are
    // shown as one point, the start: positions are drawn from there on.
    const start = store.getState().cursor;
    const next = rng(0x5eed + sample.length);
    const seen = new Set<string>();
    // Random positions, and random landmarks (exits, system calls, ring changes): a Dune run spends
    // most of its events in libdune's set-up, far from the program's own instructions.
    const marks = (await engine.landmarkEvents(Math.floor((start + total) / 2), 40, ['vmexit', 'syscall', 'ring'])).filter((l) => l.seq > start + 200);
    const from = [0, 1, 2].map(() => start + Math.floor(next() * Math.max(1, total - start - 400)))
      .concat([0, 1, 2].map(() => marks.length ? marks[Math.floor(next() * marks.length)].seq - 200 : start));
    for (const p of from) {
      // The random position, then the first event of each interesting kind after it.
      const near = await engine.events(p, p + 400);
      const targets = new Set<TraceEvent>([near[0]]);
      for (const kind of ['tlb', 'walk', 'vmexit', 'instr', 'syscall', 'ring']) {
        const e = near.find((x) => x.type === kind && (kind !== 'tlb' || (x as { op: string }).op === 'fill'));
        if (e) targets.add(e);
      }
      for (const target of targets) {
        const seq = target.seq;
        await store.getState().seek(seq);
        const st = store.getState();
        const e = st.event as TraceEvent;
        expect(e, `${sample} seek ${seq}`).toEqual(target);
        seen.add(e.type);
        const at = `${sample} event ${seq} (${e.type})`;
        // Mode and CPL: the privilege map, the event header and the CPU panel.
        expect(selectPrivilege(st), at).toMatchObject({ vmx: e.vmx, cpl: e.cpl });
        expect(selectEvent(st), at).toMatchObject({ vmx: e.vmx, cpl: e.cpl });
        expect(selectCpu(st).view, at).toMatchObject({ vmx: e.vmx, cpl: e.cpl });
        if (e.type === 'tlb' && e.op === 'fill') {
          const { entries, event } = selectTlb(st);
          const h = tlbHighlight(event)!;
          const marked = entries.filter((x) => names(x, h));
          expect(marked.length, at).toBeGreaterThan(0);
          for (const x of marked) expect({ va: va48(x.va), vpid: x.vpid, pcid: x.pcid }, at).toEqual({ va: va48(e.va!), vpid: e.vpid, pcid: e.pcid });
        }
        if (e.type === 'vmexit') {
          const reason = selectVmcs(st).fields!.find((f) => f.name === 'VM_EXIT_REASON')!.value;
          expect(Number(reason) & 0xffff, at).toBe(e.reason);
          expect(selectVmcs(st).atExit, at).toBe(true);
        }
        if (e.type === 'walk') expect(selectWalk(st).seq, at).toBe(seq);
        // The source line: that of the last program instruction retired at or before the cursor.
        const last = near.filter((x) => x.seq <= seq && x.type === 'instr' && lineOf.has(va48((x as { rip: string }).rip))).at(-1);
        if (last) expect(selectSource(st).line, at).toBe(lineOf.get(va48((last as { rip: string }).rip)));
      }
    }
    // Seeking again gives the same view (the worker's machine moved in between).
    const again = store.getState();
    await store.getState().seek(start);
    await store.getState().seek(again.cursor);
    expect(store.getState().view).toEqual(again.view);
    expect([...seen]).toEqual(expect.arrayContaining(['instr', 'walk', 'tlb']));
    if (sample !== 'hello-linux.s') expect([...seen]).toContain('vmexit');
  }, 120_000);
});
