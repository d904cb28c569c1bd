import { describe, it, expect } from 'vitest';
import { lexLine, parseNumber } from '../../../src/engine/asm/lexer.ts';
import { ok, errs } from './helpers.ts';

describe('lexer', () => {
  it('tokens carry 1-based columns and lengths', () => {
    const { toks } = lexLine('  mov rax, [rbx+8] ; c', 1);
    expect(toks.map(t => [t.text, t.col, t.len])).toEqual([
      ['mov', 3, 3], ['rax', 7, 3], [',', 10, 1], ['[', 12, 1], ['rbx', 13, 3], ['+', 16, 1], ['8', 17, 1], [']', 18, 1]]);
  });
  it('; and # start comments, but not inside strings or character constants', () => {
    expect(lexLine('nop # x', 1).code).toBe('nop ');
    expect(lexLine('nop ; x', 1).code).toBe('nop ');
    const s = lexLine('.ascii "a;b#c" # real', 1);
    expect(s.toks[1].bytes).toEqual([...Buffer.from('a;b#c')]);
    expect(s.code).toBe('.ascii "a;b#c" ');
    expect(lexLine("cmp al, '#' ; x", 1).toks[3].value).toBe(35n);
    expect(lexLine("mov rax, ';'", 1).toks[3].value).toBe(59n);
  });
  it('numbers: decimal, hex, binary, octal, digit groups', () => {
    expect(parseNumber('42')).toBe(42n);
    expect(parseNumber('0x2A')).toBe(42n);
    expect(parseNumber('0X2a')).toBe(42n);
    expect(parseNumber('0b101010')).toBe(42n);
    expect(parseNumber('0o52')).toBe(42n);
    expect(parseNumber('1_000_000')).toBe(1000000n);
    expect(parseNumber('0xffff_ffff_ffff_ffff')).toBe((1n << 64n) - 1n);
    expect(parseNumber('18446744073709551615')).toBe((1n << 64n) - 1n);
    expect(parseNumber('18446744073709551616')).toMatchObject({ key: 'number-too-large' });
    expect(parseNumber('0x1_0000_0000_0000_0000')).toMatchObject({ key: 'number-too-large' });
    expect(parseNumber('12abc')).toEqual({ key: 'invalid-number', params: { text: '12abc' } });
    expect(parseNumber('0x')).toEqual({ key: 'invalid-number', params: { text: '0x' } });
    expect(parseNumber('0b102')).toEqual({ key: 'invalid-number', params: { text: '0b102' } });
  });
  it("character constants with C escapes; 'ab' packs little-endian", () => {
    const v = (s: string) => lexLine(s, 1).toks[0].value;
    expect(v("'a'")).toBe(97n);
    expect(v("'\\n'")).toBe(10n);
    expect(v("'\\0'")).toBe(0n);
    expect(v("'\\t'")).toBe(9n);
    expect(v("'\\\\'")).toBe(92n);
    expect(v("'\\''")).toBe(39n);
    expect(v("'\\x41'")).toBe(65n);
    expect(v("'ab'")).toBe(0x6261n);
  });
  it('string escapes', () => {
    const b = lexLine('"\\n\\t\\\\\\"\\0\\x7f\\101"', 1).toks[0].bytes;
    expect(b).toEqual([10, 9, 92, 34, 0, 0x7f, 65]);
    expect(lexLine('"é"', 1).toks[0].bytes).toEqual([0xc3, 0xa9]);
  });
  it('lexical errors point at the bad text', () => {
    expect(lexLine('"abc', 1).errors[0]).toMatchObject({ col: 1, len: 4, message: 'unterminated string' });
    expect(lexLine("mov rax, 'a", 1).errors[0]).toMatchObject({ col: 10, message: 'unterminated character constant' });
    expect(lexLine('"\\q"', 1).errors[0]).toMatchObject({ col: 2, len: 2, message: "unknown escape sequence '\\q'" });
    expect(lexLine("''", 1).errors[0].message).toBe('empty character constant');
    expect(lexLine('nop @', 1).errors[0]).toMatchObject({ col: 5, message: "unexpected character '@'" });
  });
  it('case: mnemonics, registers and directives are case-insensitive; labels are not', () => {
    const p = ok('.TEXT\nMOV RAX, QWORD PTR [RBX]\nLoop: Nop\nJMP Loop\n.DATA\n.QUAD 1');
    expect(p.instrs.map(i => i.mnemonic)).toEqual(['mov', 'nop', 'jmp']);
    expect(errs('Loop: nop\njmp loop')[0].message).toBe("unknown symbol 'loop'");
  });
  it('CRLF line endings', () => {
    const p = ok('mov rax, 1\r\nnop\r\n');
    expect(p.instrs.map(i => i.text)).toEqual(['mov rax, 1', 'nop']);
  });
});
