// Real walk events and machine views for the walk-panel tests, produced by running the engine:
// a VMX guest (4-level paging over a 4-level EPT that is not the identity: gPA = hPA + GPA_OFFSET)
// and Linux / Dune processes.

import { afterAll, beforeAll, expect, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { makeGuest, runLinux, ofType } from '../../../engine/harness.ts';
import { machineView } from '../../../../src/engine/player/view.ts';
import type { WalkEvent } from '../../../../src/ui/panels/walk/layout.ts';

/** Two data pages; reads x, x + 4096, and (optionally) an unmapped address. */
const prog = (extra = '') => `
  .data
  x: .quad 5
  .zero 8192
  .text
  _start:
    mov rax, [x]
    mov rbx, [x + 4096]
    ${extra}
    mov rax, 60
    mov rdi, 0
    vmcall
`;

/** The guests' EPT maps guest-physical GPA_OFFSET + x to host-physical x: a gPA shown where an
 *  hPA belongs (or the reverse) is off by 9 GiB. */
export const GPA_OFFSET = 0x2_4000_0000;

const walkAt = (events: Parameters<typeof ofType>[0], va: string): WalkEvent => {
  const w = ofType(events, 'walk').find((e) => e.va === va);
  if (!w) throw new Error(`no walk of ${va}`);
  return w;
};

/** The data read of 0x401000 in a VMX guest: a full 2-D walk (24 refs without the walk caches). */
export function guestWalk(psc: boolean, va = '0x401000'): WalkEvent {
  const g = makeGuest(prog(), { knobs: { psc }, gpaOffset: GPA_OFFSET });
  g.run();
  return walkAt(g.events, va);
}

/** The same read by a Linux process: a native 1-D walk. */
export function linuxWalk(psc = false): WalkEvent {
  const l = runLinux(prog().replace('vmcall', 'syscall'), { knobs: { psc } });
  return walkAt(l.events, '0x401000');
}

/** A guest read of an unmapped address: the guest walk stops at a not-present entry (#PF). */
export function guestPageFault(): WalkEvent {
  const g = makeGuest(prog('mov rcx, [0x40000000]'), { knobs: { psc: false }, gpaOffset: GPA_OFFSET });
  g.run();
  const w = ofType(g.events, 'walk').find((e) => e.fault !== null);
  if (!w) throw new Error('no faulting walk');
  return w;
}

/** A guest whose page-table page (the PT that maps 0x401000) is missing from the EPT: the walk
 *  stops in the EPT walk of the guest PTE's address, with an EPT violation. */
export function guestEptViolation(): { walk: WalkEvent; ptPage: bigint } {
  const clean = guestWalk(false);
  const pde = clean.refs.find((r) => r.space === 'guest' && r.level === 2)!;
  const ptPage = BigInt(pde.value) & 0xffffffffff000n;
  const g = makeGuest(prog(), { knobs: { psc: false }, gpaOffset: GPA_OFFSET, eptHoles: (gpa) => BigInt(gpa) === ptPage });
  g.run();
  const w = ofType(g.events, 'walk').find((e) => e.fault !== null);
  if (!w) throw new Error('no faulting walk');
  return { walk: w, ptPage };
}

/** The hello-dune sample run for a while: its machine view (TLB with VPID and EPT tags). */
export function duneSession(budget = 3000) {
  const src = readFileSync(resolve(process.cwd(), 'samples/hello-dune.s'), 'utf8') // vitest runs from the repo root;
  const r = runLinux(src, { budget });
  return { ...r, view: machineView(r.s) };
}

/** Fail the file if anything logged console.error (React key or prop warnings included). */
export function noConsoleErrors() {
  let spy: ReturnType<typeof vi.spyOn>;
  beforeAll(() => { spy = vi.spyOn(console, 'error'); });
  afterAll(() => { expect(spy).not.toHaveBeenCalled(); spy.mockRestore(); });
}
