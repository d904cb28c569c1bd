// .include and .macro: expansion, the origin of every line, and errors that name both places
// (the line in the included file or macro, and the line that used it), formatted GCC-style.

import { describe, it, expect } from 'vitest';
import { assemble, formatAsmErrors, resolvePath, collectIncludes } from '../../../src/engine/asm/index.ts';
import { runLinux } from '../harness.ts';

const FILES: Record<string, string> = {
  'lib/regs.s': '.macro save2 a, b\n  push \\a\n  push \\b\n.endm\n.include "more.s"\n',
  'lib/more.s': 'SEVEN = 7\n.macro load r, v=SEVEN\n  mov \\r, \\v\n.endm\n',
  'bad.s': 'nop\n  mvo rax, 1\n',
  'loop.s': '.include "loop.s"\n',
  'usebad.s': '.macro broken x\n  add \\x, [rbx\n.endm\n',
};
const read = (p: string) => FILES[p];
const asm = (src: string, file = 'prog.s') => assemble(src, file, { include: read });

describe('.include', () => {
  it('paths resolve against the including file; . and .. fold', () => {
    expect(resolvePath('prog.s', 'lib/regs.s')).toBe('lib/regs.s');
    expect(resolvePath('lib/regs.s', 'more.s')).toBe('lib/more.s');
    expect(resolvePath('/home/a/prog.s', '../b/./c.s')).toBe('/home/b/c.s');
    expect(resolvePath('/home/prog.s', '/samples/bench/timing.inc')).toBe('/samples/bench/timing.inc');
  });
  it('an included file\'s constants, labels and macros are defined where it is included', () => {
    const r = asm('.include "lib/regs.s"\n_start:\n  load rdi\n  load rsi, 3\n  save2 rdi, rsi\n  mov eax, 60\n  syscall');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.program.instrs.map((i) => [i.line, i.text])).toEqual([
      [3, 'mov rdi, SEVEN'], [4, 'mov rsi, 3'], [5, 'push rdi'], [5, 'push rsi'], [6, 'mov eax, 60'], [7, 'syscall']]);
  });
  it('an error in an included file names it and the .include line', () => {
    const r = asm('nop\n.include "bad.s"\nnop');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ file: 'bad.s', line: 2, col: 3, message: "unknown instruction 'mvo'",
      from: [{ file: 'prog.s', line: 2, col: 1, what: 'included from here' }] });
    expect(formatAsmErrors(r.errors)).toBe([
      "bad.s:2:3: error: unknown instruction 'mvo'", '  mvo rax, 1', '  ^~~', "  hint: did you mean 'mov'?",
      'prog.s:2:1: note: included from here', '.include "bad.s"', '^~~~~~~~~~~~~~~~'].join('\n'));
  });
  it('a missing file, a file that includes itself, and no resolver are errors at the name', () => {
    const e = (src: string, opts = { include: read }) => { const r = assemble(src, 'prog.s', opts); return r.ok ? [] : r.errors; };
    expect(e('.include "nope.s"')[0]).toMatchObject({ line: 1, col: 10, message: "cannot include 'nope.s': no such file (nope.s)" });
    expect(e('.include "loop.s"')[0].message).toBe("'loop.s' includes itself");
    expect(e('.include "bad.s"', {} as never)[0].message).toMatch(/no files to read/);
    expect(e('.include bad.s')[0].message).toMatch(/file name in quotes/);
  });
  it('collectIncludes gathers what a program includes, recursively, through an async reader', async () => {
    const files = await collectIncludes('.include "lib/regs.s"\n.include "nope.s"', 'prog.s', async (p) => FILES[p]);
    expect(Object.keys(files).sort()).toEqual(['lib/more.s', 'lib/regs.s']);
  });
});

