// Guest assembler: x86-64 machine encoding (SDM Vol. 2, "Instruction Format": prefixes, REX,
// opcode, ModR/M, SIB, displacement, immediate) of one instruction with evaluated operands.

import type { Mnemonic, Operand } from './ir.ts';
import { asm, type AsmMsg } from './messages.ts';
import { ALU_OPS, BT_OPS, GRP3_OPS, SHIFT_OPS, STRING_OPS, condOf, regName, stringOf } from './isa.ts';

/** The widths picked for the variable fields. Layout passes only let them grow, so addresses
 *  converge; a wider field always encodes a value a narrower one would. */
export interface Widths { imm: number; disp: number; rel: number }

export type EncResult =
  | { ok: true; bytes: number[]; w: Widths }
  | { ok: false; op: number; message: AsmMsg; hint?: AsmMsg };

class Bad { constructor(readonly op: number, readonly message: AsmMsg, readonly hint?: AsmMsg) {} }

const FIXED: Partial<Record<Mnemonic, number[]>> = {
  nop: [0x90], hlt: [0xf4], int3: [0xcc], cli: [0xfa], sti: [0xfb], pause: [0xf3, 0x90],
  syscall: [0x0f, 0x05], sysretq: [0x48, 0x0f, 0x07], iretq: [0x48, 0xcf], cpuid: [0x0f, 0xa2],
  rdtsc: [0x0f, 0x31], rdmsr: [0x0f, 0x32], wrmsr: [0x0f, 0x30], ud2: [0x0f, 0x0b],
  vmcall: [0x0f, 0x01, 0xc1], pushfq: [0x9c], popfq: [0x9d], cqo: [0x48, 0x99], cdq: [0x99], cwd: [0x66, 0x99],
  cld: [0xfc], std: [0xfd],
};

const s = (v: bigint) => BigInt.asIntN(64, v);
const fits = (v: bigint, bits: number) => s(v) >= -(1n << BigInt(bits - 1)) && s(v) < 1n << BigInt(bits - 1);
export function fmtNum(v: bigint): string {
  const x = s(v);
  return x < 0x10000n ? x.toString() : '0x' + x.toString(16);
}

interface Form {
  p66?: boolean; w?: boolean; rex40?: boolean;
  /** F3 (rep/repe) or F2 (repne) before everything else. */
  rep?: 1 | 2;
  op: number[];
  /** ModR/M: reg field (a register number or the /digit), and the r/m operand with its index. */
  reg?: number; rm?: Operand; rmi?: number;
  /** Register added to the last opcode byte (50+r, B8+r, 90+r). */
  plus?: number;
  imm?: bigint; immN?: number;
  rel?: bigint; relN?: 1 | 4; relOp?: number;
}

export function encode(mn: Mnemonic, ops: Operand[], addr: number, min: Widths, rep?: 1 | 2): EncResult {
  try {
    const w: Widths = { imm: 0, disp: 0, rel: 0 };
    const f = form(mn, ops, addr, min, w);
    if (rep) f.rep = rep;
    return { ok: true, bytes: build(f, ops, addr, min, w), w };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, op: e.op, message: e.message, hint: e.hint };
    throw e;
  }
}

/** A register's number in ModR/M, SIB or the opcode: ah, ch, dh, bh are 4..7 (without REX). */
const regNo = (x: Operand) => (x.kind === 'reg' ? (x.high ? x.reg + 4 : x.reg) : 0);
const sizeOf = (o: Operand): number => (o.kind === 'reg' || o.kind === 'mem' ? o.size : 8);

/** Checks that v fits an n-byte immediate of an n-byte operation. A qword operation takes a
 *  sign-extended imm32, so its range is the signed 32-bit one. */
function checkImm(v: bigint, n: number, op: number): void {
  const bits = n * 8;
  const ok = n === 8 ? fits(v, 32) : s(v) >= -(1n << BigInt(bits - 1)) && s(v) < 1n << BigInt(bits);
  if (!ok) {
    throw new Bad(op, asm('imm-not-fit', { v: fmtNum(v), bits: n === 8 ? 0 : bits }), n === 8 ? asm('imm64-mov') : undefined);
  }
}

