// The CPU's decoded form of an instruction ("Op"): what the loader places in a frame's decoded-
// instruction table and the interpreter dispatches on. One table (OPC) drives both the executor
// and the trace's disassembly text. World: hardware (the front end).

import type { Instr, Operand } from '../asm/ir.ts';

/** Op codes, one per (mnemonic, operand form). Hot code copies them into local constants (see
 *  exec.ts): a module's exported object is read through an accessor under some loaders. */
export const OPC = {
  MOV_RR: 0,
  MOV_RI: 1,
  MOV_RM: 2,
  MOV_MR: 3,
  MOV_MI: 4,
  MOV_CR_R: 5,
  MOV_R_CR: 6,
  LEA: 7,
  PUSH_R: 8,
  PUSH_I: 9,
  PUSH_M: 10,
  POP_R: 11,
  POP_M: 12,
  XCHG_RR: 13,
  XCHG_RM: 14,
  ALU_RR: 15,
  ALU_RI: 16,
  ALU_RM: 17,
  ALU_MR: 18,
  ALU_MI: 19,
  UN_R: 20,
  UN_M: 21,
  SH_R: 22,
  SH_M: 23,
  IMUL1: 24,
  IMUL2: 25,
  IMUL3: 26,
  DIV: 27,
  JMP: 28,
  JMP_R: 29,
  JMP_M: 30,
  CALL: 31,
  CALL_R: 32,
  CALL_M: 33,
  RET: 34,
  JCC: 35,
  LOOP: 36,
  SYSCALL: 37,
  SYSRET: 38,
  INT: 39,
  INT3: 40,
  IRETQ: 41,
  HLT: 42,
  NOP: 43,
  PAUSE: 44,
  CPUID: 45,
  RDTSC: 46,
  RDMSR: 47,
  WRMSR: 48,
  VMCALL: 49,
  INVLPG: 50,
  CLI: 51,
  STI: 52,
  UD2: 53,
  LIDT: 54,
  LTR: 55,
  LGDT: 56,
  NATIVE: 57,
} as const;
export type OPC = (typeof OPC)[keyof typeof OPC];

/** ALU operations (ALU_*): add sub and or xor cmp test. */
export const ALU = { add: 0, sub: 1, and: 2, or: 3, xor: 4, cmp: 5, test: 6 } as const;
/** Unary operations (UN_*). */
export const UN = { not: 0, neg: 1, inc: 2, dec: 3 } as const;
/** Shifts (SH_*). */
export const SH = { shl: 0, shr: 1, sar: 2 } as const;
/** Condition codes (JCC). */
export const CC = { je: 0, jne: 1, jl: 2, jle: 3, jg: 4, jge: 5, jb: 6, jbe: 7, ja: 8, jae: 9, js: 10, jns: 11 } as const;

export interface MemRef {
  base: number;   // register or -1
  index: number;  // register or -1
  shift: number;  // log2(scale)
  dlo: number; dhi: number; // displacement, 64-bit halves
  size: 1 | 2 | 4 | 8;
}

export interface Op {
  code: OPC;
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
  text: string;
  line: number;
  /** For NATIVE: the routine. It receives the machine and returns nothing; it sets RIP itself. */
  native: ((m: never) => void) | null;
  name: string;
  /** The address as the trace prints it, cached on first use. */
  ripHex?: string;
}

function blank(addr: number, len: number, text: string, line: number): Op {
  return { code: OPC.NOP, sub: 0, w: 8, d: -1, s: -1, cr: 0, ilo: 0, ihi: 0, imm: 0, m: null, byCl: false,
    addr, len, next: addr + len, rel: 0, text, line, native: null, name: '', ripHex: undefined };
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
  op.code = OPC.NATIVE; op.native = fn; op.name = name;
  return op;
}

