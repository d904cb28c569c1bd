// Guest assembler layout: places statements in .text (at 0x400000), .data (next page) and .bss,
// repeating passes until every address and encoding width is stable, then emits the Program pieces.

import type { Instr, Operand, Size } from './ir.ts';
import { diag, type Diag } from './diag.ts';
import { encode, fmtNum, type Widths } from './encode.ts';
import { evaluate, hasSymbol, type Expr } from './expr.ts';
import type { Tok } from './lexer.ts';
import type { OpAst, Stmt } from './parse.ts';
import type { Symbols } from './symbols.ts';
import { LAYOUT } from '../arch/linux.ts';
import { isJcc } from './isa.ts';
import { asm, type AsmMsg } from './messages.ts';

export type Sec = 0 | 1 | 2;
export const TEXT = 0, DATA = 1, BSS = 2;
const SEC_NAME = ['.text', '.data', '.bss'];
const MAX_ZERO = 16 << 20, MAX_SECTION = 64 << 20, MAX_ALIGN = 1 << 21;
const isJump = (mn: string) => mn === 'jmp' || mn === 'call' || mn === 'loop' || isJcc(mn);

export const pageUp = (x: number) => Math.ceil(x / LAYOUT.PAGE) * LAYOUT.PAGE;

export interface Pass {
  /** Section and offset of each statement's first byte. */
  sec: Sec[];
  off: number[];
  widths: (Widths | undefined)[];
  lens: number[];
  base: [number, number, number];
  size: [number, number, number];
  /** Bytes to place: section, offset, bytes (zero fill is implicit). */
  chunks: { sec: Sec; off: number; bytes: number[] }[];
  instrs: Instr[];
  errors: Diag[];
}

/** Runs one layout pass over all statements, using `prev` for addresses not reached yet. */
/** Where sections go: a student program (text at 0x400000, data on the next page) or the runtime
 *  (libc + libdune, linked at fixed addresses below the program). */
export interface Bases { text: number; data: number | null }
export const PROGRAM_BASES: Bases = { text: LAYOUT.TEXT_BASE, data: null };

export function runPass(stmts: Stmt[], syms: Symbols, prev: Pass | null, checked: (OpAst[] | null)[], bases: Bases = PROGRAM_BASES): Pass {
  const n = stmts.length;
  const p: Pass = {
    sec: new Array(n).fill(TEXT), off: new Array(n).fill(0), widths: new Array(n), lens: new Array(n).fill(0),
    base: prev ? [...prev.base] : [bases.text, bases.data ?? bases.text + LAYOUT.PAGE, bases.data ?? bases.text + LAYOUT.PAGE],
    size: [0, 0, 0], chunks: [], instrs: [], errors: [],
  };
  const errs = p.errors;
  const loc: [number, number, number] = [0, 0, 0];
  let cur: Sec = TEXT;
  let reached = -1;
  const addrOf = (i: number): bigint => {
    if (i <= reached) return BigInt(p.base[p.sec[i]] + p.off[i]);
    if (prev) return BigInt(prev.base[prev.sec[i]] + prev.off[i]);
    return BigInt(p.base[cur] + loc[cur]); // first pass: guess a later label is right here
  };
  syms.begin({ addrOf }, errs);
  const at = () => p.base[cur] + loc[cur];
  const emit = (bytes: number[]) => {
    if (cur !== BSS && bytes.length) p.chunks.push({ sec: cur, off: loc[cur], bytes });
    loc[cur] += bytes.length;
  };
  const fail = (line: number, t: { col: number; len: number }, message: AsmMsg, hint?: AsmMsg) =>
    errs.push(diag(line, t.col, t.len, message, hint));

  for (let i = 0; i < n; i++) {
    const st = stmts[i];
    p.sec[i] = cur;
    p.off[i] = loc[cur];
    reached = i;
    const b = st.body;
    const scope = syms.scope(i, st.line);
    const ev = (e: Expr) => evaluate(e, scope);
    if (b.k === 'instr') {
      const ops = checked[i];
      if (!ops) continue;
      if (cur !== TEXT) { fail(st.line, b.mt, asm('not-in-text', { section: SEC_NAME[cur] }), asm('put-text')); continue; }
      const r = instr(st, i, ops, at(), prev, syms, p);
      emit(r ?? new Array(prev?.lens[i] ?? 0).fill(0x90));
      p.lens[i] = loc[cur] - p.off[i];
      continue;
    }
    if (b.k !== 'dir') continue;
    const name = b.name;
    switch (name) {
      case '.text': cur = TEXT; break;
      case '.data': cur = DATA; break;
      case '.bss': cur = BSS; break;
      case '.global': case '.globl': case '.equ': case '.section': break;
      case '.align': case '.balign': case '.zero': case '.space': {
        const e = b.args[0] as Expr;
        const dep = syms.lastDep(e, i);
        if (dep > i) {
          fail(st.line, e.t, asm('depends-later', { name, line: stmts[dep].line }));
          break;
        }
        const v = ev(e);
        if (v === null) break;
        if (name === '.zero' || name === '.space') {
          if (BigInt.asIntN(64, v) < 0n) { fail(st.line, e.t, asm('count-negative', { name, v: fmtNum(v) })); break; }
          if (v > BigInt(MAX_ZERO)) { fail(st.line, e.t, asm('zero-too-large', { name, v: fmtNum(v) })); break; }
          const k = Number(v);
          loc[cur] += k; // sections start zero-filled
        } else {
          if (v === 0n || v > BigInt(MAX_ALIGN) || (v & (v - 1n)) !== 0n) {
            fail(st.line, e.t, asm('alignment', { v: fmtNum(v) }));
            break;
          }
          const a = at(), k = Math.ceil(a / Number(v)) * Number(v) - a;
          if (cur === BSS) loc[cur] += k;
          else emit(new Array(k).fill(cur === TEXT ? 0x90 : 0));
        }
        break;
      }
      default: {
        if (cur === BSS) { fail(st.line, b.t, asm('data-in-bss', { name }), asm('use-zero-in-bss')); break; }
        const w = name === '.byte' ? 1 : name === '.word' ? 2 : name === '.long' ? 4 : name === '.quad' ? 8 : 0;
        const bytes: number[] = [];
        for (const a of b.args) {
          if ('kind' in a) { for (const x of (a as Tok).bytes!) bytes.push(x); continue; } // no spread: strings can be long
          const v = ev(a) ?? 0n;
          const sv = BigInt.asIntN(64, v);
          if (w < 8 && !(sv >= -(1n << BigInt(8 * w - 1)) && sv < 1n << BigInt(8 * w))) {
            fail(st.line, a.t, asm('value-not-fit', { v: fmtNum(v), name, bits: 8 * w }));
          }
          for (let k = 0; k < w; k++) bytes.push(Number((BigInt.asUintN(64, v) >> BigInt(8 * k)) & 0xffn));
        }
        if (name === '.asciz' || name === '.string') bytes.push(0);
        emit(bytes);
      }
    }
    if (loc[cur] > MAX_SECTION) {
      fail(st.line, b.t, asm('section-too-large', { section: SEC_NAME[cur] }));
      loc[cur] = MAX_SECTION;
    }
    p.lens[i] = p.sec[i] === cur ? loc[cur] - p.off[i] : 0;
  }
  p.size = [...loc];
  // .data starts on the page after .text (never below TEXT_BASE + one page); .bss follows, 8-aligned.
  p.base[DATA] = bases.data ?? Math.max(pageUp(p.base[TEXT] + loc[TEXT]), bases.text + LAYOUT.PAGE);
  if (bases.data !== null && p.base[TEXT] + loc[TEXT] > bases.data) fail(1, { col: 1, len: 1 }, asm('text-into-data'));
  p.base[BSS] = Math.ceil((p.base[DATA] + loc[DATA]) / 8) * 8;
  return p;
}

