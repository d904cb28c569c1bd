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
import { StepRider } from '../../engine/course/ride.ts';
import type { LessonStep } from '../../engine/course/lesson.ts';
import { problem, check } from '../../engine/course/exercises/index.ts';
import type { Request, LessonStepResult } from './protocol.ts';
import type { PlayerLoad, PlayerInit } from '../../engine/player/player.ts';
import type { EventType, TraceEvent } from '../../engine/trace/events.ts';
import { whatIf } from './whatif.ts';
import { wedgeView, recycleStopRip } from './wedge.ts';
import { sandboxCalls } from './sandbox.ts';
import { HeapProbe } from '../../engine/player/heapmap.ts';
import { gcLanes } from '../../engine/player/gclanes.ts';
import { cursorMove, LandmarkWindow, RowBlocks } from './cursor.ts';

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
  setup: { from: number; to: number } | null | undefined;
}

/** Recordings kept besides the loaded one: a lesson moving between its programs, or back to
 *  one, loads it again at once. Runs up to KEEP_INSTRUCTIONS are kept, up to KEEP_TOTAL
 *  instructions in all (measured in node: 11 to 18 MB for each 2 M-instruction lesson program,
 *  its checkpoints and page tables; 7 recordings of the largest lesson, gc-dirty, about 110 MB);
 *  loading a longer run drops them all, so that the tab stays bounded. */
export const KEEP_RECORDINGS = 6;
export const KEEP_INSTRUCTIONS = 4_000_000;
export const KEEP_TOTAL = 16_000_000;
/** Lesson step results are kept by program (a few numbers each), longer than recordings. */
const KEEP_RESULTS = 64;

/** A load's key: equal for equal runs, whatever the order of the fields or knobs. */
export function initKey(init: PlayerInit): string {
  const sorted = (o?: Record<string, string>) => Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([init.source, init.file ?? 'program.s', sorted(init.knobs), init.stdin ?? '', init.budget ?? null, sorted(init.files)]);
}
const stepKey = (s: LessonStep) => JSON.stringify(s);

/** A recording under way: the load's own, or a lesson program's recorded ahead (prefetch),
 *  with the lesson's step probes riding it. */
interface Task { key: string; init: PlayerInit; player: Player; rider: StepRider | null; gen: Generator<void, PlayerLoad, boolean | undefined> }

/** The engine's requests over one Player. benchSource: a bundled benchmark program
 *  (samples/bench/<name>), or null. */
