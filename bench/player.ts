// `npm run -s bench -- player [--json]`: time travel on long runs, engine side, in one process.
// Times are CPU times of this process (the wall clock of a shared machine measures the others
// too); the runs' details add wall-clock figures.
// Records a 10 M-instruction memory loop and a 50 M-instruction getpid loop (the budget) with the
// Player, then times what the views ask for: a step (one event, one instruction, the next VM
// exit) from random points, seeks, a lesson's step changes and a Dune sample's load, through the
// worker's own handler. The issue's bars: step median <= 16 ms and p95 <= 50 ms, seek < 100 ms,
// lesson step <= 300 ms, Dune load <= 400 ms, recording >= 30 M instructions/s, under 500 MB.

import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Player } from '../src/engine/player/player.ts';
import { createEngine, drain } from '../src/ui/worker/core.ts';
import { LESSONS } from '../src/lessons/index.ts';
import { stepProgram, readingOrder } from '../src/engine/course/lesson.ts';
import type { Request } from '../src/ui/worker/protocol.ts';
import type { PlayerLoad, PlayerInit } from '../src/engine/player/player.ts';
import type { LessonStep } from '../src/engine/course/lesson.ts';
import { includeNames, resolvePath } from '../src/engine/asm/paths.ts';
import { runtime } from '../src/engine/libdune/link.ts';

/** The recorded memory loop: imul, shifts and a read-modify-write of a random quadword in 64 KiB
 *  (16 pages: TLB hits on other pages than the last); n iterations of 8 instructions. The engine
 *  bench runs it untraced (rmwMips). */
export const memoryLoop = (n: number) => `
.bss
.align 4096
buf: .zero 65536
.text
_start:
    mov rcx, ${n}
    mov rbx, 12345
    lea rsi, [buf]
top:
    imul rbx, rbx, 1103515245
    add rbx, 12345
    mov rax, rbx
    shr rax, 16
    and rax, 0xfff8
    add qword ptr [rsi + rax], 1
    dec rcx
    jne top
    mov rdi, 0
    mov rax, SYS_exit
    syscall
`;
export const MEMORY_LOOP = memoryLoop(1_250_000); // 10 M instructions

/** A system-call loop of n iterations: three landmarks (ring, syscall, ring) per four
 *  instructions (SYSCALL clobbers rcx: the count is in rbx). The player's tests run it too
 *  (test/engine/player/programs.ts). */
export const syscallLoop = (n: number) => `
_start:
    mov rbx, ${n}
top:
    mov rax, SYS_getpid
    syscall
    dec rbx
    jne top
    mov rdi, 0
    mov rax, SYS_exit
    syscall
`;
/** The bench's: it runs into the 50 M default budget. */
export const SYSCALL_LOOP = syscallLoop(100_000_000);

function rng(seed: number) { let x = seed; return () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; }; }
const mb = () => { const u = process.memoryUsage(); return (u.heapUsed + u.arrayBuffers) / 2 ** 20; };
/** CPU time of f in ms (this process's user + system): on a shared, loaded machine the wall
 *  clock measures the neighbours; the CPU time is what the engine spent. */
const time = (f: () => unknown) => { const c = process.cpuUsage(); f(); const u = process.cpuUsage(c); return (u.user + u.system) / 1000; };
const wall = (f: () => unknown) => { const t = performance.now(); f(); return performance.now() - t; };
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const r1 = (x: number) => +x.toFixed(1);

interface RunFigures { instructions: number; events: number; recordMips: number; recordWallS: number; stepWallP50Ms: number; peakMB: number; stepP50Ms: number; stepP95Ms: number; seekMaxMs: number; coarse: string[] }

