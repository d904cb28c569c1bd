// Profiling aid (not a benchmark): record the player bench's loops in one process, in order, and
// print each recording's CPU-time rate; with `plain`, the same loop run untraced first.
// `npx tsx bench/record-prof.ts mem,mem,mem` or under `node --cpu-prof --import tsx`.
import { Player } from '../src/engine/player/player.ts';
import { Session, assembleSource } from '../src/engine/session.ts';
import { filesReader } from '../src/engine/asm/index.ts';
import { runtime } from '../src/engine/libdune/link.ts';
import { COUNT } from '../src/engine/player/sinks.ts';
import { MEMORY_LOOP, SYSCALL_LOOP } from './player.ts';

const cpu = (f: () => void) => { const c = process.cpuUsage(); f(); const u = process.cpuUsage(c); return (u.user + u.system) / 1e6; };
import { Session as Inspector } from 'node:inspector';
import { writeFileSync, readFileSync } from 'node:fs';

// PROF=file.cpuprofile: a CPU profile of the runs from the PROF_FROM-th on (0-based; default 0).
const prof = process.env.PROF, profFrom = Number(process.env.PROF_FROM ?? 0);
const inspector = prof ? new Inspector() : null;
inspector?.connect();
const post = (method: string, params?: object) => new Promise<unknown>((ok, no) => inspector!.post(method, params, (e, r) => (e ? no(e) : ok(r))));
if (inspector) { await post('Profiler.enable'); }
runtime();
const runs = (process.argv[2] ?? 'mem').split(',');
for (const [i, what] of runs.entries()) {
  if (inspector && i === profFrom) await (process.env.HEAP ? post('HeapProfiler.startSampling', { includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }) : post('Profiler.start'));
  if (what === 'dune') { // a Dune sample's load, as the page's first (hello-dune.s)
    const t = cpu(() => new Player().load({ source: readFileSync('samples/hello-dune.s', 'utf8'), file: 'hello-dune.s' }));
    console.log(`dune: loaded in ${(t * 1000).toFixed(0)} ms`);
    continue;
  }
  const source = what.startsWith('sys') ? SYSCALL_LOOP : MEMORY_LOOP;
  // plain: no sink, one run; batch: no sink, runs of 500; count: a counting sink, runs of 500;
  // snap: the same with a snapshot every 20,000 instructions.
  const mode = ['plain', 'batch', 'count', 'snap'].find((k) => what.endsWith(k));
  if (mode) {
    const a = assembleSource(source, 'program.s', filesReader(undefined));
    if (!a.ok) throw new Error('asm');
    const s = new Session(a.program, { knobs: {}, sink: mode === 'count' || mode === 'snap' ? COUNT : null });
    const m = s.machine, total = what.startsWith('sys') ? 50_000_000 : 10_000_000;
    const snaps: unknown[] = [];
    const t = cpu(() => {
      if (mode === 'plain') { m.run(total); return; }
      while (m.status === null && m.instret < total) {
        if (mode === 'snap' && m.instret % 20_000 < 500) snaps.push(m.snapshot());
        m.run(500);
      }
    });
    console.log(`${what}: ${(m.instret / t / 1e6).toFixed(1)} M/s (${snaps.length} snapshots)`);
    continue;
  }
  const p = new Player();
  let n = 0;
  const t = cpu(() => { const r = p.load({ source }); if (r.ok) n = r.instructions; });
  console.log(`${what}: recorded ${(n / t / 1e6).toFixed(1)} M/s (${t.toFixed(2)} s)`);
}
// HEAP=1: a sampling heap profile (allocations) instead.
if (inspector) { const r = await post(process.env.HEAP ? 'HeapProfiler.stopSampling' : 'Profiler.stop') as { profile: unknown }; writeFileSync(prof!, JSON.stringify(r.profile)); }
