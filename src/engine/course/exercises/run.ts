// Runs an exercise's program and reads the answer off the trace: the engine decides, never a
// separate formula. World: above the engine (one session per problem).

import { Session, assembleSource } from '../../session.ts';
import { parseKnobs } from '../../knobs.ts';
import { StepProbe, type Values } from '../probe.ts';
import type { EventMatch } from '../../trace/match.ts';
import type { TraceEvent } from '../../trace/events.ts';

export interface Decided { event: TraceEvent | null; values: Values; events: TraceEvent[]; matched: readonly TraceEvent[] }

/** Run source (with knobs) to its end; the probe finds the chain's cursor. `keep` collects the
 *  events between the chain's first match and the cursor (for answers that read a span). */
export function decide(source: string, knobs: Record<string, string>, at: EventMatch[], keep = false): Decided {
  const a = assembleSource(source, 'exercise.s');
  if (!a.ok) throw new Error(`exercise program does not assemble: ${a.diagnostics}`);
  const k = parseKnobs(knobs);
  if (!k.ok) throw new Error(k.error);
  const probe = new StepProbe(at);
  const events: TraceEvent[] = [];
  const s = new Session(a.program, { file: 'exercise.s', knobs: k.knobs, sink: { event: (e) => {
    const started = probe.hits.length > 0 && !probe.cursor;
    probe.feed(e);
    if (keep && (started || (probe.cursor === e))) events.push(e);
  } } });
  s.run(5_000_000);
  return { event: probe.cursor, values: probe.values(), events, matched: probe.matched };
}

/** The address of a symbol in source, as the trace prints addresses. */
export function symbolHex(source: string, name: string): string {
  const a = assembleSource(source, 'exercise.s');
  if (!a.ok) throw new Error(a.diagnostics);
  const v = a.program.symbols.get(name);
  if (v === undefined) throw new Error(`no symbol ${name}`);
  return '0x' + v.toString(16);
}
