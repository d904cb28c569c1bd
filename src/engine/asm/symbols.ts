// Guest assembler symbol table: the program's labels and constants (case-sensitive), the predefined
// names, lazy evaluation of `NAME = expr` (which may use later labels), and "did you mean" hints.

import { diag, nearest, nearestWithin, q, type Diag } from './diag.ts';
import { evaluate, type Expr, type Scope } from './expr.ts';
import type { Tok } from './lexer.ts';
import type { Stmt } from './parse.ts';
import { PREDEFINED, RUNTIME_NAMES } from './names.ts';
import { asm, type AsmMsg } from './messages.ts';

/** A line a hint names: in the main file (no file), or in an included one. */
export type Place = { line: number; file?: string };

export type Def =
  | { kind: 'label'; stmt: number; t: Tok; line: number }
  | { kind: 'const'; stmt: number; t: Tok; line: number; e: Expr };

/** Where the layout pass stands: the address of each statement (this pass's if reached,
 *  else the previous pass's guess). */
export interface Where { addrOf(stmt: number): bigint }

export class Symbols {
  readonly defs = new Map<string, Def>();
  private where: Where = { addrOf: () => 0n };
  private errs: Diag[] = [];
  private memo = new Map<string, bigint | null>();
  private busy = new Set<string>();
  private deps = new Map<string, number>();
  private hints = new Map<string, AsmMsg | undefined>();
  private labels: string[] | undefined;

  constructor(stmts: Stmt[], errors: Diag[], readonly predefined: ReadonlyMap<string, bigint> = PREDEFINED,
    private readonly lineName: (line: number) => Place = (line) => ({ line })) {
    const define = (name: string, t: Tok, d: Def) => {
      if (this.predefined.has(name)) {
        errors.push(diag(d.line, t.col, t.len, asm('redefines-predefined', { name: q(name) }),
          asm('predefined-provided', { name: q(name), value: fmtAddr(this.predefined.get(name)!) })));
        return;
      }
      const old = this.defs.get(name);
      if (old) {
        errors.push(diag(d.line, t.col, t.len, asm('duplicate-definition', { name: q(name) }), asm('first-defined', this.lineName(old.line))));
        return;
      }
      this.defs.set(name, d);
    };
    stmts.forEach((s, i) => {
      for (const t of s.labels) define(t.text, t, { kind: 'label', stmt: i, t, line: s.line });
      if (s.body.k === 'equ') define(s.body.name, s.body.t, { kind: 'const', stmt: i, t: s.body.t, line: s.line, e: s.body.e });
    });
  }

  /** Starts a layout pass: fresh memo, errors go to errs. */
  begin(where: Where, errs: Diag[]): void {
    this.where = where;
    this.errs = errs;
    this.memo.clear();
  }

  /** A scope for expressions of statement `stmt` (line `line`). `branch`: the expression is a
   *  jump target, so an unknown name is hinted with the nearest label. */
  scope(stmt: number, line: number, branch = false): Scope {
    return {
      here: () => this.where.addrOf(stmt),
      err: (t, message, hint) => this.errs.push(diag(line, t.col, t.len, message, hint)),
      sym: (name, t) => {
        const d = this.defs.get(name);
        if (d?.kind === 'label') return this.where.addrOf(d.stmt);
        if (d) return this.constValue(name, d);
        const p = this.predefined.get(name);
        if (p !== undefined) return p;
        this.errs.push(diag(line, t.col, t.len, asm('unknown-symbol', { name: q(name) }), this.hint(name, branch)));
        return null;
      },
    };
  }

  private constValue(name: string, d: Def & { kind: 'const' }): bigint | null {
    if (this.memo.has(name)) return this.memo.get(name)!;
    if (this.busy.has(name)) {
      this.errs.push(diag(d.line, d.t.col, d.t.len, asm('circular-definition', { name: q(name) })));
      return null;
    }
    // Evaluate what this constant depends on first, deepest first, so that a chain of thousands
    // of constants needs no deep recursion (each evaluation then finds its operands memoized).
    const cycle = (dep: string) => {
      const x = this.defs.get(dep)!;
      this.errs.push(diag(x.line, x.t.col, x.t.len, asm('circular-definition', { name: q(dep) })));
      this.memo.set(dep, null);
    };
    for (const n of this.postOrder(name, (k) => this.memo.has(k), cycle)) {
      if (this.memo.has(n)) continue;
      const x = this.defs.get(n) as Def & { kind: 'const' };
      this.busy.add(n);
      const v = evaluate(x.e, this.scope(x.stmt, x.line));
      this.busy.delete(n);
      this.memo.set(n, v);
    }
    return this.memo.get(name) ?? null;
  }

