// The assembler's diagnostics in the page: said by key in the current language when shown, in
// `check`'s layout; English is the CLI's text exactly. Every bad program's errors come out in
// Chinese in zh-CN (only code names and numbers in Latin), and a switch says them again.

import { afterEach, describe, expect, it } from 'vitest';
import { assemble, formatAsmErrors } from '../../../src/engine/asm/index.ts';
import { sayAsmErrors, sayEditorDiagnostics } from '../../../src/ui/messages/asmText.ts';
import { setLocale } from '../../../src/ui/messages/locale.ts';
import { BAD_PROGRAMS, readerOf } from '../../engine/asm/bad-programs.ts';
import type { AsmError } from '../../../src/engine/asm/ir.ts';

afterEach(() => setLocale('en'));

const results = BAD_PROGRAMS.map((b) => assemble(b.src, 'prog.s', { include: readerOf(b), runtime: b.runtime }));
const all: AsmError[][] = results.map((r) => (r.ok ? [] : r.errors));
const CJK = /[\u4e00-\u9fff]/;

describe('assembler errors in the page', () => {
  it('in English the page prints what `check` prints', () => {
    for (const es of all) expect(sayAsmErrors(es)).toBe(formatAsmErrors(es));
  });

  it('in zh-CN every message, hint and note is Chinese, and no English message is left', () => {
    setLocale('zh-CN');
    for (const es of all) {
      const zh = sayAsmErrors(es);
      for (const e of es) {
        expect(zh).not.toContain(e.message);
        if (e.hint && e.hintMsg?.key !== 'include-chain') expect(zh).not.toContain(e.hint);
      }
      for (const line of zh.split('\n').filter((l) => /: (错误|注): |^ {2}提示: /.test(l))) {
        if (/提示: .* -> /.test(line)) continue; // the include chain: paths only
        expect(line, line).toMatch(CJK);
      }
    }
  });

  it('the editor\'s diagnostics follow the language at the moment they are said', () => {
    const r = assemble('.macro m\n  mvo rax, 1\n.endm\n  m', 'prog.s');
    if (r.ok) throw new Error('expected errors');
    const en = sayEditorDiagnostics(r.errors, 'prog.s');
    expect(en.map((d) => d.message)).toEqual(["unknown instruction 'mvo' (did you mean 'mov'?) [in macro 'm' used at line 4]",
      "prog.s:2: unknown instruction 'mvo' (did you mean 'mov'?) [in macro 'm']"]);
    setLocale('zh-CN');
    const zh = sayEditorDiagnostics(r.errors, 'prog.s');
    expect(zh.map((d) => d.message)).toEqual(["未知指令 'mvo' (你是想写 'mov' 吗？) [在第 4 行使用的宏 'm' 中]",
      "prog.s:2: 未知指令 'mvo' (你是想写 'mov' 吗？) [在宏 'm' 中]"]);
    expect(zh[0].text).toBe("prog.s:2:3: 错误: 未知指令 'mvo'\n  mvo rax, 1\n  ^~~\n  提示: 你是想写 'mov' 吗？\nprog.s:4:3: 注: 在这里使用的宏 'm' 中\n  m\n  ^");
    setLocale('en');
    expect(sayEditorDiagnostics(r.errors, 'prog.s')).toEqual(en);
  });
});