/** Record, sampling memory as it grows, then step and seek from random points. */
function longRun(source: string): RunFigures {
  const base = mb();
  let peak = 0;
  const p = new Player();
  const it = p.recording({ source });
  const c0 = process.cpuUsage(), t0 = performance.now();
  let r: IteratorResult<void, PlayerLoad>;
  for (let i = 0; !(r = it.next(false)).done; i++) if (i % 64 === 0) peak = Math.max(peak, mb() - base);
  const cpu = process.cpuUsage(c0);
  const recordS = (cpu.user + cpu.system) / 1e6, recordWallS = (performance.now() - t0) / 1000;
  const load = r.value;
  if (!load.ok) throw new Error(load.diagnostics);
  peak = Math.max(peak, mb() - base);
  const rand = rng(7);
  const steps: number[] = [], seeks: number[] = [], walls: number[] = [];
  for (let i = 0; i < 30; i++) {
    const at = Math.floor(rand() * p.total);
    seeks.push(time(() => p.seek(at)));
    walls.push(wall(() => p.seek(p.cursor + 1)));
    steps.push(time(() => p.seek(p.cursor + 1)));
    steps.push(time(() => { const s = p.find(1, (e) => e.type === 'instr', { kinds: new Set(['instr']) }); if (s !== null) p.seek(s); }));
    steps.push(time(() => { const s = p.find(1, () => true, { landmarks: ['vmexit'] }); if (s !== null) p.seek(s); }));
    steps.push(time(() => { const s = p.find(-1, () => true, { landmarks: ['syscall'] }); if (s !== null) p.seek(s); }));
    peak = Math.max(peak, mb() - base);
  }
  return { instructions: load.instructions, events: load.total, recordMips: r1(load.instructions / recordS / 1e6), recordWallS: r1(recordWallS),
    stepWallP50Ms: r1(pct(walls, 0.5)), peakMB: Math.round(peak),
    stepP50Ms: r1(pct(steps, 0.5)), stepP95Ms: r1(pct(steps, 0.95)), seekMaxMs: r1(Math.max(...seeks)), coarse: Object.keys(load.landmarks.coarse) };
}

/** What the page's store does for a load (engine side): load, the seek to the end (for the
 *  output), the first cursor (state/store.ts load). */
type Handle = (req: Request) => unknown;
const handler = (): Handle => createEngine((name) => readFileSync(`samples/bench/${name}`, 'utf8')).handle;

function storeLoad(h: Handle, source: string, knobs: Record<string, string> = {}, file = 'program.s', files?: Record<string, string>, stdin?: string) {
  const call = (req: Request) => h(req) as never;
  const r = call({ kind: 'load', init: { source, file, knobs, files, stdin } }) as PlayerLoad;
  if (!r.ok) throw new Error(r.diagnostics);
  // As state/store.ts load sends them: the seek to the end (the output), then the first cursor with
  // its swimlanes, Wedge view and the timeline's rows for a new page cache (until 2026-12-02 this
  // bench asked a bare seek(-1) there, which left out the lanes' and rows' replays).
  call({ kind: 'seek', seq: r.total - 1 });
  call({ kind: 'cursor', seq: -1, from: null, rows: 1 });
}

/** The files a sample `.include`s, recursively, keyed by their path under samples/ (as the lesson
 *  player passes them: resolved against the sample's own path). */
export function includes(sample: string): Record<string, string> {
  const out: Record<string, string> = {};
  const todo = [sample];
  while (todo.length) {
    const from = todo.pop()!;
    for (const inc of includeNames(readFileSync(`samples/${from}`, 'utf8'))) {
      const path = resolvePath(from, inc);
      if (!Object.hasOwn(out, path)) { out[path] = readFileSync(`samples/${path}`, 'utf8'); todo.push(path); }
    }
  }
  return out;
}

type Engine = ReturnType<typeof createEngine>;
const engine = (): Engine => createEngine((name) => readFileSync(`samples/bench/${name}`, 'utf8'));

/** A lesson step's program as the lesson player loads it. */
/** A lesson step's program as the lesson player loads it (its key, and the init: source, knobs,
 *  includes, stdin). */
