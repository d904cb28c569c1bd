// The interpreter: fetch through translation, dispatch on the decoded op, retire. Architectural
// effects per the SDM Vol. 2 instruction pages; system instructions are in system.ts, the rarer
// r/m forms in generic.ts, string instructions in strings.ts; fast.ts picks the specialised hot
// forms. An instruction that faults throws before it changes anything (fault-like). World: hardware.

import { OPC, type Op } from './decode.ts';
import { alu, unary, shift, imul, cond, incDec64, R, PARITY } from './alu.ts';
import { FAST } from './fast.ts';
import { buildBlock, runBlock, HOT } from './block.ts';
import { rotate } from './bits.ts';
import { RSP, RCX } from '../asm/ir.ts';
import { WRITE } from '../mmu/mmu.ts';
import { ea, eaLinear, EA, pop, push, pushAddr, stackEa } from './operands.ts';
import { rlo, rhi, rset } from './regs.ts';
import { stringOp } from './strings.ts';
import { aluMem } from './datapath.ts';
import { execGeneric } from './generic.ts';
import * as sys from './system.ts';
import type { Machine } from '../machine.ts';
import type { CpuState } from './state.ts';

// Local copies of the op codes: a module's exported object may be read through an accessor,
// which costs too much in the dispatch switch.
const { ALU_MI, ALU_MR, ALU_RI, ALU_RM, ALU_RR, CALL, CALL_M, CALL_R, IMUL2, IMUL3, JCC, JMP, JMP_M, JMP_R, LEA, LOOP, MOV_CR_R, MOV_MI, MOV_MR, MOV_RI, MOV_RM, MOV_RR, MOV_R_CR, NATIVE, NOP, PAUSE, POP_M, POP_R, PUSH_I, PUSH_M, PUSH_R, RET, SH_M, SH_R, STR, SYSCALL, UN_M, UN_R, XCHG_RM, XCHG_RR } = OPC;
const GENERIC_FIRST = OPC.MULDIV, GENERIC_LAST = OPC.STD;
/** ALU indexes below this write their result (cmp and test do not). */
const A_WRITES = 7, S_ROTATES = 4;

const P32 = 4294967296;
const { ADD_RR, OR_RR, AND_RR, SUB_RR, XOR_RR, CMP_RR, TEST_RR, ADD_RI, OR_RI, AND_RI, SUB_RI, XOR_RI, CMP_RI, TEST_RI,
  JE, JNE, JB, JAE, JL, JGE, JLE, JG, JBE, JA, INC_R, DEC_R, SHL_RI, SHR_RI, SAR_RI, IMUL_RRI, IMUL_RR } = FAST;
const F_MOV_RR = FAST.MOV_RR, F_MOV_RI = FAST.MOV_RI, F_MOV_RM = FAST.MOV_RM, F_MOV_MR = FAST.MOV_MR;

/** Execute up to n instructions. Returns when n have retired, the machine stops, or the CPU halts.
 *  With single = true, exactly one op (instruction or native routine) runs. */
