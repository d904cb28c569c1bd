// Lesson "Why an sthread is 40x cheaper than fork" (paper section 5.2, Table 5). Engine
// identifiers: libdune/asm-sthread.ts (sthread_create = dune_vm_clone + the protect and remap
// walks; the sthread id as PCID with the CR3 no-flush bit; recycling by D bits, without INVLPG),
// kernel/dune (fork of a Dune process is a hypercall: do_fork, the MMU notifier), worker/wedge.ts
// (the Wedge view). Programs: samples/wedge/create-fork.s, create-sthread.s, recycle-leak.s.

import type { LessonSpec } from '../../engine/course/lesson.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { PanelId } from '../panels.ts';

const FORK = { sample: 'wedge/create-fork.s' };
const STHREAD = { sample: 'wedge/create-sthread.s' };
const LEAK = { sample: 'wedge/recycle-leak.s' };
/** create-fork.s times 10 runs of fork + wait4; the figure is the mean of the last 5. */
const WAIT = (nth: number): EventMatch => ({ type: 'syscall', name: 'wait4', nth });
/** sthread_join loads CR3 = the sthread's table | its PCID | bit 63; back in the parent, PCID 0. */
const INTO = (nth = 1): EventMatch => ({ type: 'tlb', op: 'noflush', pcid: 1, nth });
const OUT = (nth = 1): EventMatch => ({ type: 'tlb', op: 'noflush', pcid: 0, nth });
const WRITE = (nth = 1): EventMatch => ({ type: 'instr', text: 'mov [secret], rdi', cpl: 3, nth });

export const sthreads: LessonSpec<PanelId> = {
  id: 'sthreads',
  program: STHREAD,
  exercises: ['cr3-flush', 'hypercall-cost', 'walk-refs'],
  steps: [
    {
      id: 'fork', program: FORK, at: [{ type: 'kernel', fn: 'do_fork', nth: 6 }], show: ['privilege', 'timeline', 'output'],
      expect: { event: { type: 'kernel', fn: 'do_fork', vmx: 'root' } },
    },
    {
      id: 'fork-cost', program: FORK, at: [WAIT(5), WAIT(1)], show: ['timeline', 'privilege', 'output'],
      expect: { event: { type: 'syscall', name: 'wait4', via: 'vmcall' }, values: { 'span.fn.do_fork': 1, 'span.exits': { min: 10 }, 'span.fn.vmx_do_ept_fault': { min: 8 }, 'span.cycles': { min: 30000 } } },
    },
    {
      id: 'create', at: [{ type: 'libdune', fn: 'dune_vm_clone', ret: null }, INTO()], show: ['wedge', 'tlb', 'source'], highlight: ['CR3'],
      expect: { event: { type: 'tlb', op: 'noflush', vpid: 1, pcid: 1 }, values: { 'span.fn.dune_vm_page_walk': 4 } },
    },
    {
      id: 'recycled', at: [OUT(5), OUT(1)], show: ['wedge', 'timeline', 'output'],
      expect: { event: { type: 'tlb', op: 'noflush', pcid: 0 }, values: { 'span.exits': 0, 'span.fn.dune_vm_clone': 0, 'span.cycles': { max: 3000 } } },
    },
    {
      id: 'first-write', program: LEAK, at: [WRITE(1)], show: ['wedge', 'tlb', 'source'],
      expect: { event: { type: 'instr', cpl: 3 }, values: { 'walk.va': '0x401110' } },
    },
    {
      id: 'cleared', program: LEAK, at: [WRITE(1), OUT()], show: ['wedge', 'tlb'],
      expect: { event: { type: 'tlb', op: 'noflush', pcid: 0 } },
    },
    {
      id: 'unrecorded', program: LEAK, at: [INTO(2), { type: 'instr', text: 'mov rax, [secret]', cpl: 3 }, WRITE(1)], spanFrom: 1, show: ['wedge', 'tlb', 'source'],
      expect: { event: { type: 'instr', cpl: 3 }, values: { 'span.walks': 0 } },
    },
    {
      id: 'leak', program: LEAK, at: [{ type: 'output', contains: 'request 3 read 222' }], show: ['wedge', 'output'],
      expect: { event: { type: 'output' } },
    },
    {
      id: 'recap', program: LEAK, at: [{ type: 'exit' }], show: ['wedge', 'output'],
      expect: { event: { type: 'exit', code: 0, how: 'exit' } },
    },
  ],
};
