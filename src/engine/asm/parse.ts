// Guest assembler, step 2: one line's tokens -> a statement: labels, then an instruction with its
// operands (registers, [base + index*scale + disp] memory, immediates), a directive or `NAME = expr`.

import type { Mnemonic, Size } from './ir.ts';
import type { Diag } from './diag.ts';
import { nearest, q } from './diag.ts';
import { lexLine, type Tok } from './lexer.ts';
import { Cursor, firstReg, parseExpr, type Expr } from './expr.ts';
import { REG64, REP_KIND } from './isa.ts';
import { asm } from './messages.ts';
import {
  ALL_MNEMONICS, DIRECTIVES, NASM_HINTS, crByName, isRegisterWord, mnemonicByName, regByName, type Directive,
} from './names.ts';

export interface Span { col: number; len: number }

export type OpAst =
  | { k: 'reg'; reg: number; size: Size; high?: boolean; sp: Span }
  | { k: 'cr'; cr: 0 | 2 | 3 | 4; sp: Span }
  | { k: 'imm'; e: Expr; sp: Span }
  /** size null: not written (the instruction's checker picks it). scale: the expression after `*`.
   *  rip: `[rip + …]` or `[rel …]`. */
  | { k: 'mem'; size: Size | null; base: number | null; index: number | null; scale: Expr | null;
      disp: Expr | null; rip: boolean; sp: Span };

export type Body =
  | { k: 'none' }
  | { k: 'instr'; mn: Mnemonic; mt: Tok; ops: OpAst[]; text: string; rep?: { kind: 1 | 2; t: Tok } }
  | { k: 'dir'; name: Directive; t: Tok; args: (Expr | Tok)[] }
  | { k: 'equ'; name: string; t: Tok; e: Expr };

export interface Stmt { line: number; labels: Tok[]; body: Body; source: string }

const SIZES: Record<string, Size> = { byte: 1, word: 2, dword: 4, qword: 8 };
const DIR_ALIAS: Record<string, Directive> = { section: '.section', global: '.global', globl: '.globl' };

/** Parses one source line. Errors go to `errors`; a statement with an error comes back with an
 *  empty body but keeps its labels, so later references to them do not cascade. */
export function parseLine(source: string, line: number, errors: Diag[]): Stmt {
  const lx = lexLine(source, line);
  errors.push(...lx.errors);
  const c = new Cursor(lx.toks, line, errors, lx.code.trimEnd().length + 1);
  const st: Stmt = { line, labels: [], body: { k: 'none' }, source };
  while (c.peek()?.kind === 'id' && c.isOp(':', 1)) {
    const t = c.next()!;
    c.next();
    if (isRegisterWord(t.text)) c.fail(t, asm('register-label', { name: q(t.text) }));
    else st.labels.push(t);
  }
  if (lx.errors.length || c.atEnd()) return st;
  const n0 = errors.length;
  const body = parseBody(c, lx.code);
  if (body && errors.length === n0) st.body = body;
  return st;
}

function parseBody(c: Cursor, code: string): Body | null {
  const t = c.next()!;
  if (t.kind !== 'id') return c.fail(t, asm('expected-statement', { found: q(t.text) }));
  if (c.isOp('=') || (c.peek()?.kind === 'id' && c.peek()!.text.toLowerCase() === 'equ')) {
    c.next();
    return parseEqu(c, t);
  }
  const lo = t.text.toLowerCase();
  const dir = (DIRECTIVES as readonly string[]).includes(lo) ? lo as Directive
    : Object.hasOwn(DIR_ALIAS, lo) ? DIR_ALIAS[lo] : undefined;
  if (dir) return parseDirective(c, dir, t);
  if (t.text.startsWith('.')) {
    const n = nearest(lo, DIRECTIVES);
    return c.fail(t, asm('unknown-directive', { name: q(t.text) }), n ? asm('did-you-mean', { name: n }) : undefined);
  }
  let rep: { kind: 1 | 2; t: Tok } | undefined;
  let mt = t;
  if (Object.hasOwn(REP_KIND, lo)) {
    const n = c.next();
    if (n?.kind !== 'id') return c.fail(n ?? t, asm('rep-needs-string', { prefix: lo }), asm('write', { code: `${lo} movsb` }));
    rep = { kind: REP_KIND[lo as keyof typeof REP_KIND], t };
    mt = n;
  }
  const mn = mnemonicByName(mt.text);
  if (!mn && rep) return c.fail(mt, asm('unknown-after-rep', { name: q(mt.text), prefix: lo }), asm('rep-prefixes'));
  if (!mn) {
    const nasm = Object.hasOwn(NASM_HINTS, lo) ? NASM_HINTS[lo] : undefined;
    const n = nearest(lo, ALL_MNEMONICS);
    const hint = nasm ? (lo === 'extern' ? asm('extern-hint') : asm('use', { name: nasm })) : n ? asm('did-you-mean', { name: n })
      : c.atEnd() ? asm('label-colon', { name: q(t.text) }) : undefined;
    return c.fail(t, asm('unknown-instruction', { name: q(t.text) }), hint);
  }
  const ops: OpAst[] = [];
  if (!c.atEnd()) {
    for (;;) {
      const op = parseOperand(c);
      if (!op) return null;
      ops.push(op);
      if (c.atEnd()) break;
      if (!c.isOp(',')) return c.fail(c.peek(), asm('expected-comma-or-end', { found: q(c.peek()!.text) }));
      c.next();
    }
  }
  return { k: 'instr', mn, mt, ops, text: code.slice(t.col - 1).trim(), rep };
}

