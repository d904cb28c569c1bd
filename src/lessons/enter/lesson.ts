// Lesson "Entering Dune". Engine identifiers: libdune/natives.ts (dune_init: /dev/dune, the
// layout, the page table, IDT/GDT/TSS), kernel/dune/module.ts (the DUNE_ENTER ioctl),
// kernel/dune/vmcs.ts (the VMCS the module writes), vtx/vmx.ts (VMLAUNCH), kernel/dune/layout.ts.

import type { LessonSpec } from '../../engine/course/lesson.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { PanelId } from '../panels.ts';

const LAUNCH: EventMatch = { type: 'vmentry', kind: 'launch' };

export const enter: LessonSpec<PanelId> = {
  id: 'enter',
  program: { sample: 'lessons/enter.s' },
  exercises: ['which-exit', 'translate'],
  steps: [
    {
      id: 'open', at: [{ type: 'syscall', name: 'open' }], show: ['privilege', 'timeline', 'source'],
      expect: { event: { type: 'syscall', name: 'open', via: 'syscall', vmx: 'root', ret: '0x3' } },
    },
    {
      id: 'layout', at: [{ type: 'syscall', name: 'ioctl' }], show: ['timeline', 'memory'],
      expect: { event: { type: 'syscall', name: 'ioctl', vmx: 'root' } },
    },
    {
      id: 'lstar', at: [{ type: 'syscall', name: 'ioctl', nth: 2 }], show: ['timeline', 'memory'],
      expect: { event: { type: 'syscall', name: 'ioctl', ret: '0xffffffff81000000' } },
    },
    {
      id: 'pagetable', at: [{ type: 'kernel', fn: 'libdune', contains: 'dune_init: page table' }], show: ['memory', 'timeline'],
      expect: { event: { type: 'kernel', contains: 'full: three 4 GiB windows, 4 KiB pages', vmx: 'root', cpl: 3 } },
    },
    {
      id: 'vmcs', at: [{ type: 'kernel', fn: 'dune_enter' }], show: ['vmcs', 'privilege', 'timeline'],
      highlight: ['HOST_CR3', 'HOST_RIP', 'HOST_RSP', 'GUEST_CR3', 'GUEST_RIP', 'GUEST_RSP', 'PIN_BASED_VM_EXEC_CONTROL', 'CPU_BASED_VM_EXEC_CONTROL', 'SECONDARY_VM_EXEC_CONTROL', 'EXCEPTION_BITMAP', 'EPT_POINTER', 'VIRTUAL_PROCESSOR_ID'],
      expect: { event: { type: 'kernel', contains: '(empty: filled on EPT violations), guest CR3 0x1fe000000', vmx: 'root', cpl: 0 } },
    },
    {
      id: 'launch', at: [LAUNCH], show: ['privilege', 'vmcs', 'cpu', 'timeline'],
      expect: { event: { type: 'vmentry', kind: 'launch', vmx: 'non-root', cpl: 0 }, values: { 'count.vmexit': 0 } },
    },
    {
      id: 'returns', at: [LAUNCH, { type: 'syscall', name: 'ioctl' }], show: ['privilege', 'cpu', 'timeline'],
      expect: { event: { type: 'syscall', name: 'ioctl', ret: '0x0', vmx: 'non-root', cpl: 0 } },
    },
    {
      id: 'first-exit', at: [LAUNCH, { type: 'vmexit' }], show: ['vmcs', 'walk', 'timeline'], highlight: ['GUEST_PHYSICAL_ADDRESS', 'EXIT_QUALIFICATION'],
      expect: { event: { type: 'vmexit', name: 'EPT_VIOLATION', gpa: '0x1fe000000' }, values: { 'exit.qualification': '0x81', 'walk.refs': 1 } },
    },
    {
      id: 'ring0', at: [{ type: 'instr', text: 'mov rax, cr3' }], show: ['cpu', 'privilege', 'source'], highlight: ['CR3'],
      expect: { event: { type: 'instr', vmx: 'non-root', cpl: 0 }, values: { 'exits.CR_ACCESS': 0 } },
    },
    {
      id: 'recap', at: [{ type: 'exit' }], show: ['timeline', 'privilege'],
      expect: { event: { type: 'exit', code: 0, how: 'exit' } },
    },
  ],
};
