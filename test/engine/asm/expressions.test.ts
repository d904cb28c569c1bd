import { describe, it, expect } from 'vitest';
import { ok, errs } from './helpers.ts';
import { LAYOUT } from '../../../src/engine/arch/linux.ts';
import { RUNTIME_FUNCS, RUNTIME_DATA_VARS } from '../../../src/engine/arch/dune.ts';

const val = (e: string) => ok(`X = ${e}`).symbols.get('X');
const M = 1n << 64n;

describe('expressions', () => {
  it('precedence as in C/NASM: | < ^ < & < shifts < + - < * / %', () => {
    expect(val('1 + 2 * 3')).toBe(7n);
    expect(val('(1 + 2) * 3')).toBe(9n);
    expect(val('1 << 2 + 1')).toBe(8n);
    expect(val('6 & 3 | 8')).toBe(10n);
    expect(val('1 | 6 ^ 3')).toBe(5n);
    expect(val('10 - 4 - 3')).toBe(3n);
    expect(val('100 / 10 / 5')).toBe(2n);
    expect(val('17 % 5')).toBe(2n);
    expect(val('~0 & 0xff')).toBe(0xffn);
  });
  it('64-bit two\'s complement wrap', () => {
    expect(val('-1')).toBe(M - 1n);
    expect(val('0xffffffffffffffff + 2')).toBe(1n);
    expect(val('1 << 63')).toBe(1n << 63n);
    expect(val('1 << 64')).toBe(0n);
    expect(val('0x8000000000000000 * 2')).toBe(0n);
    expect(val('- -5')).toBe(5n);
    expect(val('+5')).toBe(5n);
  });
  it('/ % and >> are unsigned; // and %% are signed (NASM)', () => {
    expect(val('-8 / 2')).toBe((M - 8n) / 2n);
    expect(val('-8 // 2')).toBe(M - 4n);
    expect(val('-7 %% 2')).toBe(M - 1n);
    expect(val('-1 >> 60')).toBe(0xfn);
  });
  it('division by zero is an error at the operator', () => {
    const e = errs('mov rax, 4 / (2 - 2)');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ line: 1, col: 12, length: 1, message: 'division by zero' });
    expect(errs('X = 1 % 0')[0].message).toBe('division by zero');
  });
  it('labels, constants (also defined later) and $', () => {
    const p = ok('a: nop\nb: nop\nD = b - a\nE = F * 2\nF = 3\nc: mov rax, $');
    expect(p.symbols.get('D')).toBe(1n);
    expect(p.symbols.get('E')).toBe(6n);
    expect(p.instrs[2].ops[1]).toEqual({ kind: 'imm', value: 0x400002n });
    expect(ok('msg: .ascii "hello"\nlen equ $ - msg').symbols.get('len')).toBe(5n);
  });
  it('predefined names', () => {
    expect(val('SYS_write')).toBe(1n);
    expect(val('SYS_exit_group')).toBe(231n);
    expect(val('SYS_ptrace')).toBe(101n);
    expect(val('PROT_READ | PROT_WRITE')).toBe(3n);
    expect(val('MAP_PRIVATE | MAP_ANONYMOUS')).toBe(0x22n);
    expect(val('SIGSEGV')).toBe(11n);
    expect(val('PTRACE_TRACEME')).toBe(0n);
    expect(val('PERM_R | PERM_W | PERM_U')).toBe(0xbn);
    expect(val('PERM_BIG')).toBe(0x100n);
    expect(val('PTE_P | PTE_W | PTE_U')).toBe(7n);
    expect(val('PTE_COW')).toBe(0x200n);
    expect(val('PTE_NX')).toBe(1n << 63n);
    expect(val('FEC_W')).toBe(2n);
    expect(val('TF_RIP')).toBe(128n);
    expect(val('TF_SIZE')).toBe(168n);
    expect(val('dune_init')).toBe(BigInt(LAYOUT.RUNTIME_TEXT));
    RUNTIME_FUNCS.forEach((f, i) => expect(val(f)).toBe(BigInt(LAYOUT.RUNTIME_TEXT + 16 * i)));
    RUNTIME_DATA_VARS.forEach((v, i) => expect(val(v)).toBe(BigInt(LAYOUT.RUNTIME_DATA + 8 * i)));
    expect(val('pgroot')).toBe(0x380000n);
  });
  it('unknown names get a nearest-name hint', () => {
    const [e] = errs('mov rax, SYS_wirte');
    expect(e).toMatchObject({ col: 10, length: 9, message: "unknown symbol 'SYS_wirte'", hint: "did you mean 'SYS_write'?" });
    expect(errs('mov rax, sys_exit')[0].hint).toBe("did you mean 'SYS_exit'? (names are case-sensitive)");
    expect(errs('counter: nop\nmov rax, [countr]')[0].hint).toBe("did you mean 'counter'?");
    expect(errs('mov rax, qqqqqqq')[0].hint).toBeUndefined();
  });
  it('malformed expressions', () => {
    expect(errs('mov rax, (1 + 2')[0].message).toBe("expected ')'");
    expect(errs('mov rax, 1 +')[0].message).toBe('expected an expression');
    expect(errs('mov rax, ' + '('.repeat(300) + '1' + ')'.repeat(300))[0].message).toBe('expression nested too deeply');
    expect(errs('mov rax, rbx + 1')[0]).toMatchObject({ col: 10, message: 'register rbx cannot be part of an expression' });
    expect(errs('X = "ab"')[0].message).toBe('a string is not allowed here');
    expect(errs('a = b\nb = a')[0].message).toMatch(/circular definition/);
  });
});