export function stepInit(lesson: (typeof LESSONS)[number], step: (typeof LESSONS)[number]['steps'][number]) {
  const prog = stepProgram(lesson, step);
  return { key: prog.key, init: { source: readFileSync(`samples/${prog.sample}`, 'utf8'), file: prog.sample, knobs: prog.knobs ?? {}, files: includes(prog.sample), stdin: prog.stdin ?? '' } };
}

/** The lesson-plan request's programs at step i (plan.ts): each program of the lesson once, in
 *  reading order from the step, with the steps that play over it. */
export function lessonPlan(lesson: (typeof LESSONS)[number], i: number) {
  const plan = new Map<string, { init: PlayerInit; steps: LessonStep[] }>();
  for (const x of readingOrder(lesson.steps.length, i).map((j) => lesson.steps[j])) {
    const p = stepInit(lesson, x);
    if (!plan.has(p.key)) plan.set(p.key, { init: p.init, steps: lesson.steps.filter((y) => stepProgram(lesson, y).key === p.key) });
  }
  return [...plan.values()];
}

interface LessonFigures { max: number; median: number; first: number; slowest: string; over: Record<string, number> }

/** Every lesson step as the lesson player plays it (src/ui/lessons/LessonPlayer.tsx), request
 *  by request as the page sends them: the lesson's plan (its programs and their steps, in
 *  reading order from this step: plan.ts); on a program change (its program and knobs differ
 *  from what is loaded) the load (the recording plays the plan's steps over it in the same
 *  pass), the seek to its end (the output) and the step's cursor from the worker's lesson-step
 *  request, then the cursor answer there (state/store.ts load: the seek with the swimlanes'
 *  events, the Wedge view and the timeline's rows for a new page cache); else the lesson step
 *  and the cursor answer from the cursor before (store.ts seek). Each lesson from a fresh engine
 *  (a deep link into it), its steps in order: the slowest step and the median, in ms. `ahead`:
 *  before each step change, the worker's idle work runs to its end, untimed (a reader reading
 *  the step while the worker records the lesson's next programs, slices.ts IDLE_MS); without it
 *  every program change records (cold). */
function lessonSteps(lesson: (typeof LESSONS)[number], ahead: boolean, times: number[], names: string[], firsts: number[]) {
  const e = engine(), h = e.handle;
  let loadedKey = '';
  let cursor = -1, cache = 0;
  lesson.steps.forEach((step, i) => {
    if (ahead && i > 0) { const idle = e.idle(); if (idle) drain(idle); }
    times.push(time(() => {
      h({ kind: 'lesson-plan', programs: lessonPlan(lesson, i) });
      const { key, init } = stepInit(lesson, step);
      const siblings = lesson.steps.filter((x) => x !== step && stepProgram(lesson, x).key === key);
      let from: number | null = cursor;
      if (key !== loadedKey) {
        const r = h({ kind: 'load', init }) as PlayerLoad;
        if (!r.ok) throw new Error(r.diagnostics);
        h({ kind: 'seek', seq: r.total - 1 });
        loadedKey = key; from = null; cache++;
      }
      const r = h({ kind: 'lesson-step', step, siblings }) as { seq: number | null };
      const seq = r.seq ?? (from === null ? -1 : null);
      if (seq !== null) { h({ kind: 'cursor', seq, from, rows: cache }); cursor = seq; }
    }));
    names.push(`${lesson.id}/${step.id}`);
    if (i === 0) firsts.push(times[times.length - 1]);
  });
}

function figures(times: number[], names: string[], firsts: number[]): LessonFigures {
  const worst = times.indexOf(Math.max(...times));
  const over = names.map((n, i) => [n, r1(times[i])] as const).filter(([, t]) => t > 300).sort((a, b) => b[1] - a[1]);
  return { max: r1(times[worst]), median: r1(pct(times, 0.5)), first: r1(pct(firsts, 0.5)), slowest: names[worst], over: Object.fromEntries(over) };
}

