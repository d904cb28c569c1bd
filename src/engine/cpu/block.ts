// Check-free basic blocks: a straight run of the interpreter's hot forms (fast.ts), read once from
// one fetch page's decoded-instruction table and run with the per-instruction checks of runBatch
// (budget, timer, pending interrupt, fetch fast path, tracing) made once at its start. Speed
// only: every effect is exec.ts's, op by op. World: hardware (the front end and the ALU).
//
// Flags no later op of the block reads are not computed (dead-flag elimination): decided when
// the block is built, from the flags each op writes and reads as alu.ts models them. A memory op
// may fault (a fault pushes RFLAGS) or end the block early, so every flag is live at one; the
// flags are live where the block ends. A block is valid while the fetch fast path it was read
// through is (mmu.gen, mem.codeGen unchanged): a memory op that changes either ends it.

import { OPC, UN, ALU, type Op } from './decode.ts';
import { FAST } from './fast.ts';
import { alu, unary, shift, imul, cond, R, PARITY } from './alu.ts';
import { RSP } from '../asm/ir.ts';
import { ea, eaRaw, pop, push, pushAddr } from './operands.ts';
import { rlo, rhi, rset } from './regs.ts';
import type { CostModel } from '../cost.ts';
import type { Machine } from '../machine.ts';

/** The status flags as the liveness analysis names them (not their RFLAGS bits). */
const CF = 1, PF = 2, ZF = 8, SF = 16, OF = 32, ALL = 63; // AF is 4
/** Flags each condition code reads (isa.ts CONDS order: o no b ae e ne be a s ns p np l ge le g). */
const COND_READS = [OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF, SF | OF, SF | OF, ZF | SF | OF, ZF | SF | OF];
/** Added to a FAST handler number: the same op without its flags (all dead). */
const DEAD = 100;
/** The longest block: long straight runs are split (each piece is checked at its start). */
export const MAX_OPS = 64;

const { ADD_RR, OR_RR, AND_RR, SUB_RR, XOR_RR, CMP_RR, TEST_RR, ADD_RI, OR_RI, AND_RI, SUB_RI, XOR_RI, CMP_RI, TEST_RI,
  JE, JNE, JB, JAE, JL, JGE, JLE, JG, JBE, JA, INC_R, DEC_R, SHL_RI, SHR_RI, SAR_RI, IMUL_RRI, IMUL_RR } = FAST;
const F_MOV_RR = FAST.MOV_RR, F_MOV_RI = FAST.MOV_RI, F_MOV_RM = FAST.MOV_RM, F_MOV_MR = FAST.MOV_MR;
const { MOV_RR, MOV_RI, LEA, NOP, PAUSE, ALU_RR, ALU_RI, UN_R, JMP, JCC, CALL, RET, PUSH_R, POP_R } = OPC;
const A_WRITES = 7, A_ADC = ALU.adc, A_SBB = ALU.sbb, U_NOT = UN.not, U_NEG = UN.neg;

export interface Block {
  /** The decoded-instruction table it was read from and the cost model of its cycles: a block
   *  is only used with both (the first op may sit in another copy of its page). */
  code: readonly (Op | undefined)[];
  costs: CostModel;
  ops: Op[];
  /** Handler per op: its dispatch number (Op.fast), + DEAD when its flags are all dead. */
  kind: Int32Array;
  /** Modelled cycles of the ops before each (pre[n]: the block's, each op's a constant). */
  pre: Float64Array;
  /** Byte offset of each op from the first (at[n]: the block's length in bytes). */
  at: Float64Array;
  n: number;
  cost: number;
}

/** Flags an op writes and reads, and whether it touches memory (may fault, may end the block). */
interface Effect { writes: number; reads: number; mem: boolean; ends: boolean; dead: boolean }

