// Lesson "Why the sandbox needs no exit per denied call" (paper section 5.1). Engine identifiers:
// libdune/asm-boxer.ts (boxer_run: ring-3 SYSCALL -> libdune's ring-0 handler -> the monitor's
// checks and policy -> dune_passthrough_syscall, a VMCALL, for an allowed call), worker/sandbox.ts
// (the sandbox view). Program: samples/sandbox/box.s under its default (strict) policy.

import type { LessonSpec } from '../../engine/course/lesson.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { PanelId } from '../panels.ts';

const JUMP: EventMatch = { type: 'libdune', fn: 'dune_jump_to_user', ret: null };
const TO_RING3: EventMatch = { type: 'ring', from: 0, to: 3, via: 'iret' };
/** The box's nth system call: SYSCALL from ring 3 lands in ring 0 of the same VM. */
const TRAP = (nth = 1): EventMatch => ({ type: 'ring', from: 3, to: 0, via: 'syscall', nth });
const BACK: EventMatch = { type: 'ring', from: 0, to: 3, via: 'sysret' };
const VMCALL: EventMatch = { type: 'vmexit', name: 'VMCALL' };

export const sandbox: LessonSpec<PanelId> = {
  id: 'sandbox',
  program: { sample: 'sandbox/box.s' },
  exercises: ['which-exit', 'hypercall-cost', 'which-world'],
  steps: [
    {
      id: 'enter', at: [JUMP, TO_RING3], show: ['privilege', 'sandbox', 'source'],
      expect: { event: { type: 'ring', from: 0, to: 3, vmx: 'non-root', cpl: 3 } },
    },
    {
      id: 'trap', at: [JUMP, TO_RING3, TRAP()], show: ['privilege', 'sandbox', 'timeline'],
      expect: { event: { type: 'ring', from: 3, to: 0, via: 'syscall', vmx: 'non-root', cpl: 0 }, values: { 'span.fn.dune_passthrough_syscall': 0 } },
    },
    {
      id: 'forward', at: [JUMP, TO_RING3, TRAP(), VMCALL], show: ['sandbox', 'privilege', 'vmcs'],
      expect: { event: { type: 'vmexit', reason: 18, name: 'VMCALL' }, values: { 'cost.roundTrip': { min: 800 } } },
    },
    {
      // box.s's second call is getpid (on the strict policy's list): forwarded.
      id: 'back', at: [JUMP, TO_RING3, TRAP(2), BACK], spanFrom: 2, show: ['sandbox', 'timeline', 'output'],
      expect: { event: { type: 'ring', from: 0, to: 3, via: 'sysret', cpl: 3 }, values: { 'span.fn.dune_passthrough_syscall': 2, 'span.exits': 1, 'span.cycles': { min: 1000 } } },
    },
    {
      // box.s's fourth call is open(): not on the strict policy's list.
      id: 'denied', at: [JUMP, TO_RING3, TRAP(4), BACK], spanFrom: 2, show: ['sandbox', 'timeline', 'output'],
      expect: { event: { type: 'ring', from: 0, to: 3, via: 'sysret', cpl: 3 }, values: { 'span.fn.dune_passthrough_syscall': 0, 'span.fn.dune_printf': 2, 'span.exits': 2, 'span.fn.vmx_do_ept_fault': 1 } },
    },
    {
      // Its sixth: write() of a buffer in the monitor's memory (0x380000).
      id: 'efault', at: [JUMP, TO_RING3, TRAP(6), BACK], spanFrom: 2, show: ['sandbox', 'timeline', 'output'],
      expect: { event: { type: 'ring', from: 0, to: 3, via: 'sysret', cpl: 3 }, values: { 'span.exits': 1, 'span.fn.dune_passthrough_syscall': 0, 'span.fn.dune_printf': 2, 'span.fn.vmx_do_ept_fault': 0 } },
    },
    {
      id: 'fault', at: [JUMP, TO_RING3, { type: 'exception', name: '#PF', cpl: 3 }], show: ['sandbox', 'privilege', 'output'],
      expect: { event: { type: 'exception', vector: 14, cr2: '0x380000', to: 'guest-idt' } },
    },
    {
      id: 'recap', at: [{ type: 'exit' }], show: ['sandbox', 'output'],
      expect: { event: { type: 'exit', code: 0, how: 'exit' }, values: { 'exits.VMCALL': { min: 8 } } },
    },
  ],
};
