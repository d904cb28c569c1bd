// Building a check-free block (block.ts runs them): which ops a block holds, their handler
// numbers, their modelled cycles, and which of their flags are dead. World: hardware (the
// front end).
//
// Flags no later op of the block reads are not computed (dead-flag elimination): decided here,
// from the flags each op writes and reads as alu.ts models them. A memory op may fault (a fault
// pushes RFLAGS) or end the block early, so every flag is live before and after one; the flags
// are live where the block ends.

import { OPC, ALU, UN, type Op } from './decode.ts';
import { FAST } from './fast.ts';
import type { CostModel } from '../cost.ts';

/** The status flags as the liveness analysis names them (not their RFLAGS bits). */
const CF = 1, PF = 2, ZF = 8, SF = 16, OF = 32, ALL = 63; // AF is 4
/** Flags each condition code reads (isa.ts CONDS order: o no b ae e ne be a s ns p np l ge le g). */
const COND_READS = [OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF, SF | OF, SF | OF, ZF | SF | OF, ZF | SF | OF];
/** The longest block: long straight runs are split (each piece is checked at its start). */
export const MAX_OPS = 64;
/** runBatch builds an op's block at its HOT-th fetch (see exec.ts). */
export const HOT = 8;

/** The block's own handler numbers (dense, for runBlock's dispatch switch: V8 makes a jump table
 *  of a switch only when its cases are number literals, so its cases are these numbers, each
 *  with its name). _D: the op with its flags dead (not computed); DEAD_OF maps the live form to
 *  it. COLD: a register op cold() runs; COLD_MEM: push or pop (coldMem()). RMW: ALU_MR and
 *  ALU_MI, a read-modify-write of memory (cmp and test only read). Control transfers (JE..RET)
 *  end a block. */
export const K = {
  ADD_RR: 0, ADD_RI: 1, SUB_RR: 2, SUB_RI: 3, CMP_RR: 4, CMP_RI: 5, XOR_RR: 6, XOR_RI: 7, AND_RR: 8, AND_RI: 9,
  OR_RR: 10, OR_RI: 11, TEST_RR: 12, TEST_RI: 13, INC: 14, DEC: 15,
  ADD_RR_D: 16, ADD_RI_D: 17, SUB_RR_D: 18, SUB_RI_D: 19, CMP_RR_D: 20, CMP_RI_D: 21, XOR_RR_D: 22, XOR_RI_D: 23,
  AND_RR_D: 24, AND_RI_D: 25, OR_RR_D: 26, OR_RI_D: 27, TEST_RR_D: 28, TEST_RI_D: 29, INC_D: 30, DEC_D: 31,
  MOV_RR: 32, MOV_RI: 33, COLD: 34, LOAD: 35, STORE: 36, COLD_MEM: 37,
  JE: 38, JNE: 39, JB: 40, JAE: 41, JBE: 42, JA: 43, JL: 44, JGE: 45, JLE: 46, JG: 47, JMP: 48, JCC: 49, CALL: 50, RET: 51,
  SHIFT: 52, IMUL_RRI: 53, IMUL_RR: 54, SHIFT_D: 55, IMUL_RRI_D: 56, IMUL_RR_D: 57, RMW: 58,
} as const;
const DEAD = K.ADD_RR_D - K.ADD_RR;
/** The dead twin of each live form that has one. */
const DEAD_OF: Record<number, number> = { [K.SHIFT]: K.SHIFT_D, [K.IMUL_RRI]: K.IMUL_RRI_D, [K.IMUL_RR]: K.IMUL_RR_D };
for (let k = K.ADD_RR; k <= K.DEC; k++) DEAD_OF[k] = k + DEAD;
const IS_DEAD = new Uint8Array(64);
for (const d of Object.values(DEAD_OF)) IS_DEAD[d] = 1;

const F = FAST;
/** The block handler of each fast.ts form (the live one). */
const BY_FAST: Record<number, number> = {
  [F.ADD_RR]: K.ADD_RR, [F.ADD_RI]: K.ADD_RI, [F.SUB_RR]: K.SUB_RR, [F.SUB_RI]: K.SUB_RI, [F.CMP_RR]: K.CMP_RR, [F.CMP_RI]: K.CMP_RI,
  [F.XOR_RR]: K.XOR_RR, [F.XOR_RI]: K.XOR_RI, [F.AND_RR]: K.AND_RR, [F.AND_RI]: K.AND_RI, [F.OR_RR]: K.OR_RR, [F.OR_RI]: K.OR_RI,
  [F.TEST_RR]: K.TEST_RR, [F.TEST_RI]: K.TEST_RI, [F.INC_R]: K.INC, [F.DEC_R]: K.DEC, [F.MOV_RR]: K.MOV_RR, [F.MOV_RI]: K.MOV_RI,
  [F.MOV_RM]: K.LOAD, [F.MOV_MR]: K.STORE, [F.JE]: K.JE, [F.JNE]: K.JNE, [F.JB]: K.JB, [F.JAE]: K.JAE, [F.JBE]: K.JBE, [F.JA]: K.JA,
  [F.JL]: K.JL, [F.JGE]: K.JGE, [F.JLE]: K.JLE, [F.JG]: K.JG,
  [OPC.JMP]: K.JMP, [OPC.JCC]: K.JCC, [OPC.CALL]: K.CALL, [OPC.RET]: K.RET, [OPC.PUSH_R]: K.COLD_MEM, [OPC.POP_R]: K.COLD_MEM,
  [F.SHL_RI]: K.SHIFT, [F.SHR_RI]: K.SHIFT, [F.SAR_RI]: K.SHIFT, [F.IMUL_RRI]: K.IMUL_RRI, [F.IMUL_RR]: K.IMUL_RR,
  [OPC.MOV_RR]: K.COLD, [OPC.MOV_RI]: K.COLD, [OPC.LEA]: K.COLD, [OPC.NOP]: K.COLD, [OPC.PAUSE]: K.COLD,
  [OPC.ALU_RR]: K.COLD, [OPC.ALU_RI]: K.COLD, [OPC.UN_R]: K.COLD, [OPC.ALU_MR]: K.RMW, [OPC.ALU_MI]: K.RMW,
};

