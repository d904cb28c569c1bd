// Lesson "The two-dimensional page walk". Engine identifiers: mmu/mmu.ts (walkOnce and the EPT
// walk of each guest entry), mmu/tlb.ts (the combined-translation TLB), mmu/cache.ts (the
// paging-structure caches), kernel/dune/eptfault.ts (vmx_do_ept_fault, the lazy EPT fill).

import type { LessonSpec } from '../../engine/course/lesson.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { PanelId } from '../panels.ts';

const AFTER_INIT: EventMatch = { type: 'libdune', fn: 'dune_init_and_enter', vmx: 'non-root' };
/** The program's first data read of buf: an EPT violation for a read (bit 0) of a final
 *  translation (bits 7 and 8), not a fetch or a write. */
const BUF_EXIT: EventMatch = { type: 'vmexit', name: 'EPT_VIOLATION', bits: { qualification: { set: [0, 7, 8], clear: [1, 2] } } };
const FILLED: EventMatch = { type: 'walk', fault: null };
const SECOND_READ: EventMatch = { type: 'instr', contains: 'mov rax, [buf + 8]' };
const NEIGHBOUR: EventMatch[] = [SECOND_READ, { type: 'walk', fault: null, va: '0x402000' }];

export const pageWalk: LessonSpec<PanelId> = {
  id: 'pagewalk',
  program: { sample: 'lessons/pagewalk.s', knobs: { psc: 'off' } },
  exercises: ['walk-refs', 'translate'],
  steps: [
    {
      id: 'first-touch', at: [AFTER_INIT, BUF_EXIT], show: ['vmcs', 'walk', 'timeline', 'privilege'],
      highlight: ['VM_EXIT_REASON', 'EXIT_QUALIFICATION', 'GUEST_PHYSICAL_ADDRESS', 'GUEST_LINEAR_ADDRESS'],
      expect: { event: { type: 'vmexit', reason: 48, vmx: 'root', gla: '0x401000', gpa: '0x401000' }, values: { 'exit.qualification': '0x181', 'walk.refs': 24 } },
    },
    {
      id: 'grid', at: [AFTER_INIT, BUF_EXIT, FILLED], show: ['walk', 'timeline', 'source'],
      expect: { event: { type: 'walk', va: '0x401000', vmx: 'non-root' }, values: { 'walk.refs': 24, 'walk.guest': 4, 'walk.ept': 20 } },
    },
    {
      id: 'tlb', at: [AFTER_INIT, BUF_EXIT, FILLED, { type: 'tlb', op: 'fill' }], show: ['tlb', 'walk', 'timeline'],
      expect: { event: { type: 'tlb', op: 'fill', va: '0x401000', vpid: 1, pcid: 0, scope: '4K' } },
    },
    {
      id: 'hit', at: [{ type: 'instr', contains: 'mov rax, [buf]' }, SECOND_READ], show: ['source', 'tlb', 'timeline'],
      expect: { event: { type: 'instr', vmx: 'non-root', cpl: 0 }, values: { 'span.walks': 0, 'span.exits': 0 } },
    },
    {
      id: 'neighbour', at: NEIGHBOUR, show: ['walk', 'tlb', 'timeline'],
      expect: { event: { type: 'walk', va: '0x402000' }, values: { 'walk.refs': 24, 'span.walks': 2, 'span.exits': 1, 'exit.qualification': '0x181', 'exit.gpa': '0x402000' } },
    },
    {
      id: 'psc', program: { sample: 'lessons/pagewalk.s' }, at: NEIGHBOUR, show: ['walk', 'tlb', 'timeline'],
      expect: { event: { type: 'walk', va: '0x402000' }, values: { 'walk.refs': 12, 'walk.guest': 4, 'walk.ept': 8 } },
    },
    {
      id: 'huge', program: { sample: 'lessons/pagewalk.s', knobs: { psc: 'off', hugepages: 'on' } }, at: NEIGHBOUR, show: ['walk', 'tlb', 'timeline'],
      expect: { event: { type: 'walk', va: '0x402000' }, values: { 'walk.refs': 19, 'walk.guest': 3, 'walk.ept': 16 } },
    },
    {
      id: 'recap', at: [{ type: 'exit' }], show: ['timeline', 'walk'],
      expect: { event: { type: 'exit', code: 0, how: 'exit' }, values: { 'exits.EPT_VIOLATION': 32, 'exits.VMCALL': 1 } },
    },
  ],
};
