// Guest assembler diagnostics: positions, "did you mean" by edit distance, and the
// GCC/NASM-style `file:line:col: error:` rendering with a caret under the bad token.

import type { AsmError } from './ir.ts';

/** An error before the file name and source line are attached. */
export interface Diag { line: number; col: number; len: number; message: string; hint?: string }

/** A name or token for a message, cut short if it is very long. */
export const q = (s: string) => (s.length > 40 ? s.slice(0, 37) + '...' : s);

/** Optimal-string-alignment distance (Levenshtein plus adjacent transposition). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const c = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + c);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[a.length][b.length];
}

/** The candidate nearest to name (case folded, ties broken by exact-case distance, then by
 *  candidate order), or undefined if none is within 1 edit (names up to 3 letters), 2 (up to 5) or |name|/3. `always` drops the limit. */
export function nearest(name: string, cands: Iterable<string>, always = false): string | undefined {
  if (name.length > 64) return undefined;
  const lo = name.toLowerCase();
  const L = name.length;
  const lim = always ? Infinity : L <= 3 ? 1 : L <= 5 ? 2 : Math.max(2, Math.floor(L / 3));
  let best: string | undefined, bd = Infinity, bx = Infinity;
  for (const c of cands) {
    if (c === name || Math.abs(c.length - name.length) > Math.min(lim, 64)) continue;
    const d = editDistance(lo, c.toLowerCase());
    if (d > lim) continue;
    const x = d === 0 ? editDistance(name, c) : 0;
    if (d < bd || (d === bd && x < bx)) {
      best = c; bd = d; bx = x;
    }
  }
  return best;
}

export function toAsmError(d: Diag, file: string, lines: string[]): AsmError {
  const e: AsmError = { file, line: d.line, col: d.col, length: Math.max(1, d.len), message: d.message,
    source: lines[d.line - 1] ?? '' };
  if (d.hint !== undefined) e.hint = d.hint;
  return e;
}

/** `file:line:col: error: message`, the source line, a `^~~~` caret line, and `  hint: …`. */
export function formatAsmError(e: AsmError): string {
  const src = e.source.replace(/\r$/, '');
  // Keep tabs in the caret line's indent so the caret lines up under the token.
  const pad = src.slice(0, Math.max(0, e.col - 1)).replace(/[^\t]/g, ' ').padEnd(e.col - 1, ' ');
  const len = Math.max(1, Math.min(e.length, Math.max(1, src.length - e.col + 1)));
  const out = [`${e.file}:${e.line}:${e.col}: error: ${e.message}`, src, pad + '^' + '~'.repeat(len - 1)];
  if (e.hint) out.push(`  hint: ${e.hint}`);
  return out.join('\n');
}

export function formatAsmErrors(errors: AsmError[]): string {
  return errors.map(formatAsmError).join('\n');
}
