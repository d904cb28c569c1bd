// Completion and hover help for the program editor: mnemonics and directives where a statement
// starts; registers, the program's labels, libdune functions and predefined constants in operands.
// Facts come from the assembler's tables (guestNames.ts) and the docs' tables (docTables.ts).

import type { CompletionContext, CompletionResult, Completion } from '@codemirror/autocomplete';
import { hoverTooltip, keymap, showTooltip, type EditorView, type Tooltip } from '@codemirror/view';
import { StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { KNOWN, classifyLine, definedNames, nameFact } from './guestNames.ts';
import { DOC_TABLES, directiveEffects, instructionForms } from './docTables.ts';
import { mnemonicByName } from '../../engine/asm/names.ts';
import { code as t, getLocale, type Locale } from '../messages/index.ts';

/** The docs' tables in the UI's language at the moment of reading (each parsed once). */
const parsed = new Map<Locale, { forms: Map<string, string>; effects: Map<string, string> }>();
const docs = () => {
  const l = getLocale();
  let d = parsed.get(l);
  if (!d) { const src = DOC_TABLES[l]; d = { forms: instructionForms(src.md, src.forms), effects: directiveEffects(src.md, src.directives) }; parsed.set(l, d); }
  return d;
};

/** Everything there is to say about WORD on line LINE of the program, or null. */
export function helpFor(state: EditorState, word: string): { title: string; lines: string[] } | null {
  const { forms, effects } = docs();
  if (word.startsWith('.')) {
    const e = effects.get(word.toLowerCase());
    return e ? { title: word.toLowerCase(), lines: [t.directive, e] } : null;
  }
  const def = definedNames(state.doc.toString()).find((d) => d.name === word);
  if (def) return { title: word, lines: [def.kind === 'label' ? t.labelAt(def.line) : t.constantAt(def.line)] };
  const f = nameFact(word);
  if (!f) return null;
  const mn = mnemonicByName(word);
  const lines = [f.fact];
  if (mn) lines.push(t.forms(forms.get(mn) ?? t.noForms));
  return { title: f.title, lines };
}

const WORD = /[A-Za-z0-9_.$@]/;

/** The word around pos (the assembler's identifier characters). */
function wordAt(state: EditorState, pos: number): { from: number; to: number; text: string } | null {
  const line = state.doc.lineAt(pos);
  let a = pos - line.from, b = a;
  while (a > 0 && WORD.test(line.text[a - 1])) a--;
  while (b < line.text.length && WORD.test(line.text[b])) b++;
  if (a === b) return null;
  return { from: line.from + a, to: line.from + b, text: line.text.slice(a, b) };
}

/** The help tooltip for the word at pos, or null. */
function helpTooltip(state: EditorState, pos: number, side: 1 | -1 = 1): Tooltip | null {
  const w = wordAt(state, pos) ?? (side < 0 ? null : wordAt(state, pos - 1));
  if (!w) return null;
  const h = helpFor(state, w.text);
  if (!h) return null;
  return {
    pos: w.from, end: w.to, above: true,
    create: () => {
      const dom = document.createElement('div');
      dom.className = 'cm-guest-help';
      const b = document.createElement('strong');
      b.textContent = h.title;
      dom.append(b);
      for (const l of h.lines) { const p = document.createElement('div'); p.textContent = l; dom.append(p); }
      return { dom };
    },
  };
}

export const guestHover = hoverTooltip((view: EditorView, pos: number, side) => helpTooltip(view.state, pos, side));

/** The same help from the keyboard (Ctrl+I at the cursor); any edit, move or Escape hides it. */
const showHelp = StateEffect.define<Tooltip | null>();
const keyHelp = StateField.define<Tooltip | null>({
  create: () => null,
  update(v, tr) {
    for (const e of tr.effects) if (e.is(showHelp)) return e.value;
    return tr.docChanged || tr.selection ? null : v;
  },
  provide: (f) => showTooltip.from(f),
});
export const keyboardHelp: Extension = [keyHelp, keymap.of([
  { key: 'Mod-i', preventDefault: true, run: (v) => { v.dispatch({ effects: showHelp.of(helpTooltip(v.state, v.state.selection.main.head)) }); return true; } },
  { key: 'Escape', run: (v) => { if (!v.state.field(keyHelp)) return false; v.dispatch({ effects: showHelp.of(null) }); return true; } },
])];

/** Completion: statement words at the start of a statement, operand names after it. */
export function guestCompletions(ctx: CompletionContext): CompletionResult | null {
  const w = ctx.matchBefore(/[A-Za-z_.$@][A-Za-z0-9_.$@]*/);
  if (!w && !ctx.explicit) return null;
  const from = w?.from ?? ctx.pos;
  const line = ctx.state.doc.lineAt(ctx.pos);
  const before = classifyLine(line.text.slice(0, from - line.from));
  if (before.some((s) => s.kind === 'comment')) return null;
  const statement = before.every((s) => s.kind === 'label' || s.kind === 'op') && !before.some((s, i) => s.kind === 'op' && before[i - 1]?.kind !== 'label');
  const { forms } = docs();
  let options: Completion[];
  if (statement) {
    options = [
      ...KNOWN.mnemonics.map((m) => ({ label: m, type: 'keyword', detail: forms.get(mnemonicByName(m) ?? m) })),
      ...KNOWN.directives.map((d) => ({ label: d, type: 'keyword', detail: t.directive })),
    ];
  } else {
    const own = definedNames(ctx.state.doc.toString()).filter((d) => d.line !== line.number || !w || d.name !== w.text);
    options = [
      ...own.map((d) => ({ label: d.name, type: d.kind === 'label' ? 'variable' : 'constant', detail: t.labelAt(d.line), boost: 2 })),
      ...KNOWN.registers.map((r) => ({ label: r, type: 'variable', detail: t.register, boost: 1 })),
      ...KNOWN.libdune.map((f) => ({ label: f, type: 'function', detail: nameFact(f)?.fact })),
      ...KNOWN.constants.map((c) => ({ label: c, type: 'constant', detail: nameFact(c)?.fact })),
    ];
  }
  return { from, options, validFor: /^[A-Za-z0-9_.$@]*$/ };
}