function form(mn: Mnemonic, o: Operand[], addr: number, min: Widths, w: Widths): Form {
  const fixed = FIXED[mn];
  if (fixed) return { op: fixed };
  const [a, b] = o;
  const n = a ? sizeOf(a) : 8;
  const base = (f: Form, size = n): Form => ({ p66: size === 2, w: size === 8, ...f });
  /** The byte form of an opcode pair (even) or the word/dword/qword form (odd). */
  const bw = (op: number) => (n === 1 ? op : op + 1);
  const imm8or32 = (v: bigint): number => (fits(v, 8) && min.imm <= 1 ? 1 : 4);
  const str = stringOf(mn);
  if (str) return base({ op: [STRING_OPS[str.op] + (str.size === 1 ? 0 : 1)] }, str.size);
  const cc = condOf(mn);
  if (cc >= 0) {
    if (mn.startsWith('set')) return { op: [0x0f, 0x90 + cc], reg: 0, rm: a, rmi: 0 };
    if (mn.startsWith('cmov')) return base({ op: [0x0f, 0x40 + cc], reg: regNo(a), rm: b, rmi: 1 });
    return branch(a, addr, min, w, [0x70 + cc], [0x0f, 0x80 + cc]);
  }
  switch (mn) {
    case 'ret': {
      if (!a) return { op: [0xc3] };
      const v = (a as { value: bigint }).value;
      if (v > 0xffffn) throw new Bad(0, asm('ret-range', { v: fmtNum(v) }));
      return { op: [0xc2], imm: v, immN: 2 };
    }
    case 'int': {
      const v = (a as { value: bigint }).value;
      if (v > 255n) throw new Bad(0, asm('int-range', { v: fmtNum(v) }));
      return { op: [0xcd], imm: v, immN: 1 };
    }
    case 'jmp':
      if (a.kind === 'imm') return branch(a, addr, min, w, [0xeb], [0xe9]);
      return { op: [0xff], reg: 4, rm: a, rmi: 0 };
    case 'call':
      if (a.kind === 'imm') return { op: [0xe8], rel: a.value, relN: 4, relOp: 0 };
      return { op: [0xff], reg: 2, rm: a, rmi: 0 };
    case 'loop': return { op: [0xe2], rel: (a as { value: bigint }).value, relN: 1, relOp: 0 };
    case 'push':
      if (a.kind === 'reg') return { op: [0x50], plus: a.reg };
      if (a.kind === 'mem') return { op: [0xff], reg: 6, rm: a, rmi: 0 };
      if (a.kind === 'imm') {
        checkImm(a.value, 8, 0);
        w.imm = imm8or32(a.value);
        return { op: [w.imm === 1 ? 0x6a : 0x68], imm: a.value, immN: w.imm };
      }
      break;
    case 'pop':
      if (a.kind === 'reg') return { op: [0x58], plus: a.reg };
      return { op: [0x8f], reg: 0, rm: a, rmi: 0 };
    case 'invlpg': return { op: [0x0f, 0x01], reg: 7, rm: a, rmi: 0 };
    case 'lgdt': return { op: [0x0f, 0x01], reg: 2, rm: a, rmi: 0 };
    case 'lidt': return { op: [0x0f, 0x01], reg: 3, rm: a, rmi: 0 };
    case 'ltr': return { op: [0x0f, 0x00], reg: 3, rm: { ...a, size: 2 } as Operand, rmi: 0 };
    case 'lea': return base({ op: [0x8d], reg: regNo(a), rm: b, rmi: 1 });
    case 'mov': return mov(a, b, min, w);
    case 'movzx': case 'movsx':
      return base({ op: [0x0f, (mn === 'movzx' ? 0xb6 : 0xbe) + (sizeOf(b) === 2 ? 1 : 0)], reg: regNo(a), rm: b, rmi: 1 });
    case 'movsxd': return base({ op: [0x63], reg: regNo(a), rm: b, rmi: 1 });
    case 'bswap': return base({ op: [0x0f, 0xc8], plus: regNo(a) });
    case 'bsf': case 'bsr': return base({ op: [0x0f, mn === 'bsf' ? 0xbc : 0xbd], reg: regNo(a), rm: b, rmi: 1 });
    case 'bt': case 'bts': case 'btr': case 'btc': {
      const d = BT_OPS[mn];
      if (b.kind === 'reg') return base({ op: [0x0f, 0xa3 + 8 * (d - 4)], reg: b.reg, rm: a, rmi: 0 });
      const v = (b as { value: bigint }).value;
      if (v > 255n) throw new Bad(1, asm('bit-offset-range', { v: fmtNum(v) }));
      return base({ op: [0x0f, 0xba], reg: d, rm: a, rmi: 0, imm: v, immN: 1 });
    }
    case 'xchg': {
      // reg, reg: the second operand goes in ModR/M.reg, as for mov (xchg rbx, rcx = 48 87 CB).
      const [r, x] = (b.kind === 'reg' ? [b, a] : [a, b]) as [Operand & { kind: 'reg' }, Operand];
      const ri = b.kind === 'reg' ? 0 : 1;
      // 90+r when one side is rax/eax/ax (but xchg eax, eax must zero-extend, so it is 87 C0).
      if (n > 1 && x.kind === 'reg' && (r.reg === 0 || x.reg === 0) && !(n === 4 && r.reg === 0 && x.reg === 0))
        return base({ op: [0x90], plus: r.reg === 0 ? x.reg : r.reg });
      return base({ op: [bw(0x86)], reg: regNo(r), rm: x, rmi: ri });
    }
    case 'test':
      if (b.kind === 'imm') {
        checkImm(b.value, n, 1);
        const immN = Math.min(n, 4);
        if (a.kind === 'reg' && a.reg === 0 && !a.high) return base({ op: [bw(0xa8)], imm: b.value, immN });
        return base({ op: [bw(0xf6)], reg: 0, rm: a, rmi: 0, imm: b.value, immN });
      }
      if (a.kind === 'reg' && b.kind === 'mem') return base({ op: [bw(0x84)], reg: regNo(a), rm: b, rmi: 1 });
      return base({ op: [bw(0x84)], reg: regNo(b), rm: a, rmi: 0 });
    case 'imul':
      if (o.length === 2) return base({ op: [0x0f, 0xaf], reg: regNo(a), rm: b, rmi: 1 });
      if (o.length === 3) {
        const v = (o[2] as { value: bigint }).value;
        checkImm(v, n, 2);
        w.imm = imm8or32(BigInt.asIntN(n * 8, v));
        return base({ op: [w.imm === 1 ? 0x6b : 0x69], reg: regNo(a), rm: b, rmi: 1, imm: v, immN: w.imm === 1 ? 1 : Math.min(n, 4) });
      }
      return base({ op: [bw(0xf6)], reg: GRP3_OPS.imul, rm: a, rmi: 0 });
    case 'mul': case 'div': case 'idiv': case 'not': case 'neg':
      return base({ op: [bw(0xf6)], reg: GRP3_OPS[mn], rm: a, rmi: 0 });
    case 'inc': case 'dec':
      return base({ op: [bw(0xfe)], reg: mn === 'inc' ? 0 : 1, rm: a, rmi: 0 });
  }
  const sh = (SHIFT_OPS as readonly string[]).indexOf(mn);
  if (sh >= 0) {
    if (b.kind === 'reg') return base({ op: [bw(0xd2)], reg: sh, rm: a, rmi: 0 }); // by cl
    const v = (b as { value: bigint }).value;
    if (v > 255n) throw new Bad(1, asm('shift-range', { v: fmtNum(v) }));
    w.imm = v === 1n && min.imm === 0 ? 0 : 1;
    if (w.imm === 0) return base({ op: [bw(0xd0)], reg: sh, rm: a, rmi: 0 });
    return base({ op: [bw(0xc0)], reg: sh, rm: a, rmi: 0, imm: v, immN: 1 });
  }
  const row = (ALU_OPS as readonly string[]).indexOf(mn);
  if (row >= 0) {
    if (b.kind === 'imm') {
      checkImm(b.value, n, 1);
      const acc = a.kind === 'reg' && a.reg === 0 && !a.high;
      if (n === 1) return acc ? { op: [row * 8 + 4], imm: b.value, immN: 1 } : base({ op: [0x80], reg: row, rm: a, rmi: 0, imm: b.value, immN: 1 });
      w.imm = imm8or32(BigInt.asIntN(n * 8, b.value));
      if (w.imm === 1) return base({ op: [0x83], reg: row, rm: a, rmi: 0, imm: b.value, immN: 1 });
      const immN = Math.min(n, 4);
      // The short accumulator form (05, 3D, ...) that NASM and GAS pick for rax/eax/ax.
      if (acc) return base({ op: [row * 8 + 5], imm: b.value, immN });
      return base({ op: [0x81], reg: row, rm: a, rmi: 0, imm: b.value, immN });
    }
    if (a.kind === 'reg' && b.kind === 'mem') return base({ op: [row * 8 + bw(2)], reg: regNo(a), rm: b, rmi: 1 });
    return base({ op: [row * 8 + bw(0)], reg: regNo(b), rm: a, rmi: 0 });
  }
  throw new Bad(-1, asm('no-encoding', { mn }));
}