  /** The constants `root` depends on (itself last), in an order where each comes after the
   *  constants its expression names: an iterative depth-first walk. `done` prunes; `back` is told
   *  of each edge that closes a cycle. */
  private postOrder(root: string, done: (name: string) => boolean, back: (name: string) => void): string[] {
    const out: string[] = [];
    const state = new Map<string, 1 | 2>([[root, 1]]);
    const stack: { name: string; deps: string[]; i: number }[] = [{ name: root, deps: this.constRefs(root), i: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i === top.deps.length) {
        stack.pop();
        state.set(top.name, 2);
        out.push(top.name);
        continue;
      }
      const dep = top.deps[top.i++];
      const st = state.get(dep);
      if (st === 2 || done(dep)) continue;
      if (st === 1) { back(dep); continue; }
      state.set(dep, 1);
      stack.push({ name: dep, deps: this.constRefs(dep), i: 0 });
    }
    return out;
  }

  /** The constants named in a constant's expression. */
  private constRefs(name: string): string[] {
    const d = this.defs.get(name);
    if (d?.kind !== 'const') return [];
    const out: string[] = [];
    const todo: Expr[] = [d.e];
    while (todo.length) {
      const e = todo.pop()!;
      if (e.k === 'sym') { if (this.defs.get(e.name)?.kind === 'const') out.push(e.name); }
      else if (e.k === 'un') todo.push(e.e);
      else if (e.k === 'bin') todo.push(e.r, e.l);
    }
    return out;
  }

  /** The last statement whose address e depends on (through constants too), or -1. A count
   *  such as `.zero N` may only depend on statements up to its own. */
  lastDep(e: Expr, self: number): number {
    switch (e.k) {
      case 'here': return self;
      case 'un': return this.lastDep(e.e, self);
      case 'bin': return Math.max(this.lastDep(e.l, self), this.lastDep(e.r, self));
      case 'sym': {
        const d = this.defs.get(e.name);
        if (!d) return -1;
        if (d.kind === 'label') return d.stmt;
        if (!this.deps.has(e.name)) {
          // Constants first, deepest first (as constValue); a cycle counts as no dependency.
          const order = this.postOrder(e.name, (k) => this.deps.has(k), () => {});
          for (const n of order) this.deps.set(n, -1);
          for (const n of order) {
            const x = this.defs.get(n) as Def & { kind: 'const' };
            this.deps.set(n, this.lastDep(x.e, x.stmt));
          }
        }
        return this.deps.get(e.name)!;
      }
      default: return -1;
    }
  }

  /** The value of every constant, after the final pass (reports errors of unused ones too). */
  constants(): Map<string, bigint | null> {
    const out = new Map<string, bigint | null>();
    for (const [name, d] of this.defs) if (d.kind === 'const') out.set(name, this.constValue(name, d));
    return out;
  }

  /** A "did you mean" for an unknown name. Hints are remembered across passes, and only the
   *  first MAX_HINTS distinct unknown names get one, so many unknown names cost linear time. */
  private hint(name: string, branch: boolean): AsmMsg | undefined {
    const key = (branch ? 'b:' : 's:') + name;
    if (this.hints.has(key)) return this.hints.get(key);
    if (this.hints.size >= MAX_HINTS) return undefined;
    let h: AsmMsg | undefined;
    if (branch) {
      this.labels ??= [...this.defs].filter(([, d]) => d.kind === 'label').map(([n]) => n);
      const n = nearest(name, RUNTIME_NAMES), l = nearestWithin(name, this.labels, true);
      if (l?.near) h = didYouMean(name, n && nearest(name, [l.name, n]) === n ? n : l.name);
      else if (n) h = didYouMean(name, n);
      else h = l ? asm('no-similar-label', { name: l.name, ...this.lineName(this.defs.get(l.name)!.line) }) : undefined;
    } else {
      const n = nearest(name, [...this.defs.keys(), ...this.predefined.keys()]);
      h = n ? didYouMean(name, n) : undefined;
    }
    this.hints.set(key, h);
    return h;
  }
}

/** How many distinct unknown names get a "did you mean" hint (the rest are still reported). */
export const MAX_HINTS = 64;

function didYouMean(name: string, n: string): AsmMsg {
  return asm('did-you-mean', { name: n, ...(n.toLowerCase() === name.toLowerCase() ? { caseOnly: 1 } : {}) });
}

export const fmtAddr = (v: bigint) => (v > 9n ? '0x' + v.toString(16) : v.toString());
