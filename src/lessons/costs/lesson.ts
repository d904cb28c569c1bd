// Lesson "What Dune costs" (the paper's Table 2). Engine identifiers: cost.ts (the cost model:
// vmexit, vmentry, the module's paths), player/costs.ts (where a run's cycles went),
// kernel/dune/module.ts (vmx_handle_syscall), kernel/dune/eptfault.ts, mmu/mmu.ts.

import type { LessonSpec } from '../../engine/course/lesson.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { PanelId } from '../panels.ts';

const AFTER_INIT: EventMatch = { type: 'libdune', fn: 'dune_init_and_enter', vmx: 'non-root' };
const SYSCALL2: EventMatch = { type: 'instr', text: 'syscall', vmx: 'non-root', nth: 2 };
const NEIGHBOUR: EventMatch[] = [{ type: 'instr', contains: 'mov rax, [buf + 8]' }, { type: 'walk', fault: null, va: '0x402000' }];

export const costs: LessonSpec<PanelId> = {
  id: 'costs',
  program: { sample: 'lessons/getpid-dune.s' },
  exercises: ['hypercall-cost', 'walk-refs'],
  steps: [
    {
      id: 'getpid-linux', program: { sample: 'lessons/getpid-linux.s' }, at: [{ type: 'ring', via: 'syscall', nth: 2 }, { type: 'ring', via: 'sysret' }],
      show: ['privilege', 'timeline'],
      expect: { event: { type: 'ring', to: 3, vmx: 'root' }, values: { 'span.cycles': { min: 100, max: 200 }, 'span.exits': 0 } },
    },
    {
      id: 'getpid-dune', at: [AFTER_INIT, SYSCALL2, { type: 'instr', contains: 'jmp rcx' }], spanFrom: 1, show: ['privilege', 'timeline'],
      expect: { event: { type: 'instr', vmx: 'non-root' }, values: { 'span.cycles': { min: 800, max: 1100 }, 'span.exits': 1 } },
    },
    {
      id: 'getpid-where', at: [AFTER_INIT, SYSCALL2, { type: 'vmexit', name: 'VMCALL' }], show: ['privilege', 'vmcs', 'timeline'],
      expect: { event: { type: 'vmexit', reason: 18 }, values: { 'cost.exit': 320, 'cost.entry': 310, 'cost.handler': { min: 150, max: 400 } } },
    },
    {
      id: 'fault-linux', program: { sample: 'lessons/fault-linux.s' }, at: [{ type: 'instr', contains: 'mov qword ptr [rbx], 1' }, { type: 'walk' }, { type: 'walk', fault: null }], spanFrom: 1,
      show: ['privilege', 'timeline'],
      expect: { event: { type: 'walk', va: '0x7efffffff000' }, values: { 'span.cycles': { min: 2000, max: 3400 }, 'span.exits': 0, 'count.exception': 2 } },
    },
    {
      id: 'fault-dune', program: { sample: 'lessons/ept-lazy.s' }, at: [AFTER_INIT, { type: 'syscall', name: 'mmap' }, { type: 'vmexit', name: 'EPT_VIOLATION', bits: { qualification: { set: [1, 7, 8] } } }],
      show: ['privilege', 'vmcs', 'timeline'],
      expect: { event: { type: 'vmexit', reason: 48 }, values: { 'cost.exit': 320, 'cost.entry': 310, 'cost.handler': { min: 3000, max: 5000 } } },
    },
    {
      id: 'walk-linux', program: { sample: 'lessons/pagewalk-linux.s' }, at: NEIGHBOUR, spanFrom: 1, show: ['walk', 'timeline'],
      expect: { event: { type: 'walk', vmx: 'root' }, values: { 'walk.refs': 4, 'walk.host': 4, 'span.cycles': { min: 15, max: 60 } } },
    },
    {
      id: 'walk-dune', program: { sample: 'lessons/pagewalk.s' }, at: NEIGHBOUR, spanFrom: 1, show: ['walk', 'timeline'],
      expect: { event: { type: 'walk', vmx: 'non-root' }, values: { 'walk.refs': 12, 'span.cycles': { min: 60, max: 300 } } },
    },
    {
      id: 'recap', at: [{ type: 'exit' }], show: ['timeline', 'privilege'],
      expect: { event: { type: 'exit', code: 0, how: 'exit' } },
    },
  ],
};
