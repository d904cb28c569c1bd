// Check-free basic blocks: a straight run of the interpreter's hot forms, read once from one fetch
// page's decoded-instruction table and run with the per-instruction checks of runBatch (budget,
// timer, pending interrupt, fetch fast path, tracing) made once at its start. Speed only: every
// effect is exec.ts's, op by op. World: hardware (the front end and the ALU).
//
// Flags no later op of the block reads are not computed (dead-flag elimination): decided when
// the block is built, from the flags each op writes and reads as alu.ts models them. A memory op
// may fault (a fault pushes RFLAGS) or end the block early, so every flag is live at one; the
// flags are live where the block ends. A block is valid while the fetch fast path it was read
// through is (mmu.gen, mem.codeGen unchanged): a memory op that changes either ends it.

import { OPC, UN, ALU, type Op } from './decode.ts';
import { FAST } from './fast.ts';
import { alu, unary, shift, imul, cond, incDec64, R, PARITY } from './alu.ts';
import { RSP } from '../asm/ir.ts';
import { ea, eaRaw, pop, push, pushAddr } from './operands.ts';
import { rlo, rhi, rset } from './regs.ts';
import type { CostModel } from '../cost.ts';
import type { Machine } from '../machine.ts';

/** The status flags as the liveness analysis names them (not their RFLAGS bits). */
const CF = 1, PF = 2, ZF = 8, SF = 16, OF = 32, ALL = 63; // AF is 4
/** Flags each condition code reads (isa.ts CONDS order: o no b ae e ne be a s ns p np l ge le g). */
const COND_READS = [OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF, SF | OF, SF | OF, ZF | SF | OF, ZF | SF | OF];
/** The longest block: long straight runs are split (each piece is checked at its start). */
export const MAX_OPS = 64;
/** runBatch builds an op's block at its HOT-th fetch (see exec.ts). */
export const HOT = 8;
/** The most blocks runBlock chains before it returns to runBatch. */
const CHAIN = 64;

/** The block's own handler numbers (dense, for the dispatch switch: V8 makes a jump table of a
 *  switch only when its cases are number literals, so runBlock's cases are these numbers, each
 *  with its name). _D: the op with its flags
 *  dead (not computed), its live twin's number + DEAD. COLD: a register op cold() runs;
 *  COLD_MEM: push or pop (coldMem()). */
const K = {
  ADD_RR: 0, ADD_RI: 1, SUB_RR: 2, SUB_RI: 3, CMP_RR: 4, CMP_RI: 5, XOR_RR: 6, XOR_RI: 7, AND_RR: 8, AND_RI: 9,
  OR_RR: 10, OR_RI: 11, TEST_RR: 12, TEST_RI: 13, INC: 14, DEC: 15,
  ADD_RR_D: 16, ADD_RI_D: 17, SUB_RR_D: 18, SUB_RI_D: 19, CMP_RR_D: 20, CMP_RI_D: 21, XOR_RR_D: 22, XOR_RI_D: 23,
  AND_RR_D: 24, AND_RI_D: 25, OR_RR_D: 26, OR_RI_D: 27, TEST_RR_D: 28, TEST_RI_D: 29, INC_D: 30, DEC_D: 31,
  MOV_RR: 32, MOV_RI: 33, COLD: 34, LOAD: 35, STORE: 36, COLD_MEM: 37,
  JE: 38, JNE: 39, JB: 40, JAE: 41, JBE: 42, JA: 43, JL: 44, JGE: 45, JLE: 46, JG: 47, JMP: 48, JCC: 49, CALL: 50, RET: 51,
} as const;
const FIRST_DEAD = K.ADD_RR_D, LAST_DEAD = K.DEC_D, DEAD = K.ADD_RR_D - K.ADD_RR;

