// The engine side of the protocol: one Player per page, driven by requests. Each request is a
// job that runs in slices (a generator: recording and runs yield between slices, and stop when
// asked); the worker drives the slices so that a stop request is seen within milliseconds. No
// bundler imports here: the CLI bench and node tests use it too (handler.ts adds the samples).

import { Player } from '../../engine/player/player.ts';
import { runSourceSliced, assembleSource } from '../../engine/session.ts';
import { compareRow } from '../../engine/player/compare.ts';
import { PAPER, type PaperOp } from '../../engine/paper.ts';
import type { Request } from './protocol.ts';
import type { EventType } from '../../engine/trace/events.ts';

const INSTR: ReadonlySet<EventType> = new Set(['instr']);

/** A request being served: next() runs one slice; next(true) stops it (its answer says so). */
export type Job = Generator<void, unknown, boolean | undefined>;

/** Run a job to its end at once. */
export function drain(job: Job): unknown {
  for (;;) { const r = job.next(false); if (r.done) return r.value; }
}

/** The engine's requests over one Player. benchSource: a bundled benchmark program
 *  (samples/bench/<name>), or null. */
export function createEngine(benchSource: (name: string) => string | null) {
  const player = new Player();
  let rips = new Map<number, number>(); // source line -> instruction addresses (first of the line)
  function* job(req: Request): Job {
    switch (req.kind) {
      case 'run': return yield* runSourceSliced(req.source, { file: req.file, knobs: req.knobs, stdin: req.stdin });
      case 'load': {
        const r = yield* player.recording(req.init);
        rips = new Map();
        if (r.ok) for (const [line, addr] of player.lineAddresses()) rips.set(line, addr);
        return r;
      }
      default: return quick(req);
    }
  }
  const quick = (req: Request): unknown => {
    switch (req.kind) {
      case 'seek': return player.seek(req.seq);
      case 'check': {
        const a = assembleSource(req.source, req.file ?? 'program.s');
        return a.ok ? [] : a.errors.map((e) => ({ line: e.line, col: e.col, message: e.hint ? `${e.message} (${e.hint})` : e.message }));
      }
      case 'match': {
        const m = req.match;
        let n = m.nth ?? 1;
        const at = player.cursor;
        player.cursor = req.from - 1;
        const seq = player.find(1, (e) => {
          const r = e as unknown as Record<string, unknown>;
          const ok = e.type === m.type && (m.vmx === undefined || e.vmx === m.vmx) && (m.name === undefined || r.name === m.name) &&
            (m.via === undefined || r.via === m.via) && (m.text === undefined || String(r.text ?? '').includes(m.text)) &&
            (m.refs === undefined || (Array.isArray(r.refs) && r.refs.length === m.refs && r.fault === null)) &&
            (m.maxRefs === undefined || (Array.isArray(r.refs) && r.refs.length <= m.maxRefs && r.fault === null));
          return ok && --n === 0;
        }, undefined, new Set([m.type as EventType]));
        player.cursor = at;
        return seq;
      }
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
          case 'instr': return player.find(req.dir, (e) => e.type === 'instr', undefined, INSTR);
          case 'vmexit': return player.find(req.dir, () => true, ['vmexit']);
          case 'fault': return player.find(req.dir, () => true, ['exception']);
          case 'ring': return player.find(req.dir, () => true, ['ring', 'vmexit', 'vmentry']);
          case 'syscall': return player.find(req.dir, () => true, ['syscall']);
          case 'breakpoint': {
            const want = new Set((req.lines ?? []).map((l) => rips.get(l)).filter((a): a is number => a !== undefined).map((a) => '0x' + a.toString(16)));
            return player.find(req.dir, (e) => e.type === 'instr' && want.has(e.rip), undefined, INSTR);
          }
        }
      }
    }
  };  return { job, handle: (req: Request): unknown => drain(job(req)) };
}
