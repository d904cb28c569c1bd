// Messages of the terminal (src/ui/terminal): the shell's help, errors and reports.

import { KNOB_DOCS } from '../../engine/knobs.ts';
import { fmt } from './locale.ts';

const knobs = Object.entries(KNOB_DOCS).map(([k, v]) => `  ${k}=${v}`).join('\n');

export const terminal = {
  /** The what-if knobs, by name (the engine's KNOB_DOCS, in the UI's language). */
  knobDocs: KNOB_DOCS as Record<string, string>,
  title: 'Terminal',
  screenReader: 'Screen-reader mode',
  prompt: '$ ',
  welcome: "Dune Lab shell. Type 'help' for the commands, 'samples' for the sample programs.",
  interrupted: '^C',

  /** Per command: usage line and help text. */
  commands: {
    help: { usage: 'help [COMMAND]', help: 'List the commands, or explain one.' },
    ls: { usage: 'ls [DIR]', help: 'List a directory (default /home). Directories end in /; read-only files are marked (ro).' },
    cat: { usage: 'cat FILE', help: 'Print a file.' },
    cp: { usage: 'cp FROM TO', help: 'Copy a file (TO may be a directory). Copy a sample into /home to change it.' },
    mv: { usage: 'mv FROM TO', help: 'Rename or move a file (TO may be a directory).' },
    rm: { usage: 'rm FILE', help: 'Remove a file from /home.' },
    edit: { usage: 'edit FILE', help: 'Open FILE in the editor.' },
    run: { usage: 'run FILE [--trace] [--set KEY=VALUE]...', help: `Assemble and run FILE, record the run, and show it in the views with the cursor at the first breakpoint, or at the end of the run. Prints the program's output, its exit code and a summary.\n  --trace  print the first 200 events as JSON lines\n  --set    a what-if knob:\n${knobs}` },
    check: { usage: 'check FILE', help: "Assemble FILE only and print the assembler's errors, or ok." },
    step: { usage: 'step [N]', help: 'Move N events forward (default 1); inside a page walk, one reference.' },
    next: { usage: 'next [N]', help: 'Move to the next instruction (N times).' },
    continue: { usage: 'continue', help: 'Run forward to the next breakpoint line, or to the end.' },
    break: { usage: 'break LINE', help: 'Set a breakpoint on a source line of the loaded program (the views show it too).' },
    delete: { usage: 'delete LINE', help: 'Remove the breakpoint on LINE.' },
    info: { usage: 'info breakpoints', help: 'List the breakpoints.' },
    regs: { usage: 'regs', help: 'The registers at the cursor.' },
    vmcs: { usage: 'vmcs [FIELD]', help: 'The current VMCS (fields changed by the last exit marked *), or one field.' },
    tlb: { usage: 'tlb', help: 'The TLB entries at the cursor.' },
    ept: { usage: 'ept ADDRESS', help: 'Explain the last page walk of ADDRESS at or before the cursor: each reference, guest and EPT.' },
    events: { usage: 'events FROM [COUNT]', help: 'Print COUNT (default 50, at most 200) events from FROM as JSON lines.' },
    bench: { usage: 'bench paper', help: "Run every row of the paper's Tables 2 and 3 (Linux and Dune programs) and print measured against paper cycles." },
    samples: { usage: 'samples', help: 'List the sample programs (/samples, read-only).' },
    reset: { usage: 'reset', help: 'Move the cursor back to the start of the run.' },
    clear: { usage: 'clear', help: 'Clear the screen (Ctrl-L too).' },
    history: { usage: 'history', help: 'The commands typed so far.' },
    x: { usage: 'x ADDRESS [N]', help: 'Examine N bytes (default 64, at most 256) at a virtual address at the cursor: hex, text, and the physical addresses.' },
    download: { usage: 'download FILE | --trace', help: `Save FILE to your computer, or with --trace the loaded run's events as JSON lines (at most 200,000).` },
    upload: { usage: 'upload', help: 'Pick a .s file on your computer and copy it into /home (never over an existing file).' },
    quarantine: { usage: 'quarantine [restore KEY [FILE] | export KEY]', help: 'List the stored records that were damaged and set aside; restore one as a file in /home (never over an existing file), or download it as JSON.' },
  },
  helpHeader: 'Commands (help COMMAND for more):',
  helpKeys: 'Present: add #present to the page URL, or press Shift+P. PageDown/PageUp,\n' +
    '  Space and the arrows step the lesson; Esc leaves.\n' +
    'Embed: an iframe (800x500) of URL#embed&lesson=ID&step=N&panels=walk,tlb,\n' +
    '  or a share link plus &embed&panels=...; it links back to the full app.\n' +
    'Keys: arrows, Home/End, Ctrl-A/E/K/U/W, Up/Down history, Tab completes, Ctrl-C stops, Ctrl-L clears.',

  // Errors: one line, with a hint.
  unknown: (cmd: string, near: string | null) => `${cmd}: unknown command${near ? `; did you mean '${near}'?` : ''} (help lists the commands)`,
  usage: (cmd: string, msg: string, usage: string) => `${cmd}: ${msg} (usage: ${usage})`,
  failed: (cmd: string, msg: string) => `${cmd}: ${msg}`,
  missing: (what: string) => `missing ${what}`,
  extra: (arg: string) => `unexpected argument '${arg}'`,
  badOption: (opt: string) => `unknown option '${opt}'`,
  badNumber: (arg: string) => `'${arg}' is not a number`,
  badAddress: (arg: string) => `'${arg}' is not an address (hex like 0x401000, or decimal)`,
  badKnob: (kv: string) => `unknown setting '${kv}'; known: ${Object.keys(KNOB_DOCS).join(', ')}`,
  badKnobValue: (k: string, v: string) => `setting ${k} takes on or off, not '${v}'`,
  isDir: (p: string) => `${p} is a directory`,
  noFile: (p: string) => `${p}: no such file`,
  noProgram: 'no program loaded; run FILE first',
  noEditor: 'the editor is not available here',
  xHeader: (va: string, space: 'guest' | 'host') => space === 'guest'
    ? `guest-virtual ${va}: through the Dune process's page tables, then the EPT (no A/D bits set, no TLB fill)`
    : `virtual ${va}: through the process's page tables (no A/D bits set, no TLB fill)`,
  xUnmapped: 'not mapped',
  xTooMany: (max: number) => `N must be 1 to ${max} bytes`,
  noTransfer: 'upload and download need the browser page',
  downloaded: (name: string) => `downloading ${name}`,
  downloadedTrace: (name: string, n: number, total: number) => `downloading ${name}: ${fmt(n)} events` + (n < total ? ` (the first of ${fmt(total)})` : ''),
  uploadCancelled: 'upload cancelled',
  quarantineEmpty: 'nothing is set aside: no stored record was damaged',
  quarantineHeader: 'set aside because they were damaged (restore: quarantine restore KEY [FILE]; export: quarantine export KEY):',
  quarantineRestored: (key: string, path: string) => `restored ${key} as ${path}`,
  noQuarantine: 'this file store keeps no quarantine',
  uploaded: (path: string, lines: number) => `uploaded ${path} (${lines} lines)`,
  benchWhich: "only 'bench paper' exists",

  // Reports
  diagnostics: (d: string) => d,
  ok: 'ok',
  summary: (file: string, how: string, instructions: number, cycles: number, exits: string) =>
    `[sim] ${file}: ${how}; ${instructions} instructions, ${cycles} cycles, vmexits ${exits}`,
  exitHow: (ok: boolean, code: number) => (ok ? `exit ${code}` : code === 124 ? 'budget exhausted (exit 124)' : `ended abnormally (status ${code})`),
  traceMore: (shown: number, total: number) => `(${fmt(shown)} of ${fmt(total)} events; 'events FROM [COUNT]' prints more)`,
  where: (seq: number, line: number | null, rip: string, vmx: string, cpl: number, what: string) =>
    `#${fmt(seq)}${line !== null ? ` line ${line}` : ''} rip ${rip} (${vmx}, ring ${cpl})${what ? `: ${what}` : ''}`,
  atEnd: 'end of the run',
  /** The event at the cursor, after `where`'s position (code names as the trace gives them). */
  at: {
    instr: (text: string) => `retired ${text}`, walk: (va: string, refs: number) => `walk ${va} (${refs} refs)`,
    vmexit: (name: string) => `VM exit ${name}`, syscall: (name: string, via: string) => `syscall ${name} via ${via}`,
    exception: (name: string) => `exception ${name}`, output: (text: string) => `output ${text}`,
  },
  runAtEnd: 'Cursor at the end of the run, as in the views (reset goes back to the start).',
  runAtBreak: (line: number | null) => `Cursor at the first breakpoint${line !== null ? ` (line ${line})` : ''}, as in the views (continue goes on).`,
  noBreakAhead: 'no breakpoint ahead: ran to the end',
  breakSet: (line: number) => `breakpoint at line ${line}`,
  breakExists: (line: number) => `a breakpoint is already set at line ${line}`,
  breakDeleted: (line: number) => `deleted the breakpoint at line ${line}`,
  noBreak: (line: number) => `no breakpoint at line ${line}`,
  badLine: (line: number, lines: number) => `line ${line} is not in the program (1-${lines})`,
  noBreaks: 'no breakpoints',
  breaks: (lines: number[]) => `breakpoints at lines ${lines.join(', ')}`,
  noVmcs: 'no VMCS yet (before the first VM entry)',
  noField: (f: string, near: string | null) => `no VMCS field '${f}'${near ? `; did you mean '${near}'?` : ''}`,
  tlbEmpty: 'the TLB is empty',
  tlbHeader: 'VA                 size vpid pcid EPT root       HPA           flags',
  noWalk: (va: string, searched: number) => `no page walk of ${va} in the last ${searched} events before the cursor (a TLB hit needs no walk)`,
  walkHead: (va: string, seq: number, n: number) => `walk of ${va} at #${fmt(seq)}: ${n} references`,
  walkRef: (i: number, space: string, level: number, addr: string, value: string) => `  ${String(i + 1).padStart(2)}. ${space.padEnd(5)} level ${level}  read ${addr} = ${value}`,
  walkResult: (result: string | null, fault: string | null) => (fault ? `  fault: ${fault}` : `  result: host-physical ${result}`),
  benchRow: (op: string, linux: string, dune: string, pl: number, pd: number) =>
    `${op.padEnd(11)} linux ${linux.padStart(9)}  dune ${dune.padStart(9)}   paper ${pl} / ${pd}`,
  benchHead: 'row         measured cycles (Linux, Dune) against the paper (Linux / Dune)',
  samplesHead: 'Samples (read-only; cp one into /home to change it):',
} as const;
