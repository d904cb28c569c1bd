// Property tests over random instruction sequences (templates with random registers, immediates,
// memory operands and branches inside the block), as a Linux process and as a CPL-0 guest:
// the engine never throws a JavaScript exception (faults become exceptions, signals or VM exits),
// and every access lands in a frame the active page tables (root) or the EPT (non-root) map.

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { runLinux, makeGuest } from '../harness.ts';
import { ptFrames, eptFrames } from './util.ts';
import type { Machine } from '../../../src/engine/machine.ts';
import type { Access } from '../../../src/engine/mmu/mmu.ts';

const R64 = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14'];
const R32 = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d'];
const ALU = ['add', 'sub', 'and', 'or', 'xor', 'cmp', 'test'];
const UN = ['inc', 'dec', 'neg', 'not'];
const SH = ['shl', 'shr', 'sar'];
const CC = ['je', 'jne', 'jl', 'jle', 'jg', 'jge', 'jb', 'jbe', 'ja', 'jae', 'js', 'jns'];
const SIZE = ['byte', 'word', 'dword', 'qword'];
const SYS_USER = ['hlt', 'cli', 'sti', 'rdmsr', 'int3', 'ud2', 'int 0x80', 'mov eax, 39\n  syscall', 'cpuid', 'rdtsc', 'pause', 'nop', 'mov rax, cr3', 'vmcall'];
const SYS_KERN = ['cpuid', 'rdtsc', 'pause', 'mov rax, cr0', 'mov rbx, cr3', 'mov rcx, cr4', 'mov rdx, cr2', 'invlpg [r15 + 64]',
  'lidt [r15 + 128]', 'int3', 'int 0x21', 'ud2', 'cli', 'sti', 'mov ecx, 0xc0000100\n  rdmsr', 'mov rax, 1\n  vmcall', 'iretq', 'syscall'];

type Ins = [number, number, number, number, bigint];
const pick = <T>(a: T[], n: number) => a[n % a.length];

function render(t: Ins, i: number, n: number, kernel: boolean): string {
  const [k, a, b, c, imm] = t;
  const r = pick(R64, a), s = pick(R64, b), r32 = pick(R32, a), s32 = pick(R32, b);
  const disp = (c % 500) * 8;
  const mem = `[r15 + ${disp}]`;
  const label = `L${c % (n + 1)}`;
  const i32 = BigInt.asIntN(32, imm);
  switch (k % 21) {
    case 0: return `mov ${r}, ${BigInt.asIntN(64, imm)}`;
    case 1: return b % 3 ? `${pick(ALU, c)} ${r}, ${s}` : `${pick(ALU, c)} ${r32}, ${s32}`;
    case 2: return `${pick(ALU, b)} ${r}, ${i32}`;
    case 3: return `${pick(ALU, b)} ${r}, ${mem}`;
    case 4: return `${pick(ALU, b)} qword ptr ${mem}, ${r}`;
    case 5: return `mov ${r}, ${pick(SIZE, b)} ptr ${mem}`;
    case 6: return `mov ${pick(SIZE, b)} ptr ${mem}, ${r}`;
    case 7: return b % 2 ? `${pick(UN, c)} ${r}` : `${pick(UN, c)} ${pick(SIZE, b >> 1)} ptr ${mem}`;
    case 8: return b % 2 ? `${pick(SH, c)} ${r}, ${Number(imm & 0xffn)}` : `${pick(SH, c)} ${r}, cl`;
    case 9: return [`imul ${r}, ${s}`, `imul ${r}, ${s}, ${i32}`, `imul ${s}`, `imul ${r32}, ${s32}`][b % 4];
    case 10: return b % 2 ? `div ${s}` : `div ${s32}`;
    case 11: return b % 2 ? `push ${r}` : `pop ${r}`;
    case 12: return b % 2 ? `xchg ${r}, ${s}` : `xchg ${r}, ${mem}`;
    case 13: return `lea ${r}, [r15 + ${s}*${pick([1, 2, 4, 8], c)} + ${disp}]`;
    case 14: return `${pick(CC, b)} ${label}`;
    case 15: return `loop ${label}`;
    case 16: return b % 3 ? `call ${label}` : 'ret';
    case 17: return b % 4 ? `jmp ${label}` : `jmp ${r}`;
    case 18: return `mov ${r}, [r15 + ${s}*8 + ${disp}]`;
    case 19: return pick(kernel ? SYS_KERN : SYS_USER, b);
    default: return b % 8 ? 'nop' : `mov rsp, ${r}`;
  }
  void i;
}

function program(ins: Ins[], kernel: boolean) {
  const body = ins.map((t, i) => `L${i}:\n  ${render(t, i, ins.length, kernel)}`).join('\n');
  return `_start:\n  lea r15, [rip + buf]\n${body}\nL${ins.length}:\n  mov rax, 60\n  xor edi, edi\n  ${kernel ? 'vmcall' : 'syscall'}\n.data\n.align 8\nbuf: .zero 4096\n`;
}

/** Check every host-physical address the CPU's loads and stores reach. */
function guard(m: Machine, legit: () => Set<number>) {
  let frames = legit();
  const bad: string[] = [];
  const orig = m.xlate.bind(m);
  m.xlate = (va: number, acc: Access, sup?: boolean) => {
    const pa = orig(va, acc, sup);
    const fn = Math.floor(pa / 4096);
    if (!frames.has(fn)) {
      frames = legit(); // demand paging may have added a mapping since
      if (!frames.has(fn)) bad.push(`va ${va.toString(16)} -> pa ${pa.toString(16)} (${m.vmxMode})`);
    }
    return pa;
  };
  return bad;
}

const ins = fc.tuple(fc.nat(20), fc.nat(1000), fc.nat(1000), fc.nat(1000), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));
const prog = fc.array(ins, { minLength: 3, maxLength: 40 });

describe('property: random instruction blocks', () => {
  it('as a Linux process: no engine exception, no access outside the process page tables', () => {
    fc.assert(fc.property(prog, (p) => {
      const r = runLinux(program(p, false), { budget: 0 });
      const m = r.m;
      const bad = guard(m, () => ptFrames(m, m.cpu.cr3));
      r.s.run(3000);
      expect(bad).toEqual([]);
      if (m.status) expect(['exit', 'signal']).toContain(m.status.how);
    }), { numRuns: 80, seed: 7 });
  });
  it('as a CPL-0 guest: no engine exception, no access outside the EPT (or, in root, the host tables)', () => {
    fc.assert(fc.property(prog, (p) => {
      const g = makeGuest(program(p, true));
      const m = g.m;
      const bad = guard(m, () => (m.vmx.nonRoot ? eptFrames(m, m.vmx.eptp) : ptFrames(m, m.cpu.cr3)));
      g.run(3000);
      expect(bad).toEqual([]);
    }), { numRuns: 80, seed: 11 });
  });
});
