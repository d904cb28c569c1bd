// Every instruction form of the guest language at every width, as source lines (with a few
// labels and data for the branches): the list gas.test.ts and disasm.test.ts check.

import { ALU_OPS, CONDS } from '../../../src/engine/asm/isa.ts';

const W = [8, 4, 2, 1] as const;
const regs = (w: number) => (w === 8 ? ['rax', 'rbx', 'r9', 'rsp'] : w === 4 ? ['eax', 'ecx', 'r10d', 'esi'] : w === 2 ? ['ax', 'dx', 'r11w', 'di'] : ['al', 'bl', 'ah', 'sil', 'r12b']);
const R = (w: number) => regs(w);
const PTR: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };
const MEMS = ['[rbx]', '[rbx + 8]', '[rbp]', '[rsp + 16]', '[r12 + rcx*4 + 0x100]', '[r13 - 0x200]', '[rax*8 + 0x1000]', '[0x2000]'];
const mem = (w: number, i = 0) => `${PTR[w]} ptr ${MEMS[i % MEMS.length]}`;
const imms = (w: number) => (w === 1 ? ['5', '-1', '0x7f'] : w === 2 ? ['5', '-3', '0x1234'] : ['5', '-3', '0x12345678', '-0x1000']);

export function forms(): string[] {
  const f: string[] = [];
  const pairs = (w: number) => {
    const rs = R(w), out: [string, string][] = [];
    for (const a of rs) for (const b of rs) {
      const hi = (x: string) => /^[a-d]h$/.test(x), rex = (x: string) => /^(sil|dil|spl|bpl|r\d+b)$/.test(x);
      if ((hi(a) && rex(b)) || (hi(b) && rex(a))) continue;
      out.push([a, b]);
    }
    return out;
  };
  for (const w of W) {
    const rs = R(w), safe = rs.filter((r) => r !== 'ah');
    for (const op of [...ALU_OPS, 'test', 'mov', 'xchg']) {
      for (const [a, b] of pairs(w)) f.push(`${op} ${a}, ${b}`);
      for (const [i, m] of MEMS.entries()) {
        f.push(`${op} ${safe[i % safe.length]}, ${mem(w, i)}`);
        if (op !== 'test' || i < 2) f.push(`${op} ${mem(w, i)}, ${safe[(i + 1) % safe.length]}`);
        void m;
      }
      if (op !== 'xchg') {
        for (const r of rs) for (const v of imms(w)) f.push(`${op} ${r}, ${v}`);
        for (const v of imms(w)) f.push(`${op} ${mem(w, 1)}, ${v}`);
      }
    }
    for (const op of ['not', 'neg', 'inc', 'dec', 'mul', 'imul', 'div', 'idiv']) {
      for (const r of rs) f.push(`${op} ${r}`);
      f.push(`${op} ${mem(w, 4)}`);
    }
    for (const op of ['rol', 'ror', 'rcl', 'rcr', 'shl', 'sal', 'shr', 'sar']) {
      for (const r of rs) f.push(`${op} ${r}, 1`, `${op} ${r}, 7`, `${op} ${r}, cl`);
      f.push(`${op} ${mem(w, 2)}, 1`, `${op} ${mem(w, 2)}, 3`, `${op} ${mem(w, 2)}, cl`);
    }
    for (const c of CONDS) if (w === 1) { f.push(`set${c} al`, `set${c} sil`, `set${c} ah`, `set${c} ${mem(1, 3)}`); }
    if (w > 1) {
      for (const c of CONDS) f.push(`cmov${c} ${rs[0]}, ${rs[2]}`, `cmov${c} ${rs[1]}, ${mem(w, 4)}`);
      f.push(`imul ${rs[0]}, ${rs[2]}`, `imul ${rs[2]}, ${mem(w, 1)}`, `imul ${rs[0]}, ${rs[1]}, 7`, `imul ${rs[0]}, ${rs[1]}, 300`, `imul ${rs[2]}, 9`);
      for (const op of ['bt', 'bts', 'btr', 'btc']) f.push(`${op} ${rs[0]}, ${rs[2]}`, `${op} ${mem(w, 1)}, ${rs[1]}`, `${op} ${rs[2]}, 5`, `${op} ${mem(w, 4)}, 9`);
      for (const op of ['bsf', 'bsr']) f.push(`${op} ${rs[0]}, ${rs[2]}`, `${op} ${rs[1]}, ${mem(w, 5)}`);
      f.push(`lea ${rs[0]}, [rbx + rcx*2 + 4]`, `lea ${rs[2]}, [rip + 0x10]`);
      f.push(`movzx ${rs[0]}, bl`, `movzx ${rs[2]}, ${mem(1, 1)}`, `movsx ${rs[0]}, sil`, `movsx ${rs[2]}, ${mem(1, 4)}`);
      if (w >= 4) f.push(`movzx ${rs[1]}, cx`, `movzx ${rs[0]}, ${mem(2, 1)}`, `movsx ${rs[2]}, r9w`, `movsx ${rs[1]}, ${mem(2, 6)}`, `bswap ${rs[0]}`, `bswap ${rs[2]}`);
      if (w < 8) f.push(`movzx ${rs[0]}, ah`);
    }
  }
  f.push('movsxd rax, ecx', 'movsxd r9, dword ptr [rbx + 8]', 'movsxd rdx, r10d');
  f.push('mov rax, 0x123456789', 'mov r15, -0x8000000000000000', 'mov rax, 0xffffffff', 'mov eax, 0xffffffff', 'mov r8d, 1', 'mov ah, 3', 'mov sil, 4', 'mov r9w, 0x1234');
  f.push('push rax', 'push r12', 'push qword ptr [rbx + 8]', 'push 5', 'push -1', 'push 0x1000', 'pop rbp', 'pop r15', 'pop qword ptr [rax]');
  f.push('pushfq', 'popfq', 'cqo', 'cdq', 'cwd', 'cld', 'std', 'nop', 'ret', 'ret 8', 'hlt', 'int3', 'int 0x80', 'cli', 'sti',
    'pause', 'syscall', 'sysretq', 'iretq', 'cpuid', 'rdtsc', 'rdmsr', 'wrmsr', 'ud2', 'vmcall',
    'invlpg [rax]', 'lidt [rbx]', 'lgdt [rcx + 8]', 'ltr ax', 'mov cr3, rax', 'mov rax, cr0', 'mov cr4, r9', 'mov r8, cr4',
    'jmp rax', 'call r11', 'jmp qword ptr [rax]', 'call qword ptr [rbx + 8]');
  for (const s of ['movs', 'stos', 'lods', 'cmps', 'scas']) for (const z of ['b', 'w', 'd', 'q']) {
    const cmp = s === 'cmps' || s === 'scas';
    f.push(`${s}${z}`, cmp ? `repe ${s}${z}` : `rep ${s}${z}`);
    if (cmp) f.push(`repne ${s}${z}`);
  }
  // Branches to labels near and far (rel8 and rel32), forward and backward; loop.
  f.push('back:', ...CONDS.map((c) => `j${c} back`), 'jmp back', 'call back', 'loop back',
    ...CONDS.map((c) => `j${c} fwd`), 'jmp fwd', 'jmp distant', ...CONDS.map((c) => `j${c} distant`), 'fwd:', 'nop', '.zero 300', 'distant:', 'nop');
  return f;
}

