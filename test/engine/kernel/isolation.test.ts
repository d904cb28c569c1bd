// Regression tests for the model's isolation (issue 12 §1): address-space limits of mmap/munmap/
// brk as Linux's mm/mmap.c has them, and every unmap path shooting down the TLB (and, in Dune,
// the EPT through the MMU notifier) before the frame is used again.

import { describe, it, expect } from 'vitest';
import { runLinux, ofType } from '../harness.ts';
import { EXIT } from './util.ts';

const MMAP = (addr: string, len: string, flags: string, prot = 'PROT_READ | PROT_WRITE') => `    mov rax, SYS_mmap
    mov rdi, ${addr}
    mov rsi, ${len}
    mov rdx, ${prot}
    mov r10, ${flags}
    mov r8, -1
    xor r9, r9
    syscall
`;
const ANON = 'MAP_PRIVATE | MAP_ANONYMOUS';
const FIXED = 'MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED';
/** exit(-rax): the errno of the last call as the exit code. */
const EXIT_ERRNO = `    neg rax\n${EXIT('rax')}`;

const ALL_KNOBS = [{}, { tlb: false }, { psc: false }, { vpid: false }, { hugepages: true }, { eptAd: true }];

describe('isolation: the user half ends at TASK_SIZE (mm/mmap.c get_unmapped_area)', () => {
  it('MAP_FIXED over the kernel IDT (0xffff82000000) gets -ENOMEM and the IDT survives the next fault', () => {
    const r = runLinux(`_start:
${MMAP('0xffff82000000', '4096', FIXED)}    mov r12, rax
    push 1                      ; a stack page fault: goes through the IDT
    pop rbx
    mov rax, r12
${EXIT_ERRNO}`);
    expect(r.status).toEqual({ code: 12, how: 'exit' });
    expect(r.k.report).toEqual([]);
  });

  it('MAP_FIXED at the 64-bit kernel address 0xffffffff82000000, at TASK_SIZE and straddling it: -ENOMEM', () => {
    for (const [addr, len] of [['0xffffffff82000000', '4096'], ['0x7ffffffff000', '4096'], ['0x7fffffffe000', '8192']]) {
      const r = runLinux(`_start:\n${MMAP(addr, len, FIXED)}${EXIT_ERRNO}`);
      expect(r.status?.code, addr).toBe(12);
    }
  });

  it('mmap(0, 2^47) is -ENOMEM, not a kernel-half address', () => {
    const r = runLinux(`_start:\n    mov rbx, 1\n    shl rbx, 47\n${MMAP('0', 'rbx', ANON)}${EXIT_ERRNO}`);
    expect(r.status?.code).toBe(12);
  });

  it('mmap of a length with no gap left below the mmap base is -ENOMEM; mmap(len 0) is -EINVAL', () => {
    const r = runLinux(`_start:\n    mov rbx, 0x7f0000000000\n${MMAP('0', 'rbx', ANON)}${EXIT_ERRNO}`);
    expect(r.status?.code).toBe(12);
    const z = runLinux(`_start:\n${MMAP('0', '0', ANON)}${EXIT_ERRNO}`);
    expect(z.status?.code).toBe(22);
  });

  it('munmap of a kernel-half range is -EINVAL; mprotect of one is -ENOMEM', () => {
    const r = runLinux(`_start:\n    mov rax, SYS_munmap\n    mov rdi, 0xffff82000000\n    mov rsi, 4096\n    syscall\n${EXIT_ERRNO}`);
    expect(r.status?.code).toBe(22);
    const p = runLinux(`_start:\n    mov rax, SYS_mprotect\n    mov rdi, 0xffff82000000\n    mov rsi, 4096\n    mov rdx, PROT_READ\n    syscall\n${EXIT_ERRNO}`);
    expect(p.status?.code).toBe(12);
  });

  it('a mmap hint is used when the range is free, and ignored (not an error) in the kernel half', () => {
    const r = runLinux(`_start:\n${MMAP('0x10000000', '4096', ANON)}    mov r12, rax\n${MMAP('0xffff82000000', '4096', ANON)}    mov r13, rax
    mov qword ptr [r13], 5
    cmp r12, 0x10000000
    jne bad
    mov rax, 0x7fffffffffff
    cmp r13, rax
    ja bad
${EXIT('0')}bad:\n${EXIT('1')}`);
    expect(r.status?.code).toBe(0);
  });

  it('brk cannot grow over an existing mapping', () => {
    const r = runLinux(`_start:
    mov rax, SYS_brk
    xor rdi, rdi
    syscall
    mov r12, rax
    lea rdi, [rax + 0x10000]
    and rdi, -4096
${MMAP('rdi', '4096', FIXED)}    lea rdi, [r12 + 0x20000]
    mov rax, SYS_brk
    syscall
    cmp rax, r12
    jne bad
${EXIT('0')}bad:\n${EXIT('1')}`);
    expect(r.status?.code).toBe(0);
  });
});

