// Guest assembler: which operand kinds and sizes each instruction accepts (the operand-form column of
// the SDM's instruction pages), and the default memory size when no `ptr` is written.

import type { Mnemonic, Size } from './ir.ts';
import type { Diag } from './diag.ts';
import type { Tok } from './lexer.ts';
import type { OpAst, Span } from './parse.ts';
import { ALU_OPS, BT_OPS, SHIFT_OPS, condOf, isJcc, regName, stringOf } from './isa.ts';
import { asm, said, type AsmMsg } from './messages.ts';

const ALU = new Set<string>([...ALU_OPS]);
const UNARY = new Set(['not', 'neg', 'inc', 'dec']);
const SHIFT = new Set<string>(SHIFT_OPS.filter(Boolean));
const MULDIV = new Set(['mul', 'div', 'idiv']);
const BT = new Set(Object.keys(BT_OPS));
const NOARG = new Set(['syscall', 'sysretq', 'int3', 'iretq', 'hlt', 'nop', 'pause', 'cpuid', 'rdtsc', 'rdmsr',
  'wrmsr', 'vmcall', 'cli', 'sti', 'ud2', 'pushfq', 'popfq', 'cqo', 'cdq', 'cwd', 'cld', 'std']);
const KIND = { reg: 'a register', cr: 'a control register', imm: 'an immediate', mem: 'a memory operand' };

/** Checks ops against mn's forms, fills in memory sizes, and normalizes `imul r, imm` to
 *  `imul r, r, imm`. Returns null after reporting the first problem. */