/** jmp/jcc to a label: rel8 (short) when the target is in range and no earlier pass needed rel32;
 *  widths only grow between passes, so layout converges (docs/guest-asm.md). */
function branch(a: Operand, addr: number, min: Widths, w: Widths, short: number[], near: number[]): Form {
  const t = (a as { value: bigint }).value;
  const d = s(t) - BigInt(addr + short.length + 1);
  if (min.rel < 4 && fits(d, 8)) { w.rel = 1; return { op: short, rel: t, relN: 1, relOp: 0 }; }
  w.rel = 4;
  return { op: near, rel: t, relN: 4, relOp: 0 };
}

function mov(a: Operand, b: Operand, min: Widths, w: Widths): Form {
  if (a.kind === 'cr' && b.kind === 'reg') return { op: [0x0f, 0x22], reg: a.cr, rm: b, rmi: 1 };
  if (b.kind === 'cr' && a.kind === 'reg') return { op: [0x0f, 0x20], reg: b.cr, rm: a, rmi: 0 };
  if (b.kind === 'imm') {
    const v = b.value;
    if (a.kind === 'reg' && a.size < 8) {
      checkImm(v, a.size, 1);
      return { p66: a.size === 2, op: [a.size === 1 ? 0xb0 : 0xb8], plus: regNo(a), imm: v, immN: a.size };
    }
    if (a.kind === 'reg') {
      // C7 /0 with a sign-extended imm32 when it fits, else the 10-byte B8+r imm64 (movabs).
      w.imm = fits(v, 32) && min.imm <= 4 ? 4 : 8;
      if (w.imm === 8) return { w: true, op: [0xb8], plus: a.reg, imm: v, immN: 8 };
      return { w: true, op: [0xc7], reg: 0, rm: a, rmi: 0, imm: v, immN: 4 };
    }
    const n = sizeOf(a);
    checkImm(v, n, 1);
    return { p66: n === 2, w: n === 8, op: [n === 1 ? 0xc6 : 0xc7], reg: 0, rm: a, rmi: 0, imm: v, immN: Math.min(n, 4) };
  }
  if (a.kind === 'reg' && b.kind === 'reg') return { p66: a.size === 2, w: a.size === 8, op: [a.size === 1 ? 0x88 : 0x89], reg: regNo(b), rm: a, rmi: 0 };
  if (a.kind === 'reg' && b.kind === 'mem') {
    // A smaller load into a 32/64-bit register zero-extends: movzx (0F B6 / 0F B7), or a 32-bit mov for a dword.
    if (a.size >= 4 && (b.size === 1 || b.size === 2)) return { w: a.size === 8, op: [0x0f, b.size === 1 ? 0xb6 : 0xb7], reg: a.reg, rm: b, rmi: 1 };
    return { p66: b.size === 2, w: b.size === 8, op: [b.size === 1 ? 0x8a : 0x8b], reg: regNo(a), rm: b, rmi: 1 };
  }
  if (a.kind === 'mem' && b.kind === 'reg') {
    // A smaller store writes the register's low bytes (88 with REX for spl..dil, 66 89, 89).
    const byteReg = a.size === 1 && b.size > 1 && b.reg >= 4 && b.reg < 8; // spl..dil
    return { p66: a.size === 2, w: a.size === 8, op: [a.size === 1 ? 0x88 : 0x89], reg: regNo(b), rm: a, rmi: 0, rex40: byteReg };
  }
  throw new Bad(1, asm('mov-form'));
}