export interface Block {
  /** The decoded-instruction table it was read from and the cost model of its cycles: a block
   *  is only used with both (the first op may sit in another copy of its page). */
  code: readonly (Op | undefined)[];
  costs: CostModel;
  ops: Op[];
  /** Handler per op (K). */
  kind: Int32Array;
  /** Modelled cycles of the ops before each (pre[n]: the block's, each op's a constant). */
  pre: Float64Array;
  /** Byte offset of each op from the first (at[n]: the block's length in bytes). */
  at: Float64Array;
  n: number;
  cost: number;
}

/** Whether op k of a block runs without computing its flags. */
export const flagsDead = (b: Block, k: number) => IS_DEAD[b.kind[k]] === 1;

/** The flags an op writes and reads as alu.ts models them. */
function writes(op: Op): number {
  switch (op.fast) {
    case F.INC_R: case F.DEC_R: return ALL & ~CF;
    case F.SHL_RI: case F.SHR_RI: case F.SAR_RI: return (op.imm & 63) === 0 ? 0 : ALL; // a zero count changes nothing
    case F.IMUL_RRI: case F.IMUL_RR: return CF | OF | ZF | SF; // imul() leaves PF and AF
    case OPC.ALU_RR: case OPC.ALU_RI: case OPC.ALU_MR: case OPC.ALU_MI: return ALL;
    case OPC.UN_R: return op.sub === UN.not ? 0 : op.sub === UN.neg ? ALL : ALL & ~CF;
    default: return op.fast >= F.ADD_RR && op.fast <= F.TEST_RI ? ALL : 0;
  }
}
function reads(op: Op, k: number): number {
  switch (k) {
    case K.JE: case K.JNE: return ZF;
    case K.JB: case K.JAE: return CF;
    case K.JBE: case K.JA: return CF | ZF;
    case K.JL: case K.JGE: return SF | OF;
    case K.JLE: case K.JG: return ZF | SF | OF;
    case K.JCC: return COND_READS[op.sub];
    default: return (op.fast === OPC.ALU_RR || op.fast === OPC.ALU_RI || op.fast === OPC.ALU_MR || op.fast === OPC.ALU_MI) &&
      (op.sub === ALU.adc || op.sub === ALU.sbb) ? CF : 0;
  }
}
const isMem = (k: number) => k === K.LOAD || k === K.STORE || k === K.COLD_MEM || k === K.CALL || k === K.RET || k === K.RMW;
const ends = (k: number) => k >= K.JE && k <= K.RET;

/** The handler of op (K), or undefined when a block cannot hold it. A shift by a count that
 *  masks to 0 changes nothing (not even flags): cold() runs it. */
function kindOf(op: Op): number | undefined {
  const k = BY_FAST[op.fast];
  return k === K.SHIFT && (op.imm & 63) === 0 ? K.COLD : k;
}

/** Modelled cycles of an op as runBatch charges them (exec.ts). */
function cycles(op: Op, k: number, costs: CostModel): number {
  const data = k === K.RMW ? 2 : isMem(k) ? 1 : 0;
  return costs.instr + data * costs.dataAccess + (op.fast === F.IMUL_RRI || op.fast === F.IMUL_RR ? costs.imul : 0);
}

/** The block starting at byte `off` of a fetch page's decoded table, or null when the op there
 *  cannot start one. Stops before an op it cannot hold, after a branch, where the next op would
 *  be on the next page or is not in the table, and at MAX_OPS. */
export function buildBlock(code: readonly (Op | undefined)[], off: number, costs: CostModel): Block | null {
  const ops: Op[] = [], ks: number[] = [];
  for (let o = off; o < 4096 && ops.length < MAX_OPS;) {
    const op = code[o];
    const k = op === undefined ? undefined : kindOf(op);
    if (k === undefined) break;
    ops.push(op!); ks.push(k);
    o += op!.len;
    if (ends(k)) break;
  }
  const n = ops.length;
  if (n === 0) return null;
  const kind = new Int32Array(n), pre = new Float64Array(n + 1), at = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) {
    pre[k + 1] = pre[k] + cycles(ops[k], ks[k], costs);
    at[k + 1] = at[k] + ops[k].len;
  }
  // Backward over the block: live = the flags read after op k before being written again. Around
  // a memory op all are live (what it may expose, and what the block may end with).
  let live = ALL;
  for (let k = n - 1; k >= 0; k--) {
    if (isMem(ks[k])) live = ALL;
    const w = writes(ops[k]), dead = DEAD_OF[ks[k]];
    kind[k] = dead !== undefined && (w & live) === 0 ? dead : ks[k];
    live = (live & ~w) | reads(ops[k], ks[k]);
    if (isMem(ks[k])) live = ALL;
  }
  return { code, costs, ops, kind, pre, at, n, cost: pre[n] };
}