/** What a block may hold, or null: the op ends the run before it (runBatch runs it). */
function effect(op: Op): Effect | null {
  const e = (writes: number, reads = 0, mem = false, ends = false, dead = false): Effect => ({ writes, reads, mem, ends, dead });
  switch (op.fast) {
    case ADD_RR: case OR_RR: case AND_RR: case SUB_RR: case XOR_RR: case CMP_RR: case TEST_RR:
    case ADD_RI: case OR_RI: case AND_RI: case SUB_RI: case XOR_RI: case CMP_RI: case TEST_RI:
      return e(ALL, 0, false, false, true);
    case INC_R: case DEC_R: return e(ALL & ~CF, 0, false, false, true);
    case SHL_RI: case SHR_RI: case SAR_RI: return (op.imm & 63) === 0 ? e(0) : e(ALL, 0, false, false, true); // a zero count changes nothing
    case IMUL_RRI: case IMUL_RR: return e(CF | OF | ZF | SF, 0, false, false, true); // imul() leaves PF and AF
    case F_MOV_RR: case F_MOV_RI: case MOV_RR: case MOV_RI: case LEA: case NOP: case PAUSE: return e(0);
    case F_MOV_RM: case F_MOV_MR: case PUSH_R: case POP_R: return e(0, 0, true);
    case JE: case JNE: return e(0, ZF, false, true);
    case JB: case JAE: return e(0, CF, false, true);
    case JBE: case JA: return e(0, CF | ZF, false, true);
    case JL: case JGE: return e(0, SF | OF, false, true);
    case JLE: case JG: return e(0, ZF | SF | OF, false, true);
    case JCC: return e(0, COND_READS[op.sub], false, true);
    case JMP: return e(0, 0, false, true);
    case CALL: case RET: return e(0, 0, true, true);
    case ALU_RR: case ALU_RI: return e(ALL, op.sub === A_ADC || op.sub === A_SBB ? CF : 0);
    case UN_R: return e(op.sub === U_NOT ? 0 : op.sub === U_NEG ? ALL : ALL & ~CF);
    default: return null;
  }
}

/** The block starting at byte `off` of a fetch page's decoded table (op = code[off]), or null
 *  when op itself cannot start one. Stops before an op it cannot hold, after a branch, where the
 *  next op would be on the next page or is not in the table, and at MAX_OPS. */
export function buildBlock(code: readonly (Op | undefined)[], off: number, costs: CostModel): Block | null {
  const ops: Op[] = [], effs: Effect[] = [];
  for (let o = off; o < 4096 && ops.length < MAX_OPS;) {
    const op = code[o];
    const e = op === undefined ? null : effect(op);
    if (e === null) break;
    ops.push(op!); effs.push(e);
    o += op!.len;
    if (e.ends) break;
  }
  const n = ops.length;
  if (n === 0) return null;
  const kind = new Int32Array(n), pre = new Float64Array(n + 1), at = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) {
    pre[k + 1] = pre[k] + opCost(ops[k], costs);
    at[k + 1] = at[k] + ops[k].len;
  }
  // Backward over the block: live = the flags read after op k before being written again.
  let live = ALL;
  for (let k = n - 1; k >= 0; k--) {
    const e = effs[k];
    if (e.mem) live = ALL;
    kind[k] = e.dead && (e.writes & live) === 0 ? ops[k].fast + DEAD : ops[k].fast;
    live = (live & ~e.writes) | e.reads;
  }
  return { code, costs, ops, kind, pre, at, n, cost: pre[n] };
}

