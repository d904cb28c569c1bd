// Table 5 of the paper (section 5.2, Wedge) run on the simulator: create, context switch and an
// http-like request, each as a fork program and an sthread program (samples/wedge, after
// apps/wedge/bench.c and httpd.c). The figures are the cycles the programs measured with RDTSC
// (the last line they print); nothing is a constant per row. World: a harness above the engine.

import { assembleSource, Session } from './session.ts';
import type { IncludeReader } from './asm/index.ts';

export type WedgeOp = 'create' | 'ctxswitch' | 'http';
export const WEDGE_OPS: readonly WedgeOp[] = ['create', 'ctxswitch', 'http'];

/** The paper's Table 5, in microseconds at its 3.3 GHz. */
export const PAPER_WEDGE: Record<WedgeOp, { fork: number; sthread: number }> = {
  create: { fork: 81, sthread: 2 },
  ctxswitch: { fork: 0.49, sthread: 0.15 },
  http: { fork: 454, sthread: 362 },
};
export const PAPER_GHZ = 3.3;

export interface Table5Row { op: WedgeOp; fork: number; sthread: number; paperFork: number; paperSthread: number }

const FILES: Record<WedgeOp, [string, string]> = {
  create: ['create-fork.s', 'create-sthread.s'],
  ctxswitch: ['ctx-fork.s', 'ctx-sthread.s'],
  http: ['http-fork.s', 'http-sthread.s'],
};

/** The http programs' requests: n lines of exactly 16 bytes (the model has no network, so the
 *  one "client" is stdin). */
export function httpRequests(n: number): string {
  return Array.from({ length: n }, (_, i) => `GET /page-${String(i + 1).padStart(5, '0')}\n`).join('');
}

/** Run one program; its figure is the last line it prints. `include` reads what it `.include`s
 *  (samples/wedge/wedge.inc), by path relative to `file`. */
export function runWedge(source: string, file: string, stdin = '', include?: IncludeReader): { value: number; stdout: string; instructions: number } {
  const a = assembleSource(source, file, include);
  if (!a.ok) throw new Error(`${file} does not assemble:\n${a.diagnostics}`);
  const s = new Session(a.program, { file, stdin, memBytes: 1 << 30 });
  const st = s.run(100_000_000);
  if (!st || st.how !== 'exit' || st.code !== 0)
    throw new Error(`${file} did not finish cleanly (${st ? `${st.how} ${st.code}` : 'budget'}):\n${s.stdout()}\n${s.stderr()}`);
  const value = Number(s.stdout().trim().split('\n').at(-1));
  if (!Number.isFinite(value)) throw new Error(`${file} printed no figure:\n${s.stdout()}`);
  return { value, stdout: s.stdout(), instructions: s.machine.instret };
}

/** Table 5 from the programs `read` provides (samples/wedge/NAME). */
export function table5(read: (name: string) => string | null, ops: readonly WedgeOp[] = WEDGE_OPS): Table5Row[] {
  const rows: Table5Row[] = [];
  for (const op of ops) {
    const [ff, sf] = FILES[op];
    const fsrc = read(ff), ssrc = read(sf);
    if (fsrc === null || ssrc === null) continue;
    // the http programs serve REQUESTS timed requests after one untimed one
    const stdin = (src: string) => (op === 'http' ? httpRequests(Number(/^REQUESTS = (\d+)/m.exec(src)?.[1] ?? 0) + 1) : '');
    const inc = (p: string) => read(p) ?? undefined;
    rows.push({ op, fork: runWedge(fsrc, ff, stdin(fsrc), inc).value, sthread: runWedge(ssrc, sf, stdin(ssrc), inc).value,
      paperFork: PAPER_WEDGE[op].fork, paperSthread: PAPER_WEDGE[op].sthread });
  }
  return rows;
}