function parseEqu(c: Cursor, t: Tok): Body | null {
  if (isRegisterWord(t.text)) return c.fail(t, asm('register-constant', { name: q(t.text) }));
  const e = parseExpr(c);
  if (!e) return null;
  if (!c.atEnd()) return c.fail(c.peek(), asm('unexpected-after-expression', { found: q(c.peek()!.text) }));
  return { k: 'equ', name: t.text, t, e };
}

function parseDirective(c: Cursor, name: Directive, t: Tok): Body | null {
  const args: (Expr | Tok)[] = [];
  switch (name) {
    case '.text': case '.data': case '.bss': break;
    case '.section': {
      const s = c.next();
      const sec = s?.kind === 'id' ? s.text.toLowerCase() : '';
      if (!['.text', '.data', '.bss', '.rodata'].includes(sec))
        return c.fail(s ?? t, asm('expected-section'));
      if (!c.atEnd()) c.next(); // GAS flags like ,"ax" are accepted and ignored
      const real = sec === '.rodata' ? '.data' : sec as Directive;
      return { k: 'dir', name: real, t, args };
    }
    case '.equ': {
      const n = c.next();
      if (n?.kind !== 'id') return c.fail(n ?? t, asm('equ-needs-name'));
      if (!c.isOp(',')) return c.fail(c.peek() ?? n, asm('expected-comma-after-name'));
      c.next();
      return parseEqu(c, n);
    }
    case '.global': case '.globl':
      for (;;) {
        const n = c.next();
        if (n?.kind !== 'id') return c.fail(n ?? t, asm('directive-needs-name', { name: q(name) }));
        if (c.atEnd()) break;
        if (!c.isOp(',')) return c.fail(c.peek(), asm('expected-comma'));
        c.next();
      }
      break;
    default: {
      const strings = name === '.ascii' || name === '.asciz' || name === '.string';
      const one = name === '.align' || name === '.balign' || name === '.zero' || name === '.space';
      for (;;) {
        const a = c.peek();
        if (!a) return c.fail(undefined, asm(strings ? 'directive-needs-string' : 'directive-needs-value', { name: q(name) }));
        if (a.kind === 'str' && (strings || name === '.byte')) { c.next(); args.push(a); }
        else if (strings) return c.fail(a, asm('directive-takes-string', { name: q(name) }));
        else { const e = parseExpr(c); if (!e) return null; args.push(e); }
        if (c.atEnd()) break;
        if (one || !c.isOp(',')) return c.fail(c.peek(), asm('unexpected-token', { found: q(c.peek()!.text) }));
        c.next();
      }
    }
  }
  if (!c.atEnd()) return c.fail(c.peek(), asm('unexpected-token', { found: q(c.peek()!.text) }));
  return { k: 'dir', name, t, args };
}

const spanOf = (a: Tok, b: Tok): Span => ({ col: a.col, len: Math.max(1, b.col + b.len - a.col) });
const isOperandEnd = (c: Cursor, k: number) => !c.peek(k) || c.isOp(',', k);

function parseOperand(c: Cursor): OpAst | null {
  const t = c.peek();
  if (!t) return c.fail(undefined, asm('expected-operand'));
  const lo = t.kind === 'id' ? t.text.toLowerCase() : '';
  let size: Size | null = null;
  if (Object.hasOwn(SIZES, lo) && (c.isOp('[', 1) || (c.peek(1)?.kind === 'id' && c.peek(1)!.text.toLowerCase() === 'ptr'))) {
    size = SIZES[lo];
    c.next();
    if (!c.isOp('[')) c.next();
    if (!c.isOp('[')) return c.fail(c.peek() ?? t, asm('expected-bracket-after-ptr', { size: lo }), asm('memory-brackets'));
  }
  if (c.isOp('[')) return parseMem(c, size, t);
  if (t.kind === 'id' && isOperandEnd(c, 1)) {
    const r = regByName(t.text);
    const sp = { col: t.col, len: t.len };
    c.next();
    if (r) return { k: 'reg', reg: r.reg, size: r.size, high: r.high, sp };
    const cr = crByName(t.text);
    if (cr !== undefined) return { k: 'cr', cr, sp };
    if (/^cr\d+$/.test(lo)) return c.fail(t, asm('unknown-cr', { name: q(t.text) }), asm('cr-names'));
    c.i--;
  }
  const e = parseExpr(c);
  if (!e) return null;
  const r = firstReg(e);
  if (r) return c.fail(r.t, asm('register-in-operand', { reg: r.t.text }), asm('mean-memory'));
  const last = c.toks[c.i - 1];
  return { k: 'imm', e, sp: spanOf(t, last) };
}

