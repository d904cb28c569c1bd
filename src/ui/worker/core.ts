// The engine side of the protocol: one Player per page, driven by requests. Each request is a
// job that runs in slices (a generator: recording and runs yield between slices, and stop when
// asked); the worker drives the slices so that a stop request is seen within milliseconds. No
// bundler imports here: the CLI bench and node tests use it too (handler.ts adds the samples).

import { Player } from '../../engine/player/player.ts';
import { runSourceSliced, assembleSource } from '../../engine/session.ts';
import { filesReader } from '../../engine/asm/index.ts';
import { compareRow } from '../../engine/player/compare.ts';
import { PAPER, type PaperOp } from '../../engine/paper.ts';
import { searchPredicate } from '../../engine/trace/match.ts';
import { StepProbe } from '../../engine/course/probe.ts';
import { checkStep } from '../../engine/course/run.ts';
import { problem, check } from '../../engine/course/exercises/index.ts';
import type { Request, LessonStepResult } from './protocol.ts';
import type { PlayerLoad } from '../../engine/player/player.ts';
import { EVENT_TYPES, type EventType, type TraceEvent } from '../../engine/trace/events.ts';
import { whatIf } from './whatif.ts';
import { wedgeView, recycleStopRip } from './wedge.ts';
import { sandboxCalls } from './sandbox.ts';
import { HeapProbe } from '../../engine/player/heapmap.ts';
import { gcLanes } from '../../engine/player/gclanes.ts';
import { cursorMove, LandmarkWindow } from './cursor.ts';

const INSTR: ReadonlySet<EventType> = new Set(['instr']);
const LIBDUNE: ReadonlySet<EventType> = new Set(['libdune']);
/** For landmark searches: the index answers, no predicate is consulted. */
const ANY = () => true;
/** libdune calls whose return ends the set-up (the program's own code runs after them). */
const SETUP = new Set(['dune_init', 'dune_init_and_enter', 'dune_enter']);

/** The last instruction before the cursor: looked for in a few events back first (the last one is
 *  nearly always there), then in a few thousand, then as Player.find does (spans of 20,000, each
 *  a replay that builds every instruction event in it). */
function lastInstr(player: Player): number | null {
  const isInstr = (e: TraceEvent) => e.type === 'instr';
  for (const back of [64, 4096]) {
    if (player.cursor - back < 0) break;
    const hit = player.scanLast(player.cursor - back, player.cursor - 1, isInstr, INSTR);
    if (hit !== null) return hit;
  }
  return player.find(-1, isInstr, { kinds: INSTR });
}

/** A request being served: next() runs one slice; next(true) stops it (its answer says so). */
export type Job = Generator<void, unknown, boolean | undefined>;

/** Run a job to its end at once. */
export function drain(job: Job): unknown {
  for (;;) { const r = job.next(false); if (r.done) return r.value; }
}

/** A recorded run and what was derived from it, kept for a later load of the same program. */
interface Recording {
  player: Player; load: PlayerLoad;
  rips: Map<number, number>;
  /** Lesson steps played over the run (one replay from the start serves a step and its siblings). */
  steps: Map<string, LessonStepResult>;
  setup: { from: number; to: number } | null | undefined;
}

/** Recordings kept besides the loaded one: a lesson moving between its programs, or back to
 *  one, loads it again at once. Only short runs are kept (a Dune run of this size holds about
 *  30 MB: its page tables); loading a longer one drops them all, so that the tab stays bounded. */
export const KEEP_RECORDINGS = 3;
export const KEEP_INSTRUCTIONS = 1_000_000;

/** The engine's requests over one Player. benchSource: a bundled benchmark program
 *  (samples/bench/<name>), or null. */
