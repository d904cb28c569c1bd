import { describe, it, expect } from 'vitest';
import { assemble, formatAsmError, formatAsmErrors } from '../../../src/engine/asm/index.ts';
import { errs } from './helpers.ts';

describe('error format', () => {
  it('file:line:col: error: message, the line, a caret run, the hint', () => {
    const r = assemble('start:\n    mvo rax, 1\n', 'hello.s');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([{ file: 'hello.s', line: 2, col: 5, length: 3, message: "unknown instruction 'mvo'",
      hint: "did you mean 'mov'?", source: '    mvo rax, 1',
      msg: { key: 'unknown-instruction', params: { name: 'mvo' } }, hintMsg: { key: 'did-you-mean', params: { name: 'mov' } } }]);
    expect(formatAsmError(r.errors[0])).toBe([
      "hello.s:2:5: error: unknown instruction 'mvo'",
      '    mvo rax, 1',
      '    ^~~',
      "  hint: did you mean 'mov'?",
    ].join('\n'));
  });
  it('no hint line without a hint; tabs kept so the caret lines up', () => {
    const [e] = errs('\tmov\trax, [rbx + 1');
    expect(formatAsmError(e)).toBe("prog.s:1:19: error: expected ']'\n\tmov\trax, [rbx + 1\n\t   \t" + ' '.repeat(13) + "^\n  hint: the '[' at column 11 is not closed");
    const [d] = errs('x = 1 / 0');
    expect(formatAsmError(d)).toBe('prog.s:1:7: error: division by zero\nx = 1 / 0\n      ^');
  });
  it('formatAsmErrors joins every error', () => {
    const r = assemble('foo1 rax\nbar2 rbx');
    if (r.ok) throw new Error('expected errors');
    expect(formatAsmErrors(r.errors).split('\n').filter(l => l.includes(': error: '))).toHaveLength(2);
  });
});

describe('every error is reported, in order', () => {
  it('keeps going after a bad statement and sorts by line and column', () => {
    const e = errs([
      'mov rax, [rbx',         // 1
      'nop',
      'addd rax, 1',           // 3
      'jne nowhere',           // 4
      '.byte 999',             // 5
      'mov [rax], [rbx]',      // 6
      'mov rax, 1 +',          // 7
    ].join('\n'));
    expect(e.map(x => [x.line, x.col])).toEqual([[1, 14], [3, 1], [4, 5], [5, 7], [6, 12], [7, 13]]);
  });
  it('a bad statement keeps its label, so uses of it do not cascade', () => {
    const e = errs('loop_top: mvo rax, 1\njmp loop_top');
    expect(e).toHaveLength(1);
  });
  it('two errors on one line', () => {
    const e = errs('mov rax, [a] + [b]\n.byte x, y');
    expect(e.map(x => x.message)).toEqual(["expected ',' after the memory operand, found '+'", "unknown symbol 'x'", "unknown symbol 'y'"]);
  });
});

describe('hints', () => {
  it('unknown mnemonic: nearest mnemonic or alias', () => {
    expect(errs('jnq x')[0].hint).toBe("did you mean 'jno'?"); // jno and jne are both one edit away: the table's order decides
    expect(errs('vmcal')[0].hint).toBe("did you mean 'vmcall'?");
    expect(errs('sysretd')[0].hint).toBe("did you mean 'sysretq'?");
    expect(errs('syscal')[0].hint).toBe("did you mean 'syscall'?");
    expect(errs('MOVV rax, 1')[0].hint).toBe("did you mean 'mov'?");
    expect(errs('hello')[0].hint).toBe("a label needs a colon: 'hello:'");
  });
  it('jcc to an undefined label: at the label, naming the nearest label', () => {
    const [e] = errs('loop_start: nop\ndone: ret\n  jne lop_start');
    expect(e).toMatchObject({ line: 3, col: 7, length: 9, message: "unknown symbol 'lop_start'", hint: "did you mean 'loop_start'?" });
    const [f] = errs('alpha: nop\n  je zzzzzzzz');
    expect(f.hint).toBe("no label has a similar name; the nearest is 'alpha' (line 1)");
    expect(errs('call putz')[0].hint).toBe("did you mean 'puts'?");
  });
});

describe('never throws', () => {
  it('odd inputs give errors, not exceptions', () => {
    for (const s of ['\u0000', '"', "'", '[', ']]]]', 'mov rax, [[rax]]', '.quad', ',,,', '=', 'x =', '1:', 'a: b: c:',
      'mov rax, 0b', 'mov rax, 0x_', '\\', '`', 'mov rax, $$', 'x = ' + '~'.repeat(1000) + '1']) {
      const r = assemble(s);
      if (!r.ok) for (const e of r.errors) expect(e.message).not.toMatch(/internal/);
    }
  });
});
