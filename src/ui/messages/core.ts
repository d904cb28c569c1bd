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
  outputEmpty: 'Press Run to assemble and execute the program.',
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
  noRun: 'Press “Run and record” to run the program; then step through it forward and back.',
  unfinished: 'The run stopped at its instruction budget.',
  stoppedByUser: (n: number) => `Recording stopped at ${n.toLocaleString('en-US')} instructions: the run so far can be stepped through.`,
  coarseLandmarks: (kinds: string) => `Long run: only some ${kinds} events are indexed, so stepping to them replays (slower, still exact).`,
  themeLabel: 'Theme',
  themeLight: 'Light',
  themeDark: 'Dark',
  fontLabel: 'Text size',
  simplified: 'A teaching model: see docs/simplifications.md for where it departs from the hardware, Linux and Dune.',
  speedLabel: 'Speed (steps per second)',
  terminalHeading: 'Terminal',
  shareLink: 'Make a share link (program and point in time)',
  sharedCopied: 'The shared program is in /home/shared.s and in the editor.',
  resize: 'Resize the columns (drag, or the arrow keys)',
  noWalk: 'No page walk yet at this point: step to a TLB miss.',
  /** The toolbar's short button texts (their full names are in `actions`). */
  actionsShort: {
    'back-event': '◀', 'next-event': '▶', 'back-instr': '◀ instr', 'next-instr': 'instr ▶', 'back-vmexit': '⇤ exit', 'next-vmexit': 'exit ⇥',
    'back-fault': '⇤ fault', 'next-fault': 'fault ⇥', 'back-ring': '⇤ ring', 'next-ring': 'ring ⇥', 'back-syscall': '⇤ call',
    'next-syscall': 'call ⇥', continue: 'continue', play: '▶▶ run / pause', 'lesson-next': 'lesson ▶', 'lesson-prev': '◀ lesson',
    theme: 'theme', bigger: 'A+', smaller: 'A−', reset: '⇤ start', end: 'end ⇥',
  },
  lessons: { heading: 'Lesson', pick: 'Choose a lesson', none: '— none —', step: 'Step', of: 'of', prev: 'Previous step', next: 'Next step' },
  panels: { memory: 'Memory: page tables, EPT and address spaces', event: 'Event at the cursor', source: 'Source', timeline: 'Timeline', privilege: 'Privilege map', walk: 'Address translation', cpu: 'CPU', vmcs: 'VMCS', tlb: 'TLB', output: 'Output' },
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