export function createEngine(benchSource: (name: string) => string | null) {
  let player = new Player();
  let rips = new Map<number, number>(); // source line -> instruction addresses (first of the line)
  // Lesson steps played over the loaded run (a replay from the start each): kept with the recording.
  let steps = new Map<string, LessonStepResult>();
  const recordings = new Map<string, Recording>(); // by PlayerInit, least recently loaded first
  let current: Recording | null = null;
  // libdune's set-up span of the loaded run (computed on first request).
  let setup: { from: number; to: number } | null | undefined;
  // The heap view's probe (its arrays are reused from one cursor to the next), by window.
  const probes = new Map<number, HeapProbe>();
  // The swimlanes' landmark events around the cursor, kept across moves (cursor.ts).
  const lanes = new LandmarkWindow();
  // The program view's RIP (hex) -> line of each line's first instruction, for a step's lines.
  let lineKeys: { of: Map<number, number>; map: Map<string, number> } | null = null;
  const lineOf = () => {
    if (lineKeys?.of !== rips) lineKeys = { of: rips, map: new Map([...rips].map(([line, a]) => ['0x' + a.toString(16), line])) };
    return lineKeys.map;
  };
  /** From the first dune_init / dune_enter call to the return that enters Dune (dune_enter or
   *  dune_init_and_enter; else the last set-up return): one replay that builds only libdune events
   *  and stops there. */
  const setupSpan = () => {
    if (setup !== undefined) return setup;
    let from = -1, to = -1;
    const pred = (e: TraceEvent) => {
      if (e.type !== 'libdune' || !SETUP.has(e.fn)) return false;
      if (from < 0) from = e.seq;
      if (e.ret === null) return false;
      to = e.seq;
      return e.fn !== 'dune_init';
    };
    // The recording keeps the run's first libdune events: the set-up is usually among them.
    // Else (or if it does not end there), the replay.
    if (!player.earlyLibdune.some(pred)) { from = -1; to = -1; player.scan(0, pred, LIBDUNE); }
    setup = from >= 0 && to >= 0 ? { from, to } : null;
    if (current) current.setup = setup;
    return setup;
  };
  /** Make a kept recording the loaded one. */
  const use = (r: Recording) => {
    current = r; player = r.player; rips = r.rips; steps = r.steps; setup = r.setup;
    player.cursor = -1;
    return r.load;
  };
  function* job(req: Request): Job {
    switch (req.kind) {
      case 'run': return yield* runSourceSliced(req.source, { file: req.file, knobs: req.knobs, stdin: req.stdin, files: req.files });
      case 'load': {
        const key = JSON.stringify(req.init);
        const kept = recordings.get(key);
        if (kept) { recordings.delete(key); recordings.set(key, kept); return use(kept); }
        player = new Player();
        current = null;
        const r = yield* player.recording(req.init);
        rips = new Map();
        steps = new Map();
        setup = undefined;
        if (!r.ok) return r;
        for (const [line, addr] of player.lineAddresses()) rips.set(line, addr);
        if (r.stopped === 'cancelled' || r.instructions > KEEP_INSTRUCTIONS) { recordings.clear(); return r; }
        current = { player, load: r, rips, steps, setup };
        recordings.set(key, current);
        for (const k of recordings.keys()) if (recordings.size > KEEP_RECORDINGS + 1) recordings.delete(k);
        return r;
      }
      case 'gc-lanes': return yield* gcLanes(req.source, req.file ?? 'program.s', req.files);
      default: return quick(req);
    }
  }
  const quick = (req: Request): unknown => {
    switch (req.kind) {
      case 'seek': return player.seek(req.seq);
      case 'cursor': {
        const seq = req.seq ?? (req.find ? quick({ kind: 'find', ...req.find }) as number | null : null);
        return seq === null ? null : cursorMove(player, seq, req.from ?? null, lanes, lineOf());
      }
      case 'heap': {
        const w = Math.max(1, Math.min(20_000, Math.floor(req.window ?? 512)));
        let probe = probes.get(w);
        if (!probe) { probe = new HeapProbe(w); probes.clear(); probes.set(w, probe); }
        return player.seek(req.seq, probe).probe;
      }
      case 'check': {
        const file = req.file ?? 'program.s';
        // The errors as keys with parameters: the page says them in its language when it shows them.
        const a = assembleSource(req.source, file, filesReader(req.files));
        return a.ok ? [] : a.errors;
      }
      // The recorded program's instruction addresses by line (the program view maps RIPs to lines).
      case 'lines': return [...rips];
      case 'match': {
        const pred = searchPredicate(req.match);
        // A pattern names its type: the replay then builds only events of that type.
        const kinds = 'type' in req.match ? new Set([req.match.type as EventType]) : undefined;
        let n = req.match.nth ?? 1;
        return req.dir === -1 ? player.find(-1, pred, { from: req.from, kinds })
          : player.find(1, (e) => pred(e) && --n === 0, { from: req.from - 1, kinds });
      }
      case 'lesson-step': {
        const key = JSON.stringify(req.step);
        const known = steps.get(key);
        if (known) return known;
        // One replay from the start: each probe sees every event in order, as in `sim lesson
        // --check`; the step's siblings (the lesson's other steps over this program) ride along,
        // so moving between them later needs no replay.
        const todo = [req.step, ...(req.siblings ?? []).filter((x) => !steps.has(JSON.stringify(x)))];
        const probes = todo.map((x) => new StepProbe(x.at, x.spanFrom));
        let open = probes.length;
        // Built: the kinds some probe matches or reads; every other event comes as a mark (its
        // type and cycles, which is all the probes count), so the replay builds no instr events
        // unless a pattern asks for them.
        const built = new Set(probes.flatMap((p) => [...p.builds()]));
        const marked = new Set(EVENT_TYPES.filter((t) => !built.has(t)));
        player.scan(0, (e) => {
          for (const p of probes) if (!p.complete) { p.feed(e); if (p.complete) open--; }
          return open === 0;
        }, undefined, { kinds: marked, mark: (type, _seq, cycles) => { for (const p of probes) p.mark(type, cycles); } });
        todo.forEach((x, i) => steps.set(JSON.stringify(x), { seq: probes[i].cursor?.seq ?? null, values: probes[i].values(), failed: checkStep(x, probes[i]) }));
        return steps.get(key)!;
      }
      case 'exercise': return problem(req.exercise, req.seed);
      case 'exercise-check': return check(req.exercise, req.seed, req.answer);
      case 'whatif': return whatIf(req.source, req.base, req.variant);
      case 'setup': return setupSpan();
      case 'wedge': return player.inspect(wedgeView);
      case 'wedge-step': {
        const rip = recycleStopRip(req.stop);
        return player.find(req.dir, (e) => e.type === 'instr' && e.rip === rip, { kinds: INSTR });
      }
      case 'sandbox': return sandboxCalls(player);
      // Up to `around` indexed landmarks of these types before and after seq bound one replay
      // that builds only those types (kept across requests: cursor.ts).
      case 'landmark-events': return lanes.around(player, req.seq, req.around, req.types);
      case 'events': return player.events(req.from, req.to);
      case 'memory': return player.memory({ maxNodes: req.maxNodes });
      // Bits 47:0 index the page tables (a canonical address's upper bits repeat bit 47).
      case 'read-virtual': return player.readVirtual(Number(BigInt(req.va) & 0xffff_ffff_ffffn), req.n);
      case 'compare': {
        if (!Object.hasOwn(PAPER, req.stem)) throw new Error(`no paper row "${req.stem}" (rows: ${Object.keys(PAPER).join(', ')})`);
        return compareRow(req.stem as PaperOp, benchSource);
      }
      case 'find': {
        switch (req.step) {
          case 'event': return player.cursor + req.dir;
          case 'instr': return req.dir < 0 ? lastInstr(player) : player.find(1, (e) => e.type === 'instr', { kinds: INSTR });
          case 'vmexit': return player.find(req.dir, ANY, { landmarks: ['vmexit'] });
          case 'fault': return player.find(req.dir, ANY, { landmarks: ['exception'] });
          case 'ring': return player.find(req.dir, ANY, { landmarks: ['ring', 'vmexit', 'vmentry'] });
          case 'syscall': return player.find(req.dir, ANY, { landmarks: ['syscall'] });
          // The program's own code: its first instruction after libdune's set-up (the return of
          // dune_init / dune_enter), or after the cursor if that is later.
          case 'program':
            return player.find(1, (e) => e.type === 'instr' && player.lineOf(Number(BigInt(e.rip) & 0xffff_ffff_ffffn)) !== undefined,
              { from: Math.max(req.dir > 0 ? player.cursor : -1, setupSpan()?.to ?? -1), kinds: INSTR });
          case 'breakpoint': {
            const want = new Set((req.lines ?? []).map((l) => rips.get(l)).filter((a): a is number => a !== undefined).map((a) => '0x' + a.toString(16)));
            return player.find(req.dir, (e) => e.type === 'instr' && want.has(e.rip), { kinds: INSTR });
          }
        }
      }
    }
  };
  return { job, handle: (req: Request): unknown => drain(job(req)) };
}
