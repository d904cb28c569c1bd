// Lesson "Exceptions without the kernel". Engine identifiers: cpu/interrupts.ts (delivery through
// the guest IDT), libdune/asm-traps.ts (__trap_common, __trap_dispatch), libdune/vm.ts
// (dune_vm_mprotect), kernel/dune/module.ts (re-injecting an interrupted delivery),
// kernel/signals.ts (SIGSEGV on Linux).

import type { LessonSpec } from '../../engine/course/lesson.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { PanelId } from '../panels.ts';

const AFTER_INIT: EventMatch = { type: 'libdune', fn: 'dune_init_and_enter', vmx: 'non-root' };
const PF: EventMatch = { type: 'exception', name: '#PF' };
const IRET: EventMatch = { type: 'instr', text: 'iretq' };
const VICTIM: EventMatch = { type: 'walk', va: '0x401000' };

export const exceptions: LessonSpec<PanelId> = {
  id: 'exceptions',
  program: { sample: 'lessons/trap-dune.s' },
  exercises: ['pf-error-code', 'which-exit'],
  steps: [
    {
      id: 'register', at: [AFTER_INIT, { type: 'libdune', fn: 'dune_register_pgflt_handler' }], show: ['source', 'privilege', 'timeline'],
      expect: { event: { type: 'libdune', vmx: 'non-root', cpl: 0 } },
    },
    {
      id: 'protect', at: [AFTER_INIT, { type: 'libdune', fn: 'dune_vm_mprotect', ret: '0x0' }], show: ['source', 'memory', 'timeline'],
      expect: { event: { type: 'libdune', vmx: 'non-root' }, values: { 'exits.VMCALL': 0 } },
    },
    {
      id: 'fault', at: [AFTER_INIT, PF], show: ['privilege', 'cpu', 'timeline', 'source'],
      highlight: ['CR2'],
      expect: { event: { type: 'exception', vector: 14, errorCode: 0, cr2: '0x401000', to: 'guest-idt', vmx: 'non-root', cpl: 0 } },
    },
    {
      id: 'reinject', at: [AFTER_INIT, PF, { type: 'vmexit' }, PF], spanFrom: 1, show: ['vmcs', 'timeline', 'privilege'],
      highlight: ['IDT_VECTORING_INFO_FIELD', 'VM_ENTRY_INTR_INFO_FIELD'],
      expect: { event: { type: 'exception', vector: 14, to: 'guest-idt' }, values: { 'span.exits': 1, 'exit.name': 'EPT_VIOLATION' } },
    },
    {
      id: 'handler', at: [AFTER_INIT, PF, { type: 'instr', contains: 'TF_RIP], 3' }], show: ['source', 'cpu', 'timeline'],
      expect: { event: { type: 'instr', vmx: 'non-root', cpl: 0 } },
    },
    {
      id: 'warm', at: [AFTER_INIT, IRET, VICTIM, IRET], spanFrom: 2, show: ['privilege', 'timeline', 'cpu'],
      expect: { event: { type: 'instr', vmx: 'non-root', cpl: 0 }, values: { 'span.exits': 0, 'span.cycles': { min: 450, max: 750 } } },
    },
    {
      id: 'linux', program: { sample: 'lessons/trap-linux.s' },
      at: [{ type: 'syscall', name: 'rt_sigreturn' }, VICTIM, { type: 'ring', via: 'iret', nth: 2 }], spanFrom: 1,
      show: ['privilege', 'timeline', 'cpu'],
      expect: { event: { type: 'ring', from: 0, to: 3, vmx: 'root' }, values: { 'span.cycles': { min: 2300, max: 3300 }, 'count.signal': 2 } },
    },
    {
      id: 'linux-fault', program: { sample: 'lessons/trap-linux.s' }, at: [{ type: 'syscall', name: 'mprotect' }, PF], show: ['privilege', 'timeline', 'cpu'],
      expect: { event: { type: 'exception', vector: 14, errorCode: 4, to: 'host-kernel', vmx: 'root', cpl: 3 } },
    },
    {
      id: 'recap', at: [{ type: 'exit' }], show: ['timeline', 'privilege'],
      expect: { event: { type: 'exit', code: 0, how: 'exit' }, values: { 'exits.VMCALL': 1, 'count.signal': 0 } },
    },
  ],
};
