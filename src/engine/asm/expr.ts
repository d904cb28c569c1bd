// Guest assembler expressions: parse `+ - * / % << >> & | ^ ~ ( )` over tokens and evaluate at
// assembly time on 64-bit two's complement values (BigInt, wrapped like NASM's evaluator).

import { diag, q, type Diag } from './diag.ts';
import type { Tok } from './lexer.ts';
import { crByName, isSmallReg, regByName } from './names.ts';
import { asm, type AsmMsg } from './messages.ts';

export type Expr =
  | { k: 'num'; v: bigint; t: Tok }
  | { k: 'sym'; name: string; t: Tok }
  | { k: 'here'; t: Tok }
  /** A register: only meaningful inside [ ] (the operand parser rejects it elsewhere). */
  | { k: 'reg'; reg: number | 'rip'; size: 1 | 2 | 4 | 8; high?: boolean; t: Tok }
  | { k: 'un'; op: string; e: Expr; t: Tok }
  | { k: 'bin'; op: string; l: Expr; r: Expr; t: Tok };

export const wrap = (x: bigint) => BigInt.asUintN(64, x);
export const signed = (x: bigint) => BigInt.asIntN(64, x);

/** A token stream for one statement, shared by the expression and statement parsers. */
export class Cursor {
  i = 0;
  /** Operators parsed so far: bounds the tree depth of a long flat expression. */
  ops = 0;
  constructor(readonly toks: Tok[], readonly line: number, readonly errors: Diag[], readonly endCol: number) {}
  peek(k = 0): Tok | undefined { return this.toks[this.i + k]; }
  next(): Tok | undefined { return this.toks[this.i++]; }
  atEnd() { return this.i >= this.toks.length; }
  isOp(s: string, k = 0) { const t = this.peek(k); return t?.kind === 'op' && t.text === s; }
  /** Report at t (or at the end of the statement if t is undefined); always returns null. */
  fail(t: Tok | undefined, message: AsmMsg, hint?: AsmMsg): null {
    this.errors.push(t ? diag(this.line, t.col, t.len, message, hint) : diag(this.line, this.endCol, 1, message, hint));
    return null;
  }
}

// Binary operators by precedence, lowest first (C's and NASM's order).
const LEVELS = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%', '//', '%%']];
const MAX_DEPTH = 100;

export function parseExpr(c: Cursor): Expr | null { return parseLevel(c, 0, 0); }

function parseLevel(c: Cursor, lv: number, depth: number): Expr | null {
  if (lv === LEVELS.length) return parseUnary(c, depth);
  let l = parseLevel(c, lv + 1, depth);
  while (l) {
    const t = c.peek();
    if (!(t?.kind === 'op' && LEVELS[lv].includes(t.text))) break;
    c.next();
    if (++c.ops > 1000) return c.fail(t, asm('expression-too-long'));
    const r = parseLevel(c, lv + 1, depth);
    if (!r) return null;
    l = { k: 'bin', op: t.text, l, r, t };
  }
  return l;
}

function parseUnary(c: Cursor, depth: number): Expr | null {
  const t = c.next();
  if (depth > MAX_DEPTH) return c.fail(t, asm('expression-too-deep'));
  if (!t) return c.fail(undefined, asm('expected-expression'));
  if (t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '~')) {
    const e = parseUnary(c, depth + 1);
    return e && { k: 'un', op: t.text, e, t };
  }
  if (t.kind === 'op' && t.text === '(') {
    const e = parseLevel(c, 0, depth + 1);
    if (!e) return null;
    if (!c.isOp(')')) return c.fail(c.peek() ?? t, asm('expected-close-paren'), c.peek() ? undefined : asm('paren-not-closed'));
    c.next();
    return e;
  }
  if (t.kind === 'num') return { k: 'num', v: t.value ?? 0n, t };
  if (t.kind === 'here') return { k: 'here', t };
  if (t.kind === 'id') {
    const r = regByName(t.text);
    if (r) return { k: 'reg', reg: r.reg, size: r.size, high: r.high, t };
    if (/^rip$/i.test(t.text)) return { k: 'reg', reg: 'rip', size: 8, t };
    if (isSmallReg(t.text)) return c.fail(t, asm('unknown-register', { name: q(t.text) }),
      asm('low-byte', { reg: t.text.slice(0, -1).toLowerCase() }));
    if (crByName(t.text) !== undefined) return c.fail(t, asm('cr-in-expression', { name: q(t.text) }));
    return { k: 'sym', name: t.text, t };
  }
  if (t.kind === 'str') return c.fail(t, asm('string-not-allowed'), asm('use-char-constant'));
  return c.fail(t, asm('expected-expression-found', { found: q(t.text) }));
}

