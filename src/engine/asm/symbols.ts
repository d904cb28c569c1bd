// Guest assembler symbol table: the program's labels and constants (case-sensitive), the predefined
// names, lazy evaluation of `NAME = expr` (which may use later labels), and "did you mean" hints.

import type { Diag } from './diag.ts';
import { nearest, q } from './diag.ts';
import { evaluate, type Expr, type Scope } from './expr.ts';
import type { Tok } from './lexer.ts';
import type { Stmt } from './parse.ts';
import { PREDEFINED, RUNTIME_NAMES } from './names.ts';

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

  constructor(stmts: Stmt[], errors: Diag[], readonly predefined: ReadonlyMap<string, bigint> = PREDEFINED) {
    const define = (name: string, t: Tok, d: Def) => {
      if (this.predefined.has(name)) {
        errors.push({ line: d.line, col: t.col, len: t.len, message: `'${q(name)}' redefines predefined symbol`,
          hint: `${q(name)} = ${fmtAddr(this.predefined.get(name)!)} is provided by the simulator; choose another name` });
        return;
      }
      const old = this.defs.get(name);
      if (old) {
        errors.push({ line: d.line, col: t.col, len: t.len, message: `duplicate definition of '${q(name)}'`,
          hint: `first defined on line ${old.line}` });
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
      err: (t, message, hint) => this.errs.push({ line, col: t.col, len: t.len, message, hint }),
      sym: (name, t) => {
        const d = this.defs.get(name);
        if (d?.kind === 'label') return this.where.addrOf(d.stmt);
        if (d) return this.constValue(name, d);
        const p = this.predefined.get(name);
        if (p !== undefined) return p;
        this.errs.push({ line, col: t.col, len: t.len, message: `unknown symbol '${q(name)}'`, hint: this.hint(name, branch) });
        return null;
      },
    };
  }

  private constValue(name: string, d: Def & { kind: 'const' }): bigint | null {
    if (this.memo.has(name)) return this.memo.get(name)!;
    if (this.busy.has(name)) {
      this.errs.push({ line: d.line, col: d.t.col, len: d.t.len, message: `circular definition of '${q(name)}'` });
      return null;
    }
    this.busy.add(name);
    const v = evaluate(d.e, this.scope(d.stmt, d.line));
    this.busy.delete(name);
    this.memo.set(name, v);
    return v;
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
        if (this.deps.has(e.name)) return this.deps.get(e.name)!;
        this.deps.set(e.name, -1); // cycles are reported by constValue
        const v = this.lastDep(d.e, d.stmt);
        this.deps.set(e.name, v);
        return v;
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

  private hint(name: string, branch: boolean): string | undefined {
    if (branch) {
      const labels = [...this.defs].filter(([, d]) => d.kind === 'label').map(([n]) => n);
      const n = nearest(name, [...labels, ...RUNTIME_NAMES]);
      if (n) return didYouMean(name, n);
      const far = nearest(name, labels, true);
      return far ? `no label has a similar name; the nearest is '${far}' (line ${this.defs.get(far)!.line})` : undefined;
    }
    const n = nearest(name, [...this.defs.keys(), ...this.predefined.keys()]);
    return n ? didYouMean(name, n) : undefined;
  }
}

function didYouMean(name: string, n: string): string {
  return `did you mean '${n}'?` + (n.toLowerCase() === name.toLowerCase() ? ' (names are case-sensitive)' : '');
}

export const fmtAddr = (v: bigint) => (v > 9n ? '0x' + v.toString(16) : v.toString());
