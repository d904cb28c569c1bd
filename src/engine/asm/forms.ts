// Guest assembler: which operand kinds and sizes each instruction accepts (the operand-form column of
// the SDM's instruction pages), and the default memory size when no `ptr` is written.

import type { Mnemonic, Size } from './ir.ts';
import { diag, type Diag } from './diag.ts';
import type { Tok } from './lexer.ts';
import type { OpAst, Span } from './parse.ts';
import { ALU_OPS, BT_OPS, SHIFT_OPS, condOf, isJcc, regName, stringOf } from './isa.ts';
import { asm, type AsmMsg } from './messages.ts';

const ALU = new Set<string>([...ALU_OPS]);
const UNARY = new Set(['not', 'neg', 'inc', 'dec']);
const SHIFT = new Set<string>(SHIFT_OPS.filter(Boolean));
const MULDIV = new Set(['mul', 'div', 'idiv']);
const BT = new Set(Object.keys(BT_OPS));
const NOARG = new Set(['syscall', 'sysretq', 'int3', 'iretq', 'hlt', 'nop', 'pause', 'cpuid', 'rdtsc', 'rdmsr',
  'wrmsr', 'vmcall', 'cli', 'sti', 'ud2', 'pushfq', 'popfq', 'cqo', 'cdq', 'cwd', 'cld', 'std']);

/** Checks ops against mn's forms, fills in memory sizes, and normalizes `imul r, imm` to
 *  `imul r, r, imm`. Returns null after reporting the first problem. */