/** What the evaluator needs from the assembler: symbol values and the current address. */
export interface Scope {
  /** The value of a name, or null after reporting why it has none. */
  sym(name: string, t: Tok): bigint | null;
  here(t: Tok): bigint;
  err(t: Tok, message: AsmMsg, hint?: AsmMsg): void;
}

/** Evaluates e, wrapping to 64 bits; null after reporting an error through the scope. */
export function evaluate(e: Expr, s: Scope): bigint | null {
  switch (e.k) {
    case 'num': return e.v;
    case 'here': return s.here(e.t);
    case 'sym': return s.sym(e.name, e.t);
    case 'reg': s.err(e.t, asm('register-in-expression', { reg: e.t.text }),
      asm('registers-alone')); return null;
    case 'un': {
      const v = evaluate(e.e, s);
      if (v === null) return null;
      return e.op === '-' ? wrap(-v) : e.op === '~' ? wrap(~v) : v;
    }
    case 'bin': {
      const l = evaluate(e.l, s), r = evaluate(e.r, s);
      if (l === null || r === null) return null;
      return binop(e.op, l, r, e.t, s);
    }
  }
}

function binop(op: string, l: bigint, r: bigint, t: Tok, s: Scope): bigint | null {
  switch (op) {
    case '+': return wrap(l + r);
    case '-': return wrap(l - r);
    case '*': return wrap(l * r);
    case '&': return l & r;
    case '|': return l | r;
    case '^': return l ^ r;
    // Shifts are logical and a count of 64 or more gives 0 (NASM's >> is unsigned too).
    case '<<': return r >= 64n ? 0n : wrap(l << r);
    case '>>': return r >= 64n ? 0n : l >> r;
  }
  if (r === 0n) { s.err(t, asm('division-by-zero')); return null; }
  switch (op) {
    case '/': return l / r;                                 // unsigned, as NASM's /
    case '%': return l % r;
    case '//': return wrap(signed(l) / signed(r));          // signed, as NASM's //
    default: return wrap(signed(l) % signed(r));            // '%%'
  }
}

/** Columns covered by e (for carets under a whole operand). */
export function span(e: Expr): { col: number; end: number } {
  switch (e.k) {
    case 'un': { const s = span(e.e); return { col: Math.min(e.t.col, s.col), end: s.end }; }
    case 'bin': { const a = span(e.l), b = span(e.r); return { col: a.col, end: Math.max(b.end, e.t.col + e.t.len) }; }
    default: return { col: e.t.col, end: e.t.col + e.t.len };
  }
}

/** Does e mention a label, constant or `$` (anything but plain numbers)? */
export function hasSymbol(e: Expr): boolean {
  switch (e.k) {
    case 'sym': case 'here': return true;
    case 'un': return hasSymbol(e.e);
    case 'bin': return hasSymbol(e.l) || hasSymbol(e.r);
    default: return false;
  }
}

/** The first register token in e, if any. */
export function firstReg(e: Expr): Expr & { k: 'reg' } | undefined {
  switch (e.k) {
    case 'reg': return e;
    case 'un': return firstReg(e.e);
    case 'bin': return firstReg(e.l) ?? firstReg(e.r);
    default: return undefined;
  }
}