const F = FAST;
/** The block handler of each fast.ts form (the live one) and whether it has a _D twin. */
const BY_FAST: Record<number, number> = {
  [F.ADD_RR]: K.ADD_RR, [F.ADD_RI]: K.ADD_RI, [F.SUB_RR]: K.SUB_RR, [F.SUB_RI]: K.SUB_RI, [F.CMP_RR]: K.CMP_RR, [F.CMP_RI]: K.CMP_RI,
  [F.XOR_RR]: K.XOR_RR, [F.XOR_RI]: K.XOR_RI, [F.AND_RR]: K.AND_RR, [F.AND_RI]: K.AND_RI, [F.OR_RR]: K.OR_RR, [F.OR_RI]: K.OR_RI,
  [F.TEST_RR]: K.TEST_RR, [F.TEST_RI]: K.TEST_RI, [F.INC_R]: K.INC, [F.DEC_R]: K.DEC, [F.MOV_RR]: K.MOV_RR, [F.MOV_RI]: K.MOV_RI,
  [F.MOV_RM]: K.LOAD, [F.MOV_MR]: K.STORE, [F.JE]: K.JE, [F.JNE]: K.JNE, [F.JB]: K.JB, [F.JAE]: K.JAE, [F.JBE]: K.JBE, [F.JA]: K.JA,
  [F.JL]: K.JL, [F.JGE]: K.JGE, [F.JLE]: K.JLE, [F.JG]: K.JG,
  [OPC.JMP]: K.JMP, [OPC.JCC]: K.JCC, [OPC.CALL]: K.CALL, [OPC.RET]: K.RET, [OPC.PUSH_R]: K.COLD_MEM, [OPC.POP_R]: K.COLD_MEM,
  [F.SHL_RI]: K.COLD, [F.SHR_RI]: K.COLD, [F.SAR_RI]: K.COLD, [F.IMUL_RRI]: K.COLD, [F.IMUL_RR]: K.COLD,
  [OPC.MOV_RR]: K.COLD, [OPC.MOV_RI]: K.COLD, [OPC.LEA]: K.COLD, [OPC.NOP]: K.COLD, [OPC.PAUSE]: K.COLD,
  [OPC.ALU_RR]: K.COLD, [OPC.ALU_RI]: K.COLD, [OPC.UN_R]: K.COLD,
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
export const flagsDead = (b: Block, k: number) => b.kind[k] >= FIRST_DEAD && b.kind[k] <= LAST_DEAD;

/** The flags an op writes and reads as alu.ts models them. */
function writes(op: Op): number {
  switch (op.fast) {
    case F.INC_R: case F.DEC_R: return ALL & ~CF;
    case F.SHL_RI: case F.SHR_RI: case F.SAR_RI: return (op.imm & 63) === 0 ? 0 : ALL; // a zero count changes nothing
    case F.IMUL_RRI: case F.IMUL_RR: return CF | OF | ZF | SF; // imul() leaves PF and AF
    case OPC.ALU_RR: case OPC.ALU_RI: return ALL;
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
    default: return (op.fast === OPC.ALU_RR || op.fast === OPC.ALU_RI) && (op.sub === ALU.adc || op.sub === ALU.sbb) ? CF : 0;
  }
}
const isMem = (k: number) => k === K.LOAD || k === K.STORE || k === K.COLD_MEM || k === K.CALL || k === K.RET;
const ends = (k: number) => k >= K.JE;

/** The block starting at byte `off` of a fetch page's decoded table, or null when the op there
 *  cannot start one. Stops before an op it cannot hold, after a branch, where the next op would
 *  be on the next page or is not in the table, and at MAX_OPS. */
export function buildBlock(code: readonly (Op | undefined)[], off: number, costs: CostModel): Block | null {
  const ops: Op[] = [], ks: number[] = [];
  for (let o = off; o < 4096 && ops.length < MAX_OPS;) {
    const op = code[o];
    const k = op === undefined ? undefined : BY_FAST[op.fast];
    if (k === undefined) break;
    ops.push(op!); ks.push(k);
    o += op!.len;
    if (ends(k)) break;
  }
  const n = ops.length;
  if (n === 0) return null;
  const kind = new Int32Array(n), pre = new Float64Array(n + 1), at = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) {
    pre[k + 1] = pre[k] + costs.instr + (isMem(ks[k]) ? costs.dataAccess : 0) + (ops[k].fast === F.IMUL_RRI || ops[k].fast === F.IMUL_RR ? costs.imul : 0);
    at[k + 1] = at[k] + ops[k].len;
  }
  // Backward over the block: live = the flags read after op k before being written again.
  let live = ALL;
  for (let k = n - 1; k >= 0; k--) {
    if (isMem(ks[k])) live = ALL;
    const w = writes(ops[k]);
    kind[k] = ks[k] <= K.DEC && (w & live) === 0 ? ks[k] + DEAD : ks[k];
    live = (live & ~w) | reads(ops[k], ks[k]);
  }
  return { code, costs, ops, kind, pre, at, n, cost: pre[n] };
}

