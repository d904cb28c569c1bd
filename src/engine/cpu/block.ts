// Check-free basic blocks: a straight run of the interpreter's hot forms, read once from one fetch
// page's decoded-instruction table and run with the per-instruction checks of runBatch (budget,
// timer, pending interrupt, fetch fast path, tracing) made once at its start. Speed only: every
// effect is exec.ts's, op by op. World: hardware (the front end and the ALU).
//
// blockbuild.ts builds them (which ops, their cycles, which flags are dead). A block is valid
// while the fetch fast path it was read through is (mmu.gen, mem.codeGen unchanged): a memory op
// that changes either ends it. Its data accesses first try datapath.ts's hits (xlate's fast path,
// nothing but the bytes moved), else go through the machine with its state written back first.

import { OPC, ALU, type Op } from './decode.ts';
import { FAST } from './fast.ts';
import { alu, unary, shift, shift64, shift64Value, imul, mulLo64, cond, incDec64, R, PARITY } from './alu.ts';
import { RSP } from '../asm/ir.ts';
import { ea, eaLinear, EA, pop, push, pushAddr } from './operands.ts';
import { rlo, rhi, rset } from './regs.ts';
import { K, type Block } from './blockbuild.ts';
import { readPage, writePage, aluMemHit, aluMem, xlateByMemo, noteData, NO_DV } from './datapath.ts';
import { READ, WRITE } from '../mmu/mmu.ts';
import type { Machine } from '../machine.ts';

