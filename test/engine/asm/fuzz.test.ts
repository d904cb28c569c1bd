import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assemble, formatAsmErrors } from '../../../src/engine/asm/index.ts';

// A program that touches most of the language; the mutations below start from it.
const SAMPLE = `# sample: write "hi" and exit
.equ LEN, msg_end - msg
BUF = 64
.text
.global _start
_start:
    mov rax, SYS_write        ; write(1, msg, LEN)
    mov rdi, 1
    lea rsi, [rip + msg]
    mov rdx, LEN
    syscall
    mov rcx, 3
top: dec rcx
    cmp byte ptr [rsi + rcx*1 - 1], '#'
    jne top
    loop top
    push qword ptr [buf + 8]
    imul rax, rbx, -(1 << 4)
    shl rax, cl
    call puts
    mov rdi, [pgroot]
    mov cr3, rax
    vmcall
    mov rax, SYS_exit
    xor edi, edi
    syscall
.macro twice op, r=al
    \\op \\r
    \\op \\r
lbl\\@: setne ah
.endm
    twice inc
    twice neg, r9w
    movzx eax, ah
    cmovge rcx, [rsi + 8]
    rep stosq
    repne scasb
    bts qword ptr [rdi], rax
    rcl dword ptr [rbp - 4], cl
.data
msg: .ascii "hi # not a comment\\n"
msg_end:
.align 8
ptrs: .quad msg, _start, 'a' | 0x100
.bss
buf: .zero BUF
`;

function check(src: string) {
  const r = assemble(src);
  const lines = src.split('\n');
  if (r.ok) {
    for (const i of r.program.instrs) {
      expect(i.bytes.length).toBe(i.len);
      expect(i.len).toBeGreaterThan(0);
      expect(i.len).toBeLessThanOrEqual(15);
    }
    return;
  }
  expect(r.errors.length).toBeGreaterThan(0);
  for (const e of r.errors) {
    expect(e.message).not.toMatch(/internal/);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThanOrEqual(lines.length);
    // A line of a macro shows as substituted; its use is the note (from).
    const shown = e.from?.some((n) => n.what.startsWith('in macro')) ? e.source : lines[e.line - 1];
    if (!e.from) expect(e.source).toBe(lines[e.line - 1]);
    // The outermost use is a line of the file as written (inner ones, in a macro, as substituted).
    if (e.from?.length) expect(e.from[e.from.length - 1].source).toBe(lines[e.from[e.from.length - 1].line - 1]);
    expect(e.col).toBeGreaterThanOrEqual(1);
    expect(e.col).toBeLessThanOrEqual(shown.length + 1);
    expect(e.length).toBeGreaterThanOrEqual(1);
  }
  // Sorted by the line of this file they come from (a macro's errors at its use, in expansion order).
  const key = (e: (typeof r.errors)[number]) => (e.from?.length ? e.from[e.from.length - 1].line : e.line);
  for (let k = 1; k < r.errors.length; k++) {
    const a = r.errors[k - 1], b = r.errors[k];
    expect(key(a) < key(b) || (key(a) === key(b) && (!!a.from || !!b.from || a.col <= b.col))).toBe(true);
  }
  expect(typeof formatAsmErrors(r.errors)).toBe('string');
}

const mutation = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace'),
  at: fc.nat(),
  text: fc.oneof(fc.string({ maxLength: 4 }),
    fc.constantFrom('[', ']', ',', '"', "'", '\\', ';', '#', ':', '*', '(', ')', '0x', '-', '\n', 'rax', 'qword ptr ', '$')),
  len: fc.integer({ min: 1, max: 6 }),
});

function mutate(src: string, ms: { kind: string; at: number; text: string; len: number }[]): string {
  let s = src;
  for (const m of ms) {
    const at = s.length ? m.at % (s.length + 1) : 0;
    if (m.kind === 'insert') s = s.slice(0, at) + m.text + s.slice(at);
    else if (m.kind === 'delete') s = s.slice(0, at) + s.slice(at + m.len);
    else s = s.slice(0, at) + m.text + s.slice(at + m.len);
  }
  return s;
}

describe('assemble never throws', () => {
  it('the sample itself assembles', () => {
    const r = assemble(SAMPLE);
    expect(r.ok ? [] : r.errors.map(e => e.message)).toEqual([]);
  });
  it('random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), s => check(s)), { numRuns: 400 });
  });
  it('random unicode and control characters', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 120 }), s => check(s)), { numRuns: 300 });
  });
  it('random token soup', () => {
    const tok = fc.constantFrom('mov', 'add', 'jmp', 'loop', 'rax', 'eax', 'r12', 'cl', 'cr3', '[', ']', '+', '-', '*', '/',
      '%', '<<', '>>', '~', '(', ')', ',', ':', '=', '.data', '.text', '.bss', '.zero', '.align', '.quad', '.byte',
      '.equ', 'x', 'y', 'byte', 'ptr', 'qword', 'rip', '1', '0', '8', '0xffffffffffffffff', '"s"', "'c'", '$', '\n', ';');
    fc.assert(fc.property(fc.array(tok, { maxLength: 40 }), ts => check(ts.join(' '))), { numRuns: 500 });
  });
  it('mutations of a valid program', () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), ms => check(mutate(SAMPLE, ms))),
      { numRuns: 500 });
  });
  it('pathological inputs', () => {
    for (const s of ['('.repeat(10000) + '1', 'mov rax, ' + '-'.repeat(5000) + '1', 'x = ' + '1+'.repeat(20000) + '1',
      'mov rax, ' + '9'.repeat(5000), '.zero 0xffffffffffffffff', '.align 3', '.ascii "\\', "mov rax, '",
      'a = b\nb = a\nmov rax, a', 'x: .zero x', '.zero y\ny: nop', '\u0000\u0001\uffff', 'mov rax, [' + 'rax+'.repeat(500) + '1]',
      'jmp 0xffffffffffffffff', 'mov rax, [0xffffffffffff]', '.quad ' + '1,'.repeat(3000) + '1', 'x = 1 << 64', ':', ':::',
      '.equ', '.equ x', 'byte ptr', 'mov', 'mov ,', 'mov rax,', '[rax]', 'call [rip]', 'x equ', ''.padEnd(100000, 'a')]) check(s);
  });
});
