// Guest assembler diagnostics: positions, "did you mean" by edit distance, and the
// GCC/NASM-style `file:line:col: error:` rendering with a caret under the bad token.

import type { AsmError, AsmNote } from './ir.ts';
import type { Origin } from './preprocess.ts';
import { asm, englishAsm, said, type AsmMsg } from './messages.ts';

/** An error before the file name and source line are attached: its message and hint as keys
 *  (messages.ts) with their English. */
export interface Diag { line: number; col: number; len: number; message: string; msg: AsmMsg; hint?: string; hintMsg?: AsmMsg }

/** A diagnostic at line:col over len characters (the only way one is made). */
export const diag = (line: number, col: number, len: number, message: AsmMsg, hint?: AsmMsg): Diag => ({ line, col, len, ...said(message, hint) });

/** A name or token for a message, cut short if it is very long. */
export const q = (s: string) => (s.length > 40 ? s.slice(0, 37) + '...' : s);

// Three rolling rows for editDistance, reused (hints compare one name with thousands).
let R0 = new Int32Array(128), R1 = new Int32Array(128), R2 = new Int32Array(128);

/** Optimal-string-alignment distance (Levenshtein plus adjacent transposition), or a number
 *  above `limit` as soon as it must exceed it (three rolling rows: O(|a|·|b|) time at most,
 *  O(|b|) memory). */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (b.length + 1 > R0.length) { const n = 2 * (b.length + 1); R0 = new Int32Array(n); R1 = new Int32Array(n); R2 = new Int32Array(n); }
  let p2 = R0, p1 = R1, row = R2;
  for (let j = 0; j <= b.length; j++) p1[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let min = i;
    for (let j = 1; j <= b.length; j++) {
      const c = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(p1[j] + 1, row[j - 1] + 1, p1[j - 1] + c);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, p2[j - 2] + 1);
      row[j] = v;
      if (v < min) min = v;
    }
    if (min > limit) return limit + 1;
    const t = p2; p2 = p1; p1 = row; row = t;
  }
  return p1[b.length];
}

/** The edit limit for a name: 1 (up to 3 letters), 2 (up to 5), else |name|/3. */
const limitFor = (L: number) => (L <= 3 ? 1 : L <= 5 ? 2 : Math.max(2, Math.floor(L / 3)));

/** The candidate nearest to name (case folded, ties broken by exact-case distance, then by
 *  candidate order), or undefined if none is within limitFor(|name|) edits. `always` drops the
 *  limit; `dist` then tells whether the result is within it. */
export function nearest(name: string, cands: Iterable<string>, always = false): string | undefined {
  return nearestWithin(name, cands, always)?.name;
}
export function nearestWithin(name: string, cands: Iterable<string>, always = false): { name: string; near: boolean } | undefined {
  if (name.length > 64) return undefined;
  const lo = name.toLowerCase();
  const L = name.length;
  const lim = always ? Infinity : limitFor(L);
  let best: string | undefined, bd = Infinity, bx = Infinity;
  for (const c of cands) {
    if (c === name || Math.abs(c.length - name.length) > Math.min(lim, 64, bd)) continue;
    const d = editDistance(lo, c.toLowerCase(), Math.min(lim, bd));
    if (d > lim || d > bd) continue;
    const x = d === 0 ? editDistance(name, c) : 0;
    if (d < bd || (d === bd && x < bx)) {
      best = c; bd = d; bx = x;
    }
  }
  return best === undefined ? undefined : { name: best, near: bd <= limitFor(L) };
}

export function toAsmError(d: Diag, file: string, lines: string[], origins?: Origin[]): AsmError {
  const o = origins?.[d.line - 1];
  const e: AsmError = { file: o?.file ?? file, line: o?.line ?? d.line, col: d.col, length: Math.max(1, d.len), message: d.message,
    msg: d.msg, source: o?.text ?? lines[d.line - 1] ?? '' };
  if (d.hint !== undefined) e.hint = d.hint;
  if (d.hintMsg) e.hintMsg = d.hintMsg;
  if (o?.uses.length) e.from = o.uses.map((u) => ({ file: u.file, line: u.line, col: u.col, length: Math.max(1, u.len), source: u.source, what: u.what, whatMsg: u.whatMsg }));
  return e;
}

/** `file:line:col: error: message`, the source line, a `^~~~` caret line, and `  hint: …`; then,
 *  for a line from an included file or a macro, a `note:` for each place that used it. */
export function formatAsmError(e: AsmError, say: AsmSay = ENGLISH): string {
  const out = [`${e.file}:${e.line}:${e.col}: ${say.error}: ${say.text(e.msg)}`, ...caret(e.source, e.col, e.length)];
  if (e.hintMsg) out.push(`  ${say.hint}: ${say.text(e.hintMsg)}`);
  for (const n of e.from ?? []) out.push(`${n.file}:${n.line}:${n.col}: ${say.note}: ${say.text(n.whatMsg)}`, ...caret(n.source, n.col, n.length));
  return out.join('\n');
}

/** How a diagnostic is said: the words of its frame and its messages (a page's language). The
 *  English one gives what `check` prints. */
export interface AsmSay { error: string; hint: string; note: string; text(m: AsmMsg): string }
export const ENGLISH: AsmSay = { error: 'error', hint: 'hint', note: 'note', text: englishAsm };

function caret(source: string, col: number, length: number): [string, string] {
  const src = source.replace(/\r$/, '');
  // Keep tabs in the caret line's indent so the caret lines up under the token.
  const pad = src.slice(0, Math.max(0, col - 1)).replace(/[^\t]/g, ' ').padEnd(col - 1, ' ');
  const len = Math.max(1, Math.min(length, Math.max(1, src.length - col + 1)));
  return [src, pad + '^' + '~'.repeat(len - 1)];
}
export type { AsmNote };

/** Errors as an editor of `file` shows them, at its own lines: an error in the file itself (with
 *  where it was used from, for a macro), and one at each line of the file that used an included
 *  file or a macro where the error is, naming the other place. Each is the message with its hint
 *  and, for an error in the file itself, its length and the block `check` prints (formatAsmError),
 *  said as `say` says them. */
export interface EditorDiagnostic { line: number; col: number; message: string; length?: number; text?: string }

export function editorDiagnostics(errors: AsmError[], file: string, say: AsmSay = ENGLISH): EditorDiagnostic[] {
  const out: EditorDiagnostic[] = [];
  for (const e of errors) {
    const text = e.hintMsg ? `${say.text(e.msg)} (${say.text(e.hintMsg)})` : say.text(e.msg);
    const use = e.from?.[0];
    if (e.file === file) {
      const at = use && (use.whatMsg.key === 'note-included' ? asm('editor-included-at', { line: use.line })
        : asm('editor-macro-at', { name: use.whatMsg.params.name, line: use.line }));
      out.push({ line: e.line, col: e.col, length: e.length, text: formatAsmError(e, say), message: at ? `${text} [${say.text(at)}]` : text });
    }
    for (const n of e.from ?? []) {
      if (n.file !== file) continue;
      const inside = n.whatMsg.key === 'note-included' ? asm('editor-in-include') : asm('editor-in-macro', { name: n.whatMsg.params.name });
      out.push({ line: n.line, col: n.col, message: `${e.file}:${e.line}: ${text} [${say.text(inside)}]` });
    }
  }
  return out;
}

export function formatAsmErrors(errors: AsmError[], say: AsmSay = ENGLISH): string {
  return errors.map((e) => formatAsmError(e, say)).join('\n');
}