/** Decode an assembled instruction. The assembler has validated the operand forms. */
export function decode(ins: Instr): Op {
  const op = blank(ins.addr, ins.len, ins.text, ins.line);
  const [a, b, c] = ins.ops;
  const setImm = (o: Operand | undefined) => {
    if (o && o.kind === 'imm') {
      const [l, h] = halves(o.value);
      op.ilo = l; op.ihi = h; op.imm = h * 4294967296 + l;
    }
  };
  const width = (o: Operand | undefined): 1 | 2 | 4 | 8 => (o?.kind === 'reg' ? o.size : o?.kind === 'mem' ? o.size : 8);
  const mn = ins.mnemonic;
  switch (mn) {
    case 'mov':
      if (a.kind === 'cr') { op.code = OPC.MOV_CR_R; op.cr = a.cr; op.s = (b as { reg: number }).reg; break; }
      if (b.kind === 'cr') { op.code = OPC.MOV_R_CR; op.cr = b.cr; op.d = (a as { reg: number }).reg; break; }
      if (a.kind === 'reg') {
        op.d = a.reg; op.w = a.size;
        if (b.kind === 'reg') { op.code = OPC.MOV_RR; op.s = b.reg; }
        else if (b.kind === 'imm') { op.code = OPC.MOV_RI; setImm(b); }
        else if (b.kind === 'mem') { op.code = OPC.MOV_RM; op.m = mem(b); }
      } else if (a.kind === 'mem') {
        op.m = mem(a); op.w = a.size;
        if (b.kind === 'reg') { op.code = OPC.MOV_MR; op.s = b.reg; }
        else { op.code = OPC.MOV_MI; setImm(b); }
      }
      break;
    case 'lea': op.code = OPC.LEA; op.d = (a as { reg: number }).reg; op.w = width(a); op.m = mem(b as Extract<Operand, { kind: 'mem' }>); break;
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
      if (a.kind === 'reg' && b.kind === 'reg') { op.code = OPC.XCHG_RR; op.d = a.reg; op.s = b.reg; }
      else if (a.kind === 'reg' && b.kind === 'mem') { op.code = OPC.XCHG_RM; op.d = a.reg; op.m = mem(b); }
      else if (a.kind === 'mem' && b.kind === 'reg') { op.code = OPC.XCHG_RM; op.d = b.reg; op.m = mem(a); op.w = width(b); }
      break;
    case 'add': case 'sub': case 'and': case 'or': case 'xor': case 'cmp': case 'test':
      op.sub = ALU[mn]; op.w = width(a);
      if (a.kind === 'reg') {
        op.d = a.reg;
        if (b.kind === 'reg') { op.code = OPC.ALU_RR; op.s = b.reg; }
        else if (b.kind === 'imm') { op.code = OPC.ALU_RI; setImm(b); }
        else if (b.kind === 'mem') { op.code = OPC.ALU_RM; op.m = mem(b); }
      } else if (a.kind === 'mem') {
        op.m = mem(a);
        if (b.kind === 'reg') { op.code = OPC.ALU_MR; op.s = b.reg; }
        else { op.code = OPC.ALU_MI; setImm(b); }
      }
      break;
    case 'not': case 'neg': case 'inc': case 'dec':
      op.sub = UN[mn]; op.w = width(a);
      if (a.kind === 'reg') { op.code = OPC.UN_R; op.d = a.reg; } else { op.code = OPC.UN_M; op.m = mem(a as Extract<Operand, { kind: 'mem' }>); }
      break;
    case 'shl': case 'shr': case 'sar':
      op.sub = SH[mn]; op.w = width(a);
      if (b === undefined) { op.imm = 1; op.ilo = 1; }
      else if (b.kind === 'reg') op.byCl = true;
      else setImm(b);
      if (a.kind === 'reg') { op.code = OPC.SH_R; op.d = a.reg; } else { op.code = OPC.SH_M; op.m = mem(a as Extract<Operand, { kind: 'mem' }>); }
      break;
    case 'imul':
      op.w = width(a);
      if (!b) { op.code = OPC.IMUL1; if (a.kind === 'reg') op.s = a.reg; else op.m = mem(a as Extract<Operand, { kind: 'mem' }>); }
      else {
        op.code = c ? OPC.IMUL3 : OPC.IMUL2; op.d = (a as { reg: number }).reg;
        if (b.kind === 'reg') op.s = b.reg; else if (b.kind === 'mem') op.m = mem(b);
        setImm(c);
      }
      break;
    case 'div':
      op.code = OPC.DIV; op.w = width(a);
      if (a.kind === 'reg') op.s = a.reg; else op.m = mem(a as Extract<Operand, { kind: 'mem' }>);
      break;
    case 'jmp': case 'call': {
      const base = mn === 'jmp' ? OPC.JMP : OPC.CALL;
      if (a.kind === 'imm') { op.code = base; setImm(a); }
      else if (a.kind === 'reg') { op.code = (base + 1) as OPC; op.s = a.reg; }
      else { op.code = (base + 2) as OPC; op.m = mem(a as Extract<Operand, { kind: 'mem' }>); op.m.size = 8; }
      break;
    }
    case 'ret': op.code = OPC.RET; setImm(a); break;
    case 'loop': op.code = OPC.LOOP; setImm(a); break;
    case 'je': case 'jne': case 'jl': case 'jle': case 'jg': case 'jge': case 'jb': case 'jbe':
    case 'ja': case 'jae': case 'js': case 'jns':
      op.code = OPC.JCC; op.sub = CC[mn]; setImm(a); break;
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
    case 'invlpg': op.code = OPC.INVLPG; op.m = mem(a as Extract<Operand, { kind: 'mem' }>); break;
    case 'cli': op.code = OPC.CLI; break;
    case 'sti': op.code = OPC.STI; break;
    case 'ud2': op.code = OPC.UD2; break;
    case 'lidt': op.code = OPC.LIDT; op.m = mem(a as Extract<Operand, { kind: 'mem' }>); break;
    case 'lgdt': op.code = OPC.LGDT; op.m = mem(a as Extract<Operand, { kind: 'mem' }>); break;
    case 'ltr': op.code = OPC.LTR; op.s = (a as { reg: number }).reg; break;
    default: {
      const never: never = mn;
      throw new Error(`decode: no form for ${String(never)}`);
    }
  }
  op.name = mn;
  if (op.code === OPC.JMP || op.code === OPC.CALL || op.code === OPC.JCC || op.code === OPC.LOOP) op.rel = op.imm - op.next;
  return op;
}