function parseMem(c: Cursor, size: Size | null, first: Tok): OpAst | null {
  const open = c.next()!;
  let rel = false;
  // `[rel x]` is NASM's spelling of `[rip + x]` (unless rel is a label used alone or in a sum).
  if (c.peek()?.kind === 'id' && c.peek()!.text.toLowerCase() === 'rel' && c.peek(1) && c.peek(1)!.kind !== 'op') {
    c.next();
    rel = true;
  }
  if (c.peek()?.kind === 'id' && c.isOp(':', 1)) return c.fail(c.peek(), asm('segment-override'));
  if (c.isOp(']')) return c.fail(c.peek(), asm('empty-memory'));
  const e = parseExpr(c);
  if (!e) return null;
  if (!c.isOp(']')) return c.fail(c.peek(), c.peek() ? asm('expected-close-bracket-found', { found: q(c.peek()!.text) }) : asm('expected-close-bracket'),
    c.peek() ? undefined : asm('bracket-not-closed', { col: open.col }));
  const close = c.next()!;
  if (!isOperandEnd(c, 0)) return c.fail(c.peek(), asm('expected-comma-after-memory', { found: q(c.peek()!.text) }));
  return decompose(c, e, size, rel, spanOf(first, close));
}

type RegTerm = { reg: number | 'rip'; size: Size; scale: Expr | null; t: Tok };

/** Splits an address expression into base, index*scale and the register-free displacement. */
function decompose(c: Cursor, e: Expr, size: Size | null, rel: boolean, sp: Span): OpAst | null {
  const regs: RegTerm[] = [];
  const disp: Expr[] = [];
  const walk = (x: Expr, neg: boolean): boolean => {
    if (!firstReg(x)) { disp.push(neg ? { k: 'un', op: '-', e: x, t: x.t } : x); return true; }
    if (x.k === 'bin' && (x.op === '+' || x.op === '-')) return walk(x.l, neg) && walk(x.r, x.op === '-' ? !neg : neg);
    if (x.k === 'un' && (x.op === '+' || x.op === '-')) return walk(x.e, x.op === '-' ? !neg : neg);
    let term: RegTerm | undefined;
    if (x.k === 'reg') term = { reg: x.reg, size: x.size, scale: null, t: x.t };
    else if (x.k === 'bin' && x.op === '*') {
      if (x.l.k === 'reg' && !firstReg(x.r)) term = { reg: x.l.reg, size: x.l.size, scale: x.r, t: x.l.t };
      else if (x.r.k === 'reg' && !firstReg(x.l)) term = { reg: x.r.reg, size: x.r.size, scale: x.l, t: x.r.t };
    }
    const r = firstReg(x)!;
    if (!term) return !!c.fail(r.t, asm('register-use-in-address', { reg: r.t.text }), asm('write', { code: '[base + index*scale + disp]' }));
    if (neg) return !!c.fail(r.t, asm('register-subtracted'));
    if (term.size !== 8) {
      const full = REG64[term.reg as number];
      return !!c.fail(term.t, asm('address-register-size', { bits: term.size * 8 }), asm('use', { name: full }));
    }
    regs.push(term);
    return true;
  };
  if (!walk(e, false)) return null;
  let disp1: Expr | null = null;
  for (const d of disp) disp1 = disp1 ? { k: 'bin', op: '+', l: disp1, r: d, t: d.t } : d;
  let rip = rel;
  const rest = regs.filter(r => {
    if (r.reg !== 'rip') return true;
    rip = true;
    return false;
  });
  const ripTerm = regs.find(r => r.reg === 'rip');
  if (ripTerm && (ripTerm.scale || regs.filter(r => r.reg === 'rip').length > 1))
    return c.fail(ripTerm.t, asm('rip-base-only'));
  if (rip && rest.length) return c.fail(rest[0].t, asm('rip-other-registers'));
  if (rest.length > 2) return c.fail(rest[2].t, asm('too-many-registers'), asm('base-and-index'));
  const scaled = rest.filter(r => r.scale);
  if (scaled.length > 1) return c.fail(scaled[1].t, asm('one-scaled'));
  let base: RegTerm | undefined, index: RegTerm | undefined;
  if (scaled.length) {
    index = scaled[0];
    base = rest.find(r => !r.scale);
  } else {
    [base, index] = rest;
    // rsp cannot be an index; [rax + rsp] means [rsp + rax] (as NASM swaps it).
    if (index && index.reg === 4) [base, index] = [index, base];
  }
  if (index && index.reg === 4) return c.fail(index.t, asm('rsp-index'));
  return { k: 'mem', size, base: base ? base.reg as number : null, index: index ? index.reg as number : null,
    scale: index?.scale ?? null, disp: disp1, rip, sp };
}
