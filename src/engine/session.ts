// A run of one guest program: assemble, boot the machine and kernel, spawn the process, and run
// it under an instruction budget. The CLI, the UI (in a worker) and the tests all use this.
// World: the engine's public entry, above the hardware and the kernel.

import { assemble, filesReader, formatAsmErrors, type IncludeReader } from './asm/index.ts';
import { Machine, type ExitStatus } from './machine.ts';
import { Kernel } from './kernel/kernel.ts';
import { parseKnobs } from './knobs.ts';
import { installDune } from './kernel/dune/module.ts';
import { runtime, bindNatives } from './libdune/link.ts';
import type { AsmError, Program } from './asm/ir.ts';
import type { TraceSink } from './trace/events.ts';
import type { Knobs } from './mmu/mmu.ts';
import type { CostModel } from './cost.ts';
import type { ReportMsg } from './report.ts';

export const DEFAULT_BUDGET = 50_000_000;

export interface SessionOptions {
  file?: string;
  stdin?: string;
  knobs?: Partial<Knobs>;
  costs?: CostModel;
  sink?: TraceSink | null;
  memBytes?: number;
}

export class Session {
  readonly machine: Machine;
  readonly kernel: Kernel;
  constructor(readonly program: Program, opts: SessionOptions = {}) {
    this.machine = new Machine({ knobs: opts.knobs, costs: opts.costs, memBytes: opts.memBytes });
    // Boot untraced (the trace starts when the program's process is created). The Dune module
    // is loaded; the runtime (libc + libdune) is linked into the process below its program.
    this.kernel = new Kernel(this.machine);
    installDune(this.kernel);
    this.machine.attach(opts.sink ?? null);
    const p = this.kernel.spawn(program, { name: opts.file ?? program.file, stdin: opts.stdin ?? '', runtime: [runtime().program] });
    bindNatives(this.machine.mem, p.root);
  }

  /** Run up to `budget` more instructions. Returns the exit status, or null if the budget ran out
   *  (the state is kept: call again to resume). */
  run(budget = DEFAULT_BUDGET): ExitStatus | null {
    this.machine.instrLimit = this.machine.instret + budget;
    return this.machine.run(budget);
  }

  stdout(): string { return this.machine.out.filter((o) => o.fd === 1).map((o) => o.text).join(''); }
  stderr(): string { return this.machine.out.filter((o) => o.fd === 2).map((o) => o.text).join(''); }
}

export type Assembled = { ok: true; program: Program } | { ok: false; errors: AsmError[]; diagnostics: string };

/** `include` reads the files the program `.include`s (by path relative to `file`'s directory). */
export function assembleSource(source: string, file = 'prog.s', include?: IncludeReader): Assembled {
  const r = assemble(source, file, { include });
  return r.ok ? r : { ok: false, errors: r.errors, diagnostics: formatAsmErrors(r.errors) };
}

export interface RunResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  exitCode: number;
  diagnostics: string;
  instructions: number;
  cycles: number;
  vmexits: Record<string, number>;
  /** For a page: stderr's two parts, the guest's and the host's report as keys (report.ts), when
   *  stderr is exactly the one followed by the other's English. */
  guestStderr?: string;
  report?: ReportMsg[];
}

/** Assemble and run a program to completion (or the budget). Never throws for bad input. */
export function runSource(source: string, opts: RunOptions = {}): RunResult {
  const it = runSourceSliced(source, opts);
  for (;;) { const r = it.next(false); if (r.done) return r.value; }
}

export interface RunOptions { file?: string; maxInstructions?: number; stdin?: string; knobs?: Record<string, string>; files?: Record<string, string> }

/** Instructions per slice of a sliced run (a few milliseconds untraced). */
export const SLICE = 200_000;

/** runSource in slices: yields after each SLICE instructions; pass true to next() to stop there
 *  (the result then says the run was stopped, as for a spent budget). The worker drives it so a
 *  stop request is seen between slices; the budget holds either way. */
export function* runSourceSliced(source: string, opts: RunOptions = {}): Generator<void, RunResult, boolean | undefined> {
  const file = opts.file ?? 'prog.s';
  const a = assembleSource(source, file, filesReader(opts.files));
  const fail = (diagnostics: string, exitCode: number): RunResult =>
    ({ ok: false, stdout: '', stderr: diagnostics, exitCode, diagnostics, instructions: 0, cycles: 0, vmexits: {} });
  if (!a.ok) return fail(a.diagnostics, 2);
  const k = parseKnobs(opts.knobs ?? {});
  if (!k.ok) return fail(k.error, 2);
  const s = new Session(a.program, { file, stdin: opts.stdin, knobs: k.knobs });
  const budget = opts.maxInstructions ?? DEFAULT_BUDGET;
  const m = s.machine;
  let st: ExitStatus | null = null, stopped = false;
  while (st === null && m.instret < budget) {
    st = s.run(Math.min(SLICE, budget - m.instret));
    if (st === null && m.instret < budget && (yield)) { stopped = true; break; }
  }
  const report = s.kernel.report.join('\n');
  const budgetMsg = st !== null ? '' : stopped ? `stopped: interrupted after ${m.instret} instructions`
    : `stopped: instruction budget of ${budget} exhausted (the state is kept; run again to resume)`;
  return {
    ok: st !== null && st.how === 'exit',
    stdout: s.stdout(),
    stderr: s.stderr() + [report, budgetMsg].filter(Boolean).join('\n'),
    exitCode: st === null ? (stopped ? 130 : 124) : st.code,
    diagnostics: '',
    instructions: m.instret, cycles: m.cycles, vmexits: { ...m.vmexits },
  };
}
