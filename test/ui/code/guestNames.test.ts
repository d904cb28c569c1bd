import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { classifyLine, definedNames, nameFact } from '../../../src/ui/code/guestNames.ts';
import { directiveEffects, instructionForms } from '../../../src/ui/code/docTables.ts';

/** [text, kind] for every span that is not punctuation. */
const spans = (line: string) => classifyLine(line).filter((s) => s.kind !== 'op').map((s) => [line.slice(s.from, s.to), s.kind]);

describe('guest language spans (the assembler lexer and tables)', () => {
  it('labels, mnemonics, registers, SYS_ and libdune names, numbers, comments', () => {
    expect(spans('loop: mov rax, SYS_write ; say it')).toEqual([
      ['loop', 'label'], ['mov', 'mnemonic'], ['rax', 'register'], ['SYS_write', 'syscall'], ['; say it', 'comment']]);
    expect(spans('    call dune_init_and_enter')).toEqual([['call', 'mnemonic'], ['dune_init_and_enter', 'libdune']]);
    expect(spans('  mov qword ptr [rsp + 0x10], r9d # x')).toEqual([
      ['mov', 'mnemonic'], ['qword', 'ident'], ['ptr', 'ident'], ['rsp', 'register'], ['0x10', 'number'], ['r9d', 'register'], ['# x', 'comment']]);
    // An alias is a mnemonic; a word where a mnemonic goes that the assembler does not know is not.
    expect(spans('jz done')).toEqual([['jz', 'mnemonic'], ['done', 'ident']]);
    expect(spans('mvo rdi, 0')).toEqual([['mvo', 'ident'], ['rdi', 'register'], ['0', 'number']]);
    expect(spans('a: b: ret')).toEqual([['a', 'label'], ['b', 'label'], ['ret', 'mnemonic']]);
  });

  it('directives, strings, constants and their definitions', () => {
    expect(spans('msg: .asciz "hi; not a comment"')).toEqual([['msg', 'label'], ['.asciz', 'directive'], ['"hi; not a comment"', 'string']]);
    expect(spans('LEN = 12')).toEqual([['LEN', 'definition'], ['12', 'number']]);
    expect(spans('N equ PROT_READ | MAP_FIXED')).toEqual([['N', 'definition'], ['equ', 'directive'], ['PROT_READ', 'constant'], ['MAP_FIXED', 'constant']]);
    expect(definedNames('_start:\n  jmp x\nx: hlt\nK = 3\n')).toEqual([
      { name: '_start', line: 1, kind: 'label' }, { name: 'x', line: 3, kind: 'label' }, { name: 'K', line: 4, kind: 'definition' }]);
  });

  it('facts from the tables: system call numbers, runtime addresses, registers, aliases', () => {
    expect(nameFact('SYS_exit')?.fact).toMatch(/system call 60\b/);
    expect(nameFact('dune_init')?.fact).toMatch(/0x300000/);
    expect(nameFact('dune_enter')?.fact).toMatch(/0x300010/);
    expect(nameFact('ecx')?.fact).toMatch(/low 32 bits of rcx/);
    expect(nameFact('jnz')?.fact).toBe('alias of jne');
    expect(nameFact('MAP_FIXED')?.fact).toMatch(/= 0x10 \(16\)/);
    expect(nameFact('nothing_here')).toBeNull();
  });

  it('hover text comes from the tables docs/guest-asm.md shows', () => {
    const forms = instructionForms();
    expect(forms.get('lea')).toBe('r16/32/64, m');
    expect(forms.get('xor')).toBe('r/m, r; r, m; r/m, imm');
    // `jcc (every condition)` covers every conditional jump (isa.ts CONDS).
    expect(forms.get('jg')).toBe('a label or number only');
    expect(forms.get('cpuid')).toBe('no operands');
    expect(directiveEffects().get('.asciz')).toMatch(/terminating 0/);
  });
});

describe('any line', () => {
  it('gives ordered, non-overlapping spans inside the line, never an exception', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'ab.:;#"\'$0x1 \t[]+-,_é中\\r'.split('')), maxLength: 40 }), (line) => {
      let at = 0;
      for (const s of classifyLine(line)) {
        if (s.from < at || s.to <= s.from || s.to > line.length) return false;
        at = s.to;
      }
      return true;
    }), { numRuns: 500 });
  });
});
