// VM-exit swimlanes: one lane per privilege region (host process, host kernel + Dune module,
// guest ring 0, guest ring 3), time along cycles, a segment for each stay between transitions.
// Pure: from the transitions around the cursor (the worker's landmark events, each with the state
// after it) to segments.

import type { TraceEvent } from '../../../engine/trace/events.ts';
import { regionOf, REGION_IDS, type RegionId } from './regions.ts';

export const LANES: readonly RegionId[] = ['root-3', 'root-0', 'nonroot-0', 'nonroot-3'];
void REGION_IDS;

export interface Segment { lane: RegionId; from: number; to: number; seq: number; label: string; cost: number }

const MOVES = new Set(['ring', 'vmexit', 'vmentry', 'syscall', 'exception']);

/** The stays around the cursor: up to `around` transitions before and after it. Each segment
 *  starts at a transition (the CPU is then where the event says: its vmx/cpl are the state after
 *  it) and lasts until the next; the last runs to `end` cycles. */
export function laneSegments(marks: readonly TraceEvent[], cursor: number, end: number, around = 12): Segment[] {
  const moves = marks.filter((e) => MOVES.has(e.type));
  const at = Math.max(0, moves.findLastIndex((e) => e.seq <= cursor));
  const pick = moves.slice(Math.max(0, at - around), at + around + 1);
  return pick.map((e, i) => {
    const next = pick[i + 1]?.cycles ?? moves[moves.indexOf(e) + 1]?.cycles ?? end;
    return { lane: regionOf(e.vmx, e.cpl), from: e.cycles, to: Math.max(e.cycles, next), seq: e.seq, label: labelOf(e), cost: Math.max(0, next - e.cycles) };
  });
}

/** The landmark types the lanes are drawn from. */
export const MOVE_TYPES = ['ring', 'vmexit', 'vmentry', 'syscall', 'exception'] as const;

function labelOf(e: TraceEvent): string {
  switch (e.type) {
    case 'vmexit': return e.name;
    case 'vmentry': return e.kind === 'launch' ? 'VMLAUNCH' : 'VMRESUME';
    case 'syscall': return `${e.name} (${e.via})`;
    case 'ring': return e.via;
    case 'exception': return e.name;
    default: return e.type;
  }
}
