// Hover help from the tables docs/guest-asm.md shows students: the operand forms of each
// instruction and the effect of each directive. The doc is read as it ships, never copied here;
// in Chinese, from the same two tables in docs/zh-CN/guest-asm-tables.md (chosen when read).

import guide from '../../../docs/guest-asm.md?raw';
import guideZh from '../../../docs/zh-CN/guest-asm-tables.md?raw';
import type { Locale } from '../messages/locale.ts';
import { CANONICAL } from './guestNames.ts';
import { CONDS } from '../../engine/asm/isa.ts';

/** `jcc`, `setcc`, `cmovcc` in the doc stand for the prefix with every SDM condition. */
const CC = /^(j|set|cmov)cc$/;

/** The rows of the markdown table under the heading `## title`: [first cell, second cell][]. */
export function tableRows(md: string, title: string): [string, string][] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${title}`);
  if (start < 0) return [];
  const out: [string, string][] = [];
  let inTable = false;
  for (let i = start + 1; i < lines.length && !lines[i].startsWith('## '); i++) {
    const l = lines[i].trim();
    if (!l.startsWith('|')) { if (inTable) break; continue; }
    inTable = true;
    const cells = l.slice(1, l.endsWith('|') ? -1 : undefined).split(' | ').map((c) => c.trim());
    if (cells.length < 2) continue; // the |---|---| rule
    out.push([cells[0], cells[1]]); // the first two columns: name and what it takes (an example may follow)
  }
  return out.slice(1); // the header row
}

const code = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
const plain = (cell: string) => cell.replace(/`/g, '');

/** The two tables' doc and headings in each language. */
export const DOC_TABLES: Record<Locale, { md: string; forms: string; directives: string }> = {
  en: { md: guide, forms: 'Instructions and operand forms', directives: 'Directives' },
  'zh-CN': { md: guideZh, forms: '指令与操作数形式', directives: '伪指令' },
};

/** Mnemonic -> its operand forms, as the doc's "Instructions and operand forms" table says.
 *  `je … jns` covers the canonical mnemonics from je to jns, `jcc` every condition; "all others" the rest. */
export function instructionForms(md: string = guide, title = DOC_TABLES.en.forms): Map<string, string> {
  const forms = new Map<string, string>();
  let others: string | undefined;
  for (const [names, text] of tableRows(md, title)) {
    if (!names.includes('`')) { if (/others/.test(names)) others = plain(text); continue; }
    for (const group of code(names)) {
      const words = group.split(/[\s,]+/).filter(Boolean);
      for (let k = 0; k < words.length; k++) {
        if (words[k] === '…' && k > 0 && k + 1 < words.length) {
          const a = CANONICAL.indexOf(words[k - 1]), b = CANONICAL.indexOf(words[k + 1]);
          if (a >= 0 && b > a) for (const m of CANONICAL.slice(a + 1, b)) forms.set(m, plain(text));
        } else if (CC.test(words[k])) {
          const pre = CC.exec(words[k])![1];
          for (const c of CONDS) forms.set(pre + c, plain(text));
        } else forms.set(words[k].toLowerCase(), plain(text));
      }
    }
  }
  if (others !== undefined) for (const m of CANONICAL) if (!forms.has(m)) forms.set(m, others);
  return forms;
}

/** Directive -> what it does, from the doc's "Directives" table. */
export function directiveEffects(md: string = guide, title = DOC_TABLES.en.directives): Map<string, string> {
  const out = new Map<string, string>();
  for (const [names, text] of tableRows(md, title))
    for (const c of code(names)) for (const w of c.split(/[\s,/]+/)) if (/^\.[a-z]+$/.test(w) && !out.has(w)) out.set(w, plain(text));
  return out;
}