/** An op's modelled cycles, as runBatch charges them. */
function opCost(op: Op, costs: CostModel): number {
  switch (op.fast) {
    case IMUL_RRI: case IMUL_RR: return costs.instr + costs.imul;
    case F_MOV_RM: case F_MOV_MR: case PUSH_R: case POP_R: case CALL: case RET: return costs.instr + costs.dataAccess;
    default: return costs.instr;
  }
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
  for (;;) {
  const ops = b.ops, kind = b.kind, pre = b.pre, at = b.at, n = b.n;
  nrip = rip0 + at[n];
  for (let k = 0; k < n; k++) {
    const op = ops[k];
    switch (kind[k]) {
      case ADD_RR: case ADD_RI: {
        const d = op.d, dl = L[d], dh = H[d];
        let sl: number, sh: number;
        if (kind[k] === ADD_RR) { sl = L[op.s]; sh = H[op.s]; } else { sl = op.ilo; sh = op.ihi; }
        let lo = dl + sl; const carry = lo > 0xffffffff ? 1 : 0; lo >>>= 0;
        let hi = dh + sh + carry; c.cf = hi > 0xffffffff ? 1 : 0; hi >>>= 0;
        c.of = (~(dh ^ sh) & (dh ^ hi)) >>> 31; c.af = ((dl ^ sl ^ lo) >>> 4) & 1;
        c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31; c.pf = PARITY[lo & 0xff];
        L[d] = lo; H[d] = hi;
        break;
      }
      case ADD_RR + DEAD: case ADD_RI + DEAD: {
        const d = op.d, dl = L[d];
        let sl: number, sh: number;
        if (kind[k] === ADD_RR + DEAD) { sl = L[op.s]; sh = H[op.s]; } else { sl = op.ilo; sh = op.ihi; }
        const lo = dl + sl;
        H[d] = (H[d] + sh + (lo > 0xffffffff ? 1 : 0)) >>> 0; L[d] = lo >>> 0;
        break;
      }
      case SUB_RR: case SUB_RI: case CMP_RR: case CMP_RI: {
        const f = kind[k], d = op.d, dl = L[d], dh = H[d];
        let sl: number, sh: number;
        if (f === SUB_RR || f === CMP_RR) { sl = L[op.s]; sh = H[op.s]; } else { sl = op.ilo; sh = op.ihi; }
        let lo = dl - sl; const borrow = lo < 0 ? 1 : 0; lo >>>= 0;
        let hi = dh - sh - borrow; c.cf = hi < 0 ? 1 : 0; hi >>>= 0;
        c.of = ((dh ^ sh) & (dh ^ hi)) >>> 31; c.af = ((dl ^ sl ^ lo) >>> 4) & 1;
        c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31; c.pf = PARITY[lo & 0xff];
        if (f === SUB_RR || f === SUB_RI) { L[d] = lo; H[d] = hi; }
        break;
      }
      case SUB_RR + DEAD: case SUB_RI + DEAD: {
        const d = op.d, dl = L[d];
        let sl: number, sh: number;
        if (kind[k] === SUB_RR + DEAD) { sl = L[op.s]; sh = H[op.s]; } else { sl = op.ilo; sh = op.ihi; }
        const lo = dl - sl;
        H[d] = (H[d] - sh - (lo < 0 ? 1 : 0)) >>> 0; L[d] = lo >>> 0;
        break;
      }
      case CMP_RR + DEAD: case CMP_RI + DEAD: case TEST_RR + DEAD: case TEST_RI + DEAD: break; // only flags, all dead
      case XOR_RR: { const d = op.d, lo = (L[d] ^ L[op.s]) >>> 0, hi = (H[d] ^ H[op.s]) >>> 0; logic(m, lo, hi); L[d] = lo; H[d] = hi; break; }
      case XOR_RI: { const d = op.d, lo = (L[d] ^ op.ilo) >>> 0, hi = (H[d] ^ op.ihi) >>> 0; logic(m, lo, hi); L[d] = lo; H[d] = hi; break; }
      case AND_RR: { const d = op.d, lo = (L[d] & L[op.s]) >>> 0, hi = (H[d] & H[op.s]) >>> 0; logic(m, lo, hi); L[d] = lo; H[d] = hi; break; }
      case AND_RI: { const d = op.d, lo = (L[d] & op.ilo) >>> 0, hi = (H[d] & op.ihi) >>> 0; logic(m, lo, hi); L[d] = lo; H[d] = hi; break; }
      case OR_RR: { const d = op.d, lo = (L[d] | L[op.s]) >>> 0, hi = (H[d] | H[op.s]) >>> 0; logic(m, lo, hi); L[d] = lo; H[d] = hi; break; }
      case OR_RI: { const d = op.d, lo = (L[d] | op.ilo) >>> 0, hi = (H[d] | op.ihi) >>> 0; logic(m, lo, hi); L[d] = lo; H[d] = hi; break; }
      case TEST_RR: { const d = op.d; logic(m, (L[d] & L[op.s]) >>> 0, (H[d] & H[op.s]) >>> 0); break; }
      case TEST_RI: { const d = op.d; logic(m, (L[d] & op.ilo) >>> 0, (H[d] & op.ihi) >>> 0); break; }
      case XOR_RR + DEAD: { const d = op.d; L[d] = (L[d] ^ L[op.s]) >>> 0; H[d] = (H[d] ^ H[op.s]) >>> 0; break; }
      case XOR_RI + DEAD: { const d = op.d; L[d] = (L[d] ^ op.ilo) >>> 0; H[d] = (H[d] ^ op.ihi) >>> 0; break; }
      case AND_RR + DEAD: { const d = op.d; L[d] = (L[d] & L[op.s]) >>> 0; H[d] = (H[d] & H[op.s]) >>> 0; break; }
      case AND_RI + DEAD: { const d = op.d; L[d] = (L[d] & op.ilo) >>> 0; H[d] = (H[d] & op.ihi) >>> 0; break; }
      case OR_RR + DEAD: { const d = op.d; L[d] = (L[d] | L[op.s]) >>> 0; H[d] = (H[d] | H[op.s]) >>> 0; break; }
      case OR_RI + DEAD: { const d = op.d; L[d] = (L[d] | op.ilo) >>> 0; H[d] = (H[d] | op.ihi) >>> 0; break; }
      case INC_R: case DEC_R: {
        // As add/sub of 1 (alu()), with CF left alone.
        const d = op.d, dl = L[d], dh = H[d];
        let lo: number, hi: number;
        if (kind[k] === INC_R) {
          lo = dl + 1; hi = dh;
          if (lo > 0xffffffff) { lo = 0; hi = (hi + 1) >>> 0; }
          c.of = (~dh & (dh ^ hi)) >>> 31;
        } else {
          lo = dl - 1; hi = dh;
          if (lo < 0) { lo = 0xffffffff; hi = (hi - 1) >>> 0; }
          c.of = (dh & (dh ^ hi)) >>> 31;
        }
        c.af = ((dl ^ 1 ^ lo) >>> 4) & 1;
        c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31; c.pf = PARITY[lo & 0xff];
        L[d] = lo; H[d] = hi;
        break;
      }
      case INC_R + DEAD: { const d = op.d; if (L[d] === 0xffffffff) { L[d] = 0; H[d] = (H[d] + 1) >>> 0; } else L[d] = L[d] + 1; break; }
      case DEC_R + DEAD: { const d = op.d; if (L[d] === 0) { L[d] = 0xffffffff; H[d] = (H[d] - 1) >>> 0; } else L[d] = L[d] - 1; break; }
      // shift() and imul() compute their flags with the result; the dead forms save only dispatch.
      case SHL_RI: case SHR_RI: case SAR_RI: case SHL_RI + DEAD: case SHR_RI + DEAD: case SAR_RI + DEAD:
        shift(c, op.sub, 8, L[op.d], H[op.d], op.imm); L[op.d] = R.lo; H[op.d] = R.hi; break;
      case IMUL_RRI: case IMUL_RRI + DEAD: imul(c, 8, L[op.s], H[op.s], op.ilo, op.ihi); L[op.d] = R.lo; H[op.d] = R.hi; break;
      case IMUL_RR: case IMUL_RR + DEAD: imul(c, 8, L[op.d], H[op.d], L[op.s], H[op.s]); L[op.d] = R.lo; H[op.d] = R.hi; break;
      case F_MOV_RR: L[op.d] = L[op.s]; H[op.d] = H[op.s]; break;
      case F_MOV_RI: L[op.d] = op.ilo; H[op.d] = op.ihi; break;
      case MOV_RR: rset(L, H, op.d, op.w, rlo(L, op.s), rhi(H, op.s)); break;
      case MOV_RI: rset(L, H, op.d, op.w, op.ilo, op.ihi); break;
      case LEA: { const va = eaRaw(m, op.m!); rset(L, H, op.d, op.w, va.lo, va.hi); break; }
      case NOP: case PAUSE: break;
      case ALU_RR: {
        const d = op.d, s = op.s;
        alu(c, op.sub, op.w, rlo(L, d), rhi(H, d), rlo(L, s), rhi(H, s));
        if (op.sub < A_WRITES) rset(L, H, d, op.w, R.lo, R.hi);
        break;
      }
      case ALU_RI: {
        const d = op.d;
        alu(c, op.sub, op.w, rlo(L, d), rhi(H, d), op.ilo, op.ihi);
        if (op.sub < A_WRITES) rset(L, H, d, op.w, R.lo, R.hi);
        break;
      }
      case UN_R: unary(c, op.sub, op.w, rlo(L, op.d), rhi(H, op.d)); rset(L, H, op.d, op.w, R.lo, R.hi); break;
      // Memory ops: the machine's RIP, instret and cycles first; after, the block goes on only
      // while nothing it relies on has changed.
      case F_MOV_RM:
        c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k];
        m.load(ea(m, op.m!), 8); L[op.d] = m.vlo; H[op.d] = m.vhi;
        cb = m.cycles - pre[k];
        if (m.mmu.gen !== gen || mem.codeGen !== codeGen || cb + b.cost >= m.timerAt || m.status !== null) { k++; nrip = rip0 + at[k]; return leave(m, i0 + k, cb + pre[k], nrip); }
        break;
      case F_MOV_MR:
        c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k];
        m.store(ea(m, op.m!), 8, L[op.s], H[op.s]);
        cb = m.cycles - pre[k];
        if (m.mmu.gen !== gen || mem.codeGen !== codeGen || cb + b.cost >= m.timerAt || m.status !== null) { k++; nrip = rip0 + at[k]; return leave(m, i0 + k, cb + pre[k], nrip); }
        break;
      case PUSH_R:
        c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k];
        push(m, L[op.s], H[op.s]);
        cb = m.cycles - pre[k];
        if (m.mmu.gen !== gen || mem.codeGen !== codeGen || cb + b.cost >= m.timerAt || m.status !== null) { k++; nrip = rip0 + at[k]; return leave(m, i0 + k, cb + pre[k], nrip); }
        break;
      case POP_R:
        c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k];
        pop(m); L[op.d] = m.vlo; H[op.d] = m.vhi;
        cb = m.cycles - pre[k];
        if (m.mmu.gen !== gen || mem.codeGen !== codeGen || cb + b.cost >= m.timerAt || m.status !== null) { k++; nrip = rip0 + at[k]; return leave(m, i0 + k, cb + pre[k], nrip); }
        break;
      // Branches end the block (the last op).
      case JE: if (c.zf === 1) nrip += op.rel; break;
      case JNE: if (c.zf !== 1) nrip += op.rel; break;
      case JB: if (c.cf === 1) nrip += op.rel; break;
      case JAE: if (c.cf !== 1) nrip += op.rel; break;
      case JBE: if (c.cf === 1 || c.zf === 1) nrip += op.rel; break;
      case JA: if (!(c.cf === 1 || c.zf === 1)) nrip += op.rel; break;
      case JL: if (c.sf !== c.of) nrip += op.rel; break;
      case JGE: if (c.sf === c.of) nrip += op.rel; break;
      case JLE: if (c.zf === 1 || c.sf !== c.of) nrip += op.rel; break;
      case JG: if (!(c.zf === 1 || c.sf !== c.of)) nrip += op.rel; break;
      case JCC: if (cond(c, op.sub)) nrip += op.rel; break;
      case JMP: nrip += op.rel; break;
      case CALL:
        c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k];
        pushAddr(m, nrip); nrip += op.rel;
        cb = m.cycles - pre[k];
        break;
      case RET: {
        c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k];
        const sl = L[RSP], sh = H[RSP];
        pop(m);
        let t: number;
        try { t = m.ea(m.vlo, m.vhi); } catch (e) { L[RSP] = sl; H[RSP] = sh; throw e; } // not canonical: undo the pop, #GP
        if (op.imm) c.setVa(RSP, c.va(RSP) + op.imm);
        nrip = t;
        cb = m.cycles - pre[k];
        break;
      }
      default: throw new Error(`block: no handler for op ${op.text} (kind ${kind[k]})`);
    }
  }
  i0 += n; cb += pre[n];
  // The next block, when runBatch would take it: its first op in this page's table (the fetch
  // fast path's hit), all of it within the budget and before the timer.
  const off = nrip - page;
  const next = off >= 0 && off < 4096 ? code[off] : undefined;
  if (next === undefined || next.blk === null || m.mmu.gen !== gen || mem.codeGen !== codeGen || m.status !== null) break;
  let nb: Block | null | undefined = next.blk;
  if (nb === undefined || nb.code !== code || nb.costs !== costs) nb = next.blk = buildBlock(code, off, costs);
  if (nb === null || nb.n < 2 || i0 + nb.n > end || cb + nb.cost >= m.timerAt) break;
  b = nb; rip0 = nrip;
  }
  leave(m, i0, cb, nrip);
}

function leave(m: Machine, instret: number, cycles: number, rip: number) {
  m.cpu.rip = rip; m.instret = instret; m.cycles = cycles;
}

/** The flags of a logical op on a 64-bit result, as alu() sets them. */
function logic(m: Machine, lo: number, hi: number) {
  const c = m.cpu;
  c.cf = 0; c.of = 0; c.af = 0;
  c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31; c.pf = PARITY[lo & 0xff];
}
