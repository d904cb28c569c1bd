// Messages of the machine panels (privilege map, CPU, VMCS, timeline, cost chart, source).
// Architectural names (exit reasons, VMCS fields, qualification bits) are not here: they come
// from src/engine/arch/vmx.ts; this catalog only explains them, keyed by those names.

import type { EPT_QUAL, VmcsGroup } from '../../engine/arch/vmx.ts';
import { fmt } from './locale.ts';

const n = (v: number) => fmt(v);

export const machine = {
  // Privilege map
  privTitle: 'Privilege map',
  privHelp: 'Where the CPU runs: VMX root beside VMX non-root, ring 0 below ring 3.',
  colRoot: 'VMX root',
  colNonRoot: 'VMX non-root',
  ring: (r: number) => `ring ${r}`,
  regions: {
    'root-0': { title: 'VMX root · ring 0', who: 'Linux kernel + Dune module' },
    'root-3': { title: 'VMX root · ring 3', who: 'ordinary processes' },
    'nonroot-0': { title: 'VMX non-root · ring 0', who: 'the Dune process + libdune' },
    'nonroot-3': { title: 'VMX non-root · ring 3', who: 'sandboxed code' },
  },
  cpuHere: 'CPU',
  cpuNow: (where: string, who: string) => `The CPU is in ${where} (${who}).`,
  transitionNow: (label: string, from: string, to: string) => `Last transition: ${label}, from ${from} to ${to}.`,
  cycles: (c: number) => `${n(c)} cycles to the next transition`,
  hypercall: 'hypercall',
  via: { syscall: 'syscall', sysret: 'sysret', iret: 'iret', exception: 'exception', interrupt: 'interrupt' } as Record<string, string>,
  vmentry: { launch: 'VMLAUNCH', resume: 'VMRESUME' },
  vmentryLabel: (instr: string) => `VM entry (${instr})`,
  syscallVia: (name: string, via: string) => `${name} via ${via}`,
  procTag: (pid: number, name: string) => `${name} (pid ${pid})`,

  // CPU
  cpuTitle: 'CPU',
  regsLabel: 'General-purpose registers',
  flagsLabel: 'RFLAGS',
  crLabel: 'Control registers',
  modeLabel: 'Mode',
  vmxMode: 'VMX mode',
  cpl: 'CPL',
  rip: 'RIP',
  rflags: 'RFLAGS',
  nonRoot: 'non-root',
  root: 'root',
  flagSet: 'set',
  flagClear: 'clear',
  changed: 'changed',
  changedList: (names: string[]) => names.length ? `Changed: ${names.join(', ')}` : 'Nothing changed',

  // VMCS
  vmcsTitle: 'VMCS',
  vmcsEmpty: 'No VMCS yet: the process has not entered Dune mode.',
  groups: {
    control: 'VM-execution control fields',
    exit: 'VM-exit control fields',
    entry: 'VM-entry control fields',
    guest: 'Guest-state area',
    host: 'Host-state area',
    info: 'VM-exit information fields',
  } satisfies Record<VmcsGroup, string>,
  groupChanged: (k: number) => (k ? `${k} changed` : ''),
  colName: 'Field',
  colEncoding: 'Encoding',
  colValue: 'Value',
  lastExit: 'Last VM exit',
  exitReason: (name: string, reason: number) => `VM_EXIT_REASON ${reason} (${name})`,
  /** A VMCS value that is an exit reason, as the SDM and the lessons write it. */
  reasonValue: (hexValue: string, reason: number, name: string) => `${hexValue} = ${reason} (${name})`,
  /** VM_EXIT_INSTRUCTION_LEN when the last exit leaves it undefined (SDM "Information for VM Exits Due to Instruction Execution"). */
  instrLenUndefined: (hexValue: string, exit: string) => `${hexValue}: not defined for this exit (${exit}; SDM: only exits an instruction caused)`,
  qualification: 'Exit qualification',
  gpa: 'Guest-physical address',
  gla: 'Guest linear address',
  noDecode: 'This exit defines no qualification bits to decode.',
  glaNotValid: 'not valid',
  bit: (b: string) => `bit ${b}`,
  eptQual: {
    READ: 'data read',
    WRITE: 'data write',
    FETCH: 'instruction fetch',
    READABLE: 'the translation allowed reads',
    WRITABLE: 'the translation allowed writes',
    EXECUTABLE: 'the translation allowed execution',
    GLA_VALID: 'guest linear address valid',
    GLA_TRANSLATED: 'access to the final translation (else: to a guest paging-structure entry)',
  } satisfies Record<keyof typeof EPT_QUAL, string>,
  eptAccess: 'Access',
  eptAllowed: 'EPT permissions of the translation',
  eptNone: 'none (not present)',
  eptWhere: 'What was accessed',
  eptFinal: 'the final guest-physical address',
  eptWalk: 'a guest paging-structure entry (during the walk)',
  eptNoGla: 'unknown (no linear address)',
  crNumber: 'Control register',
  crAccess: 'Access type',
  crAccessTypes: ['MOV to CR', 'MOV from CR', 'CLTS', 'LMSW'],
  crGpr: 'Register',
  crLmswOperand: 'LMSW operand',
  crLmswOperands: ['register', 'memory'],
  crLmswData: 'LMSW source data',
  ioSize: 'Size',
  ioBytes: (b: number) => `${b} byte${b === 1 ? '' : 's'}`,
  ioDir: 'Direction',
  ioDirs: ['OUT', 'IN'],
  ioString: 'String instruction',
  ioRep: 'REP prefix',
  ioPort: 'Port',
  ioOperand: 'Port operand',
  ioOperands: ['DX', 'immediate'],
  yes: 'yes',
  no: 'no',
  intrInfo: 'Interruption information',
  intrVector: 'Vector',
  intrType: 'Type',
  intrTypes: ['external interrupt', 'reserved', 'NMI', 'hardware exception', 'software interrupt',
    'privileged software exception', 'software exception', 'other event'],
  intrErrValid: 'Error code valid',
  intrErrCode: 'Error code',
  intrValid: 'Valid',

  // Timeline
  timelineTitle: 'Timeline',
  timelineList: 'Events',
  timelineHelp: 'Arrow keys move, Enter jumps to the event; on the set-up row Enter or → opens it, ← closes it.',
  filtersLabel: 'Show event types',
  filterToggle: (type: string) => `Show ${type} events`,
  loading: 'loading…',
  scrubber: 'Position in the trace (event number)',
  /** Words a screen reader hears around a row's numbers (the row's name is its text). */
  rowEvent: 'event',
  rowCycles: 'cycles',
  /** The fold row over libdune's set-up (from the first dune_init to the return that enters Dune). */
  setupFold: (count: number) => `libdune set-up: ${n(count)} events`,
  setupFoldSpan: (from: number, to: number) => `events ${n(from)}–${n(to)}`,
  setupFoldWhat: "dune_init and dune_enter: libdune's page tables, the VMCS, the EPT's first fills",
  setupFoldCursor: (seq: number) => `cursor inside, at ${n(seq)}`,
  windowNote: (from: number, to: number, total: number) =>
    `Showing events ${n(from)}–${n(to)} of ${n(total)}; move the scrubber to reach the rest.`,
  filteredNote: (k: number, from: number, to: number) =>
    `${n(k)} matching events between ${n(from)} and ${n(to)} (near the cursor).`,
  filteredLoading: 'Searching for matching events…',
  earlier: 'Earlier',
  later: 'Later',
  refs: (k: number) => `${k} ref${k === 1 ? '' : 's'}`,
  fault: 'fault',
  ret: 'ret',
  to: 'to',
  code: 'code',
  exitHow: { exit: 'exit', signal: 'killed by signal', 'unhandled-vmexit': 'unhandled VM exit', budget: 'instruction budget ran out' } as Record<string, string>,
  summaryLine: (instr: number, cycles: number, exits: number) => `${n(instr)} instructions, ${n(cycles)} cycles, ${n(exits)} VM exits`,

  // Cost chart
  costTitle: 'Cycles by category',
  costCategories: {
    instructions: 'instructions',
    walks: 'page walks',
    vmexits: 'VM exits and entries',
    kernel: 'kernel',
  } as Record<string, string>,
  costEmpty: 'No cycles yet.',
  costBar: (cat: string, cycles: number, pct: number) => `${cat}: ${n(cycles)} cycles (${pct}%)`,

  // Swimlanes
  laneTitle: 'VM-exit swimlanes',
  laneHelp: 'Where the CPU was, transition by transition around the cursor (time on a square-root scale of modelled cycles). Click a bar to go there.',
  laneEmpty: 'No transitions in this run yet.',
  lanes: { 'root-3': 'host process', 'root-0': 'kernel + Dune module', 'nonroot-0': 'guest ring 0', 'nonroot-3': 'guest ring 3' } as Record<string, string>,
  laneBar: (label: string, cost: number, seq: number) => `${label} at event #${n(seq)}: ${n(cost)} cycles there`,

  // Source
  bpSet: 'breakpoint',
} as const;