export { buildBlock, flagsDead, MAX_OPS, HOT, type Block } from './blockbuild.ts';
/** The most blocks runBlock chains before it returns to runBatch. */
const CHAIN = 64;
const F = FAST;

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
  // The pages of the last hits (datapath.ts): their page numbers and frames' bytes, valid until a
  // memory op goes through the machine (which may move the memos or the frames); -1: none.
  let rv = -1, wv = -1, rdv = NO_DV, wdv = NO_DV;
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
        // Shifts by an immediate (its count masks to 1..63: a zero count is COLD) and imul.
        case 52: /* SHIFT */ shift64(c, op.sub, L[op.d], H[op.d], op.imm & 63); L[op.d] = R.lo; H[op.d] = R.hi; break;
        case 53: /* IMUL_RRI */ imul(c, 8, L[op.s], H[op.s], op.ilo, op.ihi); L[op.d] = R.lo; H[op.d] = R.hi; break;
        case 54: /* IMUL_RR */ imul(c, 8, L[op.d], H[op.d], L[op.s], H[op.s]); L[op.d] = R.lo; H[op.d] = R.hi; break;
        case 55: /* SHIFT_D */ shift64Value(op.sub, L[op.d], H[op.d], op.imm & 63); L[op.d] = R.lo; H[op.d] = R.hi; break;
        case 56: /* IMUL_RRI_D */ mulLo64(L[op.s], H[op.s], op.ilo, op.ihi); L[op.d] = R.lo; H[op.d] = R.hi; break;
        case 57: /* IMUL_RR_D */ mulLo64(L[op.d], H[op.d], L[op.s], H[op.s]); L[op.d] = R.lo; H[op.d] = R.hi; break;
        // Memory ops: a hit (datapath.ts) moves the bytes and nothing else. Else the machine's
        // RIP, instret and cycles first; after, the block goes on only while nothing it relies on
        // has changed.
        case 35: /* LOAD */ {
          const va = eaLinear(m, op.m!), o = va & 4095;
          if (va >= 0 && o <= 4088) {
            const vpn = va <= 0xffffffff ? va >>> 12 : Math.floor(va / 4096);
            if (vpn !== rv) {
              // xlate's memo of the last page read, else the data memo's stand-in for the TLB hit
              // (a read moves only that memo, so the block's page for writes stays its).
              if (vpn !== m.rVpn) xlateByMemo(m, vpn, READ);
              rdv = readPage(m, vpn, gen); rv = rdv === NO_DV ? -1 : vpn;
            }
            if (vpn === rv) { L[op.d] = rdv.getUint32(o, true); H[op.d] = rdv.getUint32(o + 4, true); break; }
          }
          c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k]; if (cnt) m.seq = i0 + k + sq;
          m.load(ea(m, op.m!), 8); L[op.d] = m.vlo; H[op.d] = m.vhi;
          cb = m.cycles - pre[k]; if (cnt) sq = m.seq - i0 - k;
          rv = wv = -1; noteData(m, va);
          if (m.mmu.gen !== gen || mem.codeGen !== codeGen || cb + b.cost >= m.timerAt || m.status !== null) { k++; i0 += k; cb += pre[k]; nrip = rip0 + at[k]; break chain; }
          break;
        }
        case 36: /* STORE */ {
          const va = eaLinear(m, op.m!), o = va & 4095;
          if (va >= 0 && o <= 4088) {
            const vpn = va <= 0xffffffff ? va >>> 12 : Math.floor(va / 4096);
            if (vpn !== wv) {
              // A write moves both of xlate's memos: the block's page for reads may no longer be its.
              if (vpn !== m.wVpn && xlateByMemo(m, vpn, WRITE)) rv = -1;
              wdv = writePage(m, vpn, gen); wv = wdv === NO_DV ? -1 : vpn;
            }
            if (vpn === wv) { wdv.setUint32(o, L[op.s], true); wdv.setUint32(o + 4, H[op.s], true); break; }
          }
          c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k]; if (cnt) m.seq = i0 + k + sq;
          m.store(ea(m, op.m!), 8, L[op.s], H[op.s]);
          cb = m.cycles - pre[k]; if (cnt) sq = m.seq - i0 - k;
          rv = wv = -1; noteData(m, va);
          if (m.mmu.gen !== gen || mem.codeGen !== codeGen || cb + b.cost >= m.timerAt || m.status !== null) { k++; i0 += k; cb += pre[k]; nrip = rip0 + at[k]; break chain; }
          break;
        }
        case 58: /* RMW */ {
          const va = eaLinear(m, op.m!);
          // A page crossed is the machine's. Else, when xlate's memo would miss for the first
          // access (the write check; the load for cmp and test), the data memo's stand-in for its
          // TLB hit; then the hit.
          if (va >= 0 && (va & 4095) <= 4096 - op.w) {
            const vpn = va <= 0xffffffff ? va >>> 12 : Math.floor(va / 4096), acc = op.sub < ALU.cmp ? WRITE : READ;
            if ((acc === WRITE ? vpn !== m.wVpn : vpn !== m.rVpn) && xlateByMemo(m, vpn, acc)) { rv = -1; wv = -1; }
            if (aluMemHit(m, op, va, gen)) break;
          }
          c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k]; if (cnt) m.seq = i0 + k + sq;
          aluMem(m, op);
          cb = m.cycles - pre[k]; if (cnt) sq = m.seq - i0 - k;
          rv = wv = -1; noteData(m, va);
          if (m.mmu.gen !== gen || mem.codeGen !== codeGen || cb + b.cost >= m.timerAt || m.status !== null) { k++; i0 += k; cb += pre[k]; nrip = rip0 + at[k]; break chain; }
          break;
        }
        case 37: /* COLD_MEM */
          c.rip = rip0 + at[k]; m.instret = i0 + k; m.cycles = cb + pre[k]; if (cnt) m.seq = i0 + k + sq;
          coldMem(m, op);
          cb = m.cycles - pre[k]; if (cnt) sq = m.seq - i0 - k;
          rv = wv = -1;
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
          rv = wv = -1;
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
    case F.SHL_RI: case F.SHR_RI: case F.SAR_RI: shift(c, op.sub, 8, L[op.d], H[op.d], op.imm); L[op.d] = R.lo; H[op.d] = R.hi; break; // a zero count
    case OPC.MOV_RR: rset(L, H, op.d, op.w, rlo(L, op.s), rhi(H, op.s)); break;
    case OPC.MOV_RI: rset(L, H, op.d, op.w, op.ilo, op.ihi); break;
    case OPC.LEA: eaLinear(m, op.m!); rset(L, H, op.d, op.w, EA.lo, EA.hi); break;
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
  if (op.imm) c.addSmall(RSP, op.imm);
  return t;
}
