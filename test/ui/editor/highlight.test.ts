import { describe, expect, it } from 'vitest';
import { tokenizeLine } from '../../../src/ui/editor/highlight.ts';

const kinds = (line: string) => tokenizeLine(line).filter((t) => t.kind !== 'space').map((t) => [t.kind, line.slice(t.start, t.end)]);

describe('syntax highlighting', () => {
  it('labels, mnemonics, registers, numbers and comments', () => {
    expect(kinds('_start:  mov rax, 0x3c ; exit')).toEqual([
      ['label', '_start'], ['punct', ':'], ['mnemonic', 'mov'], ['register', 'rax'], ['punct', ','], ['number', '0x3c'], ['comment', '; exit'],
    ]);
  });
  it('directives, strings and # comments', () => {
    expect(kinds('.data')).toEqual([['directive', '.data']]);
    expect(kinds('msg: .asciz "hi; #there\\n" # c')).toEqual([
      ['label', 'msg'], ['punct', ':'], ['directive', '.asciz'], ['string', '"hi; #there\\n"'], ['comment', '# c'],
    ]);
  });
  it('memory operands, symbols and keywords', () => {
    expect(kinds('    mov qword ptr [rbp - 8], SYS_write')).toEqual([
      ['mnemonic', 'mov'], ['keyword', 'qword'], ['keyword', 'ptr'], ['punct', '['], ['register', 'rbp'], ['punct', '-'],
      ['number', '8'], ['punct', '],'], ['ident', 'SYS_write'],
    ]);
    expect(kinds('jz .Lloop')).toEqual([['mnemonic', 'jz'], ['ident', '.Lloop']]);
    expect(kinds("N = 'a'")).toEqual([['ident', 'N'], ['punct', '='], ['string', "'a'"]]);
  });
  it('tokens cover the line in order', () => {
    const line = 'loop1: dec rcx ; again\t';
    const t = tokenizeLine(line);
    expect(t.map((x) => line.slice(x.start, x.end)).join('')).toBe(line);
    for (let i = 1; i < t.length; i++) expect(t[i].start).toBe(t[i - 1].end);
  });
});
