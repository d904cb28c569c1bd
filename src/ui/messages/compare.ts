// Messages of the Linux-vs-Dune comparison (the paper's Tables 2 and 3, one row at a time): row
// names and units, the cost categories, and one sentence per row on why the two sides differ.

import type { CostKey, PaperOp } from '../engineClient.ts';
import { fmt } from './locale.ts';

const n = (v: number) => fmt(v, { maximumFractionDigits: v < 100 ? 1 : 0 });

export const compare = {
  title: 'Linux vs Dune',
  help: "Run a row of the paper's Tables 2 and 3: the same operation as a Linux process and as a Dune process, each timed by the program itself.",
  pick: 'Benchmark (paper row)',
  run: 'Compare',
  busy: (row: string) => `Running the Linux and Dune ${row} programs in the engine's worker…`,
  error: (msg: string) => `The comparison failed: ${msg}`,
  heading: (row: string) => `${row}: Linux vs Dune`,
  table: (t: 2 | 3) => `Table ${t} of the paper`,

  /** The paper's rows, in its order; keys are PAPER's (src/engine/paper.ts). */
  rows: {
    getpid: { label: 'getpid', unit: 'cycles per call',
      why: 'In Dune the system call is a VMCALL: a VM exit and entry (~630 cycles) plus the module\'s dispatch, instead of SYSCALL/SYSRET.' },
    page_fault: { label: 'page fault', unit: 'cycles per fault',
      why: 'In Dune the first touch of a page is an EPT violation: a VM exit and entry, and the module asks Linux for the page (the same kernel fault path) before it fills the EPT entry.' },
    page_walk: { label: 'page walk', unit: 'walker cycles per TLB-missing load',
      why: 'In Dune a TLB miss walks two dimensions: every guest page-table reference is itself translated through the EPT, up to 24 references instead of 4.' },
    ptrace: { label: 'ptrace', unit: 'cycles per intercepted system call',
      why: "Dune catches the system call in the process's own ring 0 (libdune's handler) and forwards it with one VMCALL; ptrace stops the tracee and switches to the tracer and back twice per call." },
    trap: { label: 'trap', unit: 'cycles per trap',
      why: "In Dune the page fault goes straight through the process's own IDT to its ring-0 handler and back with IRETQ; Linux builds a signal frame, runs a user handler and returns through rt_sigreturn." },
    appel1: { label: 'appel1', unit: 'cycles per round over 100 pages',
      why: "Dune's ring-0 handler edits its own page table and flushes one entry with INVLPG; Linux needs a SIGSEGV and an mprotect system call for every page." },
    appel2: { label: 'appel2', unit: 'cycles per round over 100 pages',
      why: 'PROTN in Dune is a loop of PTE writes and INVLPGs in ring 0; on Linux every page costs an mprotect call, and every fault a signal delivery and return.' },
  } satisfies Record<PaperOp, { label: string; unit: string; why: string }>,

  // The figures
  figuresCaption: (unit: string) => `Modelled: timed by the simulated programs with the cost model calibrated to the paper, against the paper's figures (${unit})`,
  colSide: 'Process',
  colMeasured: 'Modelled (calibrated to the paper)',
  colPaper: 'Paper',
  colDeviation: 'Deviation',
  sides: { linux: 'Linux', dune: 'Dune' } as const,
  figure: (v: number | null) => (v === null ? 'no figure' : n(v)),
  deviation: (measured: number | null, paper: number) => {
    if (measured === null) return '—';
    const d = ((measured - paper) / paper) * 100;
    return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}%`;
  },
  printedDiffers: (side: string, printed: number) =>
    `${side} printed ${n(printed)}, its whole timed loop per load; the figure above is the page walker's share alone, as the paper read it from a performance counter.`,
  failed: (file: string, status: string) => `${file} did not finish cleanly (${status}).`,

  // The cost breakdown
  costTitle: 'Where the cycles go',
  scopeLabel: 'Show',
  scope: { perOp: 'per operation (the timed loop)', whole: 'whole run (start-up included)' },
  scopeHelp: {
    perOp: "Counter readings at the program's first two RDTSCs, divided by its operation count; the loop's own instructions are included.",
    whole: 'Every cycle of the run: dune_init, the page-table and EPT set-up, the warm-up, both loops and the printing.',
  },
  sameScale: 'Both bars share one scale.',
  categories: {
    instructions: 'instructions (1 cycle each)',
    walks: 'page walks',
    vmexits: 'VM exits and entries',
    kernel: 'kernel, module and libdune (the rest)',
  } satisfies Record<CostKey, string>,
  restNote: 'The rest is what the counters cannot separate: the kernel, the Dune module and libdune, SYSCALL/SYSRET, exception delivery and IRET, and the extra cycles of memory operands, DIV and IMUL.',
  colCategory: 'Category',
  cell: (cycles: number, pct: number) => `${n(cycles)} (${pct}%)`,
  total: 'Total',
  totalCell: (cycles: number) => n(cycles),
  barLabel: (side: string, cycles: number) => `${side}: ${n(cycles)} cycles`,
  segLabel: (pct: number) => `${pct}%`,

  // VM exits
  exitsTitle: 'VM exits of the Dune process, by reason',
  colReason: 'Exit reason',
  colPerOp: 'Per operation',
  colWhole: 'Whole run',
  exitsLine: (exits: number, entries: number) => `${n(exits)} VM exits and ${n(entries)} VM entries in the whole run.`,
  noExits: 'No VM exits.',
  /** Per-operation counts can be tiny fractions (one timer exit in 10,000 calls). */
  count: (v: number) => (v > 0 && v < 0.1 ? fmt(v, { maximumSignificantDigits: 2 }) : n(v)),
};
