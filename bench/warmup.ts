// `npm run -s bench -- warmup [--json]`: would a JIT warm-up in the worker pay? In a fresh process
// (as a fresh worker), a small Dune program is recorded and sought with a throwaway Player, in
// the slices the worker would run it in; then a Dune sample is loaded as the page's store loads
// it. Reported: the warm-up's CPU time, its longest slice (what a request arriving during it
// would wait: a native routine such as dune_init cannot be cut), and the first load's time with
// and without it (the cold figure from a second process). CPU times, this process only.

import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Player } from '../src/engine/player/player.ts';
import { runtime } from '../src/engine/libdune/link.ts';
import { createEngine } from '../src/ui/worker/core.ts';

/** Enters Dune (dune_init's page tables, the VMCS), then system calls through VMCALL and stores:
 *  the paths a first lesson or sample load runs. */
const PROGRAM = `.data
buf: .zero 8192
.text
_start:
    call dune_init_and_enter
    test rax, rax
    jne done
    mov rbx, 2000
again:
    mov rax, SYS_getpid
    syscall
    lea rsi, [buf]
    mov [rsi + 4096], rbx
    dec rbx
    jne again
done:
    mov rdi, 0
    call exit
`;

/** The warm-up as the worker would run it: the recording's slices, then four seeks. */
function* warmUp(): Generator<void, void, boolean | undefined> {
  const p = new Player();
  const it = p.recording({ source: PROGRAM, file: 'warmup.s' });
  for (let r = it.next(false); !r.done; r = it.next(false)) if (yield) return;
  for (const at of [p.total >> 1, p.total - 1, 0, p.total >> 2]) { p.seek(at); if (yield) return; }
}

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/** One fresh process's figures (warm: run the warm-up first). */
export function warmupRun(warm: boolean) {
  runtime(); // the worker assembles libc + libdune at start either way
  const slices: number[] = [];
  let total = 0;
  if (warm) {
    const it = warmUp();
    const t0 = cpuMs();
    let t = t0;
    for (let r = it.next(false); !r.done; r = it.next(false)) { const n = cpuMs(); slices.push(n - t); t = n; }
    total = cpuMs() - t0;
  }
  const h = createEngine((n) => readFileSync(`samples/bench/${n}`, 'utf8')).handle;
  const source = readFileSync('samples/hello-dune.s', 'utf8');
  const t1 = cpuMs();
  const r = h({ kind: 'load', init: { source, file: 'program.s', knobs: {} } }) as { total: number };
  h({ kind: 'seek', seq: -1 }); h({ kind: 'seek', seq: r.total - 1 }); h({ kind: 'seek', seq: -1 });
  return { warmupMs: Math.round(total), slices: slices.length, longestSliceMs: Math.round(Math.max(0, ...slices)), firstLoadMs: Math.round(cpuMs() - t1) };
}

export function benchWarmup(json: boolean, child: boolean) {
  if (child) { console.log(JSON.stringify(warmupRun(false))); return; }
  const cold = JSON.parse(execFileSync(process.execPath, [...process.execArgv, process.argv[1], 'warmup', '--child'], { encoding: 'utf8' })) as ReturnType<typeof warmupRun>;
  const warm = warmupRun(true);
  const res = { coldFirstLoadMs: cold.firstLoadMs, warmFirstLoadMs: warm.firstLoadMs, warmupMs: warm.warmupMs, warmupSlices: warm.slices, longestSliceMs: warm.longestSliceMs };
  if (json) console.log(JSON.stringify(res));
  else {
    console.log(`first Dune load (hello-dune.s) in a fresh engine: ${res.coldFirstLoadMs} ms cold, ${res.warmFirstLoadMs} ms after a warm-up`);
    console.log(`the warm-up: ${res.warmupMs} ms of CPU in ${res.warmupSlices} slices, the longest ${res.longestSliceMs} ms (a request arriving then waits that long)`);
  }
}
