// Lesson "Intercepting system calls". Engine identifiers: libdune/asm-entry.ts
// (dune_jump_to_user, dune_passthrough_syscall), libdune/asm-traps.ts (__dune_syscall's ring-3
// path), kernel/ptrace.ts (PTRACE_SYSCALL stops), kernel/sched.ts (switch_to).

import type { LessonSpec } from '../../engine/course/lesson.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { PanelId } from '../panels.ts';

const AFTER_INIT: EventMatch = { type: 'libdune', fn: 'dune_init_and_enter', vmx: 'non-root' };
const TRAP: EventMatch = { type: 'ring', from: 3, to: 0, via: 'syscall' };
const GETPID: EventMatch = { type: 'instr', text: 'mov rax, SYS_getpid' };
const FIRST: EventMatch[] = [AFTER_INIT, { type: 'ring', from: 0, to: 3, via: 'iret' }, TRAP];
const LINUX = { sample: 'lessons/intercept-linux.s' };

export const intercept: LessonSpec<PanelId> = {
  id: 'intercept',
  program: { sample: 'lessons/intercept-dune.s' },
  exercises: ['which-exit', 'hypercall-cost'],
  steps: [
    {
      id: 'ring3', at: FIRST.slice(0, 2), show: ['privilege', 'source', 'cpu', 'timeline'],
      expect: { event: { type: 'ring', vmx: 'non-root', cpl: 3 } },
    },
    {
      id: 'trap', at: FIRST, show: ['privilege', 'source', 'cpu', 'timeline'],
      expect: { event: { type: 'ring', vmx: 'non-root', cpl: 0 }, values: { 'exits.VMCALL': 0 } },
    },
    {
      id: 'handler', at: [...FIRST, { type: 'instr', text: 'cmp rax, SYS_exit' }], show: ['source', 'cpu', 'timeline'],
      expect: { event: { type: 'instr', vmx: 'non-root', cpl: 0 }, values: { 'exits.VMCALL': 0 } },
    },
    {
      id: 'forward', at: [...FIRST, { type: 'syscall', via: 'vmcall' }], show: ['privilege', 'vmcs', 'timeline'],
      expect: { event: { type: 'syscall', name: 'getpid', via: 'vmcall', vmx: 'root' }, values: { 'exit.reason': 18 } },
    },
    {
      id: 'back', at: [...FIRST, { type: 'ring', via: 'sysret' }], show: ['privilege', 'cpu', 'timeline'],
      expect: { event: { type: 'ring', from: 0, to: 3, vmx: 'non-root', cpl: 3 } },
    },
    {
      id: 'warm', at: [AFTER_INIT, { ...GETPID, nth: 2 }, { type: 'ring', via: 'sysret' }], spanFrom: 1, show: ['privilege', 'timeline'],
      expect: { event: { type: 'ring', to: 3, vmx: 'non-root' }, values: { 'span.exits': 1, 'span.cycles': { min: 800, max: 1400 } } },
    },
    {
      id: 'ptrace-stop', program: LINUX, at: [{ type: 'kernel', fn: 'ptrace_stop', contains: 'syscall-entry' }], show: ['privilege', 'timeline'],
      expect: { event: { type: 'kernel', vmx: 'root', cpl: 0, contains: 'pid 2 stops (SIGTRAP, syscall-entry) for tracer pid 1' } },
    },
    {
      id: 'switch', program: LINUX, at: [{ type: 'kernel', fn: 'ptrace_stop', contains: 'syscall-entry' }, { type: 'kernel', fn: 'switch_to' }], show: ['privilege', 'timeline'],
      expect: { event: { type: 'kernel', contains: 'pid 2 (stopped) -> pid 1' } },
    },
    {
      id: 'ptrace-warm', program: LINUX,
      at: [{ ...GETPID, nth: 3 }, { type: 'syscall', name: 'getpid' }, { type: 'kernel', fn: 'switch_to', contains: '-> pid 2' }, { type: 'ring', via: 'sysret' }],
      show: ['privilege', 'timeline'],
      expect: { event: { type: 'ring', to: 3, vmx: 'root' }, values: { 'span.exits': 0, 'span.fn.ptrace_stop': 2, 'span.fn.switch_to': 4, 'span.cycles': { min: 20000, max: 35000 } } },
    },
    {
      id: 'recap', at: [{ type: 'exit' }], show: ['timeline', 'privilege'],
      expect: { event: { type: 'exit', code: 0, how: 'exit' }, values: { 'exits.VMCALL': 3 } },
    },
  ],
};
