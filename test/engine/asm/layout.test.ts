import { describe, it, expect } from 'vitest';
import { ok, errs } from './helpers.ts';

describe('section layout', () => {
  it('.text at 0x400000, .data on the next page, .bss after it 8-aligned, brk page-aligned', () => {
    const p = ok('nop\n.data\n.byte 1, 2, 3\n.bss\nb: .zero 16');
    expect(p.text.base).toBe(0x400000);
    expect(p.text.bytes.length).toBe(1);
    expect(p.data.base).toBe(0x401000);
    expect(p.bss).toEqual({ base: 0x401008, size: 16 });
    expect(p.brk).toBe(0x402000);
    expect(p.symbols.get('b')).toBe(0x401008n);
  });
  it('an empty program', () => {
    const p = ok('');
    expect(p.entry).toBe(0x400000);
    expect(p.instrs).toEqual([]);
    expect(p.data.base).toBe(0x401000);
    expect(p.bss).toEqual({ base: 0x401000, size: 0 });
    expect(p.brk).toBe(0x401000);
  });
  it('.data follows a .text longer than a page', () => {
    const p = ok('.zero 4096\nnop\n.data\nx: .quad 0');
    expect(p.data.base).toBe(0x402000);
    expect(p.symbols.get('x')).toBe(0x402000n);
    expect(ok('.zero 4096\n.data\nx: .quad 0').data.base).toBe(0x401000);
  });
  it('.data first in the file still lands after .text', () => {
    const p = ok('.data\nmsg: .ascii "x"\n.text\nlea rdi, [msg]');
    expect(p.symbols.get('msg')).toBe(0x401000n);
  });
  it('.align in .bss and a large .bss', () => {
    const p = ok('.data\n.byte 1\n.bss\n.align 4096\npage: .zero 8192');
    expect(p.symbols.get('page')).toBe(0x402000n);
    expect(p.bss.base).toBe(0x401008);
    expect(p.brk).toBe(0x404000);
  });
});

describe('entry point', () => {
  it('_start if defined', () => {
    expect(ok('nop\n_start: ret').entry).toBe(0x400001);
  });
  it('else the first instruction of .text', () => {
    expect(ok('.byte 1, 2\nmain: nop').entry).toBe(0x400002);
  });
  it('_start must be a label in .text', () => {
    expect(errs('nop\n.data\n_start: .quad 0')[0]).toMatchObject({ line: 3, message: '_start must be a label in .text' });
    expect(errs('_start = 5')[0].message).toBe('_start must be a label in .text');
  });
});

describe('symbols', () => {
  it('labels and constants are exported; predefined names are not', () => {
    const p = ok('a: nop\nK = 5\n.data\nd: .quad a');
    expect([...p.symbols]).toEqual([['a', 0x400000n], ['K', 5n], ['d', 0x401000n]]);
  });
  it('several labels on a line, labels on their own line, local-looking names', () => {
    const p = ok('a: b: nop\n.L1:\n  ret');
    expect(p.symbols.get('a')).toBe(0x400000n);
    expect(p.symbols.get('b')).toBe(0x400000n);
    expect(p.symbols.get('.L1')).toBe(0x400001n);
  });
  it('duplicate labels point at the second and name the first', () => {
    const e = errs('x: nop\nnop\n  x: ret');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ line: 3, col: 3, length: 1, message: "duplicate definition of 'x'", hint: 'first defined on line 1' });
    expect(errs('x: nop\nx = 1')[0].message).toMatch(/duplicate/);
  });
  it('redefining a predefined name is an error', () => {
    expect(errs('puts: ret')[0]).toMatchObject({ col: 1, length: 4, message: "'puts' redefines predefined symbol" });
    expect(errs('SYS_write = 4')[0].message).toBe("'SYS_write' redefines predefined symbol");
    expect(errs('.equ pgroot, 0')[0].message).toMatch(/redefines predefined/);
  });
  it('register names cannot be labels', () => {
    expect(errs('rax: nop')[0].message).toMatch(/register name/);
  });
});

describe('runtime linkage', () => {
  it('call puts / mov rdi, [pgroot] use the runtime slots', () => {
    const p = ok('call dune_init_and_enter\nmov rdi, [pgroot]\ncall puts');
    expect(p.instrs[0].ops[0]).toEqual({ kind: 'imm', value: 0x300020n });
    expect(p.instrs[1].ops[1]).toMatchObject({ kind: 'mem', base: null, disp: 0x380000n });
    expect(p.instrs[2].ops[0]).toEqual({ kind: 'imm', value: 0x300160n });
  });
});

describe('convergence', () => {
  it('forward references settle: widths grow until stable', () => {
    const p = ok([
      'start: mov rax, [rbx + far - start]', // disp depends on the code size below
      '  jmp far',
      '  .zero 200',
      'far: add rax, far - start',
      '  loop start2',
      'start2: ret',
    ].join('\n'));
    const [a, , c] = p.instrs;
    expect(a.len).toBe(7); // disp32: far - start > 127
    expect(c.len).toBe(6); // 48 05 imm32
    let at = 0x400000;
    for (const i of p.instrs) { expect(i.addr).toBeGreaterThanOrEqual(at); at = i.addr + i.len; }
    expect(p.symbols.get('far')! - p.symbols.get('start')!).toBe(BigInt(7 + 5 + 200));
  });
  it('the instruction bytes are placed in .text at their addresses', () => {
    const p = ok('a: mov rax, 1\nb: jne a\n.align 16\nc: vmcall');
    for (const i of p.instrs) expect([...p.text.bytes.slice(i.addr - 0x400000, i.addr - 0x400000 + i.len)]).toEqual(i.bytes);
  });
  it('Instr.text and line', () => {
    const p = ok('\n  top:   JNZ   top   ; loop forever');
    expect(p.instrs[0]).toMatchObject({ mnemonic: 'jne', text: 'JNZ   top', line: 2 });
  });
});