describe('.macro', () => {
  it('expands with \\arg, defaults, \\@ for unique labels and \\() to join', () => {
    const r = asm(`.macro count_down reg, n=3
  mov \\reg, \\n
again\\@:
  dec \\reg
  jnz again\\@
.endm
.macro lbl name
\\name\\()_x: nop
.endm
_start:
  count_down rcx
  count_down rdx, 5
  lbl here
  mov edi, 0
  mov eax, 60
  syscall`);
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([]);
    if (!r.ok) return;
    expect(r.program.symbols.has('again0') && r.program.symbols.has('again1') && r.program.symbols.has('here_x')).toBe(true);
    expect(r.program.instrs.filter((i) => i.line === 11).map((i) => i.text)).toEqual(['mov rcx, 3', 'dec rcx', 'jnz again0']);
  });
  it('arguments keep commas inside brackets and quotes', () => {
    const r = asm('.macro ld d, s\n  mov \\d, \\s\n.endm\n  ld rax, qword ptr [rbx + rcx*8]\n  ld rdx, \',\'');
    expect(r.ok && r.program.instrs.map((i) => i.text)).toEqual(['mov rax, qword ptr [rbx + rcx*8]', "mov rdx, ','"]);
  });
  it('an error inside a macro names the macro\'s line and the use', () => {
    const r = asm('.include "usebad.s"\n\n  broken rax');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ file: 'usebad.s', line: 2, source: '  add rax, [rbx' });
    expect(r.errors[0].from).toEqual([
      { file: 'prog.s', line: 3, col: 3, length: 6, source: '  broken rax', what: "in macro 'broken' used here",
        whatMsg: { key: 'note-macro', params: { name: 'broken' } } }]);
    expect(formatAsmErrors(r.errors)).toMatch(/^usebad\.s:2:\d+: error: .*\n.*\n.*\n(  hint: .*\n)?prog\.s:3:3: note: in macro 'broken' used here\n  broken rax\n  \^~~~~~$/);
  });
  it('wrong argument counts, a missing .endm, a stray .endm, an instruction name, recursion', () => {
    const msgs = (src: string) => { const r = asm(src); return r.ok ? [] : r.errors.map((e) => e.message); };
    expect(msgs('.macro two a, b\n.endm\n two 1')).toEqual(["macro 'two' needs a value for 'b'"]);
    expect(msgs('.macro one a\n.endm\n one 1, 2')).toEqual(["macro 'one' takes 1 argument, got 2"]);
    expect(msgs('.macro open\n nop')).toEqual(["'.macro open' has no '.endm'"]);
    expect(msgs('.endm')).toEqual(["'.endm' without '.macro'"]);
    expect(msgs('.macro mov a\n.endm')).toEqual(["macro name 'mov' is an instruction"]);
    expect(msgs('.macro r\n r\n.endm\n r')[0]).toMatch(/macros nested more than 32 deep/);
  });
  it('a program with a macro runs (the use line is each expanded instruction\'s line)', () => {
    const r = runLinux('.macro sys nr, arg\n  mov edi, \\arg\n  mov eax, \\nr\n  syscall\n.endm\n_start:\n  sys 60, 42');
    expect(r.status).toEqual({ code: 42, how: 'exit' });
  });
});

describe('errors in the editor of one file', () => {
  it('an error in an included file shows at the .include line; one in a macro at both lines', async () => {
    const { editorDiagnostics } = await import('../../../src/engine/asm/index.ts');
    const inc = assemble('nop\n.include "bad.s"', 'prog.s', { include: read });
    expect(!inc.ok && editorDiagnostics(inc.errors, 'prog.s')).toEqual([
      { line: 2, col: 1, message: "bad.s:2: unknown instruction 'mvo' (did you mean 'mov'?) [in the file included here]" }]);
    const mac = assemble('.macro m\n  mvo rax, 1\n.endm\n  m', 'prog.s');
    expect(!mac.ok && editorDiagnostics(mac.errors, 'prog.s')).toEqual([
      { line: 2, col: 3, length: 3, message: "unknown instruction 'mvo' (did you mean 'mov'?) [in macro 'm' used at line 4]",
        text: "prog.s:2:3: error: unknown instruction 'mvo'\n  mvo rax, 1\n  ^~~\n  hint: did you mean 'mov'?\nprog.s:4:3: note: in macro 'm' used here\n  m\n  ^" },
      { line: 4, col: 3, message: "prog.s:2: unknown instruction 'mvo' (did you mean 'mov'?) [in macro 'm']" }]);
  });
});
