// Lesson "A system call becomes a hypercall". Engine identifiers: cpu/system.ts (SYSCALL),
// libdune/asm-traps.ts (__dune_syscall), vtx/vmx.ts (the VM exit), kernel/dune/module.ts
// (vmx_handle_syscall, the module's VMCALL handler).

import type { LessonSpec } from '../../engine/course/lesson.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { PanelId } from '../panels.ts';

const AFTER_INIT: EventMatch = { type: 'libdune', fn: 'dune_init_and_enter', vmx: 'non-root' };
const SYSCALL: EventMatch = { type: 'instr', text: 'syscall', vmx: 'non-root' };
const FIRST: EventMatch[] = [AFTER_INIT, SYSCALL];
/** The second getpid: every page it touches is already in the EPT and the TLB. */
const SECOND: EventMatch[] = [AFTER_INIT, { ...SYSCALL, nth: 2 }];

export const syscallHypercall: LessonSpec<PanelId> = {
  id: 'syscall-hypercall',
  program: { sample: 'lessons/getpid-dune.s' },
  exercises: ['hypercall-cost', 'which-exit'],
  steps: [
    {
      id: 'enter', at: [{ type: 'vmentry', kind: 'launch' }], show: ['privilege', 'source', 'cpu', 'timeline'],
      expect: { event: { type: 'vmentry', kind: 'launch', vmx: 'non-root', cpl: 0 } },
    },
    {
      id: 'syscall', at: FIRST, show: ['privilege', 'source', 'cpu', 'timeline'],
      expect: { event: { type: 'instr', vmx: 'non-root', cpl: 0 }, values: { 'exits.VMCALL': 0 } },
    },
    {
      id: 'stub', at: [...FIRST, { type: 'instr', contains: 'jne __ds_user' }], show: ['privilege', 'cpu', 'timeline'],
      expect: { event: { type: 'instr', vmx: 'non-root', cpl: 0 }, values: { 'exits.VMCALL': 0 } },
    },
    {
      id: 'exit', at: [...FIRST, { type: 'vmexit', name: 'VMCALL' }], show: ['privilege', 'vmcs', 'cpu', 'timeline'],
      highlight: ['VM_EXIT_REASON', 'VM_EXIT_INSTRUCTION_LEN', 'GUEST_RIP'],
      expect: { event: { type: 'vmexit', reason: 18, instrLen: 3, vmx: 'root', cpl: 0 }, values: { 'cost.exit': 320, 'cost.entry': 310 } },
    },
    {
      id: 'kernel', at: [...FIRST, { type: 'syscall', via: 'vmcall' }], show: ['privilege', 'vmcs', 'timeline'],
      expect: { event: { type: 'syscall', name: 'getpid', nr: 39, ret: '0x1', vmx: 'root' } },
    },
    {
      id: 'entry', at: [...FIRST, { type: 'vmexit', name: 'VMCALL' }, { type: 'vmentry' }], show: ['privilege', 'cpu', 'timeline', 'tlb'],
      expect: { event: { type: 'vmentry', kind: 'resume', vmx: 'non-root', cpl: 0 } },
    },
    {
      id: 'warm', at: [...SECOND, { type: 'instr', contains: 'jmp rcx' }], spanFrom: 1, show: ['privilege', 'timeline', 'cpu'],
      expect: { event: { type: 'instr', vmx: 'non-root', cpl: 0 }, values: { 'span.exits': 1, 'span.walks': 0, 'exits.VMCALL': 2, 'span.cycles': { min: 900, max: 1100 }, 'cost.roundTrip': 895 } },
    },
    {
      id: 'linux', program: { sample: 'lessons/getpid-linux.s' }, at: [{ type: 'ring', via: 'syscall', nth: 2 }, { type: 'ring', via: 'sysret' }],
      show: ['privilege', 'source', 'cpu', 'timeline'],
      expect: { event: { type: 'ring', from: 0, to: 3, vmx: 'root' }, values: { 'span.exits': 0, 'span.walks': 0, 'span.cycles': { min: 100, max: 200 } } },
    },
    {
      id: 'recap', at: [{ type: 'exit' }], show: ['timeline', 'privilege'],
      expect: { event: { type: 'exit', code: 0, how: 'exit' }, values: { 'exits.VMCALL': 3 } },
    },
  ],
};
