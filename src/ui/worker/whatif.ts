// What-if diff: the same program run with the baseline knobs and with one knob changed, compared
// by counts (VM exits, walks, walk references, TLB flushes, cycles) and by the first event where
// the two traces part. World: the engine's Web Worker (two traced runs, no player).

import { Session, assembleSource, DEFAULT_BUDGET } from '../../engine/session.ts';
import { parseKnobs } from '../../engine/knobs.ts';
import type { TraceEvent, TraceSink } from '../../engine/trace/events.ts';

export interface WhatIfCounts { events: number; vmexits: number; walks: number; walkRefs: number; flushes: number; cycles: number }
export type WhatIf =
  | { ok: true; base: WhatIfCounts; variant: WhatIfCounts; /** First seq where the traces differ (null: identical up to the shorter's end). */ diverge: number | null }
  | { ok: false; error: string };

/** The ops that invalidate TLB entries (cli-and-trace.md); others are informational. */
const FLUSHES = new Set(['flush', 'invlpg', 'invpcid', 'invvpid', 'invept']);

/** An event without its cycle count: two runs "agree" at an event when these are equal (a knob
 *  that only changes costs shows as equal traces with different cycles). */
function key(e: TraceEvent): string {
  const { cycles: _c, ...rest } = e;
  return JSON.stringify(rest);
}

function run(source: string, knobs: Record<string, string>, budget: number): { counts: WhatIfCounts; keys: string[] } | string {
  const a = assembleSource(source, 'program.s');
  if (!a.ok) return a.diagnostics;
  const k = parseKnobs(knobs);
  if (!k.ok) return k.error;
  const counts: WhatIfCounts = { events: 0, vmexits: 0, walks: 0, walkRefs: 0, flushes: 0, cycles: 0 };
  const keys: string[] = [];
  const sink: TraceSink = { event(e) {
    counts.events++;
    if (e.type === 'vmexit') counts.vmexits++;
    else if (e.type === 'walk') { counts.walks++; counts.walkRefs += e.refs.length; }
    else if (e.type === 'tlb' && FLUSHES.has(e.op)) counts.flushes++;
    counts.cycles = e.cycles;
    keys.push(key(e));
  } };
  new Session(a.program, { file: 'program.s', knobs: k.knobs, sink }).run(budget);
  return { counts, keys };
}

export function whatIf(source: string, base: Record<string, string>, variant: Record<string, string>, budget = DEFAULT_BUDGET): WhatIf {
  const b = run(source, base, budget);
  if (typeof b === 'string') return { ok: false, error: b };
  const v = run(source, variant, budget);
  if (typeof v === 'string') return { ok: false, error: v };
  const n = Math.min(b.keys.length, v.keys.length);
  let diverge: number | null = null;
  for (let i = 0; i < n; i++) if (b.keys[i] !== v.keys[i]) { diverge = i; break; }
  if (diverge === null && b.keys.length !== v.keys.length) diverge = n;
  return { ok: true, base: b.counts, variant: v.counts, diverge };
}
