// Guest assembler, step 0: `.include "FILE"` (a path relative to the including file, read through a
// resolver the caller gives) and `.macro NAME args ... .endm` with `\arg`, `\@` and `\()`, as GNU
// as has them. The result is one list of lines, each with its origin: the file and line it comes
// from and the chain of places that used it (the .include line, the macro's use), so every error
// can name both places. Bounded: nesting depth and the number of expanded lines are capped.

import { diag, q, type Diag } from './diag.ts';
import { asm, englishAsm, type AsmMsg } from './messages.ts';
import { lexLine, type Tok } from './lexer.ts';
import { mnemonicByName } from './names.ts';
import { includeNames, resolvePath } from './paths.ts';

export { includeNames, resolvePath };

/** Reads an included file by its resolved path; undefined when there is no such file. */
export type IncludeReader = (path: string) => string | undefined;

/** A place that used a line: the .include line, or the line that used a macro (what: the note's
 *  words in English, whatMsg: as a key). */
export interface Use { file: string; line: number; col: number; len: number; source: string; what: string; whatMsg: AsmMsg }
export interface Origin {
  file: string;
  /** 1-based line in `file` (for a macro's body, the line of its definition). */
  line: number;
  /** The text to show for this line in an error (the line as written, or as substituted). */
  text: string;
  /** Innermost first. */
  uses: Use[];
}
export interface Expanded { lines: string[]; origins: Origin[]; diags: Diag[] }

export const MAX_DEPTH = 32;
export const MAX_LINES = 1_000_000;

interface Macro { name: string; params: { name: string; dflt: string | null }[]; body: { text: string; line: number }[]; file: string; line: number }

