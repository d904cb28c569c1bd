// A paired run, Linux beside Dune (the paper's Tables 2 and 3, one row at a time): both programs
// run untraced to completion; each side gives its figure, summary and cost breakdown. World: a harness above the engine.

import { assembleSource, Session } from '../session.ts';
import { PAPER, type PaperOp } from '../paper.ts';
import { costBreakdown, costWindow, type CostBreakdown } from './costs.ts';
import type { Machine } from '../machine.ts';
import type { IncludeReader } from '../asm/index.ts';

/** The symbol each benchmark program names its timed count by (samples/bench): N calls or faults,
 *  M loads (page walk), ROUNDS rounds over the pages (appel). */
const OPS_SYMBOLS = ['N', 'M', 'ROUNDS'];

/** As paper.ts's runBench: room for the page-fault and appel rows, and a budget no row reaches. */
const MEM_BYTES = 1 << 30, BUDGET = 2_000_000_000;

export interface CompareSide {
  file: string;
  /** The program exited with status 0. */
  ok: boolean;
  /** How it ended, e.g. "exit 0", or the assembler's diagnostics. */
  status: string;
  /** The last number the program printed (the benchmarks print cycles per operation), or null. */
  printed: number | null;
  /** The figure to set beside the paper's: `printed`, except for page_walk, where (as the paper
   *  read a performance counter) it is the walker's cycles per timed load between the two RDTSCs. */
  figure: number | null;
  stdout: string;
  summary: ReturnType<Machine['summary']>;
  /** The whole run, start-up (dune_init, the EPT and page-table set-up) and printing included. */
  breakdown: CostBreakdown;
  /** The timed loop alone: counter readings at the program's first two RDTSCs, per operation
   *  (divided by the program's N, M or ROUNDS). It includes the loop's own instructions, which
   *  the printed figure subtracts where the program times an empty loop too. Null if the program
   *  did not execute two RDTSCs or names no count. */
  timed: { ops: number; perOp: CostBreakdown } | null;
}

export interface CompareResult { linux: CompareSide; dune: CompareSide }

/** One paper row compared: the two sides and the paper's own figures. */
export interface CompareRow extends CompareResult { op: PaperOp; paper: { table: 2 | 3; linux: number; dune: number } }

export interface CompareOptions { op?: PaperOp; linuxFile?: string; duneFile?: string; include?: IncludeReader }

export function compare(linuxSource: string, duneSource: string, opts: CompareOptions = {}): CompareResult {
  return {
    linux: runSide(linuxSource, opts.linuxFile ?? 'linux.s', opts.op, opts.include),
    dune: runSide(duneSource, opts.duneFile ?? 'dune.s', opts.op, opts.include),
  };
}

/** Compare one row of PAPER, reading the programs (samples/bench/<stem>-linux.s, -dune.s) through `read`. */
export function compareRow(op: PaperOp, read: (name: string) => string | null): CompareRow {
  const p = PAPER[op];
  if (!p) throw new Error(`no paper row "${op}" (rows: ${Object.keys(PAPER).join(', ')})`);
  const linuxFile = `${p.file}-linux.s`, duneFile = `${p.file}-dune.s`;
  const lin = read(linuxFile), dun = read(duneFile);
  if (lin === null || dun === null) throw new Error(`missing benchmark program ${lin === null ? linuxFile : duneFile}`);
  return { op, paper: { table: p.table, linux: p.linux, dune: p.dune }, ...compare(lin, dun, { op, linuxFile, duneFile, include: (path) => read(path) ?? undefined }) };
}

function runSide(source: string, file: string, op?: PaperOp, include?: IncludeReader): CompareSide {
  const a = assembleSource(source, file, include);
  if (!a.ok) {
    // Nothing ran: every counter is zero.
    const summary = { type: 'summary' as const, instructions: 0, cycles: 0, vmexits: {}, walks: 0, walkRefs: 0, tlbMisses: 0, faults: 0 };
    const breakdown: CostBreakdown = { total: 0, cycles: { instructions: 0, walks: 0, vmexits: 0, kernel: 0 }, vmexitCycles: 0, vmentryCycles: 0,
      counts: { instructions: 0, walks: 0, walkRefs: 0, tlbMisses: 0, faults: 0, vmexits: 0, vmentries: 0, exitsByName: {} } };
    return { file, ok: false, status: a.diagnostics, printed: null, figure: null, stdout: '', summary, breakdown, timed: null };
  }
  const s = new Session(a.program, { file, memBytes: MEM_BYTES });
  // Readings at the first two RDTSCs (the hook only reads counters; it changes nothing).
  const marks: CostBreakdown[] = [];
  s.machine.onRdtsc = (m) => { if (marks.length < 2) marks.push(costBreakdown({ machine: m })); };
  const st = s.run(BUDGET);
  const sym = OPS_SYMBOLS.map((k) => a.program.symbols.get(k)).find((v) => v !== undefined);
  const ops = sym === undefined ? 0 : Number(sym);
  const timed = marks.length === 2 && ops > 0 ? { ops, perOp: costWindow(marks[0], marks[1], ops) } : null;
  const stdout = s.stdout();
  const nums = stdout.match(/-?\d+(\.\d+)?/g);
  const printed = nums ? Number(nums.at(-1)) : null;
  let figure = printed;
  if (op === 'page_walk') figure = timed ? timed.perOp.cycles.walks : null;
  const status = st ? `${st.how} ${st.code}` : 'instruction budget ran out';
  return { file, ok: st?.how === 'exit' && st.code === 0, status, printed, figure, stdout, summary: s.machine.summary(), breakdown: costBreakdown(s), timed };
}
