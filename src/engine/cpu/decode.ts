// The CPU's decoded form of an instruction ("Op"): what the loader places in a frame's decoded-
// instruction table and the interpreter dispatches on. One table (OPC) drives both the executor
// and the trace's disassembly text. World: hardware (the front end).

import type { Instr, Operand } from '../asm/ir.ts';
import { BT_OPS, GRP3_OPS, STRING_OPS, condOf, stringOf } from '../asm/isa.ts';
import { specialise } from './fast.ts';
import type { LineTemplate } from '../trace/jsonbytes.ts';
import type { Block } from './block.ts';

/** Op codes, one per (mnemonic, operand form). Hot code copies them into local constants (see
 *  exec.ts): a module's exported object is read through an accessor under some loaders. */
export const OPC = {
  MOV_RR: 0, MOV_RI: 1, MOV_RM: 2, MOV_MR: 3, MOV_MI: 4, MOV_CR_R: 5, MOV_R_CR: 6, LEA: 7,
  PUSH_R: 8, PUSH_I: 9, PUSH_M: 10, POP_R: 11, POP_M: 12, XCHG_RR: 13, XCHG_RM: 14,
  ALU_RR: 15, ALU_RI: 16, ALU_RM: 17, ALU_MR: 18, ALU_MI: 19, UN_R: 20, UN_M: 21, SH_R: 22, SH_M: 23,
  IMUL2: 25, IMUL3: 26,
  JMP: 28, JMP_R: 29, JMP_M: 30, CALL: 31, CALL_R: 32, CALL_M: 33, RET: 34, JCC: 35, LOOP: 36,
  SYSCALL: 37, SYSRET: 38, INT: 39, INT3: 40, IRETQ: 41, HLT: 42, NOP: 43, PAUSE: 44, CPUID: 45,
  RDTSC: 46, RDMSR: 47, WRMSR: 48, VMCALL: 49, INVLPG: 50, CLI: 51, STI: 52, UD2: 53, LIDT: 54,
  LTR: 55, LGDT: 56, NATIVE: 57,
  /** mul/imul/div/idiv with one operand (sub = the F6/F7 /digit). */
  MULDIV: 58,
  /** movzx (sub 0), movsx and movsxd (sub 1): w = destination width, sw = source width. */
  MOVX: 59,
  CMOV: 60, SETCC: 61,
  /** bt/bts/btr/btc (sub = the 0F BA /digit), bsf (BSX sub 0) / bsr (sub 1), bswap. */
  BT: 62, BSX: 63, BSWAP: 64,
  PUSHF: 65, POPF: 66,
  /** cwd/cdq/cqo: sign of ax/eax/rax into dx/edx/rdx (w = 2, 4, 8). */
  CQO: 67,
  CLD: 68, STD: 69,
  /** String instructions (sub = the byte form's opcode A4/A6/AA/AC/AE; w = element size; rep). */
  STR: 70,
} as const;
export type OPC = (typeof OPC)[keyof typeof OPC];

/** ALU operations (ALU_*): the SDM's /digit (isa.ts ALU_OPS), and test. */
export const ALU = { add: 0, or: 1, adc: 2, sbb: 3, and: 4, sub: 5, xor: 6, cmp: 7, test: 8 } as const;
/** Unary operations (UN_*). */
export const UN = { not: 0, neg: 1, inc: 2, dec: 3 } as const;
/** Shifts and rotates (SH_*): the SDM's /digit (isa.ts SHIFT_OPS). */
export const SH = { rol: 0, ror: 1, rcl: 2, rcr: 3, shl: 4, shr: 5, sar: 7 } as const;
/** Register number of ah, ch, dh, bh in an Op: HIGH8 + 0..3 (bits 15:8 of rax..rbx). */
export const HIGH8 = 16;

export interface MemRef {
  base: number;   // register or -1
  index: number;  // register or -1
  shift: number;  // log2(scale)
  dlo: number; dhi: number; // displacement, 64-bit halves
  size: 1 | 2 | 4 | 8;
}

