// Structural sharing between two cursors' data: every part of the new answer equal to the one the
// store holds keeps the held object, so a panel whose selector returns it (the VMCS fields, the
// TLB rows, a VM exit the cursor is still past) sees the same reference and does not render
// again. Events are the recording's: the same seq is the same event (replay is deterministic).

import type { MachineView, TraceEvent } from '../engineClient.ts';
import type { CursorView } from '../worker/cursor.ts';

/** Deep equality of plain data (what crosses the worker boundary: no cycles, no classes). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

const sameEvent = (held: TraceEvent | null, next: TraceEvent | null) => (held && next && held.seq === next.seq ? held : next);
const keep = <T>(held: T, next: T) => (sameData(held, next) ? held : next);

/** The machine view with each unchanged part kept from the held one. */
export function shareView(held: MachineView | null, next: MachineView): MachineView {
  if (!held) return next;
  const out = { ...next };
  for (const k of ['regs', 'flags', 'cr', 'vmcs', 'tlb', 'procs', 'status', 'report'] as const) (out as Record<string, unknown>)[k] = keep(held[k], next[k]);
  return out;
}

interface Held { view: MachineView | null; event: TraceEvent | null; lastExit: TraceEvent | null; lastWalk: TraceEvent | null; transition: TraceEvent | null; lanes: TraceEvent[]; stepLines: number[] }

/** The parts of a cursor answer the store sets, shared with what it holds. */
export function shareCursor(held: Held, r: CursorView) {
  const lanes = held.lanes.length === r.lanes.length && held.lanes.every((e, i) => e.seq === r.lanes[i].seq) ? held.lanes : r.lanes;
  return {
    view: shareView(held.view, r.view), event: sameEvent(held.event, r.event), lastExit: sameEvent(held.lastExit, r.lastExit),
    lastWalk: sameEvent(held.lastWalk, r.lastWalk), transition: sameEvent(held.transition, r.transition), lanes,
    stepLines: keep(held.stepLines, r.stepLines),
  };
}
