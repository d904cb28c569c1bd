import { describe, it, expect } from 'vitest';
import { ok, errs, hex } from './helpers.ts';

describe('data directives', () => {
  it('.byte .word .long .quad are little-endian; .quad holds addresses', () => {
    const p = ok('.data\na: .byte 1, -1, \'A\'\n.word 0x1234\n.long -2\n.quad a, 0x1122334455667788');
    expect(hex(p.data.bytes)).toBe('01 FF 41 34 12 FE FF FF FF 00 10 40 00 00 00 00 00 88 77 66 55 44 33 22 11');
  });
  it('.ascii, .asciz (and .string) with escapes; .byte also takes strings', () => {
    const p = ok('.data\n.ascii "a\\n", "b"\n.asciz "c\\0d"\n.string "e"\n.byte "xy", 0');
    expect([...p.data.bytes]).toEqual([97, 10, 98, 99, 0, 100, 0, 101, 0, 120, 121, 0]);
  });
  it('.zero/.space and .align (nop padding in .text)', () => {
    const p = ok('nop\n.align 8\nret\n.data\n.byte 1\n.align 4\n.space 3\n.zero 2');
    expect(hex(p.text.bytes)).toBe('90 90 90 90 90 90 90 90 C3');
    expect(p.instrs.map(i => i.addr)).toEqual([0x400000, 0x400008]);
    expect(hex(p.data.bytes)).toBe('01 00 00 00 00 00 00 00 00');
  });
  it('data in .text is bytes, not instructions', () => {
    const p = ok('.byte 0x0f, 0x0b\nnop');
    expect(p.instrs).toHaveLength(1);
    expect(p.instrs[0].addr).toBe(0x400002);
    expect(hex(p.text.bytes)).toBe('0F 0B 90');
  });
  it('.equ NAME, expr / NAME = expr / NAME equ expr; .global is accepted', () => {
    const p = ok('.global _start\n.globl main\n.equ A, 2\nB = A * 3\nC equ B + 1\n_start: mov rax, C');
    expect([p.symbols.get('A'), p.symbols.get('B'), p.symbols.get('C')]).toEqual([2n, 6n, 7n]);
    expect(p.instrs[0].ops[1]).toEqual({ kind: 'imm', value: 7n });
  });
  it('section switching, also with .section / section', () => {
    const p = ok('section .data\nx: .quad 1\n.section .text\nnop\n.data\ny: .quad 2\n.text\nret');
    expect(p.instrs.map(i => i.addr)).toEqual([0x400000, 0x400001]);
    expect(p.symbols.get('y')).toBe(0x401008n);
  });
  it('errors', () => {
    expect(errs('.byte 256')[0]).toMatchObject({ col: 7, message: 'value 256 does not fit in .byte (8 bits)' });
    expect(errs('.word 0x10000')[0].message).toMatch(/does not fit in .word/);
    expect(errs('.long 0x100000000')[0].message).toMatch(/does not fit in .long/);
    expect(errs('.align 3')[0].message).toMatch(/power of two/);
    expect(errs('.zero -1')[0].message).toMatch(/negative/);
    expect(errs('.zero 0x10000000')[0].message).toMatch(/too large/);
    expect(errs('.zero N\nN = x\nx: nop')[0].message).toMatch(/cannot depend on an address defined later/);
    expect(errs('.bss\n.quad 1')[0]).toMatchObject({ message: '.quad puts data in .bss, which holds only zeros' });
    expect(errs('.data\nnop')[0]).toMatchObject({ col: 1, message: 'instructions must be in .text (this is .data)' });
    expect(errs('.bss\nret')[0].message).toMatch(/must be in .text/);
    expect(errs('.ascii 5')[0].message).toMatch(/takes a "string"/);
    expect(errs('.texts')[0]).toMatchObject({ message: "unknown directive '.texts'", hint: "did you mean '.text'?" });
    expect(errs('.equ 5, 1')[0].message).toMatch(/needs a name/);
    expect(errs('db 1')[0]).toMatchObject({ message: "unknown instruction 'db'", hint: 'use .byte' });
    ok('.zero 0\n.align 1');
  });
});