/** The lesson figures, cold (every program change records) and with the lesson's programs
 *  recorded ahead while the reader reads (the first step of each lesson is a deep link: cold
 *  either way). */
function lessons() {
  // Each lesson cold, then recorded ahead, from fresh engines (interleaved: the JIT warms the same
  // way for both).
  const c = { times: [] as number[], names: [] as string[], firsts: [] as number[] }, w = { times: [] as number[], names: [] as string[], firsts: [] as number[] };
  for (const lesson of LESSONS) { lessonSteps(lesson, false, c.times, c.names, c.firsts); lessonSteps(lesson, true, w.times, w.names, w.firsts); }
  const cold = figures(c.times, c.names, c.firsts), warm = figures(w.times, w.names, w.firsts);
  return { lessonStepMs: cold.max, lessonStepMedianMs: cold.median, lessonFirstStepMs: cold.first, lessonSlowestStep: cold.slowest, lessonStepsOver300Ms: cold.over,
    lessonStepAheadMs: warm.max, lessonStepAheadMedianMs: warm.median, lessonSlowestStepAhead: warm.slowest, lessonStepsOver300MsAhead: warm.over };
}
const sayLessons = (l: ReturnType<typeof lessons>) => {
  console.log(`lesson step change (program + event), cold: max ${l.lessonStepMs} ms (bar: 300), median ${l.lessonStepMedianMs} ms, a lesson's first step (deep link) median ${l.lessonFirstStepMs} ms; slowest ${l.lessonSlowestStep}`);
  console.log(`  with the next programs recorded ahead while the reader reads (a lesson's first step is cold): max ${l.lessonStepAheadMs} ms, median ${l.lessonStepAheadMedianMs} ms; slowest ${l.lessonSlowestStepAhead}`);
  const overAhead = Object.entries(l.lessonStepsOver300MsAhead).map(([k, v]) => `${k} ${v}`).join(', ');
  if (overAhead) console.log(`  over 300 ms, recorded ahead: ${overAhead}`);
  const over = Object.entries(l.lessonStepsOver300Ms).map(([k, v]) => `${k} ${v}`).join(', ');
  if (over) console.log(`  over 300 ms, cold: ${over}`);
};

/** A fresh engine for each load (the worker keeps recordings: a second load of the same program
 *  would be answered from memory), after one warm-up load (JIT); the fastest of three. */
function duneLoad(): number {
  const source = readFileSync('samples/hello-dune.s', 'utf8');
  storeLoad(handler(), source); // warm up (JIT)
  return r1(Math.min(...Array.from({ length: 3 }, () => { const h = handler(); return time(() => storeLoad(h, source)); })));
}

export function benchPlayer(json: boolean) {
  runtime(); // libc + libdune, assembled when the worker starts (engine.worker.ts), not in a recording
  const tenM = longRun(MEMORY_LOOP);
  const syscalls = longRun(SYSCALL_LOOP);
  const lesson = lessons();
  const lessonStepMs = lesson.lessonStepMs;
  const duneLoadMs = duneLoad();
  const worst = {
    stepP50Ms: Math.max(tenM.stepP50Ms, syscalls.stepP50Ms), stepP95Ms: Math.max(tenM.stepP95Ms, syscalls.stepP95Ms),
    seekMaxMs: Math.max(tenM.seekMaxMs, syscalls.seekMaxMs), lessonStepMs, duneLoadMs,
    recordMips: Math.min(tenM.recordMips, syscalls.recordMips), peakMB: Math.max(tenM.peakMB, syscalls.peakMB),
  };
  const res = { ...worst, ...lesson, runs: { memoryLoop10M: tenM, syscallLoop50M: syscalls } };
  if (json) console.log(JSON.stringify(res));
  else {
    for (const [name, f] of Object.entries(res.runs)) {
      console.log(`${name}: ${f.instructions.toLocaleString()} instructions, ${f.events.toLocaleString()} events`);
      console.log(`  recording ${f.recordMips} M instructions/s (bar: 30), ${f.peakMB} MB at the peak (bar: 500)` + (f.coarse.length ? `; coarse landmarks: ${f.coarse.join(', ')}` : ''));
      console.log(`  step median ${f.stepP50Ms} ms, p95 ${f.stepP95Ms} ms (bars: 16, 50); seek max ${f.seekMaxMs} ms (bar: 100)`);
    }
    sayLessons(lesson);
    console.log(`Dune sample load (hello-dune.s, as the page's store does it): ${duneLoadMs} ms (bar: 400)`);
  }
  return res;
}

