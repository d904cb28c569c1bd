// Lesson "The EPT starts empty". Engine identifiers: kernel/dune/eptfault.ts (eptFault =
// vmx_do_ept_fault, the MMU-notifier callback and INVEPT), kernel/kernel.ts faultIn
// (get_user_pages), kernel/dune/layout.ts (hvaToGpa: the compressed guest-physical layout).

import type { LessonSpec } from '../../engine/course/lesson.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { PanelId } from '../panels.ts';

const AFTER_INIT: EventMatch = { type: 'libdune', fn: 'dune_init_and_enter', vmx: 'non-root' };
const MMAP: EventMatch[] = [AFTER_INIT, { type: 'syscall', name: 'mmap' }];
const WRITE_EXIT: EventMatch = { type: 'vmexit', name: 'EPT_VIOLATION', bits: { qualification: { set: [1, 7, 8] } } };
const MUNMAP: EventMatch[] = [...MMAP, { type: 'instr', contains: 'SYS_munmap' }];

export const eptLazy: LessonSpec<PanelId> = {
  id: 'ept-lazy',
  program: { sample: 'lessons/ept-lazy.s' },
  exercises: ['which-exit', 'translate'],
  steps: [
    {
      id: 'mmap', at: MMAP, show: ['timeline', 'source', 'memory'],
      expect: { event: { type: 'syscall', name: 'mmap', via: 'vmcall', ret: '0x7efffdffe000' } },
    },
    {
      id: 'table-page', at: [...MMAP, { type: 'vmexit', name: 'EPT_VIOLATION' }], show: ['vmcs', 'walk', 'timeline'],
      highlight: ['EXIT_QUALIFICATION', 'GUEST_PHYSICAL_ADDRESS'],
      expect: { event: { type: 'vmexit', reason: 48, bits: { qualification: { set: [0, 7], clear: [1, 2, 8] } } }, values: { 'exit.qualification': '0x81' } },
    },
    {
      id: 'write', at: [...MMAP, WRITE_EXIT], spanFrom: 1, show: ['vmcs', 'walk', 'timeline', 'source'],
      highlight: ['EXIT_QUALIFICATION', 'GUEST_PHYSICAL_ADDRESS', 'GUEST_LINEAR_ADDRESS'],
      expect: { event: { type: 'vmexit', reason: 48, gla: '0x7efffdffe000', gpa: '0x1fdffe000' }, values: { 'exit.qualification': '0x182', 'span.exits': 4 } },
    },
    {
      id: 'gup', at: [...MMAP, WRITE_EXIT, { type: 'kernel', fn: 'handle_mm_fault' }], show: ['timeline', 'memory'],
      expect: { event: { type: 'kernel', contains: 'get_user_pages: zero page', vmx: 'root' } },
    },
    {
      id: 'fill', at: [...MMAP, WRITE_EXIT, { type: 'kernel', fn: 'vmx_do_ept_fault' }], show: ['timeline', 'memory'],
      expect: { event: { type: 'kernel', contains: 'GPA 0x1fdffe000 (HVA 0x7efffdffe000)' } },
    },
    {
      id: 'notifier', at: [...MUNMAP, { type: 'kernel', fn: 'mmu_notifier_invalidate_range' }], show: ['timeline', 'memory'],
      expect: { event: { type: 'kernel', contains: 'munmap: 1 EPT entry cleared for 0x7efffdffe000', vmx: 'root' } },
    },
    {
      id: 'invept', at: [...MUNMAP, { type: 'tlb', op: 'invept' }], spanFrom: 2, show: ['timeline', 'tlb'],
      expect: { event: { type: 'tlb', op: 'invept', scope: 'single-context' }, values: { 'span.exits': 1 } },
    },
    {
      id: 'again', at: [AFTER_INIT, { type: 'syscall', name: 'mmap', nth: 2 }, { type: 'vmexit', name: 'EPT_VIOLATION' }], spanFrom: 1,
      show: ['vmcs', 'timeline', 'source'],
      expect: { event: { type: 'vmexit', reason: 48, gla: '0x7efffdffe000', gpa: '0x1fdffe000' }, values: { 'exit.qualification': '0x181', 'span.exits': 1 } },
    },
    {
      id: 'recap', at: [{ type: 'exit' }], show: ['timeline', 'memory'],
      expect: { event: { type: 'exit', code: 0, how: 'exit' }, values: { 'exits.EPT_VIOLATION': 38 } },
    },
  ],
};