/** Runs block b from RIP rip0, then the blocks it leads to in the same fetch page, while each
 *  fits before the budget's end (instret `end`) and the timer; stops after a memory op that
 *  changed the fetch fast path's generations, stopped the machine or brought the timer within
 *  reach. The caller has checked that b fits, that no interrupt is pending (nothing in a block
 *  raises one) and that nothing traces. Before each memory op RIP, instret and cycles are the
 *  machine's own, so a fault, a store hook or a page walk sees what runBatch shows. */
export function runBlock(m: Machine, b: Block, rip0: number, end: number) {
  const c = m.cpu, L = c.lo, H = c.hi, mem = m.mem, code = b.code, costs = b.costs;
  const gen = m.mmu.gen, codeGen = mem.codeGen, page = rip0 - (rip0 & 4095);
  // Instructions retired and cycles before op k of the block: i0 + k and cb + pre[k] (cb moves
  // when a page walk adds cycles).
  let i0 = m.instret, cb = m.cycles, nrip = 0;
  // With a sink that counts instructions (builds and marks none: the player's recorder and
  // replays), event k of the block's retirements is one seq each: seq is instret + sq, and sq
  // moves only when a memory op emits (a walk, a TLB fill, an A/D write). Without a sink seq stays.
  const cnt = m.tracing;
  let sq = m.seq - i0;
  // At most CHAIN blocks per call, with one way out: runBatch and that way out run early and
  // often, so V8 has seen them before it optimizes (a path not yet taken deoptimizes when it is,
  // and V8 may re-enter the same on-stack-replaced code at each call).
  chain: for (let left = CHAIN; ; left--) {
    const ops = b.ops, kind = b.kind, pre = b.pre, at = b.at, n = b.n;
    nrip = rip0 + at[n];
    for (let k = 0; k < n; k++) {
      const op = ops[k], f = kind[k];
      switch (f) {
        case 0: case 1: /* ADD_RR ADD_RI */ {
          const d = op.d, dl = L[d], dh = H[d];
          let sl: number, sh: number;
          if (f === K.ADD_RR) { sl = L[op.s]; sh = H[op.s]; } else { sl = op.ilo; sh = op.ihi; }
          let lo = dl + sl; const carry = lo > 0xffffffff ? 1 : 0; lo >>>= 0;
          let hi = dh + sh + carry; c.cf = hi > 0xffffffff ? 1 : 0; hi >>>= 0;
          c.of = (~(dh ^ sh) & (dh ^ hi)) >>> 31; c.af = ((dl ^ sl ^ lo) >>> 4) & 1;
          c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31; c.pf = PARITY[lo & 0xff];
          L[d] = lo; H[d] = hi;
          break;
        }
        case 2: case 3: case 4: case 5: /* SUB_RR SUB_RI CMP_RR CMP_RI */ {
          const d = op.d, dl = L[d], dh = H[d];
          let sl: number, sh: number;
          if (f === K.SUB_RR || f === K.CMP_RR) { sl = L[op.s]; sh = H[op.s]; } else { sl = op.ilo; sh = op.ihi; }
          let lo = dl - sl; const borrow = lo < 0 ? 1 : 0; lo >>>= 0;
          let hi = dh - sh - borrow; c.cf = hi < 0 ? 1 : 0; hi >>>= 0;
          c.of = ((dh ^ sh) & (dh ^ hi)) >>> 31; c.af = ((dl ^ sl ^ lo) >>> 4) & 1;
          c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31; c.pf = PARITY[lo & 0xff];
          if (f === K.SUB_RR || f === K.SUB_RI) { L[d] = lo; H[d] = hi; }
          break;
        }
        case 6: /* XOR_RR */ { const d = op.d, lo = (L[d] ^ L[op.s]) >>> 0, hi = (H[d] ^ H[op.s]) >>> 0; logic(m, lo, hi); L[d] = lo; H[d] = hi; break; }
        case 7: /* XOR_RI */ { const d = op.d, lo = (L[d] ^ op.ilo) >>> 0, hi = (H[d] ^ op.ihi) >>> 0; logic(m, lo, hi); L[d] = lo; H[d] = hi; break; }
        case 8: /* AND_RR */ { const d = op.d, lo = (L[d] & L[op.s]) >>> 0, hi = (H[d] & H[op.s]) >>> 0; logic(m, lo, hi); L[d] = lo; H[d] = hi; break; }
        case 9: /* AND_RI */ { const d = op.d, lo = (L[d] & op.ilo) >>> 0, hi = (H[d] & op.ihi) >>> 0; logic(m, lo, hi); L[d] = lo; H[d] = hi; break; }
        case 10: /* OR_RR */ { const d = op.d, lo = (L[d] | L[op.s]) >>> 0, hi = (H[d] | H[op.s]) >>> 0; logic(m, lo, hi); L[d] = lo; H[d] = hi; break; }
        case 11: /* OR_RI */ { const d = op.d, lo = (L[d] | op.ilo) >>> 0, hi = (H[d] | op.ihi) >>> 0; logic(m, lo, hi); L[d] = lo; H[d] = hi; break; }
        case 12: /* TEST_RR */ { const d = op.d; logic(m, (L[d] & L[op.s]) >>> 0, (H[d] & H[op.s]) >>> 0); break; }
        case 13: /* TEST_RI */ { const d = op.d; logic(m, (L[d] & op.ilo) >>> 0, (H[d] & op.ihi) >>> 0); break; }
        case 14: case 15: /* INC DEC */ {
          incDec64(c, op.d, f === K.INC);
          break;
        }
        // The same with their flags dead: the result only.
        case 16: case 17: /* ADD_RR_D ADD_RI_D */ {
          const d = op.d, sl = f === K.ADD_RR_D ? L[op.s] : op.ilo, sh = f === K.ADD_RR_D ? H[op.s] : op.ihi, lo = L[d] + sl;
          H[d] = (H[d] + sh + (lo > 0xffffffff ? 1 : 0)) >>> 0; L[d] = lo >>> 0;
          break;
        }
        case 18: case 19: /* SUB_RR_D SUB_RI_D */ {
          const d = op.d, sl = f === K.SUB_RR_D ? L[op.s] : op.ilo, sh = f === K.SUB_RR_D ? H[op.s] : op.ihi, lo = L[d] - sl;
          H[d] = (H[d] - sh - (lo < 0 ? 1 : 0)) >>> 0; L[d] = lo >>> 0;
          break;
        }
        case 20: case 21: case 28: case 29: /* CMP_RR_D CMP_RI_D TEST_RR_D TEST_RI_D */ break; // only flags, all dead
        case 22: /* XOR_RR_D */ { const d = op.d; L[d] = (L[d] ^ L[op.s]) >>> 0; H[d] = (H[d] ^ H[op.s]) >>> 0; break; }
        case 23: /* XOR_RI_D */ { const d = op.d; L[d] = (L[d] ^ op.ilo) >>> 0; H[d] = (H[d] ^ op.ihi) >>> 0; break; }
        case 24: /* AND_RR_D */ { const d = op.d; L[d] = (L[d] & L[op.s]) >>> 0; H[d] = (H[d] & H[op.s]) >>> 0; break; }
        case 25: /* AND_RI_D */ { const d = op.d; L[d] = (L[d] & op.ilo) >>> 0; H[d] = (H[d] & op.ihi) >>> 0; break; }
        case 26: /* OR_RR_D */ { const d = op.d; L[d] = (L[d] | L[op.s]) >>> 0; H[d] = (H[d] | H[op.s]) >>> 0; break; }
        case 27: /* OR_RI_D */ { const d = op.d; L[d] = (L[d] | op.ilo) >>> 0; H[d] = (H[d] | op.ihi) >>> 0; break; }
        case 30: /* INC_D */ { const d = op.d; if (L[d] === 0xffffffff) { L[d] = 0; H[d] = (H[d] + 1) >>> 0; } else L[d] = L[d] + 1; break; }
        case 31: /* DEC_D */ { const d = op.d; if (L[d] === 0) { L[d] = 0xffffffff; H[d] = (H[d] - 1) >>> 0; } else L[d] = L[d] - 1; break; }
        case 32: /* MOV_RR */ L[op.d] = L[op.s]; H[op.d] = H[op.s]; break;
        case 33: /* MOV_RI */ L[op.d] = op.ilo; H[op.d] = op.ihi; break;
        case 34: /* COLD */ cold(m, op); break;
        // Memory ops: the machine's RIP, instret and cycles first; after, the block goes on only
        // while nothing it relies on has changed.
        case 35: /* LOAD */
          c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k]; if (cnt) m.seq = i0 + k + sq;
          m.load(ea(m, op.m!), 8); L[op.d] = m.vlo; H[op.d] = m.vhi;
          cb = m.cycles - pre[k]; if (cnt) sq = m.seq - i0 - k;
          if (m.mmu.gen !== gen || mem.codeGen !== codeGen || cb + b.cost >= m.timerAt || m.status !== null) { k++; i0 += k; cb += pre[k]; nrip = rip0 + at[k]; break chain; }
          break;
        case 36: /* STORE */
          c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k]; if (cnt) m.seq = i0 + k + sq;
          m.store(ea(m, op.m!), 8, L[op.s], H[op.s]);
          cb = m.cycles - pre[k]; if (cnt) sq = m.seq - i0 - k;
          if (m.mmu.gen !== gen || mem.codeGen !== codeGen || cb + b.cost >= m.timerAt || m.status !== null) { k++; i0 += k; cb += pre[k]; nrip = rip0 + at[k]; break chain; }
          break;
        case 37: /* COLD_MEM */
          c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k]; if (cnt) m.seq = i0 + k + sq;
          coldMem(m, op);
          cb = m.cycles - pre[k]; if (cnt) sq = m.seq - i0 - k;
          if (m.mmu.gen !== gen || mem.codeGen !== codeGen || cb + b.cost >= m.timerAt || m.status !== null) { k++; i0 += k; cb += pre[k]; nrip = rip0 + at[k]; break chain; }
          break;
        // Control transfers: the last op.
        case 38: case 39: case 40: case 41: case 42: case 43: case 44: case 45: case 46: case 47: /* JE JNE JB JAE JBE JA JL JGE JLE JG */
          if (taken(c, f)) nrip += op.rel;
          break;
        case 49: /* JCC */ if (cond(c, op.sub)) nrip += op.rel; break;
        case 48: /* JMP */ nrip += op.rel; break;
        case 50: case 51: /* CALL RET */
          c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k]; if (cnt) m.seq = i0 + k + sq;
          nrip = f === K.CALL ? call(m, op, nrip) : ret(m, op);
          cb = m.cycles - pre[k]; if (cnt) sq = m.seq - i0 - k;
          break;
        default: throw new Error(`block: no handler for op ${op.text} (kind ${f})`);
      }
    }
    i0 += n; cb += pre[n];
    // The next block, when runBatch would take it: its first op in this page's table (the fetch
    // fast path's hit), all of it within the budget and before the timer. One not built yet is
    // left to runBatch (this loop stays free of calls it has not made, which V8 would deoptimize).
    const off = nrip - page;
    const nb = off >= 0 && off < 4096 ? code[off]?.blk : undefined;
    if (left === 0 || nb === undefined || nb === null || nb.code !== code || nb.costs !== costs || nb.n < 2 || i0 + nb.n > end || cb + nb.cost >= m.timerAt ||
      m.mmu.gen !== gen || mem.codeGen !== codeGen || m.status !== null) break;
    b = nb; rip0 = nrip;
  }
  leave(m, i0, cb, nrip);
  if (cnt) m.seq = i0 + sq;
}