/** The deep links e2e/latency.spec.ts opens (lesson, step from 1). */
const DEEP_LINKS: [string, number][] = [['costs', 4], ['pagewalk', 3], ['process', 2], ['tlb-tags', 5]];

/** One deep link in this (fresh) process, as a new worker serves it: libc + libdune linked, the
 *  link's plan (now: recorded at once), the load, the end (the output), the step and the cursor
 *  there (the store's landing). CPU ms of the requests after the link: the engine's share of a
 *  deep link's landing on a cold JIT. */
export function deepLinkRun(id: string, n: number): number {
  runtime();
  const lesson = LESSONS.find((l) => l.id === id)!;
  const h = handler(), step = lesson.steps[n - 1];
  return r1(time(() => {
    const plan = new Map<string, { init: PlayerInit; steps: LessonStep[] }>();
    for (const x of readingOrder(lesson.steps.length, n - 1).map((j) => lesson.steps[j])) {
      const p = stepInit(lesson, x);
      if (!plan.has(p.key)) plan.set(p.key, { init: p.init, steps: lesson.steps.filter((y) => stepProgram(lesson, y).key === p.key) });
    }
    h({ kind: 'lesson-plan', programs: [...plan.values()], now: true });
    const { key, init } = stepInit(lesson, step);
    const r = h({ kind: 'load', init }) as PlayerLoad;
    if (!r.ok) throw new Error(r.diagnostics);
    h({ kind: 'seek', seq: r.total - 1 });
    const siblings = lesson.steps.filter((x) => x !== step && stepProgram(lesson, x).key === key);
    const at = h({ kind: 'lesson-step', step, siblings }) as { seq: number | null };
    h({ kind: 'cursor', seq: at.seq ?? -1, from: null, rows: 1 });
  }));
}

/** Each deep link in a fresh process (a fresh worker: the JIT cold). */
function deepLinks(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, n] of DEEP_LINKS) {
    out[`${id}&step=${n}`] = Number(execFileSync(process.execPath, [...process.execArgv, process.argv[1], 'lesson', '--deep-link', id, String(n)], { encoding: 'utf8' }).trim());
  }
  return out;
}

/** `npm run -s bench -- lesson [--json]`: only the lesson step changes, the deep links (each in
 *  a fresh process) and the Dune load. */
export function benchLesson(json: boolean, deep?: [string, number]) {
  if (deep) { console.log(deepLinkRun(deep[0], deep[1])); return null; }
  runtime();
  const links = deepLinks();
  const res = { ...lessons(), deepLinkColdMs: Math.max(...Object.values(links)), deepLinksCold: links, duneLoadMs: duneLoad() };
  if (json) console.log(JSON.stringify(res));
  else {
    sayLessons(res);
    console.log(`deep links in a fresh engine (the JIT cold; engine side, CPU): ${Object.entries(links).map(([k, v]) => `${k} ${v}`).join(', ')} ms (bar: 300, with the page's render)`);
    console.log(`Dune sample load (hello-dune.s, as the page's store does it): ${res.duneLoadMs} ms (bar: 400)`);
  }
  return res;
}
