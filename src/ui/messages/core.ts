import { fmt } from './locale.ts';
// Every piece of UI text, in one place (English). Components read from here, never inline.

export const messages = {
  appTitle: 'Dune Lab',
  tagline:
    'A teaching visualizer of Dune (Belay et al., OSDI 2012): processes that run in VMX non-root ring 0 ' +
    'on a simulated Intel VT-x machine.',
  programLabel: 'Program (guest assembly)',
  run: 'Run',
  running: 'Running…',
  outputHeading: 'Output',
  outputEmpty: 'Press “Run and record” to assemble the program, run it and record every event.',
  budgetStopped: 'stopped at its instruction budget',
  stdoutLabel: 'Standard output',
  stderrLabel: 'Standard error',
  stdoutEmpty: '(no output)',
  exitCode: 'Exit code',
  instructions: 'Instructions',
  cycles: 'Cycles',
  diagnosticsHeading: 'Assembly failed',
  engineError: 'The engine stopped with an error',
  load: 'Run and record',
  loading: 'Recording…',
  stop: 'Stop',
  sampleLabel: 'Sample program',
  cursorLabel: 'Event',
  ofEvents: 'of',
  /** The cursor before the first event (#0). */
  cursorStart: 'start',
  /** How events are numbered, everywhere in the page (the trace's seq). */
  eventNumbering: 'Events are numbered from #0, as in the trace, the timeline and the terminal.',
  noRun: 'Press “Run and record” to run the program; then step through it forward and back.',
  unfinished: 'The run stopped at its instruction budget.',
  stoppedByUser: (n: number) => `Recording stopped at ${fmt(n)} instructions: the run so far can be stepped through.`,
  coarseLandmarks: (kinds: string) => `Long run: only some ${kinds} events are indexed, so stepping to them replays (slower, still exact).`,
  themeLabel: 'Theme',
  themeLight: 'Light',
  themeDark: 'Dark',
  fontLabel: 'Text size',
  languageLabel: 'Language',
  simplified: 'A teaching model: see docs/simplifications.md for where it departs from the hardware, Linux and Dune.',
  /** The document the footer names (shipped as docs/simplifications.html): its name in the text above. */
  simplifiedDoc: 'docs/simplifications.md',
  /** A shipped doc page's link back to the app. */
  docsBack: '← Dune Lab',
  speedLabel: 'Speed (steps per second)',
  speedShort: 'Speed',
  terminalHeading: 'Terminal',
  shareLink: 'Copy a share link to this moment',
  shareCopied: 'Copied.',
  shareSelect: 'Select the link and copy it.',
  resize: 'Resize the columns (drag, or the arrow keys)',
  noWalk: 'No page walk yet at this point: step to a TLB miss.',
  /** The toolbar: groups, and the words (with keys) beside each pair of back/next buttons. */
  toolbarGroups: { step: 'Stepping', jump: 'Jump to', lesson: 'Lesson', view: 'View' },
  /** On a short screen for the text size, the jump group folds behind this button. */
  toolbarMore: 'More controls ▸', toolbarLess: 'Fewer controls ▾',
  pairs: {
    event: { word: 'Event', keys: '← →' }, instr: { word: 'Instruction', keys: '⇧← ⇧→' },
    vmexit: { word: 'VM exit', keys: '⇧X X' }, fault: { word: 'Fault', keys: '⇧F F' },
    ring: { word: 'Mode change', keys: '⇧R R' }, syscall: { word: 'System call', keys: '⇧S S' },
    lesson: { word: 'Lesson step', keys: 'P N' },
  },
  /** The buttons beside the timeline's set-up fold row. */
  setupGroup: 'libdune set-up',
  setupStart: 'Go to its start', setupSkip: "Skip to the program's code (G)",
  patternsLabel: 'Jump to the next or previous event of a kind',
  patterns: {
    'exit-not-ept': 'VM exit other than EPT_VIOLATION', vmcall: 'VMCALL exit', 'ept-violation': 'EPT_VIOLATION exit', 'pf-guest': '#PF in the guest',
    hypercall: 'System call by hypercall', 'walk-24': 'Page walk of 24 references', 'tlb-flush': 'TLB flush', output: 'Output written',
  } as Record<string, string>,
  patternPrev: (p: string) => `Previous: ${p}`, patternNext: (p: string) => `Next: ${p}`,
  searchLabel: 'Search events (type, name, address)',
  searchPrev: 'Previous match (Shift+Enter)', searchNext: 'Next match (Enter)',
  noMatch: 'No match in that direction.',
  /** Single buttons: words, and the key shown after them. */
  singles: {
    continue: { word: 'Continue', keys: 'C' }, play: { word: 'Play / pause', keys: 'Space' }, reset: { word: 'Start', keys: 'Home' },
    end: { word: 'End', keys: 'End' }, theme: { word: 'Theme', keys: 'T' }, bigger: { word: 'A+', keys: '+' }, smaller: { word: 'A−', keys: '−' },
    present: { word: 'Present', keys: '⇧P' }, program: { word: 'Program code', keys: 'G' },
  } as Record<string, { word: string; keys: string }>,
  lessons: { heading: 'Lesson', pick: 'Choose a lesson', none: '— none —', step: 'Step', of: 'of', prev: 'Previous step', next: 'Next step' },
  panels: { memory: 'Memory: page tables, EPT and address spaces', event: 'Event at the cursor', source: 'Source', timeline: 'Timeline', privilege: 'Privilege map', walk: 'Address translation', cpu: 'CPU', vmcs: 'VMCS', tlb: 'TLB', output: 'Output', glossary: 'Glossary', lesson: 'Lesson', whatif: 'What if?', swimlanes: 'VM-exit swimlanes', wedge: 'Wedge: sthread page tables', sandbox: 'Sandbox: system calls and verdicts', heap: 'GC heap' },
  knobs: {
    legend: 'What-if knobs', default: 'default',
    recorded: (list: string) => `Recorded with ${list}.`, defaults: 'Recorded with the default knobs (all on).',
  },
  openInLab: 'Open in Dune Lab ↗',
  samplesHint: 'Pick a sample program, or a lesson.',
  present: {
    nav: 'Presentation', prev: '◀ Previous', next: 'Next ▶', leave: 'Leave presentation (Esc)', leaveShort: 'Esc ✕',
    step: (k: number, n: number) => `Step ${k} of ${n}`, event: (seq: number, n: number) => (seq < 0 ? `Start, ${fmt(n)} events` : `Event #${fmt(seq)} of ${fmt(n)}`),
  },
  modeAt: (vmx: string, cpl: number) => `VMX ${vmx}, ring ${cpl}`,
  editProgram: 'Edit the program',
  actions: {
    load: 'Run and record (Ctrl+Enter)',
    backEvent: 'Back one event (←)', nextEvent: 'Forward one event (→)',
    backInstr: 'Back one instruction (Shift+←)', nextInstr: 'Forward one instruction (Shift+→)',
    backVmexit: 'Back to the previous VM exit (Shift+X)', nextVmexit: 'Forward to the next VM exit (X)',
    backFault: 'Back to the previous fault (Shift+F)', nextFault: 'Forward to the next fault (F)',
    backRing: 'Back to the previous ring or VMX change (Shift+R)', nextRing: 'Forward to the next ring or VMX change (R)',
    backSyscall: 'Back to the previous system call (Shift+S)', nextSyscall: 'Forward to the next system call (S)',
    lessonNext: 'Next lesson step (N)', lessonPrev: 'Previous lesson step (P)', theme: 'Light or dark theme (T)',
    bigger: 'Larger text (+)', smaller: 'Smaller text (−)',
    program: "Jump to the program's own code, past libdune's set-up (G)",
    present: 'Presentation mode: lesson text and its panels, large type (Shift+P; Esc leaves)',
    continue: 'Continue to the next breakpoint (C)', play: 'Run / pause: step one instruction at a time (Space)', reset: 'Back to the start (Home)', end: 'To the end (End)',
  },
} as const;

/** The program the editor starts with: a Linux process that calls write, then exit. */
export const helloProgram = `.data
msg: .ascii "Hello from a Linux process!\\n"
.text
_start:
    mov rax, SYS_write
    mov rdi, 1
    lea rsi, [msg]
    mov rdx, 28
    syscall
    mov rax, SYS_exit
    mov rdi, 0
    syscall
`;
