// The engine side of the protocol: one Player per page, driven by requests. Runs inside the Web
// Worker (engine.worker.ts), or in-thread where there is no Worker (DOM tests).

import { Player } from '../../engine/player/player.ts';
import { runSource, assembleSource } from '../../engine/session.ts';
import { editorDiagnostics, filesReader } from '../../engine/asm/index.ts';
import { compareRow } from '../../engine/player/compare.ts';
import { PAPER, type PaperOp } from '../../engine/paper.ts';
import { SAMPLE_FILES } from '../samples.ts';
import { searchPredicate } from '../../engine/trace/match.ts';
import { StepProbe } from '../../engine/course/probe.ts';
import { checkStep } from '../../engine/course/run.ts';
import { problem, check } from '../../engine/course/exercises/index.ts';
import type { Request, LessonStepResult } from './protocol.ts';
import { whatIf } from './whatif.ts';

/** libdune calls whose return ends the set-up (the program's own code runs after them). */
const SETUP = new Set(['dune_init', 'dune_init_and_enter', 'dune_enter']);

/** A bundled benchmark program (samples/bench/<name>), or null. */
const benchSource = (name: string) => SAMPLE_FILES.find((s) => s.name === `bench/${name}`)?.source ?? null;

export function createHandler() {
  const player = new Player();
  let rips = new Map<number, number>(); // source line -> instruction addresses (first of the line)
  // Lesson steps played over the loaded run (a replay from the start each): kept until the next load.
  let steps = new Map<string, LessonStepResult>();
  return (req: Request): unknown => {
    switch (req.kind) {
      case 'run': return runSource(req.source, { file: req.file, knobs: req.knobs, stdin: req.stdin, files: req.files });
      case 'load': {
        const r = player.load(req.init);
        rips = new Map();
        steps = new Map();
        if (r.ok) for (const line of player.lineAddresses().keys()) rips.set(line, player.lineAddresses().get(line)!);
        return r;
      }
      case 'seek': return player.seek(req.seq);
      case 'check': {
        const file = req.file ?? 'program.s';
        const a = assembleSource(req.source, file, filesReader(req.files));
        return a.ok ? [] : editorDiagnostics(a.errors, file);
      }
      // The recorded program's instruction addresses by line (the program view maps RIPs to lines).
      case 'lines': return [...rips];
      case 'match': {
        const pred = searchPredicate(req.match);
        let n = req.match.nth ?? 1;
        const at = player.cursor;
        player.cursor = req.dir === -1 ? req.from : req.from - 1;
        const seq = req.dir === -1 ? player.find(-1, pred) : player.find(1, (e) => pred(e) && --n === 0);
        player.cursor = at;
        return seq;
      }
      case 'lesson-step': {
        const key = JSON.stringify(req.step);
        const known = steps.get(key);
        if (known) return known;
        // One replay from the start: the probe sees every event in order, as in `sim lesson --check`.
        const probe = new StepProbe(req.step.at, req.step.spanFrom);
        player.scan(0, (e) => { probe.feed(e); return probe.complete; });
        const r: LessonStepResult = { seq: probe.cursor?.seq ?? null, values: probe.values(), failed: checkStep(req.step, probe) };
        steps.set(key, r);
        return r;
      }
      case 'exercise': return problem(req.exercise, req.seed);
      case 'exercise-check': return check(req.exercise, req.seed, req.answer);
      case 'events': return player.events(req.from, req.to);
      case 'whatif': return whatIf(req.source, req.base, req.variant);
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
          case 'instr': return player.find(req.dir, (e) => e.type === 'instr');
          case 'vmexit': return player.find(req.dir, () => true, ['vmexit']);
          case 'fault': return player.find(req.dir, () => true, ['exception']);
          case 'ring': return player.find(req.dir, () => true, ['ring', 'vmexit', 'vmentry']);
          case 'syscall': return player.find(req.dir, () => true, ['syscall']);
          // The program's own code: its first instruction after libdune's set-up (the return of
          // dune_init / dune_enter), or after the cursor if that is later.
          case 'program': {
            const at = player.cursor;
            const inits = player.landmarks.filter((l) => l.event.type === 'libdune' && SETUP.has(l.event.fn) && l.event.ret !== null);
            player.cursor = Math.max(req.dir > 0 ? at : -1, inits.at(-1)?.seq ?? -1);
            const seq = player.find(1, (e) => e.type === 'instr' && player.lineOf(Number(BigInt(e.rip) & 0xffff_ffff_ffffn)) !== undefined);
            player.cursor = at;
            return seq;
          }
          case 'breakpoint': {
            const want = new Set((req.lines ?? []).map((l) => rips.get(l)).filter((a): a is number => a !== undefined).map((a) => '0x' + a.toString(16)));
            return player.find(req.dir, (e) => e.type === 'instr' && want.has(e.rip));
          }
        }
      }
    }
  };
}