export function createEngine(benchSource: (name: string) => string | null) {
  let player = new Player();
  let rips = new Map<number, number>(); // source line -> instruction addresses (first of the line)
  const recordings = new Map<string, Recording>(); // by initKey, least recently loaded first
  let current: Recording | null = null;
  /** The loaded run's key (kept or not), and whether it is only part of the run (a stopped
   *  recording: steps played over it are not kept for the program). */
  let loadedKey = '';
  let loadedPart = false;
  /** Lesson steps played, by program (initKey) and step: from the probes that rode its recording,
   *  or from one replay of it (a step and its siblings). */
  const results = new Map<string, Map<string, LessonStepResult>>();
  /** The lesson's programs and their steps (lesson-plan), in the order the page may need them. */
  let plan: { key: string; init: PlayerInit; steps: LessonStep[] }[] = [];
  /** The plan's program being recorded ahead while the worker is idle (prefetch). */
  let ahead: Task | null = null;
  /** The plan's programs recorded ahead once already (kept, dropped as too long, or failed to
   *  assemble): not again while the plan names the same programs (it is sent at each step), so
   *  that two programs never evict each other in turn. */
  let tried = new Set<string>();
  /** A plan asked for its first program at once (a deep link): idle work starts without the
   *  quiet time, until a load comes or nothing is left to record. */
  let urgent = false;
  /** The program of the warm-up (warmUp), until it is done or a load, run or plan makes it moot. */
  let warming: PlayerInit | null = null;
  // libdune's set-up span of the loaded run (computed on first request).
  let setup: { from: number; to: number } | null | undefined;
  // The heap view's probe (its arrays are reused from one cursor to the next), by window.
  const probes = new Map<number, HeapProbe>();
  // The swimlanes' landmark events around the cursor, kept across moves (cursor.ts).
  const lanes = new LandmarkWindow();
  // The timeline's event blocks sent with cursor answers, per page cache (cursor.ts).
  const rowBlocks = new RowBlocks();
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
  const use = (key: string, r: Recording) => {
    current = r; player = r.player; rips = r.rips; setup = r.setup; loadedKey = key; loadedPart = false;
    player.cursor = -1;
    return r.load;
  };
  const resultsOf = (key: string) => {
    let m = results.get(key);
    if (m) { results.delete(key); results.set(key, m); return m; }
    m = new Map();
    results.set(key, m);
    if (results.size > KEEP_RESULTS) results.delete(results.keys().next().value!);
    return m;
  };
  /** A recording of init, with the plan's steps over it (those not played yet) riding along. */
  const task = (key: string, init: PlayerInit): Task => {
    const known = results.get(key);
    const todo = plan.find((x) => x.key === key)?.steps.filter((x) => !known?.has(stepKey(x))) ?? [];
    const rider = todo.length ? new StepRider(todo) : null;
    const p = new Player();
    return { key, init, player: p, rider, gen: p.recording(init, undefined, rider ?? undefined) };
  };
  /** A finished recording: its steps' results, and kept if it is short enough (a loaded run
   *  longer than that drops the kept ones; one recorded ahead is dropped itself). */
  const done = (t: Task, r: PlayerLoad, loaded: boolean): Recording | null => {
    // The probes saw every event of the recorded run (to its end or its budget), as a replay from
    // the start would; a cancelled recording is only part of it.
    if (r.ok && r.stopped !== 'cancelled' && t.rider) {
      const m = resultsOf(t.key);
      t.rider.results().forEach((x, i) => m.set(stepKey(t.rider!.steps[i]), x));
    }
    if (!r.ok) return null;
    const rec: Recording = { player: t.player, load: r, rips: new Map(t.player.lineAddresses()), setup: undefined };
    if (r.stopped === 'cancelled' || r.instructions > KEEP_INSTRUCTIONS) { if (loaded) recordings.clear(); return rec; }
    recordings.delete(t.key);
    recordings.set(t.key, rec);
    let total = 0;
    for (const x of recordings.values()) total += x.load.ok ? x.load.instructions : 0;
    for (const [k, x] of recordings) {
      if (recordings.size <= KEEP_RECORDINGS + 1 && total <= KEEP_TOTAL) break;
      if (k === t.key || x === current) continue;
      recordings.delete(k);
      total -= x.load.ok ? x.load.instructions : 0;
    }
    return rec;
  };
  /** Record the plan's programs not kept yet, one slice per next() (the worker runs it while no
   *  request waits: slices.ts). A load of the program under way takes its recording over. */
  function* idle(): Job {
    for (;;) {
      if (!ahead) {
        const next = plan.find((x) => x.key !== loadedKey && !recordings.has(x.key) && !tried.has(x.key));
        if (!next) { urgent = false; return null; }
        tried.add(next.key);
        ahead = task(next.key, next.init);
      }
      const t = ahead;
      const r = t.gen.next(false);
      if (r.done) { ahead = null; done(t, r.value, false); }
      yield;
    }
  }
  /** The warm-up: a throwaway recording of a small Dune program in a Player of its own, then
   *  what the page's load asks after it (the seek to the end, the first cursor with its rows), so
   *  that the engine's hot paths are compiled (the JIT) before the page's first load, which cold
   *  takes 2-3x as long. Nothing it makes is kept or shared with the loaded run. It gives way to
   *  any request between slices; a load or run ends it (the JIT warms on them), and a lesson's
   *  plan takes its place (that plan's recordings warm the JIT just as well). A slice cannot cut
   *  an op: dune_init is one native op (its mapPhys, 50-66 ms warm, 160-320 cold), and the seek
   *  and the first cursor replay it, so a request that comes during one waits for it, as one
   *  during a lesson's record-ahead does. */
  function* warm(): Job {
    const init = warming;
    if (!init) return null;
    const p = new Player();
    const rec = p.recording(init);
    const moot = () => warming !== init || plan.length > 0;
    for (let r = rec.next(false); !r.done; r = rec.next(false)) {
      yield;
      if (moot()) return plan.length ? yield* idle() : null;
    }
    p.seek(p.total - 1);
    yield;
    if (!moot()) cursorMove(p, -1, null, new LandmarkWindow(), new Map(), { blocks: new RowBlocks(), cache: 0 });
    if (warming === init) warming = null;
    return plan.length ? yield* idle() : null;
  }
  function* job(req: Request): Job {
    if (req.kind === 'load' || req.kind === 'run') warming = null;
    switch (req.kind) {
      case 'run': return yield* runSourceSliced(req.source, { file: req.file, knobs: req.knobs, stdin: req.stdin, files: req.files });
      case 'load': {
        urgent = false;
        const key = initKey(req.init);
        const kept = recordings.get(key);
        if (kept) { recordings.delete(key); recordings.set(key, kept); return use(key, kept); }
        // The program being recorded ahead: this load goes on with it.
        const t = ahead?.key === key ? ahead : task(key, req.init);
        if (t === ahead) ahead = null;
        player = t.player;
        current = null;
        loadedKey = key;
        rips = new Map();
        setup = undefined;
        let r: IteratorResult<void, PlayerLoad>;
        for (let stop = false; !(r = t.gen.next(stop)).done;) stop = (yield) === true;
        loadedPart = r.value.ok && r.value.stopped === 'cancelled';
        const rec = done(t, r.value, true);
        if (!rec) return r.value;
        rips = rec.rips;
        if (recordings.get(key) === rec) current = rec;
        return r.value;
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
        return seq === null ? null : cursorMove(player, seq, req.from ?? null, lanes, lineOf(),
          req.rows === undefined ? undefined : { blocks: rowBlocks, cache: req.rows });
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
        const mine = loadedPart ? new Map<string, LessonStepResult>() : resultsOf(loadedKey);
        const known = mine.get(stepKey(req.step));
        if (known) return known;
        // Not played with the recording (no plan named it): one replay from the start, each
        // probe fed every event in order as in `sim lesson --check`; the step's siblings (the
        // lesson's other steps over this program) ride along, so moving between them later needs
        // no replay.
        const todo = [req.step, ...(req.siblings ?? []).filter((x) => !mine.has(stepKey(x)))];
        const rider = new StepRider(todo);
        player.ride(rider);
        rider.results().forEach((x, i) => mine.set(stepKey(todo[i]), x));
        return mine.get(stepKey(req.step))!;
      }
      // The lesson's programs and steps: their loads carry the step probes, and the worker records
      // the others while it is idle.
      case 'lesson-plan': {
        const before = plan.map((x) => x.key).sort().join('\n');
        plan = req.programs.map((x) => ({ key: initKey(x.init), init: x.init, steps: x.steps }));
        if (plan.map((x) => x.key).sort().join('\n') !== before) tried = new Set();
        // A recording ahead of a program the lesson no longer needs stops (its work is dropped).
        if (ahead && !plan.some((x) => x.key === ahead!.key)) ahead = null;
        // Only the plan sent with `now` (a deep link's, before its load) hurries; the next plan
        // (the lesson player's own, or another lesson's) waits the quiet time again.
        urgent = req.now === true;
        return null;
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
  return { job, handle: (req: Request): unknown => drain(job(req)),
    idle: (): Job | null => (plan.length ? idle() : warming ? warm() : null),
    /** Should idle work start at once (a deep link's plan), not after the quiet time? */
    idleNow: (): boolean => urgent,
    /** Warm the engine up on this program while the worker has nothing else to do (warm()). */
    warmUp: (init: PlayerInit) => { warming = init; } };
}
