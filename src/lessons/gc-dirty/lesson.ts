// Lesson "Dirty bits against mprotect" (section 5.3, Table 6): why reading D bits beats
// write-protecting the heap, and why the XML benchmark gains nothing. Engine identifiers:
// libdune/asm-gc*.ts (the collector and its four ways of finding written pages), player/heapmap.ts
// (the heap view's page states), trace/ptwatch.ts (the plain stores that clear D). Programs:
// samples/gc/churn.s (old pages written every round) and samples/gc/keep.s (everything kept).

import type { LessonSpec } from '../../engine/course/lesson.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { PanelId } from '../panels.ts';

/** The instruction that counts a collection (asm-gc-mark.ts gc_collect). */
const COLL: EventMatch = { type: 'instr', text: 'inc qword ptr [__gc_collections]' };
const PF: EventMatch = { type: 'exception', vector: 14 };
const EXIT: EventMatch = { type: 'exit' };
const churn = (mode: string) => ({ sample: 'gc/churn.s', stdin: mode });
const keep = (mode: string) => ({ sample: 'gc/keep.s', stdin: mode });

export const gcDirty: LessonSpec<PanelId> = {
  id: 'gc-dirty',
  program: churn('linux'),
  exercises: ['pf-error-code', 'cr3-flush'],
  steps: [
    {
      id: 'heap', at: [COLL, COLL], show: ['heap', 'source'],
      expect: { event: { type: 'instr', text: 'inc qword ptr [__gc_collections]' }, values: { 'count.signal': { min: 16 } } },
    },
    {
      id: 'protect', at: [COLL, COLL, { type: 'syscall', name: 'mprotect' }], spanFrom: 1, show: ['heap', 'timeline'],
      expect: { event: { type: 'syscall', name: 'mprotect' }, values: { 'span.cycles': { min: 10_000 } } },
    },
    {
      id: 'fault-linux', at: [COLL, COLL, { type: 'syscall', name: 'mprotect' }, PF, { type: 'syscall', name: 'rt_sigreturn' }], spanFrom: 3,
      show: ['heap', 'timeline', 'privilege'],
      expect: { event: { type: 'syscall', name: 'rt_sigreturn' }, values: { 'span.cycles': { min: 3_000, max: 20_000 }, 'event.vmx': 'root' } },
    },
    {
      id: 'fault-dune', program: churn('dune'), at: [COLL, COLL, { type: 'libdune', fn: 'dune_vm_mprotect' }, PF, { type: 'tlb', op: 'flush' }], spanFrom: 3,
      show: ['heap', 'timeline', 'tlb'],
      expect: { event: { type: 'tlb', op: 'flush', vmx: 'non-root' }, values: { 'span.cycles': { min: 100, max: 3_000 }, 'span.exits': 0 } },
    },
    {
      id: 'fault-tlb', program: churn('dune-tlb'), at: [COLL, COLL, PF, { type: 'tlb', op: 'invlpg' }], spanFrom: 2,
      show: ['heap', 'timeline', 'tlb'],
      expect: { event: { type: 'tlb', op: 'invlpg', vmx: 'non-root', entries: 0 }, values: { 'span.cycles': { min: 100, max: 3_000 }, 'span.exits': 0 } },
    },
    {
      id: 'dirty-walk', program: churn('dune-dirty'), at: [COLL, { type: 'libdune', fn: 'dune_vm_page_walk' }, { type: 'tlb', op: 'invlpg' }],
      show: ['heap', 'tlb', 'source'],
      expect: { event: { type: 'tlb', op: 'invlpg', vmx: 'non-root' } },
    },
    {
      id: 'linux-total', at: [EXIT], show: ['heap', 'output'],
      expect: { event: { type: 'exit', code: 0 }, values: { 'count.signal': { min: 96 } } },
    },
    {
      id: 'dirty-total', program: churn('dune-dirty'), at: [EXIT], show: ['heap', 'output'],
      expect: { event: { type: 'exit', code: 0 }, values: { 'count.signal': 0, 'exits.EPT_VIOLATION': { min: 16 } } },
    },
    {
      id: 'xml-linux', program: keep('linux'), at: [EXIT], show: ['heap', 'output'],
      expect: { event: { type: 'exit', code: 0 }, values: { 'count.signal': 0 } },
    },
    {
      id: 'xml-dirty', program: keep('dune-dirty'), at: [EXIT], show: ['heap', 'output'],
      expect: { event: { type: 'exit', code: 0 }, values: { 'count.signal': 0, 'exits.EPT_VIOLATION': { min: 80 } } },
    },
    {
      id: 'recap', program: churn('dune-dirty'), at: [EXIT], show: ['heap', 'output'],
      expect: { event: { type: 'exit', code: 0 } },
    },
  ],
};