function build(f: Form, ops: Operand[], addr: number, min: Widths, w: Widths): number[] {
  const out: number[] = [];
  // Legacy prefixes may come in any order; this is GNU as's (66 before F3/F2).
  if (f.p66) out.push(0x66);
  if (f.rep) out.push(f.rep === 1 ? 0xf3 : 0xf2);
  let rex = f.w ? 8 : 0;
  // spl, bpl, sil, dil exist only with a REX prefix; ah, ch, dh, bh only without one.
  let rex40 = !!f.rex40;
  for (const x of ops) if (x.kind === 'reg' && x.size === 1 && !x.high && x.reg >= 4 && x.reg < 8) rex40 = true;
  let modrm: number[] = [];
  let dispN = 0, dispV = 0n, ripTarget: bigint | null = null;
  if (f.reg !== undefined && f.rm) {
    const r3 = (f.reg & 7) << 3;
    if (f.reg >= 8) rex |= 4;
    const m = f.rm;
    if (m.kind === 'reg') {
      if (m.reg >= 8) rex |= 1;
      modrm = [0xc0 | r3 | (regNo(m) & 7)];
    } else if (m.kind === 'mem') {
      const ss = [1, 2, 4, 8].indexOf(m.scale);
      if (m.rip) {
        modrm = [0x05 | r3];
        dispN = 4;
        ripTarget = m.disp;
      } else {
        if (!fits(m.disp, 32)) {
          throw new Bad(f.rmi ?? 0, m.base === null && m.index === null
            ? asm('address-disp32', { v: fmtNum(m.disp) }) : asm('disp32', { v: fmtNum(m.disp) }), asm('address-register'));
        }
        dispV = m.disp;
        if (m.index !== null && m.index >= 8) rex |= 2;
        if (m.base === null) {
          // No base: ModR/M rm=100 with SIB base=101 means [index*scale + disp32].
          modrm = [0x04 | r3, (ss << 6) | ((m.index ?? 4) & 7) << 3 | 5];
          dispN = 4;
        } else {
          if (m.base >= 8) rex |= 1;
          // rbp/r13 as base has no disp-less form (mod=00 rm=101 means rip/disp32).
          const need = dispV === 0n && (m.base & 7) !== 5 ? 0 : fits(dispV, 8) ? 1 : 4;
          dispN = Math.max(need, min.disp);
          const mod = dispN === 0 ? 0 : dispN === 1 ? 0x40 : 0x80;
          if (m.index !== null || (m.base & 7) === 4) {
            modrm = [mod | r3 | 4, (ss << 6) | ((m.index ?? 4) & 7) << 3 | (m.base & 7)];
          } else {
            modrm = [mod | r3 | (m.base & 7)];
          }
          w.disp = dispN;
        }
      }
    }
  }
  if (f.plus !== undefined && f.plus >= 8) rex |= 1;
  const hi = ops.findIndex(x => x.kind === 'reg' && x.high);
  if (hi >= 0 && (rex || rex40)) {
    const why = rex40 && !rex ? 'byte-regs' : rex & 8 ? 'w' : 'r8';
    throw new Bad(hi, asm('high-byte-rex', { reg: regName((ops[hi] as { reg: number }).reg, 1, true), why }), asm('high-byte-sdm'));
  }
  if (rex || rex40) out.push(0x40 | rex);
  const op = [...f.op];
  if (f.plus !== undefined) op[op.length - 1] += f.plus & 7;
  out.push(...op, ...modrm);
  const dispAt = out.length;
  for (let i = 0; i < dispN; i++) out.push(Number((BigInt.asUintN(64, dispV) >> BigInt(8 * i)) & 0xffn));
  if (f.imm !== undefined) {
    for (let i = 0; i < (f.immN ?? 0); i++) out.push(Number((BigInt.asUintN(64, f.imm) >> BigInt(8 * i)) & 0xffn));
  }
  const relAt = out.length;
  if (f.rel !== undefined) for (let i = 0; i < (f.relN ?? 0); i++) out.push(0);
  const end = BigInt(addr + out.length);
  if (ripTarget !== null) {
    const d = s(ripTarget) - end;
    if (!fits(d, 32)) throw new Bad(f.rmi ?? 0, asm('rip-far', { v: fmtNum(ripTarget) }));
    put(out, dispAt, d, 4);
  }
  if (f.rel !== undefined) {
    const d = s(f.rel) - end;
    if (!fits(d, f.relN === 1 ? 8 : 32)) {
      throw new Bad(f.relOp ?? 0, f.relN === 1 ? asm('loop-range', { d: String(d) }) : asm('branch-far', { v: fmtNum(f.rel) }));
    }
    put(out, relAt, d, f.relN ?? 4);
  }
  return out;
}

function put(out: number[], at: number, v: bigint, n: number): void {
  for (let i = 0; i < n; i++) out[at + i] = Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn);
}
