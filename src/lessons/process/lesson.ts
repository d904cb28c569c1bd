// Lesson "A process, not a machine" (the paper's sections 2 and 3, Table 1). Engine identifiers:
// libdune/asm-entry.ts (LGDT, LTR, LIDT after entry), cpu/system.ts (privileged instructions),
// kernel/dune/module.ts (what exits and what does not).

import type { LessonSpec } from '../../engine/course/lesson.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { PanelId } from '../panels.ts';

const LAUNCH: EventMatch = { type: 'vmentry', kind: 'launch' };

export const processLesson: LessonSpec<PanelId> = {
  id: 'process',
  program: { sample: 'lessons/enter.s' },
  exercises: ['which-exit', 'pf-error-code'],
  steps: [
    {
      id: 'linux', program: { sample: 'lessons/getpid-linux.s' }, at: [{ type: 'ring', via: 'syscall' }], show: ['privilege', 'cpu', 'source', 'timeline'],
      expect: { event: { type: 'ring', from: 3, to: 0, vmx: 'root', cpl: 0 }, values: { 'count.vmentry': 0 } },
    },
    {
      id: 'dune', at: [LAUNCH], show: ['privilege', 'cpu', 'timeline'],
      expect: { event: { type: 'vmentry', vmx: 'non-root', cpl: 0 } },
    },
    {
      id: 'exceptions', at: [LAUNCH, { type: 'instr', text: 'ltr rax' }, { type: 'instr', contains: 'lidt' }], spanFrom: 1, show: ['cpu', 'privilege', 'timeline'],
      expect: { event: { type: 'instr', text: 'lidt [__idtr]', vmx: 'non-root', cpl: 0 }, values: { 'span.exits': 0 } },
    },
    {
      id: 'memory', at: [{ type: 'instr', text: 'mov rax, cr3' }], show: ['cpu', 'privilege', 'source'], highlight: ['CR3'],
      expect: { event: { type: 'instr', vmx: 'non-root', cpl: 0 }, values: { 'exits.CR_ACCESS': 0 } },
    },
    {
      id: 'modes', program: { sample: 'lessons/intercept-dune.s' }, at: [{ type: 'ring', from: 0, to: 3, via: 'iret', vmx: 'non-root' }],
      show: ['privilege', 'cpu', 'timeline'],
      expect: { event: { type: 'ring', vmx: 'non-root', cpl: 3 } },
    },
    {
      id: 'faults', program: { sample: 'lessons/trap-dune.s' }, at: [{ type: 'exception', name: '#PF', vmx: 'non-root' }], show: ['privilege', 'cpu', 'timeline'],
      expect: { event: { type: 'exception', to: 'guest-idt', vmx: 'non-root', cpl: 0 } },
    },
    {
      id: 'still-linux', at: [{ type: 'syscall', name: 'exit_group' }], show: ['privilege', 'timeline'],
      expect: { event: { type: 'syscall', via: 'vmcall', vmx: 'root' }, values: { 'exits.VMCALL': 1 } },
    },
    {
      id: 'recap', at: [{ type: 'exit' }], show: ['privilege', 'timeline'],
      expect: { event: { type: 'exit', code: 0, how: 'exit' } },
    },
  ],
};