export function checkForm(mn: Mnemonic, mt: Tok, ops: OpAst[], line: number, errors: Diag[], rep?: { kind: 1 | 2; t: Tok }): OpAst[] | null {
  const fail = (sp: Span | Tok, message: AsmMsg, hint?: AsmMsg): null => {
    errors.push(diag(line, sp.col, sp.len, message, hint));
    return null;
  };
  const o = ops.map(x => (x.k === 'mem' ? { ...x } : x));
  const count = (...ns: number[]): boolean => {
    if (ns.includes(o.length)) return true;
    fail(o.length > Math.max(...ns) ? o[Math.max(...ns)].sp : mt, asm('takes-operands', { mn: mt.text, counts: ns.join(',') }));
    return false;
  };
  const msz = (i: number, def: Size) => { const m = o[i]; if (m.k === 'mem' && m.size === null) m.size = def; };
  const size = (x: OpAst): number | null => (x.k === 'reg' ? x.size : x.k === 'mem' ? x.size : null);
  const no = (i: number) => fail(o[i].sp, asm('cannot-take', { mn: mt.text, kind: o[i].k }));
  const str = stringOf(mn);
  if (rep && !str) return fail(rep.t, asm('rep-not-string', { prefix: rep.t.text }), asm('string-instructions'));
  if (rep && str) {
    const cmp = str.op === 'cmps' || str.op === 'scas', word = rep.t.text.toLowerCase();
    if (cmp && word === 'rep') return fail(rep.t, asm('rep-compares', { mn: mt.text }));
    if (!cmp && rep.kind === 2) return fail(rep.t, asm('rep-not-repe', { mn: mt.text, prefix: word }), asm('repe-for-compares'));
  }
  const cr = o.findIndex(x => x.k === 'cr');
  if (cr >= 0 && mn !== 'mov') return fail(o[cr].sp, asm('cr-only-mov'));
  // These two report and return true when the form is wrong.
  const twoMem = () => o.length === 2 && o[0].k === 'mem' && o[1].k === 'mem'
    && !fail(o[1].sp, asm('two-memory', { mn: mt.text }));
  const immDst = () => o[0].k === 'imm' && !fail(o[0].sp, asm('immediate-destination'));
  /** Register and memory of one instruction must agree in size (an unwritten size takes the register's). */
  const same = (a: number, b: number, hint?: AsmMsg): boolean => {
    const x = o[a], y = o[b];
    if (x.k === 'mem' && y.k === 'reg') msz(a, y.size);
    if (y.k === 'mem' && x.k === 'reg') msz(b, x.size);
    const sx = size(o[a]), sy = size(o[b]);
    if (sx !== null && sy !== null && sx !== sy) {
      fail(o[b].sp, asm('size-mismatch', { a: describe(o[a]), sa: sx, b: describe(o[b]), sb: sy }), hint);
      return false;
    }
    return true;
  };
  /** A register or memory operand of one of these sizes (memory without `ptr` gets def). */
  const rmOf = (i: number, sizes: number[], def: Size, what: 'operand' | 'reg' = 'operand'): boolean => {
    if (o[i].k === 'imm') { no(i); return false; }
    msz(i, def);
    const s = size(o[i])!;
    if (!sizes.includes(s)) {
      fail(o[i].sp, asm('needs-bits', { mn: mt.text, sizes: sizes.map(z => `${z * 8}`).join('/'), what, bits: s * 8 }));
      return false;
    }
    return true;
  };
  const regOf = (i: number, sizes: number[]): boolean => {
    if (o[i].k !== 'reg') { fail(o[i].sp, asm('needs-register', { mn: mt.text })); return false; }
    return rmOf(i, sizes, 8, 'reg');
  };

  if (NOARG.has(mn) || str) return count(0) ? o : null;
  if (isJcc(mn) || mn === 'loop' || mn === 'int') {
    if (!count(1)) return null;
    if (o[0].k !== 'imm') return fail(o[0].sp, mn === 'int' ? asm('int-vector') : asm('takes-label', { mn: mt.text }),
      mn === 'int' ? undefined : asm('indirect-jumps'));
    return o;
  }
  if (mn.startsWith('set')) {
    if (!count(1)) return null;
    return rmOf(0, [1], 1) ? o : null;
  }
  if (mn.startsWith('cmov') && condOf(mn) >= 0) {
    if (!count(2) || !regOf(0, [2, 4, 8])) return null;
    if (o[1].k === 'imm') return no(1);
    return same(0, 1) ? o : null;
  }
  switch (mn) {
    case 'ret':
      if (!count(0, 1)) return null;
      if (o.length && o[0].k !== 'imm') return fail(o[0].sp, asm('ret-count'));
      return o;
    case 'jmp': case 'call':
      if (!count(1)) return null;
      if (o[0].k === 'reg' && o[0].size !== 8) return fail(o[0].sp, asm('needs-64-register', { mn: mt.text }));
      msz(0, 8);
      if (o[0].k === 'mem' && o[0].size !== 8) return fail(o[0].sp, asm('through-memory-qword', { mn: mt.text }));
      return o;
    case 'push': case 'pop':
      if (!count(1)) return null;
      if (mn === 'pop' && o[0].k === 'imm') return fail(o[0].sp, asm('pop-destination'));
      if (o[0].k === 'reg' && o[0].size !== 8) return fail(o[0].sp, asm('needs-64-register', { mn: mt.text }),
        asm('use', { name: regName(o[0].reg, 8) }));
      msz(0, 8);
      if (o[0].k === 'mem' && o[0].size !== 8) return fail(o[0].sp, asm('needs-qword', { mn: mt.text }));
      return o;
    case 'invlpg': case 'lidt': case 'lgdt':
      if (!count(1)) return null;
      if (o[0].k !== 'mem') return fail(o[0].sp, asm('takes-memory', { mn: mt.text }), asm('write', { code: `${mt.text} [address]` }));
      msz(0, 8);
      return o;
    case 'ltr':
      if (!count(1)) return null;
      if (o[0].k !== 'reg' || o[0].size < 2) return fail(o[0].sp, asm('ltr-register'));
      return o;
    case 'lea':
      if (!count(2) || !regOf(0, [2, 4, 8])) return null;
      if (o[1].k !== 'mem') return fail(o[1].sp, asm('lea-memory'), asm('write', { code: 'lea reg, [address]' }));
      o[1].size = 8;
      return o;
    case 'bswap':
      return count(1) && regOf(0, [4, 8]) ? o : null;
    case 'movzx': case 'movsx': case 'movsxd': {
      if (!count(2) || !regOf(0, mn === 'movsxd' ? [4, 8] : [2, 4, 8])) return null;
      const s = o[1];
      if (s.k === 'imm') return no(1);
      if (s.k === 'mem' && s.size === null) {
        if (mn === 'movsxd') s.size = 4;
        else return fail(s.sp, asm('needs-source-size', { mn: mt.text }), asm('write-source-size', { mn: mt.text, dst: describe(o[0]) }));
      }
      const ss = size(s)!, ds = size(o[0])!;
      const ok = mn === 'movsxd' ? ss === 4 : ss < ds && ss <= 2;
      if (!ok) return fail(s.sp, mn === 'movsxd' ? asm('movsxd-source') : asm('extends-smaller', { mn: mt.text, dst: describe(o[0]) }),
        mn !== 'movsxd' && ss === 4 ? asm('dword-source') : undefined);
      return o;
    }
    case 'mov': return checkMov();
    case 'xchg':
      if (!count(2) || twoMem()) return null;
      for (let i = 0; i < 2; i++) if (o[i].k === 'imm') return no(i);
      if (o[0].k !== 'reg' && o[1].k !== 'reg') return fail(o[1].sp, asm('xchg-register'));
      return same(0, 1) ? o : null;
    case 'test':
      if (!count(2) || twoMem() || immDst()) return null;
      if (o[1].k === 'imm') { msz(0, 8); return o; }
      return same(0, 1) ? o : null;
    case 'imul': {
      if (!count(1, 2, 3)) return null;
      if (o.length === 1) return rmOf(0, [1, 2, 4, 8], 8) ? o : null;
      if (!regOf(0, [2, 4, 8])) return null;
      if (o.length === 2 && o[1].k === 'imm') o.splice(1, 0, { ...o[0] });
      if (o[1].k === 'imm') return no(1);
      if (o.length === 3 && o[2].k !== 'imm') return fail(o[2].sp, asm('imul-third'));
      return same(0, 1) ? o : null;
    }
    case 'bsf': case 'bsr':
      if (!count(2) || !regOf(0, [2, 4, 8])) return null;
      if (o[1].k === 'imm') return no(1);
      return same(0, 1) ? o : null;
  }
  if (MULDIV.has(mn)) return count(1) && rmOf(0, [1, 2, 4, 8], 8) ? o : null;
  if (BT.has(mn)) {
    if (!count(2) || immDst() || !rmOf(0, [2, 4, 8], 8)) return null;
    if (o[1].k === 'imm') return o;
    if (o[1].k !== 'reg') return fail(o[1].sp, asm('bit-offset-kind', { mn: mt.text }));
    return same(0, 1) ? o : null;
  }
  if (ALU.has(mn)) {
    if (!count(2) || twoMem() || immDst()) return null;
    if (o[1].k === 'imm') { msz(0, 8); return o; }
    return same(0, 1, o[1].k === 'mem' || o[0].k === 'mem' ? asm('mov-zero-extends') : undefined)
      ? o : null;
  }
  if (UNARY.has(mn)) {
    if (!count(1)) return null;
    if (o[0].k === 'imm') return no(0);
    msz(0, 8);
    return o;
  }
  if (SHIFT.has(mn)) {
    if (!count(2) || immDst()) return null;
    const n = o[1];
    if (!(n.k === 'imm' || (n.k === 'reg' && n.reg === 1 && n.size === 1 && !n.high)))
      return fail(n.sp, asm('shift-count-kind'));
    msz(0, 8);
    return o;
  }
  return fail(mt, asm('not-supported', { mn: mt.text }));

  function checkMov(): OpAst[] | null {
    if (!count(2) || twoMem() || immDst()) return null;
    const [d, s] = o;
    if (d.k === 'cr' || s.k === 'cr') {
      const r = d.k === 'cr' ? s : d;
      if (r.k !== 'reg' || r.size !== 8 || (d.k === 'cr' && s.k === 'cr'))
        return fail(r.sp, asm('cr-64-register'));
      return o;
    }
    if (s.k === 'imm') { msz(0, 8); return o; }
    // A 32/64-bit register with an explicitly smaller memory operand: a load zero-extends
    // (movzx), a store writes the register's low bytes (the language's form from before it had
    // 8- and 16-bit registers; docs/guest-asm.md).
    const r = d.k === 'reg' ? d : s.k === 'reg' ? s : null;
    const mi = d.k === 'mem' ? 0 : s.k === 'mem' ? 1 : -1;
    if (r && r.k === 'reg' && mi >= 0) {
      msz(mi, r.size);
      const ms = (o[mi] as { size: Size }).size;
      if (ms > r.size || r.size < 4 || r.high) return same(0, 1) ? o : null;
      return o;
    }
    return same(0, 1) ? o : null;
  }
}

/** An operand as a message names it: a register by name, else its kind (messages.ts operandEn). */
function describe(x: OpAst): string {
  return x.k === 'reg' ? regName(x.reg, x.size, x.high) : x.k;
}
