// The hover help's Chinese source: docs/zh-CN/guest-asm-tables.md has the same two tables as
// docs/guest-asm.md, row for row, with the same code in backquotes (only the words translated),
// and the help reads the table of the UI's language when it is asked.

import { afterEach, describe, expect, it } from 'vitest';
import { EditorState } from '@codemirror/state';
import { DOC_TABLES, directiveEffects, instructionForms, tableRows } from '../../../src/ui/code/docTables.ts';
import { helpFor } from '../../../src/ui/code/help.ts';
import { nameFact } from '../../../src/ui/code/guestNames.ts';
import { setLocale } from '../../../src/ui/messages/locale.ts';

afterEach(() => setLocale('en'));

const spans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort();
const CJK = /[\u4e00-\u9fff]/;

describe('the hover help in Chinese', () => {
  it.each(['forms', 'directives'] as const)('the %s table: the same rows and code as the English', (which) => {
    const en = tableRows(DOC_TABLES.en.md, DOC_TABLES.en[which]), zh = tableRows(DOC_TABLES['zh-CN'].md, DOC_TABLES['zh-CN'][which]);
    expect(en.length).toBeGreaterThan(5);
    expect(zh.map(([name]) => name)).toEqual(en.map(([name]) => name));
    zh.forEach(([name, text], i) => {
      expect(spans(text), name).toEqual(spans(en[i][1]));
      // Words beside the code are translated (a cell of code only stays as it is).
      if (/[A-Za-z]{2,}/.test(en[i][1].replace(/`[^`]+`/g, ''))) expect(text, name).toMatch(CJK);
    });
  });

  it('covers every mnemonic and directive the English covers', () => {
    const z = DOC_TABLES['zh-CN'];
    expect([...instructionForms(z.md, z.forms).keys()].sort()).toEqual([...instructionForms().keys()].sort());
    expect([...directiveEffects(z.md, z.directives).keys()].sort()).toEqual([...directiveEffects().keys()].sort());
  });

  it('helpFor and nameFact speak the UI\'s language when called', () => {
    const state = EditorState.create({ doc: '_start:\n  jmp _start\n' });
    setLocale('zh-CN');
    const h = helpFor(state, 'xor')!;
    expect(h.title).toBe('xor');
    expect(h.lines[0]).toBe('指令');
    expect(h.lines[1]).toMatch(CJK);
    expect(h.lines[1]).toContain('r/m, imm');
    expect(helpFor(state, '.zero')!.lines.join(' ')).toMatch(/零字节/);
    expect(nameFact('ecx')?.fact).toBe('rcx 的低 32 位；写入时零扩展到 rcx');
    expect(nameFact('SYS_write')?.fact).toMatch(/^Linux 系统调用 1/);
    setLocale('en');
    expect(helpFor(state, 'xor')).toEqual({ title: 'xor', lines: ['instruction', 'forms: r/m, r; r, m; r/m, imm'] });
  });
});