export interface Op {
  code: OPC;
  /** The interpreter's dispatch number: a specialised handler (fast.ts FAST), or code. */
  fast: number;
  /** Sub-operation: ALU / UN / SH / CC index. */
  sub: number;
  /** Operand width in bytes (register or memory destination). */
  w: 1 | 2 | 4 | 8;
  /** Destination and source registers (or -1); for MOV_CR_* the control register number in cr. */
  d: number; s: number; cr: number;
  /** Immediate (or branch target / vector) as 64-bit halves, and as a number when small. */
  ilo: number; ihi: number; imm: number;
  m: MemRef | null;
  /** Shift count from CL (SH_*), or the immediate. */
  byCl: boolean;
  addr: number; len: number; next: number;
  /** Direct branches: target - (addr + len), so code runs correctly wherever it is mapped. */
  rel: number;
  /** Source width (MOVX); the memory operand is the destination (generic r/m forms); rep prefix
   *  (1 rep/repe, 2 repne). */
  sw: 1 | 2 | 4 | 8; mdst: boolean; rep: 0 | 1 | 2;
  text: string;
  line: number;
  /** For NATIVE: the routine. It receives the machine and returns nothing; it sets RIP itself. */
  native: ((m: never) => void) | null;
  name: string;
  /** The address as the trace prints it, cached on first use. */
  ripHex?: string;
  /** The constant middle of this instruction's JSON trace line (JsonLinesSink), cached on first use. */
  jsonMid?: string;
  /** Its whole line as bytes, with room for the numbers (JsonLinesBytes), cached on first use. */
  jsonLine?: LineTemplate;
  /** The check-free block starting here (block.ts), built once the op is hot; null: none can. */
  blk?: Block | null;
  /** Times runBatch fetched the op before it had a block (block.ts HOT). */
  hits?: number;
}

function blank(addr: number, len: number, text: string, line: number): Op {
  return { code: OPC.NOP, fast: OPC.NOP, sub: 0, w: 8, d: -1, s: -1, cr: 0, ilo: 0, ihi: 0, imm: 0, m: null, byCl: false,
    addr, len, next: addr + len, rel: 0, sw: 8, mdst: false, rep: 0, text, line, native: null, name: '', ripHex: undefined, jsonMid: undefined, jsonLine: undefined, blk: undefined, hits: 0 };
}

const halves = (v: bigint) => [Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn)] as const;

function mem(o: Extract<Operand, { kind: 'mem' }>): MemRef {
  const [dlo, dhi] = halves(BigInt.asUintN(64, o.disp));
  return { base: o.rip ? -1 : o.base ?? -1, index: o.index ?? -1, shift: [0, 0, 1, 0, 2, 0, 0, 0, 3][o.scale],
    dlo, dhi, size: o.size };
}

/** A NATIVE op at addr: a routine the simulator provides (kernel entry, libdune function). */
export function nativeOp(addr: number, name: string, fn: (m: never) => void): Op {
  const op = blank(addr, 1, name, 0);
  op.code = OPC.NATIVE; op.fast = OPC.NATIVE; op.native = fn; op.name = name;
  return op;
}

/** Decode an assembled instruction. The assembler has validated the operand forms. */
export function decode(ins: Instr): Op {
  const op = decodeForm(ins);
  op.fast = specialise(op);
  return op;
}

