// The assembler's bytes against GNU as (`.intel_syntax noprefix`) for every instruction form the
// guest language has, at every width; where both encodings are right but differ, the pair is
// listed in ALTERNATIVES. GNU as is required: without it the test fails, it does not skip.

import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble } from '../../../src/engine/asm/index.ts';
import { ALU_OPS, CONDS, REG16, REG32, REG64, REG8 } from '../../../src/engine/asm/isa.ts';

const hex = (b: number[]) => b.map((x) => x.toString(16).padStart(2, '0')).join(' ');

/** Equivalent encodings: the form, our bytes, and GNU as's, with why both are right. */
const ALTERNATIVES: { form: RegExp; ours: string; gas: string; why: string }[] = [
  { form: /^xchg rax, rax$/, ours: '48 90', gas: '90',
    why: 'both exchange rax with itself (a nop); as drops the REX.W that changes nothing, the assembler keeps the form it uses for every xchg with rax' },
];

const W = [8, 4, 2, 1] as const;
const regs = (w: number) => (w === 8 ? ['rax', 'rbx', 'r9', 'rsp'] : w === 4 ? ['eax', 'ecx', 'r10d', 'esi'] : w === 2 ? ['ax', 'dx', 'r11w', 'di'] : ['al', 'bl', 'ah', 'sil', 'r12b']);
const R = (w: number) => regs(w);
const PTR: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };
const MEMS = ['[rbx]', '[rbx + 8]', '[rbp]', '[rsp + 16]', '[r12 + rcx*4 + 0x100]', '[r13 - 0x200]', '[rax*8 + 0x1000]', '[0x2000]'];
const mem = (w: number, i = 0) => `${PTR[w]} ptr ${MEMS[i % MEMS.length]}`;
const imms = (w: number) => (w === 1 ? ['5', '-1', '0x7f'] : w === 2 ? ['5', '-3', '0x1234'] : ['5', '-3', '0x12345678', '-0x1000']);

function forms(): string[] {
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
  void REG64; void REG32; void REG16; void REG8;
  return f;
}

/** GNU as's bytes for each source line, from its listing (`-al`). */
function gas(lines: string[]): Map<number, string> {
  const dir = mkdtempSync(join(tmpdir(), 'dune-gas-'));
  try {
    const s = join(dir, 'f.s'), l = join(dir, 'f.lst');
    writeFileSync(s, ['.intel_syntax noprefix', ...lines].join('\n') + '\n');
    try {
      execFileSync('as', ['--64', `-al=${l}`, '-o', join(dir, 'f.o'), s], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      throw new Error(`GNU as failed (it is required): ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
    }
    const out = new Map<number, string>();
    for (const row of readFileSync(l, 'utf8').split('\n')) {
      const m = /^\s*(\d+)\s+(?:[0-9a-f]{4}\s)?\s*([0-9A-F]+)\s*(?:\t|$)/.exec(row);
      if (!m) continue;
      const n = Number(m[1]) - 1; // our line = listing line - 1 (the .intel_syntax line)
      const bytes = m[2].match(/../g)!.map((x) => x.toLowerCase()).join(' ');
      out.set(n, out.has(n) ? `${out.get(n)} ${bytes}` : bytes);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the assembler against GNU as', () => {
  it('every form at every width: the same bytes (or a listed equivalent)', () => {
    const f = forms();
    const r = assemble(f.join('\n'));
    if (!r.ok) throw new Error(r.errors.slice(0, 5).map((e) => `${e.line}: ${e.message} (${e.source})`).join('\n'));
    const theirs = gas(f);
    const ours = new Map(r.program.instrs.map((i) => [i.line, hex(i.bytes)]));
    const bad: string[] = [];
    let checked = 0;
    f.forEach((src, i) => {
      const o = ours.get(i + 1);
      if (o === undefined) return; // labels and data
      checked++;
      const t = theirs.get(i + 1);
      if (o === t) return;
      if (ALTERNATIVES.some((a) => a.form.test(src) && a.ours === o && a.gas === t)) return;
      bad.push(`${src.padEnd(40)} ours ${o.padEnd(30)} gas ${t}`);
    });
    expect(checked).toBeGreaterThan(900);
    expect(bad.slice(0, 40).join('\n')).toBe('');
  });
});
