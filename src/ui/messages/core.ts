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
