// The sandbox's cost (the paper's section 5.1): one system call forwarded from ring 3 through
// the monitor (samples/sandbox/getpid-box.s) against the same call on Linux
// (samples/bench/getpid-linux.s), both measured by the programs' own RDTSC. The paper's lighttpd
// figures (Table 4) are context only: the model has no network. World: a harness above the engine.

import { runBench } from './paper.ts';

/** Table 4 of the paper: lighttpd requests per second (Apache ab over GbE, a small page). */
export const PAPER_TABLE4 = {
  linux: { one: 2236, hundred: 24609 },
  sandbox: { one: 2206, hundred: 24255 },
  vmware: { one: 734, hundred: 5763 },
} as const;

export interface SandboxCost { forwarded: number; linux: number; overhead: number }

/** Cycles per forwarded getpid in the sandbox and per getpid on Linux; null if a program is missing. */
export function sandboxCost(readSandbox: (n: string) => string | null, readBench: (n: string) => string | null): SandboxCost | null {
  const box = readSandbox('getpid-box.s'), lin = readBench('getpid-linux.s');
  if (box === null || lin === null) return null;
  // Each program's `.include`s resolve beside it (the Linux one shares samples/bench/timing.inc).
  const forwarded = Math.round(runBench(box, 'getpid-box.s', 'getpid', (p) => readSandbox(p) ?? undefined).value);
  const linux = Math.round(runBench(lin, 'getpid-linux.s', 'getpid', (p) => readBench(p) ?? undefined).value);
  return { forwarded, linux, overhead: forwarded - linux };
}

/** The paper's slowdown of the sandboxed lighttpd, in percent (1 and 100 clients). */
export function table4Slowdown() {
  const p = PAPER_TABLE4;
  const pct = (a: number, b: number) => Math.round(((b - a) / b) * 1000) / 10;
  return { one: pct(p.sandbox.one, p.linux.one), hundred: pct(p.sandbox.hundred, p.linux.hundred) };
}