function leave(m: Machine, instret: number, cycles: number, rip: number) {
  m.cpu.rip = rip; m.instret = instret; m.cycles = cycles;
}

/** A fast Jcc's condition, as exec.ts tests it. */
function taken(c: Machine['cpu'], f: number): boolean {
  switch (f) {
    case 38: /* JE */ return c.zf === 1;
    case 39: /* JNE */ return c.zf !== 1;
    case 40: /* JB */ return c.cf === 1;
    case 41: /* JAE */ return c.cf !== 1;
    case 42: /* JBE */ return c.cf === 1 || c.zf === 1;
    case 43: /* JA */ return !(c.cf === 1 || c.zf === 1);
    case 44: /* JL */ return c.sf !== c.of;
    case 45: /* JGE */ return c.sf === c.of;
    case 46: /* JLE */ return c.zf === 1 || c.sf !== c.of;
    default: return !(c.zf === 1 || c.sf !== c.of); // JG
  }
}

/** The flags of a logical op on a 64-bit result, as alu() sets them. */
function logic(m: Machine, lo: number, hi: number) {
  const c = m.cpu;
  c.cf = 0; c.of = 0; c.af = 0;
  c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31; c.pf = PARITY[lo & 0xff];
}

/** The rarer register ops a block holds, as exec.ts runs them. */
function cold(m: Machine, op: Op) {
  const c = m.cpu, L = c.lo, H = c.hi;
  switch (op.fast) {
    case F.SHL_RI: case F.SHR_RI: case F.SAR_RI: shift(c, op.sub, 8, L[op.d], H[op.d], op.imm); L[op.d] = R.lo; H[op.d] = R.hi; break;
    case F.IMUL_RRI: imul(c, 8, L[op.s], H[op.s], op.ilo, op.ihi); L[op.d] = R.lo; H[op.d] = R.hi; break;
    case F.IMUL_RR: imul(c, 8, L[op.d], H[op.d], L[op.s], H[op.s]); L[op.d] = R.lo; H[op.d] = R.hi; break;
    case OPC.MOV_RR: rset(L, H, op.d, op.w, rlo(L, op.s), rhi(H, op.s)); break;
    case OPC.MOV_RI: rset(L, H, op.d, op.w, op.ilo, op.ihi); break;
    case OPC.LEA: { const va = eaRaw(m, op.m!); rset(L, H, op.d, op.w, va.lo, va.hi); break; }
    case OPC.NOP: case OPC.PAUSE: break;
    case OPC.ALU_RR:
      alu(c, op.sub, op.w, rlo(L, op.d), rhi(H, op.d), rlo(L, op.s), rhi(H, op.s));
      if (op.sub < ALU.cmp) rset(L, H, op.d, op.w, R.lo, R.hi); // cmp and test write no result
      break;
    case OPC.ALU_RI:
      alu(c, op.sub, op.w, rlo(L, op.d), rhi(H, op.d), op.ilo, op.ihi);
      if (op.sub < ALU.cmp) rset(L, H, op.d, op.w, R.lo, R.hi);
      break;
    case OPC.UN_R: unary(c, op.sub, op.w, rlo(L, op.d), rhi(H, op.d)); rset(L, H, op.d, op.w, R.lo, R.hi); break;
    default: throw new Error(`block: no cold handler for op ${op.text}`);
  }
}

/** push and pop of a register. */
function coldMem(m: Machine, op: Op) {
  if (op.fast === OPC.PUSH_R) push(m, m.cpu.lo[op.s], m.cpu.hi[op.s]);
  else { pop(m); m.cpu.lo[op.d] = m.vlo; m.cpu.hi[op.d] = m.vhi; }
}

/** CALL rel: push the return address (next), jump. */
function call(m: Machine, op: Op, next: number): number {
  pushAddr(m, next);
  return next + op.rel;
}

/** RET [imm]: the popped return address must be canonical; if not, undo the pop and raise #GP. */
function ret(m: Machine, op: Op): number {
  const c = m.cpu, sl = c.lo[RSP], sh = c.hi[RSP];
  pop(m);
  let t: number;
  try { t = m.ea(m.vlo, m.vhi); } catch (e) { c.lo[RSP] = sl; c.hi[RSP] = sh; throw e; }
  if (op.imm) c.setVa(RSP, c.va(RSP) + op.imm);
  return t;
}
