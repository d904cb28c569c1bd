// Messages of the heap view (panels/heap): the collector's heap page by page, and the four modes
// side by side. English; the Chinese is zh-CN/heap.ts.

import { fmt } from './locale.ts';

const n = (v: number) => fmt(v);

export const heap = {
  title: 'GC heap',
  help: 'Each cell is one 4 KiB page of the collector\'s heap at the cursor: its state, and what happened to it in the last events (the window).',
  none: 'No garbage-collected heap at the cursor. Run a program that calls gc_init (samples/gc), and move past gc_init.',
  reconstruction: 'The dune, dune-tlb and dune-dirty modes are reconstructions of the paper\'s variants (its Boehm port is not public).',
  summary: (mode: string, top: number, pages: number, table: 'guest' | 'host') =>
    `Mode ${mode}: ${n(top)} blocks in use of ${n(pages)} reserved; bits from ${table === 'guest' ? 'libdune\'s guest page table' : 'the host process\'s page table'}.`,
  counters: (c: { collections: number; fulls: number; faults: number; dbits: number; freed: number }) =>
    `Collections ${n(c.collections)} (${n(c.fulls)} full) · write faults ${n(c.faults)} · D bits cleared ${n(c.dbits)} · objects freed ${n(c.freed)}`,
  scanAt: (p: number) => `The collector last worked on page ${n(p)}.`,
  noScan: 'The collector did not work on the heap in the window.',
  window: (w: number) => `Activity window: the last ${n(w)} events.`,
  modePick: 'Mode (stdin)',
  modeHelp: 'The samples in samples/gc read the collector\'s mode from standard input: choosing one records the run again.',
  shown: 'Pages shown',
  shownUsed: 'in use',
  shownAll: (pages: number) => `all ${n(pages)} reserved`,
  prevCollection: 'Previous collection',
  nextCollection: 'Next collection',
  back: 'Step back',
  forward: 'Step forward',
  play: 'Play',
  pause: 'Pause',
  speed: 'Steps per second',
  stepSize: 'Events per step',
  at: (seq: number) => `Event ${n(seq + 1)}`,
  playing: 'Playing: the other views follow when paused.',
  grid: (shown: number, pages: number) => `Heap grid: ${n(shown)} of ${n(pages)} pages. Use the list below it for each page's state.`,
  legendTitle: 'Legend (colour, fill pattern and glyph)',
  states: {
    unmapped: 'not mapped in the page table: empty frame',
    mapped: 'mapped, not in use: half cell',
    clean: 'in use, not written since the last collection: full cell',
    wp: 'in use and write-protected (a write faults): hatched',
    dirty: 'written since the last collection (dirty set, or D set): dot',
    dbit: 'D set in the PTE, not yet read: ring',
    freed: 'freed by the sweep: bar',
    scan: 'the collector worked here in the window: outlined square',
  },
  acts: {
    write: 'lit: a write just now (the mutator, gc_alloc\'s zeroing): white corner',
    fault: 'lit: a write fault recorded the page: red "!"',
    pte: 'lit: a plain store rewrote the page\'s PTE (D or W): cross',
  },
  page: (p: number, va: number, state: string) => `Page ${n(p)} at 0x${va.toString(16)}: ${state}`,
  ago: (what: string, events: number) => `; ${what} (${n(events)} events ago)`,
  counts: (c: Record<string, number>) => Object.entries(c).map(([k, v]) => `${k} ${n(v)}`).join(', '),
  lanes: {
    title: 'The four modes on the same allocation trace',
    help: 'The program once per mode (stdin names the mode). Each lane shows its heap at the start of the same collection as the run at the cursor, and its counts up to there and in all.',
    run: 'Run the four modes',
    running: 'Running the four modes…',
    failed: (mode: string, why: string) => `${mode}: the run did not finish (${why}).`,
    atCollection: (k: number) => `At the start of collection ${n(k)}`,
    before: 'Before the first collection',
    total: 'whole run',
    rows: {
      pageFaults: 'page faults (#PF)', writeFaults: 'write faults recorded', mprotect: 'mprotect calls', flushes: 'TLB flushes',
      invlpg: 'INVLPGs', walkRefs: 'walk references', cycles: 'cycles (modelled)',
    },
    measured: (c: number | null) => c === null ? 'The program printed no cycle count.' : `The program measured ${n(c)} cycles (modelled) around its body.`,
    gridLabel: (mode: string, k: number) => `${mode}: heap at collection ${n(k)}`,
  },
} as const;