export function runBatch(m: Machine, n: number, single = false) {
  const c = m.cpu, costs = m.costs, mem = m.mem;
  const L = c.lo, H = c.hi;
  const end = m.instret + n;
  const instrCost = costs.instr, dataCost = costs.dataAccess;
  let ops = 0;
  // The fetch fast path in locals: the machine's (fPage, fCode, fGen, fCodeGen) as of its last
  // fetch. Only this loop fetches between the ops that reset it (natives and system instructions
  // may run nested loops), so a hit here is a hit there: no translation is skipped that
  // Machine.fetch would have done.
  let fBase = -1, fCode: (Op | undefined)[] = [], fGen = -1, fCodeGen = -1;
  while ((!single || ops++ < 1) && m.instret < end && m.status === null && !c.halted) {
    if (m.cycles >= m.timerAt) m.tick();
    if (m.pendingIntr >= 0 && sys.interruptible(m)) { sys.takeInterrupt(m); continue; }
    const rip = c.rip;
    const off = rip - fBase;
    let op = off >= 0 && off < 4096 && fGen === m.mmu.gen && fCodeGen === mem.codeGen ? fCode[off] : undefined;
    if (op === undefined) { op = m.fetch(); fBase = m.fPage; fCode = m.fCode!; fGen = m.fGen; fCodeGen = m.fCodeGen; }
    // A check-free block (block.ts) from here when all of it fits before the budget's end and the
    // timer, no interrupt is pending, no instruction event is built or marked (a sink that only
    // counts them may be attached) and the fetch fast path would take its next
    // ops (with the TLB off, mmu.gen moves at each read: every fetch walks); else op by op below.
    // A block is built at an op's HOT-th fetch: code run once never pays for one, and this loop's
    // own handlers for the op have run (V8 has their feedback when something traces later).
    const b0 = op.blk;
    if (b0 !== null && m.instrUnbuilt && !single && m.pendingIntr < 0 && m.mmu.gen === fGen && (b0 !== undefined || (op.hits = (op.hits ?? 0) + 1) >= HOT)) {
      const b = b0 !== undefined && b0.code === fCode && b0.costs === costs ? b0 : (op.blk = buildBlock(fCode, rip - fBase, costs));
      if (b !== null && b.n > 1 && m.instret + b.n <= end && m.cycles + b.cost < m.timerAt) { runBlock(m, b, rip, end); continue; }
    }
    const next = rip + op.len;
    // Native routines and system instructions before the switch: its cases are tested one after
    // another, and these came last (each of a system call's two ops passed every case).
    const f = op.fast;
    if (f >= SYSCALL && f <= NATIVE && f !== NOP && f !== PAUSE) {
      if (f === NATIVE) (op.native as (m: Machine) => void)(m); // does its own accounting, sets RIP
      else { sys.exec(m, op, next); retire(m, op, rip, 0); } // each sets RIP (it may transfer control)
      fBase = -1;
      continue;
    }
    let cost = instrCost, nrip = next;
    switch (f) {
      // Specialised forms (fast.ts): 64-bit operands in rax..r15, flags as alu() sets them.
      case ADD_RR: case ADD_RI: {
        const d = op.d, dl = L[d], dh = H[d];
        let sl: number, sh: number;
        if (op.fast === ADD_RR) { sl = L[op.s]; sh = H[op.s]; } else { sl = op.ilo; sh = op.ihi; }
        let lo = dl + sl; const carry = lo > 0xffffffff ? 1 : 0; lo >>>= 0;
        let hi = dh + sh + carry; c.cf = hi > 0xffffffff ? 1 : 0; hi >>>= 0;
        c.of = (~(dh ^ sh) & (dh ^ hi)) >>> 31; c.af = ((dl ^ sl ^ lo) >>> 4) & 1;
        c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31; c.pf = PARITY[lo & 0xff];
        L[d] = lo; H[d] = hi;
        break;
      }
      case SUB_RR: case SUB_RI: case CMP_RR: case CMP_RI: {
        const f = op.fast, d = op.d, dl = L[d], dh = H[d];
        let sl: number, sh: number;
        if (f === SUB_RR || f === CMP_RR) { sl = L[op.s]; sh = H[op.s]; } else { sl = op.ilo; sh = op.ihi; }
        let lo = dl - sl; const borrow = lo < 0 ? 1 : 0; lo >>>= 0;
        let hi = dh - sh - borrow; c.cf = hi < 0 ? 1 : 0; hi >>>= 0;
        c.of = ((dh ^ sh) & (dh ^ hi)) >>> 31; c.af = ((dl ^ sl ^ lo) >>> 4) & 1;
        c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31; c.pf = PARITY[lo & 0xff];
        if (f === SUB_RR || f === SUB_RI) { L[d] = lo; H[d] = hi; }
        break;
      }
      case XOR_RR: { const d = op.d, lo = (L[d] ^ L[op.s]) >>> 0, hi = (H[d] ^ H[op.s]) >>> 0; logic(c, lo, hi); L[d] = lo; H[d] = hi; break; }
      case XOR_RI: { const d = op.d, lo = (L[d] ^ op.ilo) >>> 0, hi = (H[d] ^ op.ihi) >>> 0; logic(c, lo, hi); L[d] = lo; H[d] = hi; break; }
      case AND_RR: { const d = op.d, lo = (L[d] & L[op.s]) >>> 0, hi = (H[d] & H[op.s]) >>> 0; logic(c, lo, hi); L[d] = lo; H[d] = hi; break; }
      case AND_RI: { const d = op.d, lo = (L[d] & op.ilo) >>> 0, hi = (H[d] & op.ihi) >>> 0; logic(c, lo, hi); L[d] = lo; H[d] = hi; break; }
      case OR_RR: { const d = op.d, lo = (L[d] | L[op.s]) >>> 0, hi = (H[d] | H[op.s]) >>> 0; logic(c, lo, hi); L[d] = lo; H[d] = hi; break; }
      case OR_RI: { const d = op.d, lo = (L[d] | op.ilo) >>> 0, hi = (H[d] | op.ihi) >>> 0; logic(c, lo, hi); L[d] = lo; H[d] = hi; break; }
      case TEST_RR: { const d = op.d; logic(c, (L[d] & L[op.s]) >>> 0, (H[d] & H[op.s]) >>> 0); break; }
      case TEST_RI: { const d = op.d; logic(c, (L[d] & op.ilo) >>> 0, (H[d] & op.ihi) >>> 0); break; }
      case INC_R: case DEC_R: {
        incDec64(c, op.d, op.fast === INC_R);
        break;
      }
      case SHL_RI: case SHR_RI: case SAR_RI: shift(c, op.sub, 8, L[op.d], H[op.d], op.imm); L[op.d] = R.lo; H[op.d] = R.hi; break;
      case IMUL_RRI: imul(c, 8, L[op.s], H[op.s], op.ilo, op.ihi); L[op.d] = R.lo; H[op.d] = R.hi; cost += costs.imul; break;
      case IMUL_RR: imul(c, 8, L[op.d], H[op.d], L[op.s], H[op.s]); L[op.d] = R.lo; H[op.d] = R.hi; cost += costs.imul; break;
      case F_MOV_RR: L[op.d] = L[op.s]; H[op.d] = H[op.s]; break;
      case F_MOV_RI: L[op.d] = op.ilo; H[op.d] = op.ihi; break;
      case F_MOV_RM: m.load(ea(m, op.m!), 8); L[op.d] = m.vlo; H[op.d] = m.vhi; cost += dataCost; break;
      case F_MOV_MR: m.store(ea(m, op.m!), 8, L[op.s], H[op.s]); cost += dataCost; break;
      case JE: nrip = c.zf === 1 ? next + op.rel : next; break;
      case JNE: nrip = c.zf === 1 ? next : next + op.rel; break;
      case JB: nrip = c.cf === 1 ? next + op.rel : next; break;
      case JAE: nrip = c.cf === 1 ? next : next + op.rel; break;
      case JBE: nrip = c.cf === 1 || c.zf === 1 ? next + op.rel : next; break;
      case JA: nrip = c.cf === 1 || c.zf === 1 ? next : next + op.rel; break;
      case JL: nrip = c.sf !== c.of ? next + op.rel : next; break;
      case JGE: nrip = c.sf !== c.of ? next : next + op.rel; break;
      case JLE: nrip = c.zf === 1 || c.sf !== c.of ? next + op.rel : next; break;
      case JG: nrip = c.zf === 1 || c.sf !== c.of ? next : next + op.rel; break;
      // The common case first: 64-bit registers (ah..bh are HIGH8 + 0..3; narrow widths merge).
      case MOV_RR:
        if (op.w === 8) { L[op.d] = L[op.s]; H[op.d] = H[op.s]; }
        else rset(L, H, op.d, op.w, rlo(L, op.s), rhi(H, op.s));
        break;
      case MOV_RI:
        if (op.w === 8) { L[op.d] = op.ilo; H[op.d] = op.ihi; } else rset(L, H, op.d, op.w, op.ilo, op.ihi);
        break;
      case MOV_RM:
        m.load(ea(m, op.m!), op.m!.size);
        if (op.w === 8) { L[op.d] = m.vlo; H[op.d] = m.vhi; } else rset(L, H, op.d, op.w, m.vlo, m.vhi);
        cost += costs.dataAccess;
        break;
      case MOV_MR:
        if (op.s < 16) m.store(ea(m, op.m!), op.m!.size, L[op.s], H[op.s]);
        else m.store(ea(m, op.m!), op.m!.size, rlo(L, op.s), 0);
        cost += costs.dataAccess;
        break;
      case MOV_MI: m.store(ea(m, op.m!), op.m!.size, op.ilo, op.ihi); cost += costs.dataAccess; break;
      case MOV_CR_R: sys.movToCr(m, op); break;
      case MOV_R_CR: sys.movFromCr(m, op); break;
      case LEA: {
        eaLinear(m, op.m!);
        rset(L, H, op.d, op.w, EA.lo, EA.hi);
        break;
      }
      case PUSH_R: push(m, L[op.s], H[op.s]); cost += costs.dataAccess; break;
      case PUSH_I: push(m, op.ilo, op.ihi); cost += costs.dataAccess; break;
      case PUSH_M: m.load(ea(m, op.m!), 8); push(m, m.vlo, m.vhi); cost += 2 * costs.dataAccess; break;
      case POP_R: pop(m); L[op.d] = m.vlo; H[op.d] = m.vhi; cost += costs.dataAccess; break;
      case POP_M: {
        // The destination is computed with RSP already incremented (SDM POP).
        const sl = L[RSP], sh = H[RSP];
        m.load(stackEa(sl, sh), 8);
        const vlo = m.vlo, vhi = m.vhi;
        let nl = sl + 8, nh = sh;
        if (nl > 0xffffffff) { nl -= P32; nh = (nh + 1) >>> 0; }
        L[RSP] = nl; H[RSP] = nh;
        try { m.store(ea(m, op.m!), 8, vlo, vhi); } catch (e) { L[RSP] = sl; H[RSP] = sh; throw e; }
        cost += 2 * costs.dataAccess;
        break;
      }
      case XCHG_RR: {
        const tl = rlo(L, op.d), th = rhi(H, op.d);
        rset(L, H, op.d, op.w, rlo(L, op.s), rhi(H, op.s));
        rset(L, H, op.s, op.w, tl, th);
        break;
      }
      case XCHG_RM: {
        const va = ea(m, op.m!);
        m.xlate(va, WRITE);
        m.load(va, op.w);
        m.store(va, op.w, rlo(L, op.d), rhi(H, op.d));
        rset(L, H, op.d, op.w, m.vlo, m.vhi);
        cost += 2 * costs.dataAccess;
        break;
      }
      case ALU_RR: {
        const d = op.d, s = op.s;
        if ((d | s) < 16) alu(c, op.sub, op.w, L[d], H[d], L[s], H[s]);
        else alu(c, op.sub, op.w, rlo(L, d), rhi(H, d), rlo(L, s), rhi(H, s));
        if (op.sub < A_WRITES) { if (op.w === 8) { L[d] = R.lo; H[d] = R.hi; } else rset(L, H, d, op.w, R.lo, R.hi); }
        break;
      }
      case ALU_RI: {
        const d = op.d;
        alu(c, op.sub, op.w, d < 16 ? L[d] : rlo(L, d), d < 16 ? H[d] : 0, op.ilo, op.ihi);
        if (op.sub < A_WRITES) { if (op.w === 8) { L[d] = R.lo; H[d] = R.hi; } else rset(L, H, d, op.w, R.lo, R.hi); }
        break;
      }
      case ALU_RM: {
        const d = op.d;
        m.load(ea(m, op.m!), op.w);
        alu(c, op.sub, op.w, d < 16 ? L[d] : rlo(L, d), d < 16 ? H[d] : 0, m.vlo, m.vhi);
        if (op.sub < A_WRITES) { if (op.w === 8) { L[d] = R.lo; H[d] = R.hi; } else rset(L, H, d, op.w, R.lo, R.hi); }
        cost += costs.dataAccess;
        break;
      }
      case ALU_MR: case ALU_MI: aluMem(m, op); cost += 2 * costs.dataAccess; break;
      case UN_R: unary(c, op.sub, op.w, rlo(L, op.d), rhi(H, op.d)); rset(L, H, op.d, op.w, R.lo, R.hi); break;
      case UN_M: {
        const va = ea(m, op.m!);
        m.xlate(va, WRITE);
        m.load(va, op.w);
        unary(c, op.sub, op.w, m.vlo, m.vhi);
        m.store(va, op.w, R.lo, R.hi);
        cost += 2 * costs.dataAccess;
        break;
      }
      case SH_R: {
        const n = op.byCl ? L[RCX] & 0xff : op.imm;
        if (op.sub < S_ROTATES) rotate(c, op.sub, op.w, rlo(L, op.d), rhi(H, op.d), n);
        else shift(c, op.sub, op.w, rlo(L, op.d), rhi(H, op.d), n);
        rset(L, H, op.d, op.w, R.lo, R.hi);
        break;
      }
      case SH_M: {
        const va = ea(m, op.m!);
        m.xlate(va, WRITE);
        m.load(va, op.w);
        const n = op.byCl ? L[RCX] & 0xff : op.imm;
        if (op.sub < S_ROTATES) rotate(c, op.sub, op.w, m.vlo, m.vhi, n);
        else shift(c, op.sub, op.w, m.vlo, m.vhi, n);
        m.store(va, op.w, R.lo, R.hi);
        cost += 2 * costs.dataAccess;
        break;
      }
      case IMUL2: case IMUL3: {
        let sl: number, sh: number;
        if (op.m) { m.load(ea(m, op.m), op.w); sl = m.vlo; sh = m.vhi; } else { sl = rlo(L, op.s); sh = rhi(H, op.s); }
        if (op.code === IMUL2) imul(c, op.w, rlo(L, op.d), rhi(H, op.d), sl, sh);
        else imul(c, op.w, sl, sh, op.ilo, op.ihi);
        rset(L, H, op.d, op.w, R.lo, R.hi);
        cost += costs.imul;
        break;
      }
      case STR:
        if (!stringOp(m, op)) { retire(m, op, rip, cost); continue; } // stopped between iterations: RIP stays
        break;
      case JMP: nrip = next + op.rel; break;
      case JMP_R: nrip = m.ea(L[op.s], H[op.s]); break;
      case JMP_M: m.load(ea(m, op.m!), 8); nrip = m.ea(m.vlo, m.vhi); cost += costs.dataAccess; break;
      case CALL: pushAddr(m, next); nrip = next + op.rel; cost += costs.dataAccess; break;
      case CALL_R: { const t = m.ea(L[op.s], H[op.s]); pushAddr(m, next); nrip = t; cost += costs.dataAccess; break; }
      case CALL_M: {
        m.load(ea(m, op.m!), 8);
        const t = m.ea(m.vlo, m.vhi);
        pushAddr(m, next); nrip = t;
        cost += 2 * costs.dataAccess;
        break;
      }
      case RET: {
        const sl = L[RSP], sh = H[RSP];
        pop(m);
        const t = linearOrUndo(m, sl, sh);
        if (op.imm) c.addSmall(RSP, op.imm);
        nrip = t;
        cost += costs.dataAccess;
        break;
      }
      case JCC: nrip = cond(c, op.sub) ? next + op.rel : next; break;
      case LOOP: {
        let l = L[RCX] - 1, h = H[RCX];
        if (l < 0) { l += P32; h = (h - 1) >>> 0; }
        L[RCX] = l; H[RCX] = h;
        nrip = (l | h) !== 0 ? next + op.rel : next;
        break;
      }
      case NOP: case PAUSE: break;
      case GENERIC_FIRST: case OPC.MOVX: case OPC.CMOV: case OPC.SETCC: case OPC.BT: case OPC.BSX: case OPC.BSWAP:
      case OPC.PUSHF: case OPC.POPF: case OPC.CQO: case OPC.CLD: case GENERIC_LAST:
        cost += execGeneric(m, op);
        break;
      default:
        // No other code is decoded: system.ts raises #UD for it, as for any op without semantics.
        sys.exec(m, op, next);
        retire(m, op, rip, 0);
        fBase = -1;
        continue;
    }
    // Every instruction that completes retires here (one site: the hot loop keeps it inline).
    c.rip = nrip;
    m.instret++;
    m.cycles += cost;
    if (m.tracing) m.emitInstr(op, rip);
  }
}

/** The flags of a logical op (and, or, xor, test) on a 64-bit result, as alu() sets them. */
function logic(c: CpuState, lo: number, hi: number) {
  c.cf = 0; c.of = 0; c.af = 0;
  c.zf = (lo | hi) === 0 ? 1 : 0; c.sf = hi >>> 31; c.pf = PARITY[lo & 0xff];
}

/** The popped return address must be canonical; if not, undo the pop and raise #GP. */
function linearOrUndo(m: Machine, sl: number, sh: number): number {
  const c = m.cpu;
  try { return m.ea(m.vlo, m.vhi); } catch (e) { c.lo[RSP] = sl; c.hi[RSP] = sh; throw e; }
}

function retire(m: Machine, op: Op, rip: number, cost: number) {
  m.instret++;
  m.cycles += cost;
  if (m.tracing) m.emitInstr(op, rip);
}