// Each program writes a marker into a page, reads it back (the TLB now holds the translation),
// unmaps it one way, lets the freed frame be taken by another page holding 0x2222, and reads the
// old address again. Linux: SIGSEGV (or a fresh zero page for MAP_FIXED): never 0x2222.
const STALE = {
  brk: `_start:
    mov rax, SYS_brk
    xor rdi, rdi
    syscall
    mov r12, rax                ; old break
    lea rdi, [rax + 8192]
    mov rax, SYS_brk
    syscall
    lea r13, [r12 + 4096]
    and r13, -4096              ; a whole heap page
    mov qword ptr [r13], 0x1111
    mov rbx, [r13]
    mov rdi, r13
    mov rax, SYS_brk            ; shrink: the page at r13 is freed
    syscall
${MMAP('0', '4096', ANON)}    mov qword ptr [rax], 0x2222   ; takes the freed frame
    mov rbx, [r13]              ; must fault
    mov rdi, rbx
    and rdi, 0xff
    mov rax, SYS_exit
    syscall
`,
  fixed: `_start:
${MMAP('0', '4096', ANON)}    mov r13, rax
    mov qword ptr [r13], 0x1111
    mov rbx, [r13]
${MMAP('r13', '4096', FIXED)}${MMAP('0', '4096', ANON)}    mov qword ptr [rax], 0x2222   ; takes the frame MAP_FIXED freed
    mov rbx, [r13]              ; the new mapping: a zero page
    mov rdi, rbx
    and rdi, 0xff
    mov rax, SYS_exit
    syscall
`,
};

describe('isolation: every unmap path flushes the TLB before the frame is reused', () => {
  for (const knobs of ALL_KNOBS) {
    const name = JSON.stringify(knobs);
    it(`brk shrink: the old heap address faults, it does not read the frame's next owner (${name})`, () => {
      const r = runLinux(STALE.brk, { knobs });
      expect(r.status).toEqual({ code: 139, how: 'signal' });
      expect(r.k.report[0]).toMatch(/segfault at/);
    });
    it(`MAP_FIXED replace: the old translation is gone, the new mapping reads zero (${name})`, () => {
      const r = runLinux(STALE.fixed, { knobs });
      expect(r.status).toEqual({ code: 0, how: 'exit' });
    });
  }

  it('brk shrink and MAP_FIXED emit a TLB shootdown (INVLPG per page) for the range', () => {
    for (const [prog, why] of [[STALE.brk, 'brk'], [STALE.fixed, 'mmap']] as const) {
      const r = runLinux(prog);
      const t = ofType(r.events, 'tlb').filter((e) => e.op === 'invlpg' && e.scope.startsWith(why));
      expect(t.length, why).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('isolation in Dune mode: the MMU notifier clears the EPT entry before the frame is reused', () => {
  const inDune = (prog: string) => prog.replace('_start:\n', '_start:\n    call dune_init_and_enter\n');
  it('brk shrink: the old heap address is an EPT violation the module refuses, not the next owner\'s frame', () => {
    const r = runLinux(inDune(STALE.brk), { budget: 50_000_000 });
    expect(r.status).toEqual({ code: 137, how: 'unhandled-vmexit' });
    expect(r.k.report[0]).toMatch(/EPT violation at GPA .*ept: failed to get user page/);
    const n = ofType(r.events, 'kernel').find((e) => e.fn === 'mmu_notifier_invalidate_range' && e.detail.startsWith('brk'));
    expect(n?.detail).toMatch(/brk: 1 EPT entry cleared/);
  });
  it('MAP_FIXED replace: the new mapping reads zero through a fresh EPT entry', () => {
    const r = runLinux(inDune(STALE.fixed), { budget: 50_000_000 });
    expect(r.status).toEqual({ code: 0, how: 'exit' });
    const i = r.events.findIndex((e) => e.type === 'kernel' && e.fn === 'mmu_notifier_invalidate_range' && e.detail.startsWith('mmap MAP_FIXED'));
    expect(i).toBeGreaterThan(0);
    // INVEPT follows the notifier, before the frame is freed (unmap_region's event).
    const after = r.events.slice(i).map((e) => e.type === 'tlb' ? e.op : e.type === 'kernel' ? e.fn : '').filter(Boolean);
    expect(after.slice(0, 4)).toEqual(['mmu_notifier_invalidate_range', 'invept', 'invlpg', 'unmap_region']);
  });
});