export function checkForm(mn: Mnemonic, mt: Tok, ops: OpAst[], line: number, errors: Diag[], rep?: { kind: 1 | 2; t: Tok }): OpAst[] | null {
  const fail = (sp: Span | Tok, message: string | AsmMsg, hint?: string | AsmMsg): null => {
    errors.push({ line, col: sp.col, len: sp.len, ...said(message, hint) });
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
  const no = (i: number, what?: string) => fail(o[i].sp, what === undefined ? asm('cannot-take', { mn: mt.text, kind: o[i].k }) : `${mt.text} cannot take ${what} here`);
  const str = stringOf(mn);
  if (rep && !str) return fail(rep.t, `${rep.t.text} can only prefix a string instruction`, 'movs, stos, lods, cmps or scas');
  if (rep && str) {
    const cmp = str.op === 'cmps' || str.op === 'scas', word = rep.t.text.toLowerCase();
    if (cmp && word === 'rep') return fail(rep.t, `${mt.text} compares, so it takes repe or repne, not rep`);
    if (!cmp && rep.kind === 2) return fail(rep.t, `${mt.text} takes rep, not ${word}`, 'repe and repne are for cmps and scas');
  }
  const cr = o.findIndex(x => x.k === 'cr');
  if (cr >= 0 && mn !== 'mov') return fail(o[cr].sp, 'control registers can only be used with mov');
  // These two report and return true when the form is wrong.
  const twoMem = () => o.length === 2 && o[0].k === 'mem' && o[1].k === 'mem'
    && !fail(o[1].sp, asm('two-memory', { mn: mt.text }));
  const immDst = () => o[0].k === 'imm' && !fail(o[0].sp, asm('immediate-destination'));
  /** Register and memory of one instruction must agree in size (an unwritten size takes the register's). */
  const same = (a: number, b: number, hint?: string): boolean => {
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
  const rmOf = (i: number, sizes: number[], def: Size, what = 'operand'): boolean => {
    if (o[i].k === 'imm') { no(i); return false; }
    msz(i, def);
    const s = size(o[i])!;
    if (!sizes.includes(s)) {
      fail(o[i].sp, `${mt.text} needs a ${sizes.map(z => `${z * 8}`).join('/')}-bit ${what}, not ${s * 8}-bit`);
      return false;
    }
    return true;
  };
  const regOf = (i: number, sizes: number[]): boolean => {
    if (o[i].k !== 'reg') { fail(o[i].sp, `${mt.text} needs a register here`); return false; }
    return rmOf(i, sizes, 8, 'register');
  };

  if (NOARG.has(mn) || str) return count(0) ? o : null;
  if (isJcc(mn) || mn === 'loop' || mn === 'int') {
    if (!count(1)) return null;
    if (o[0].k !== 'imm') return fail(o[0].sp, mn === 'int' ? 'int takes a vector number' : `${mt.text} takes a label`,
      mn === 'int' ? undefined : 'only jmp and call can jump through a register or memory');
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
      if (o.length && o[0].k !== 'imm') return fail(o[0].sp, 'ret takes an optional byte count (ret 16)');
      return o;
    case 'jmp': case 'call':
      if (!count(1)) return null;
      if (o[0].k === 'reg' && o[0].size !== 8) return fail(o[0].sp, `${mt.text} needs a 64-bit register`);
      msz(0, 8);
      if (o[0].k === 'mem' && o[0].size !== 8) return fail(o[0].sp, `${mt.text} through memory needs a qword operand`);
      return o;
    case 'push': case 'pop':
      if (!count(1)) return null;
      if (mn === 'pop' && o[0].k === 'imm') return fail(o[0].sp, 'pop needs a register or memory destination');
      if (o[0].k === 'reg' && o[0].size !== 8) return fail(o[0].sp, `${mt.text} needs a 64-bit register`,
        `use ${regName(o[0].reg, 8)}`);
      msz(0, 8);
      if (o[0].k === 'mem' && o[0].size !== 8) return fail(o[0].sp, `${mt.text} needs a qword operand`);
      return o;
    case 'invlpg': case 'lidt': case 'lgdt':
      if (!count(1)) return null;
      if (o[0].k !== 'mem') return fail(o[0].sp, `${mt.text} takes a memory operand`, `write ${mt.text} [address]`);
      msz(0, 8);
      return o;
    case 'ltr':
      if (!count(1)) return null;
      if (o[0].k !== 'reg' || o[0].size < 2) return fail(o[0].sp, 'ltr takes a register holding the TSS selector');
      return o;
    case 'lea':
      if (!count(2) || !regOf(0, [2, 4, 8])) return null;
      if (o[1].k !== 'mem') return fail(o[1].sp, 'lea needs a memory operand', 'write lea reg, [address]');
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
        else return fail(s.sp, `${mt.text} needs the source size`, `write ${mt.text} ${describe(o[0])}, byte ptr [..] (or word ptr)`);
      }
      const ss = size(s)!, ds = size(o[0])!;
      const ok = mn === 'movsxd' ? ss === 4 : ss < ds && ss <= 2;
      if (!ok) return fail(s.sp, mn === 'movsxd' ? 'movsxd extends a 32-bit source' : `${mt.text} extends a smaller byte or word source into ${describe(o[0])}`,
        mn !== 'movsxd' && ss === 4 ? 'a dword source: movsxd (sign) or a plain mov to the 32-bit register (zero)' : undefined);
      return o;
    }
    case 'mov': return checkMov();
    case 'xchg':
      if (!count(2) || twoMem()) return null;
      for (let i = 0; i < 2; i++) if (o[i].k === 'imm') return no(i);
      if (o[0].k !== 'reg' && o[1].k !== 'reg') return fail(o[1].sp, 'xchg needs a register operand');
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
      if (o.length === 3 && o[2].k !== 'imm') return fail(o[2].sp, 'the third operand of imul must be an immediate');
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
    if (o[1].k !== 'reg') return fail(o[1].sp, `the bit offset of ${mt.text} is a register or an immediate`);
    return same(0, 1) ? o : null;
  }
  if (ALU.has(mn)) {
    if (!count(2) || twoMem() || immDst()) return null;
    if (o[1].k === 'imm') { msz(0, 8); return o; }
    return same(0, 1, o[1].k === 'mem' || o[0].k === 'mem' ? 'only mov loads a smaller memory operand (zero-extending it)' : undefined)
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
      return fail(n.sp, 'the shift count must be an immediate or cl');
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
        return fail(r.sp, 'a control register moves only to or from a 64-bit register');
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

function describe(x: OpAst): string {
  return x.k === 'reg' ? regName(x.reg, x.size, x.high)
    : x.k === 'mem' ? 'the memory operand' : KIND[x.k];
}