/** Evaluates, encodes and records one instruction; returns its bytes. */
function instr(st: Stmt, i: number, ast: OpAst[], addr: number, prev: Pass | null, syms: Symbols, p: Pass): number[] | null {
  const b = st.body as Stmt['body'] & { k: 'instr' };
  const errs = p.errors;
  const scope = syms.scope(i, st.line, isJump(b.mn));
  let ok = true;
  const val = (e: Expr | null, dflt = 0n): bigint => {
    if (!e) return dflt;
    const v = evaluate(e, scope);
    if (v === null) ok = false;
    return v ?? dflt;
  };
  let ripK = -1, ripV = 0n;
  const ops: Operand[] = ast.map((o, k): Operand => {
    switch (o.k) {
      case 'reg': return o.high ? { kind: 'reg', reg: o.reg, size: 1, high: true } : { kind: 'reg', reg: o.reg, size: o.size };
      case 'cr': return { kind: 'cr', cr: o.cr };
      case 'imm': return { kind: 'imm', value: val(o.e) };
      case 'mem': {
        const sc = val(o.scale, 1n);
        if (o.scale && ![1n, 2n, 4n, 8n].includes(sc)) {
          errs.push(diag(st.line, o.scale.t.col, o.scale.t.len, asm('scale', { v: fmtNum(sc) })));
          ok = false;
        }
        const disp = val(o.disp);
        // [rip + label] addresses the label; [rip + 8] is 8 bytes past the next instruction.
        if (o.rip && !(o.disp && hasSymbol(o.disp))) { ripK = k; ripV = disp; }
        return { kind: 'mem', size: o.size as Size, base: o.base, index: o.index, scale: Number(sc) as 1 | 2 | 4 | 8,
          disp, rip: o.rip };
      }
    }
  });
  const min = prev?.widths[i] ?? { imm: 0, disp: 0, rel: 0 };
  const rep = b.rep?.kind;
  let r = encode(b.mn, ops, addr, min, rep);
  if (r.ok && ripK >= 0) {
    const m = ops[ripK] as Operand & { kind: 'mem' };
    m.disp = BigInt.asUintN(64, BigInt(addr + r.bytes.length) + ripV);
    r = encode(b.mn, ops, addr, min, rep);
  }
  if (!r.ok) {
    const sp = r.op >= 0 && r.op < ast.length ? ast[r.op].sp : b.mt;
    if (ok) errs.push(diag(st.line, sp.col, sp.len, r.message, r.hint));
    return null;
  }
  p.widths[i] = { imm: Math.max(min.imm, r.w.imm), disp: Math.max(min.disp, r.w.disp), rel: Math.max(min.rel, r.w.rel) };
  if (ok) {
    const ins: Instr = { mnemonic: b.mn, ops, addr, len: r.bytes.length, bytes: r.bytes, line: st.line, text: b.text };
    if (rep) ins.rep = rep;
    p.instrs.push(ins);
  }
  return r.bytes;
}

/** Did nothing move between two passes? */
export function converged(a: Pass, b: Pass): boolean {
  if (a.base.some((x, k) => x !== b.base[k])) return false;
  for (let i = 0; i < a.off.length; i++) {
    if (a.off[i] !== b.off[i] || a.sec[i] !== b.sec[i]) return false;
    const x = a.widths[i], y = b.widths[i];
    if ((x?.imm ?? 0) !== (y?.imm ?? 0) || (x?.disp ?? 0) !== (y?.disp ?? 0) || (x?.rel ?? 0) !== (y?.rel ?? 0)) return false;
  }
  return true;
}
