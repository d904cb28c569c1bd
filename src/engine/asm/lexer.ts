// Guest assembler, step 1: splits one source line into tokens (with 1-based columns) and strips
// `;`/`#` comments. Numbers, 'c' constants and "strings" (C escapes) are decoded here.

import { diag, q, type Diag } from './diag.ts';
import { asm, type AsmMsg } from './messages.ts';

export type TokKind = 'id' | 'num' | 'str' | 'op' | 'here';

export interface Tok {
  kind: TokKind;
  text: string;       // as written
  col: number;        // 1-based
  len: number;
  value?: bigint;     // num
  bytes?: number[];   // str
}

export interface LexedLine {
  toks: Tok[];
  /** The line without its comment, as written (trailing blanks kept). */
  code: string;
  errors: Diag[];
}

const MAX64 = (1n << 64n) - 1n;
// Two-character operators first, so `<<` is not read as `<` `<`.
const OPS2 = ['<<', '>>', '//', '%%'];
const OPS1 = ',:[]()+-*/%&|^~=';

const isIdStart = (c: string) => /[A-Za-z_.]/.test(c);
const isIdChar = (c: string) => /[A-Za-z0-9_.$@]/.test(c);

export function lexLine(src: string, line: number): LexedLine {
  const toks: Tok[] = [];
  const errors: Diag[] = [];
  const err = (col: number, len: number, message: AsmMsg, hint?: AsmMsg) => errors.push(diag(line, col, Math.max(1, len), message, hint));
  let i = 0;
  let end = src.length;
  while (i < src.length) {
    const c = src[i];
    if (c === ';' || c === '#') { end = i; break; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') { i++; continue; }
    const col = i + 1;
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < src.length && isIdChar(src[j])) j++;
      toks.push({ kind: 'id', text: src.slice(i, j), col, len: j - i });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[0-9A-Za-z_]/.test(src[j])) j++;
      const text = src.slice(i, j);
      const v = parseNumber(text);
      if (typeof v !== 'bigint') err(col, j - i, v);
      toks.push({ kind: 'num', text, col, len: j - i, value: typeof v !== 'bigint' ? 0n : v });
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      const r = readQuoted(src, i);
      if (r.error) {
        err(r.error.col, r.error.len, r.error.message);
        if (r.end < 0) { end = src.length; i = src.length; break; }
      }
      const text = src.slice(i, r.end);
      if (c === '"') {
        toks.push({ kind: 'str', text, col, len: text.length, bytes: r.bytes });
      } else {
        // 'c' is a number; 'ab' packs little-endian as in NASM (up to 8 characters).
        if (!r.error && r.bytes.length === 0) err(col, text.length, asm('empty-char'));
        if (r.bytes.length > 8) err(col, text.length, asm('char-too-long'));
        let v = 0n;
        r.bytes.slice(0, 8).forEach((b, k) => { v |= BigInt(b) << BigInt(8 * k); });
        toks.push({ kind: 'num', text, col, len: text.length, value: v });
      }
      i = r.end;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (OPS2.includes(two)) { toks.push({ kind: 'op', text: two, col, len: 2 }); i += 2; continue; }
    if (OPS1.includes(c)) { toks.push({ kind: 'op', text: c, col, len: 1 }); i++; continue; }
    if (c === '$') { toks.push({ kind: 'here', text: c, col, len: 1 }); i++; continue; }
    const cp = src.codePointAt(i) ?? 0;
    const w = cp > 0xffff ? 2 : 1;
    const shown = cp < 0x20 || cp === 0x7f ? `\\x${cp.toString(16).padStart(2, '0')}` : src.slice(i, i + w);
    err(col, w, asm('unexpected-char', { char: shown }));
    i += w;
  }
  return { toks, code: src.slice(0, end), errors };
}

/** Decimal, 0x hex, 0b binary, 0o octal; `_` groups digits. Returns an error message on failure. */
export function parseNumber(text: string): bigint | AsmMsg {
  const t = text.toLowerCase();
  let digits = t, radix = 10, re = /^[0-9]+$/;
  if (/^0[xbo]/.test(t)) {
    radix = t[1] === 'x' ? 16 : t[1] === 'b' ? 2 : 8;
    re = radix === 16 ? /^[0-9a-f]+$/ : radix === 2 ? /^[01]+$/ : /^[0-7]+$/;
    digits = t.slice(2);
  }
  digits = digits.replace(/_/g, '');
  if (!re.test(digits)) return asm('invalid-number', { text: q(text) });
  let v = 0n;
  const R = BigInt(radix);
  for (const d of digits) {
    v = v * R + BigInt(parseInt(d, radix));
    if (v > MAX64) return asm('number-too-large', { text: q(text) });
  }
  return v;
}

interface Quoted {
  bytes: number[];
  /** Index just past the closing quote; -1 if unterminated. */
  end: number;
  error?: { col: number; len: number; message: AsmMsg };
}

const utf8 = new TextEncoder();
const ESC: Record<string, number> = {
  n: 10, t: 9, r: 13, '\\': 92, '"': 34, "'": 39, a: 7, b: 8, f: 12, v: 11, e: 27, '?': 63,
};

/** Reads a '…' or "…" literal starting at src[i]; bytes are UTF-8 for non-ASCII characters. */
function readQuoted(src: string, i: number): Quoted {
  const q = src[i];
  const bytes: number[] = [];
  let error: Quoted['error'];
  let j = i + 1;
  while (j < src.length && src[j] !== q) {
    if (src[j] === '\\') {
      const e = src[j + 1];
      if (e === undefined) { j = src.length; break; }
      if (Object.hasOwn(ESC, e)) { bytes.push(ESC[e]); j += 2; continue; }
      if (e === 'x') {
        const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(j + 2));
        if (!m) { error ??= { col: j + 1, len: 2, message: asm('hex-escape') }; j += 2; continue; }
        bytes.push(parseInt(m[0], 16)); j += 2 + m[0].length; continue;
      }
      if (/[0-7]/.test(e)) {
        const m = /^[0-7]{1,3}/.exec(src.slice(j + 1))!;
        bytes.push(parseInt(m[0], 8) & 0xff); j += 1 + m[0].length; continue;
      }
      error ??= { col: j + 1, len: 2, message: asm('unknown-escape', { esc: e }) };
      j += 2;
      continue;
    }
    const ch = String.fromCodePoint(src.codePointAt(j)!);
    bytes.push(...utf8.encode(ch));
    j += ch.length;
  }
  if (j >= src.length) {
    return { bytes, end: -1,
      error: { col: i + 1, len: src.length - i, message: asm(q === '"' ? 'unterminated-string' : 'unterminated-char') } };
  }
  return { bytes, end: j + 1, error };
}
