// Lesson "Tagged TLBs". Engine identifiers: mmu/tlb.ts (entries tagged VPID, PCID, EPT root),
// vtx/vmx.ts (the flush at VM entry and exit when "enable VPID" is 0), cpu/system.ts (MOV to CR3
// with PCID and bit 63, INVLPG).

import type { LessonSpec } from '../../engine/course/lesson.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { PanelId } from '../panels.ts';

const AFTER_INIT: EventMatch = { type: 'libdune', fn: 'dune_init_and_enter', vmx: 'non-root' };
const BUF_FILL: EventMatch = { type: 'tlb', op: 'fill', va: '0x401000' };
const GETPID: EventMatch = { type: 'syscall', name: 'getpid' };
const READ: EventMatch = { type: 'instr', text: 'mov rax, [buf]' };
const PCID1: EventMatch = { type: 'tlb', op: 'flush', pcid: 1 };
const NOFLUSH: EventMatch = { type: 'tlb', op: 'noflush' };
const INVLPG: EventMatch = { type: 'tlb', op: 'invlpg' };

export const tlbTags: LessonSpec<PanelId> = {
  id: 'tlb-tags',
  program: { sample: 'lessons/tlb-tags.s' },
  exercises: ['cr3-flush', 'walk-refs'],
  steps: [
    {
      id: 'fill', at: [AFTER_INIT, BUF_FILL], show: ['tlb', 'walk', 'timeline'],
      expect: { event: { type: 'tlb', op: 'fill', vpid: 1, pcid: 0, vmx: 'non-root' } },
    },
    {
      id: 'vpid', at: [AFTER_INIT, GETPID, READ], spanFrom: 1, show: ['tlb', 'timeline', 'source'],
      expect: { event: { type: 'instr', vmx: 'non-root' }, values: { 'span.walks': 0, 'exits.VMCALL': 1 } },
    },
    {
      id: 'vpid-off', program: { sample: 'lessons/tlb-tags.s', knobs: { vpid: 'off' } }, at: [AFTER_INIT, GETPID, READ], spanFrom: 1,
      show: ['tlb', 'timeline', 'source'],
      expect: { event: { type: 'instr', vmx: 'non-root' }, values: { 'span.walks': 3, 'walk.va': '0x401000' } },
    },
    {
      id: 'pcid', at: [AFTER_INIT, PCID1], show: ['tlb', 'cpu', 'timeline', 'source'], highlight: ['CR3'],
      expect: { event: { type: 'tlb', op: 'flush', vpid: 1, pcid: 1, entries: 0 } },
    },
    {
      id: 'pcid-miss', at: [AFTER_INIT, PCID1, BUF_FILL], show: ['tlb', 'walk', 'timeline'],
      expect: { event: { type: 'tlb', op: 'fill', vpid: 1, pcid: 1 } },
    },
    {
      id: 'noflush', at: [AFTER_INIT, NOFLUSH], show: ['tlb', 'cpu', 'timeline', 'source'], highlight: ['CR3'],
      expect: { event: { type: 'tlb', op: 'noflush', vpid: 1, pcid: 0 } },
    },
    {
      id: 'hit', at: [AFTER_INIT, NOFLUSH, READ], spanFrom: 1, show: ['tlb', 'timeline', 'source'],
      expect: { event: { type: 'instr', vmx: 'non-root' }, values: { 'span.walks': 0 } },
    },
    {
      id: 'invlpg', at: [AFTER_INIT, INVLPG], show: ['tlb', 'timeline', 'source'],
      expect: { event: { type: 'tlb', op: 'invlpg', va: '0x401000', vpid: 1, pcid: 0, entries: 1 } },
    },
    {
      id: 'after-invlpg', at: [AFTER_INIT, INVLPG, { type: 'walk', va: '0x401000' }], spanFrom: 1, show: ['tlb', 'walk', 'timeline'],
      expect: { event: { type: 'walk', fault: null }, values: { 'span.walks': 1, 'span.exits': 0 } },
    },
    {
      id: 'recap', at: [{ type: 'exit' }], show: ['timeline', 'tlb'],
      expect: { event: { type: 'exit', code: 0, how: 'exit' } },
    },
  ],
};