function decodeForm(ins: Instr): Op {
  const op = blank(ins.addr, ins.len, ins.text, ins.line);
  const [a, b, c] = ins.ops;
  const setImm = (o: Operand | undefined) => {
    if (o && o.kind === 'imm') {
      const [l, h] = halves(o.value);
      op.ilo = l; op.ihi = h; op.imm = h * 4294967296 + l;
    }
  };
  const width = (o: Operand | undefined): 1 | 2 | 4 | 8 => (o?.kind === 'reg' ? o.size : o?.kind === 'mem' ? o.size : 8);
  const R = (o: Operand | undefined) => (o?.kind === 'reg' ? (o.high ? HIGH8 + o.reg : o.reg) : -1);
  const M = (o: Operand | undefined) => mem(o as Extract<Operand, { kind: 'mem' }>);
  /** dst r/m, src r/m/imm: the generic form of the newer ops (mdst when the r/m is memory). */
  const rm2 = (code: OPC) => {
    op.code = code; op.w = width(a);
    if (a.kind === 'mem') { op.m = M(a); op.mdst = true; } else op.d = R(a);
    if (b?.kind === 'mem') op.m = M(b); else if (b?.kind === 'reg') op.s = R(b); else setImm(b);
  };
  const mn = ins.mnemonic;
  const cc = condOf(mn), str = stringOf(mn);
  op.name = mn;
  if (str) {
    op.code = OPC.STR; op.sub = STRING_OPS[str.op]; op.w = str.size; op.rep = ins.rep ?? 0;
    return op;
  }
  if (cc >= 0) {
    op.sub = cc;
    if (mn[0] === 'j') { op.code = OPC.JCC; setImm(a); op.rel = op.imm - op.next; }
    else if (mn[0] === 's') rm2(OPC.SETCC);
    else rm2(OPC.CMOV);
    return op;
  }
  switch (mn) {
    case 'mov':
      if (a.kind === 'cr') { op.code = OPC.MOV_CR_R; op.cr = a.cr; op.s = R(b); break; }
      if (b.kind === 'cr') { op.code = OPC.MOV_R_CR; op.cr = b.cr; op.d = R(a); break; }
      if (a.kind === 'reg') {
        op.d = R(a); op.w = a.size;
        if (b.kind === 'reg') { op.code = OPC.MOV_RR; op.s = R(b); }
        else if (b.kind === 'imm') { op.code = OPC.MOV_RI; setImm(b); }
        else if (b.kind === 'mem') { op.code = OPC.MOV_RM; op.m = mem(b); }
      } else if (a.kind === 'mem') {
        op.m = mem(a); op.w = a.size;
        if (b.kind === 'reg') { op.code = OPC.MOV_MR; op.s = R(b); }
        else { op.code = OPC.MOV_MI; setImm(b); }
      }
      break;
    case 'lea': op.code = OPC.LEA; op.d = R(a); op.w = width(a); op.m = M(b); break;
    case 'push':
      if (a.kind === 'reg') { op.code = OPC.PUSH_R; op.s = a.reg; }
      else if (a.kind === 'imm') { op.code = OPC.PUSH_I; setImm(a); }
      else if (a.kind === 'mem') { op.code = OPC.PUSH_M; op.m = mem(a); op.m.size = 8; }
      break;
    case 'pop':
      if (a.kind === 'reg') { op.code = OPC.POP_R; op.d = a.reg; }
      else if (a.kind === 'mem') { op.code = OPC.POP_M; op.m = mem(a); op.m.size = 8; }
      break;
    case 'xchg':
      op.w = width(a);
      if (a.kind === 'reg' && b.kind === 'reg') { op.code = OPC.XCHG_RR; op.d = R(a); op.s = R(b); }
      else if (a.kind === 'reg' && b.kind === 'mem') { op.code = OPC.XCHG_RM; op.d = R(a); op.m = mem(b); }
      else if (a.kind === 'mem' && b.kind === 'reg') { op.code = OPC.XCHG_RM; op.d = R(b); op.m = mem(a); op.w = width(b); }
      break;
    case 'add': case 'or': case 'adc': case 'sbb': case 'and': case 'sub': case 'xor': case 'cmp': case 'test':
      op.sub = ALU[mn]; op.w = width(a);
      if (a.kind === 'reg') {
        op.d = R(a);
        if (b.kind === 'reg') { op.code = OPC.ALU_RR; op.s = R(b); }
        else if (b.kind === 'imm') { op.code = OPC.ALU_RI; setImm(b); }
        else if (b.kind === 'mem') { op.code = OPC.ALU_RM; op.m = mem(b); }
      } else if (a.kind === 'mem') {
        op.m = mem(a);
        if (b.kind === 'reg') { op.code = OPC.ALU_MR; op.s = R(b); }
        else { op.code = OPC.ALU_MI; setImm(b); }
      }
      break;
    case 'not': case 'neg': case 'inc': case 'dec':
      op.sub = UN[mn]; op.w = width(a);
      if (a.kind === 'reg') { op.code = OPC.UN_R; op.d = R(a); } else { op.code = OPC.UN_M; op.m = M(a); }
      break;
    case 'rol': case 'ror': case 'rcl': case 'rcr': case 'shl': case 'shr': case 'sar':
      op.sub = SH[mn]; op.w = width(a);
      if (b.kind === 'reg') op.byCl = true;
      else setImm(b);
      if (a.kind === 'reg') { op.code = OPC.SH_R; op.d = R(a); } else { op.code = OPC.SH_M; op.m = M(a); }
      break;
    case 'imul':
      if (!b) { rm2(OPC.MULDIV); op.sub = GRP3_OPS.imul; break; }
      op.w = width(a);
      op.code = c ? OPC.IMUL3 : OPC.IMUL2; op.d = R(a);
      if (b.kind === 'reg') op.s = R(b); else if (b.kind === 'mem') op.m = mem(b);
      setImm(c);
      break;
    case 'mul': case 'div': case 'idiv': rm2(OPC.MULDIV); op.sub = GRP3_OPS[mn]; break;
    case 'movzx': case 'movsx': case 'movsxd':
      rm2(OPC.MOVX); op.sub = mn === 'movzx' ? 0 : 1; op.sw = width(b);
      break;
    case 'bt': case 'bts': case 'btr': case 'btc': rm2(OPC.BT); op.sub = BT_OPS[mn]; break;
    case 'bsf': case 'bsr': rm2(OPC.BSX); op.sub = mn === 'bsf' ? 0 : 1; break;
    case 'bswap': rm2(OPC.BSWAP); break;
    case 'pushfq': op.code = OPC.PUSHF; break;
    case 'popfq': op.code = OPC.POPF; break;
    case 'cqo': op.code = OPC.CQO; op.w = 8; break;
    case 'cdq': op.code = OPC.CQO; op.w = 4; break;
    case 'cwd': op.code = OPC.CQO; op.w = 2; break;
    case 'cld': op.code = OPC.CLD; break;
    case 'std': op.code = OPC.STD; break;
    case 'jmp': case 'call': {
      const base = mn === 'jmp' ? OPC.JMP : OPC.CALL;
      if (a.kind === 'imm') { op.code = base; setImm(a); }
      else if (a.kind === 'reg') { op.code = (base + 1) as OPC; op.s = a.reg; }
      else { op.code = (base + 2) as OPC; op.m = M(a); op.m.size = 8; }
      break;
    }
    case 'ret': op.code = OPC.RET; setImm(a); break;
    case 'loop': op.code = OPC.LOOP; setImm(a); break;
    case 'syscall': op.code = OPC.SYSCALL; break;
    case 'sysretq': op.code = OPC.SYSRET; break;
    case 'int': op.code = OPC.INT; setImm(a); op.imm &= 0xff; break;
    case 'int3': op.code = OPC.INT3; break;
    case 'iretq': op.code = OPC.IRETQ; break;
    case 'hlt': op.code = OPC.HLT; break;
    case 'nop': op.code = OPC.NOP; break;
    case 'pause': op.code = OPC.PAUSE; break;
    case 'cpuid': op.code = OPC.CPUID; break;
    case 'rdtsc': op.code = OPC.RDTSC; break;
    case 'rdmsr': op.code = OPC.RDMSR; break;
    case 'wrmsr': op.code = OPC.WRMSR; break;
    case 'vmcall': op.code = OPC.VMCALL; break;
    case 'invlpg': op.code = OPC.INVLPG; op.m = M(a); break;
    case 'cli': op.code = OPC.CLI; break;
    case 'sti': op.code = OPC.STI; break;
    case 'ud2': op.code = OPC.UD2; break;
    case 'lidt': op.code = OPC.LIDT; op.m = M(a); break;
    case 'lgdt': op.code = OPC.LGDT; op.m = M(a); break;
    case 'ltr': op.code = OPC.LTR; op.s = (a as { reg: number }).reg; break;
    default:
      throw new Error(`decode: no form for ${mn}`);
  }
  if (op.code === OPC.JMP || op.code === OPC.CALL || op.code === OPC.LOOP) op.rel = op.imm - op.next;
  return op;
}