export function preprocess(source: string, file: string, read?: IncludeReader): Expanded {
  const lines: string[] = [];
  const origins: Origin[] = [];
  const diags: Diag[] = [];
  const macros = new Map<string, Macro>();
  let counter = 0, overflow = false;
  const stack: string[] = [file];

  const put = (text: string, o: Origin) => {
    if (lines.length >= MAX_LINES) {
      if (!overflow) diags.push(diag(lines.length, 1, 1, asm('too-many-lines', { max: MAX_LINES }), asm('repeats-without-end')));
      overflow = true;
      return false;
    }
    lines.push(text);
    origins.push(o);
    return true;
  };
  const fail = (t: { col: number; len: number }, message: AsmMsg, hint?: AsmMsg) => diags.push(diag(lines.length, t.col, t.len, message, hint));

  function emit(body: { text: string; line: number }[], from: string, uses: Use[], depth: number) {
    let def: { m: Macro; nest: number; at: number } | null = null;
    for (const { text, line } of body) {
      if (overflow) return;
      const o: Origin = { file: from, line, text, uses };
      if (!/[.\\A-Za-z_]/.test(text)) { if (def) def.m.body.push({ text, line }); else put(text, o); continue; }
      const toks = lexLine(text, line).toks;
      let k = 0;
      while (toks[k]?.kind === 'id' && toks[k + 1]?.kind === 'op' && toks[k + 1].text === ':') k += 2;
      const t = toks[k];
      const word = t?.kind === 'id' ? t.text.toLowerCase() : '';
      if (def) {
        if (word === '.macro') def.nest++;
        if (word === '.endm' && def.nest-- === 0) {
          if (def.m.name) macros.set(def.m.name.toLowerCase(), def.m);
          def = null;
        } else def.m.body.push({ text, line });
        put('', o);
        continue;
      }
      const head = t ? text.slice(0, t.col - 1) : text; // the labels before the statement, columns kept
      if (word === '.macro') {
        put(head, o);
        // A definition with an error still takes its body up to .endm (unnamed, so not defined).
        const m = defineMacro(toks.slice(k + 1), t, from, line) ?? { name: '', params: [], body: [], file: from, line };
        def = { m, nest: 0, at: lines.length };
        continue;
      }
      if (word === '.endm') { put(head, o); fail(t, asm('endm-without-macro')); continue; }
      if (word === '.include') {
        put(head, o);
        include(toks, k, t, from, line, text, uses, depth);
        continue;
      }
      const m = t?.kind === 'id' ? macros.get(word) : undefined;
      if (m) {
        put(head, o);
        expand(m, t, text, from, line, uses, depth);
        continue;
      }
      put(text, o);
    }
    if (def) {
      const d = def;
      diags.push(diag(d.at, 1, 1, asm('macro-no-endm', { name: d.m.name ? q(d.m.name) : '' }), asm('end-macro')));
    }
  }

  function defineMacro(rest: Tok[], t: Tok, from: string, line: number): Macro | null {
    const n = rest[0];
    if (n?.kind !== 'id') { fail(n ?? t, asm('macro-needs-name')); return null; }
    if (mnemonicByName(n.text)) { fail(n, asm('macro-is-instruction', { name: q(n.text) })); return null; }
    const params: Macro['params'] = [];
    for (let i = 1; i < rest.length; i++) {
      const p = rest[i];
      if (p.kind === 'op' && p.text === ',') continue;
      if (p.kind !== 'id' || p.text.startsWith('.')) { fail(p, asm('expected-parameter', { found: q(p.text) })); return null; }
      let dflt: string | null = null;
      if (rest[i + 1]?.kind === 'op' && rest[i + 1].text === '=') {
        const v = rest[i + 2];
        if (!v) { fail(rest[i + 1], asm('parameter-default', { name: p.text })); return null; }
        dflt = v.text; i += 2;
      }
      if (params.some((x) => x.name === p.text)) { fail(p, asm('parameter-twice', { name: q(p.text) })); return null; }
      params.push({ name: p.text, dflt });
    }
    if (macros.has(n.text.toLowerCase())) { fail(n, asm('macro-defined', { name: q(n.text) }), asm('defined-at', { file: macros.get(n.text.toLowerCase())!.file, line: macros.get(n.text.toLowerCase())!.line })); return null; }
    return { name: n.text, params, body: [], file: from, line };
  }

  function include(toks: Tok[], k: number, t: Tok, from: string, line: number, text: string, uses: Use[], depth: number) {
    const s = toks[k + 1];
    if (s?.kind !== 'str' || toks.length > k + 2) { fail(s ?? t, asm('include-syntax')); return; }
    const name = new TextDecoder().decode(new Uint8Array(s.bytes ?? []));
    const path = resolvePath(from, name);
    if (!read) { fail(s, asm('include-no-reader', { name: q(name) })); return; }
    if (stack.includes(path)) { fail(s, asm('include-self', { name: q(name) }), asm('include-chain', { chain: `${stack.join(' -> ')} -> ${path}` })); return; }
    if (depth >= MAX_DEPTH) { fail(s, asm('include-depth', { max: MAX_DEPTH })); return; }
    let src: string | undefined;
    try { src = read(path); } catch (e) { fail(s, asm('include-failed', { name: q(name), why: e instanceof Error ? e.message : String(e) })); return; }
    if (src === undefined) { fail(s, asm('include-missing', { name: q(name), path: q(path) })); return; }
    const whatMsg = asm('note-included');
    const use: Use = { file: from, line, col: t.col, len: s.col + s.len - t.col, source: text, what: englishAsm(whatMsg), whatMsg };
    stack.push(path);
    emit(String(src).split('\n').map((x, i) => ({ text: x, line: i + 1 })), path, [use, ...uses], depth + 1);
    stack.pop();
  }

  function expand(m: Macro, t: Tok, text: string, from: string, line: number, uses: Use[], depth: number) {
    const argText = text.slice(t.col - 1 + t.len);
    const args = splitArgs(stripComment(argText));
    if (args.length > m.params.length && !(m.params.length === 0 && args.length === 1 && args[0] === '')) {
      fail(t, asm('macro-arg-count', { name: q(m.name), n: m.params.length, got: args.length }),
        asm('macro-defined-at', { file: m.file, line: m.line, sig: `${m.name} ${m.params.map((p) => p.name).join(', ')}` }));
      return;
    }
    const values = new Map<string, string>();
    for (const [i, p] of m.params.entries()) {
      const a = args[i]?.trim() ?? '';
      if (a === '' && p.dflt === null) {
        fail(t, asm('macro-needs-value', { name: q(m.name), param: p.name }), asm('macro-defined-at', { file: m.file, line: m.line, sig: `${m.name} ${m.params.map((x) => x.name).join(', ')}` }));
        return;
      }
      values.set(p.name, a === '' ? p.dflt! : a);
    }
    if (depth >= MAX_DEPTH) { fail(t, asm('macro-depth', { max: MAX_DEPTH, name: q(m.name) })); return; }
    const n = counter++;
    const whatMsg = asm('note-macro', { name: m.name });
    const use: Use = { file: from, line, col: t.col, len: t.len, source: text, what: englishAsm(whatMsg), whatMsg };
    const body = m.body.map((b) => ({ line: b.line, text: b.text.replace(/\\(\(\)|@|[A-Za-z_][A-Za-z0-9_]*)/g, (all, w: string) =>
      w === '()' ? '' : w === '@' ? String(n) : values.has(w) ? values.get(w)! : all) }));
    emit(body, m.file, [use, ...uses], depth + 1);
  }

  emit(String(source).split('\n').map((x, i) => ({ text: x, line: i + 1 })), file, [], 0);
  return { lines, origins, diags };
}

/** The argument text without its comment (quotes respected). */
function stripComment(s: string): string {
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === ';' || c === '#') return s.slice(0, i);
  }
  return s;
}

/** Splits macro arguments at the commas outside quotes, brackets and parentheses. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0, quote = '', cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) { cur += c; if (c === '\\' && i + 1 < s.length) cur += s[++i]; else if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  out.push(cur.trim());
  return out.length === 1 && out[0] === '' ? [] : out;
}

/** An IncludeReader over files given by path (what collectIncludes gathered). */
export const filesReader = (files: Readonly<Record<string, string>> | undefined): IncludeReader | undefined =>
  files ? (p) => (Object.hasOwn(files, p) ? files[p] : undefined) : undefined;

/** The files a program includes, recursively, read through an asynchronous reader (the browser's
 *  file store): path -> text, for the engine's synchronous IncludeReader. Missing files are left
 *  out (the assembler reports them where they are included). Bounded like preprocess. */
export async function collectIncludes(source: string, file: string, read: (path: string) => Promise<string | undefined>): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const todo: { src: string; from: string }[] = [{ src: source, from: file }];
  let n = 0;
  while (todo.length && n++ < 256) {
    const { src, from } = todo.pop()!;
    for (const name of includeNames(src)) {
      const path = resolvePath(from, name);
      if (Object.hasOwn(files, path)) continue;
      const text = await read(path);
      if (text === undefined) continue;
      files[path] = text;
      todo.push({ src: text, from: path });
    }
  }
  return files;
}
