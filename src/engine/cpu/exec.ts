// The interpreter: fetch through translation, dispatch on the decoded op, retire. Architectural
// effects per the SDM Vol. 2 instruction pages; system instructions are in system.ts. An
// instruction that faults throws before it changes anything (fault-like). World: hardware.

import { OPC, type Op, type MemRef } from './decode.ts';
import { alu, unary, shift, imul, cond, R } from './alu.ts';
import { CpuFault } from './fault.ts';
import { VEC } from '../arch/x86.ts';
import { RSP, RBP, RAX, RDX, RCX } from '../asm/ir.ts';
import { linear } from './state.ts';
import { WRITE } from '../mmu/mmu.ts';
import * as sys from './system.ts';
import type { Machine } from '../machine.ts';
import { hexVa } from '../trace/events.ts';

// Local copies of the op codes: a module's exported object may be read through an accessor,
// which costs too much in the dispatch switch.
const { ALU_MI, ALU_MR, ALU_RI, ALU_RM, ALU_RR, CALL, CALL_M, CALL_R, DIV, IMUL1, IMUL2, IMUL3, JCC, JMP, JMP_M, JMP_R, LEA, LOOP, MOV_CR_R, MOV_MI, MOV_MR, MOV_RI, MOV_RM, MOV_RR, MOV_R_CR, NATIVE, NOP, PAUSE, POP_M, POP_R, PUSH_I, PUSH_M, PUSH_R, RET, SH_M, SH_R, UN_M, UN_R, XCHG_RM, XCHG_RR } = OPC;

const P32 = 4294967296;

/** Effective address of a memory operand: base + index*scale + disp in 64-bit arithmetic. */
function ea(m: Machine, r: MemRef): number {
  const c = m.cpu;
  let lo = r.dlo, hi = r.dhi;
  if (r.base >= 0) {
    lo += c.lo[r.base]; hi += c.hi[r.base];
    if (lo > 0xffffffff) { lo -= P32; hi++; }
  }
  if (r.index >= 0) {
    let il = c.lo[r.index], ih = c.hi[r.index];
    if (r.shift) { ih = ((ih << r.shift) | (il >>> (32 - r.shift))) >>> 0; il = (il << r.shift) >>> 0; }
    lo += il; hi += ih;
    if (lo > 0xffffffff) { lo -= P32; hi++; }
  }
  // SDM: a non-canonical address is #SS(0) when the operand references the stack segment
  // (base RSP or RBP), #GP(0) otherwise.
  if (r.base === RSP || r.base === RBP) return stackEa(lo >>> 0, hi >>> 0);
  return m.ea(lo >>> 0, hi >>> 0);
}

/** A stack address (implicit PUSH/POP/CALL/RET accesses): #SS(0) when not canonical. */
function stackEa(lo: number, hi: number): number {
  const va = linear(lo, hi);
  if (va < 0) throw new CpuFault(VEC.SS, 0, 0, 'non-canonical stack address');
  return va;
}

/** Write a register at width w: 4 zero-extends (x86-64), 8 writes all. */
function setReg(m: Machine, r: number, w: number, lo: number, hi: number) {
  m.cpu.lo[r] = lo;
  m.cpu.hi[r] = w === 8 ? hi : 0;
}

function push(m: Machine, lo: number, hi: number) {
  const c = m.cpu;
  let sl = c.lo[RSP] - 8, sh = c.hi[RSP];
  if (sl < 0) { sl += P32; sh = (sh - 1) >>> 0; }
  m.store(stackEa(sl, sh), 8, lo, hi);
  c.lo[RSP] = sl; c.hi[RSP] = sh;
}

function pop(m: Machine) {
  const c = m.cpu;
  m.load(stackEa(c.lo[RSP], c.hi[RSP]), 8);
  let sl = c.lo[RSP] + 8;
  if (sl > 0xffffffff) { sl -= P32; c.hi[RSP] = (c.hi[RSP] + 1) >>> 0; }
  c.lo[RSP] = sl;
}

/** Push the return address (a 48-bit linear address) in canonical form. */
function pushAddr(m: Machine, va: number) {
  const h = Math.floor(va / P32);
  push(m, va >>> 0, (h & 0x8000 ? h | 0xffff0000 : h) >>> 0);
}

/** Execute up to n instructions. Returns when n have retired, the machine stops, or the CPU halts.
 *  With single = true, exactly one op (instruction or native routine) runs. */
export function runBatch(m: Machine, n: number, single = false) {
  const c = m.cpu, costs = m.costs;
  const L = c.lo, H = c.hi;
  const end = m.instret + n;
  let ops = single ? 0 : -Infinity;
  while (ops++ < 1 && m.instret < end && m.status === null && !c.halted) {
    if (m.cycles >= m.timerAt) m.tick();
    if (m.pendingIntr >= 0 && sys.interruptible(m)) { sys.takeInterrupt(m); continue; }
    const op = m.fetch();
    const rip = c.rip;
    const next = rip + op.len;
    let cost = costs.instr;
    switch (op.code) {
      case MOV_RR: setReg(m, op.d, op.w, L[op.s], H[op.s]); break;
      case MOV_RI: setReg(m, op.d, op.w, op.ilo, op.ihi); break;
      case MOV_RM: m.load(ea(m, op.m!), op.m!.size); setReg(m, op.d, op.w === 4 ? 4 : 8, m.vlo, m.vhi); cost += costs.dataAccess; break;
      case MOV_MR: m.store(ea(m, op.m!), op.m!.size, L[op.s], H[op.s]); cost += costs.dataAccess; break;
      case MOV_MI: m.store(ea(m, op.m!), op.m!.size, op.ilo, op.ihi); cost += costs.dataAccess; break;
      case MOV_CR_R: sys.movToCr(m, op); break;
      case MOV_R_CR: sys.movFromCr(m, op); break;
      case LEA: {
        const va = eaRaw(m, op.m!);
        setReg(m, op.d, op.w, va.lo, va.hi);
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
        const tl = L[op.d], th = H[op.d];
        setReg(m, op.d, op.w, L[op.s], H[op.s]);
        setReg(m, op.s, op.w, tl, th);
        break;
      }
      case XCHG_RM: {
        const va = ea(m, op.m!);
        m.xlate(va, WRITE);
        m.load(va, op.w);
        m.store(va, op.w, L[op.d], H[op.d]);
        setReg(m, op.d, op.w, m.vlo, m.vhi);
        cost += 2 * costs.dataAccess;
        break;
      }
      case ALU_RR:
        alu(c, op.sub, op.w, L[op.d], H[op.d], L[op.s], H[op.s]);
        if (op.sub < 5) setReg(m, op.d, op.w, R.lo, R.hi);
        break;
      case ALU_RI:
        alu(c, op.sub, op.w, L[op.d], H[op.d], op.ilo, op.ihi);
        if (op.sub < 5) setReg(m, op.d, op.w, R.lo, R.hi);
        break;
      case ALU_RM:
        m.load(ea(m, op.m!), op.w);
        alu(c, op.sub, op.w, L[op.d], H[op.d], m.vlo, m.vhi);
        if (op.sub < 5) setReg(m, op.d, op.w, R.lo, R.hi);
        cost += costs.dataAccess;
        break;
      case ALU_MR: case ALU_MI: {
        const va = ea(m, op.m!), w = op.w;
        if (op.sub < 5) m.xlate(va, WRITE); // a read-modify-write faults as a write, before changing flags
        m.load(va, w);
        const f = c.rflags();
        alu(c, op.sub, w, m.vlo, m.vhi, op.code === ALU_MR ? L[op.s] : op.ilo, op.code === ALU_MR ? H[op.s] : op.ihi);
        if (op.sub < 5) { try { m.store(va, w, R.lo, R.hi); } catch (e) { c.setRflags(f); throw e; } }
        cost += 2 * costs.dataAccess;
        break;
      }
      case UN_R: unary(c, op.sub, op.w, L[op.d], H[op.d]); setReg(m, op.d, op.w, R.lo, R.hi); break;
      case UN_M: {
        const va = ea(m, op.m!);
        m.xlate(va, WRITE);
        m.load(va, op.w);
        unary(c, op.sub, op.w, m.vlo, m.vhi);
        m.store(va, op.w, R.lo, R.hi);
        cost += 2 * costs.dataAccess;
        break;
      }
      case SH_R: shift(c, op.sub, op.w, L[op.d], H[op.d], op.byCl ? L[RCX] & 0xff : op.imm); setReg(m, op.d, op.w, R.lo, R.hi); break;
      case SH_M: {
        const va = ea(m, op.m!);
        m.xlate(va, WRITE);
        m.load(va, op.w);
        shift(c, op.sub, op.w, m.vlo, m.vhi, op.byCl ? L[RCX] & 0xff : op.imm);
        m.store(va, op.w, R.lo, R.hi);
        cost += 2 * costs.dataAccess;
        break;
      }
      case IMUL1: {
        let sl: number, sh: number;
        if (op.m) { m.load(ea(m, op.m), op.w); sl = m.vlo; sh = m.vhi; } else { sl = L[op.s]; sh = H[op.s]; }
        const high = imul(c, op.w, L[RAX], H[RAX], sl, sh);
        setReg(m, RAX, op.w, R.lo, R.hi);
        setReg(m, RDX, op.w, Number(high & 0xffffffffn), Number(high >> 32n));
        cost += costs.imul;
        break;
      }
      case IMUL2: case IMUL3: {
        let sl: number, sh: number;
        if (op.m) { m.load(ea(m, op.m), op.w); sl = m.vlo; sh = m.vhi; } else { sl = L[op.s]; sh = H[op.s]; }
        if (op.code === IMUL2) imul(c, op.w, L[op.d], H[op.d], sl, sh);
        else imul(c, op.w, sl, sh, op.ilo, op.ihi);
        setReg(m, op.d, op.w, R.lo, R.hi);
        cost += costs.imul;
        break;
      }
      case DIV: {
        let sl: number, sh: number;
        if (op.m) { m.load(ea(m, op.m), op.w); sl = m.vlo; sh = m.vhi; } else { sl = L[op.s]; sh = H[op.s]; }
        const bits = BigInt(op.w * 8);
        const divisor = op.w === 8 ? (BigInt(sh) << 32n) | BigInt(sl) : BigInt(sl >>> 0);
        if (divisor === 0n) throw new CpuFault(VEC.DE, null, 0, 'divide by zero');
        const lowPart = op.w === 8 ? c.get(RAX) : BigInt(L[RAX]);
        const highPart = op.w === 8 ? c.get(RDX) : BigInt(L[RDX]);
        const dividend = (highPart << bits) | lowPart;
        const q = dividend / divisor, r = dividend % divisor;
        if (q >> bits !== 0n) throw new CpuFault(VEC.DE, null, 0, 'quotient too large (divide overflow)');
        setReg(m, RAX, op.w, Number(q & 0xffffffffn), Number(q >> 32n));
        setReg(m, RDX, op.w, Number(r & 0xffffffffn), Number(r >> 32n));
        cost += costs.div;
        break;
      }
      case JMP: c.rip = next + op.rel; retire(m, op, rip, cost); continue;
      case JMP_R: c.rip = m.ea(L[op.s], H[op.s]); retire(m, op, rip, cost); continue;
      case JMP_M: m.load(ea(m, op.m!), 8); c.rip = m.ea(m.vlo, m.vhi); retire(m, op, rip, cost + costs.dataAccess); continue;
      case CALL: pushAddr(m, next); c.rip = next + op.rel; retire(m, op, rip, cost + costs.dataAccess); continue;
      case CALL_R: { const t = m.ea(L[op.s], H[op.s]); pushAddr(m, next); c.rip = t; retire(m, op, rip, cost + costs.dataAccess); continue; }
      case CALL_M: {
        m.load(ea(m, op.m!), 8);
        const t = m.ea(m.vlo, m.vhi);
        pushAddr(m, next); c.rip = t;
        retire(m, op, rip, cost + 2 * costs.dataAccess);
        continue;
      }
      case RET: {
        const sl = L[RSP], sh = H[RSP];
        pop(m);
        const t = linearOrUndo(m, sl, sh);
        if (op.imm) c.setVa(RSP, c.va(RSP) + op.imm);
        c.rip = t;
        retire(m, op, rip, cost + costs.dataAccess);
        continue;
      }
      case JCC: c.rip = cond(c, op.sub) ? next + op.rel : next; retire(m, op, rip, cost); continue;
      case LOOP: {
        let l = L[RCX] - 1, h = H[RCX];
        if (l < 0) { l += P32; h = (h - 1) >>> 0; }
        L[RCX] = l; H[RCX] = h;
        c.rip = (l | h) !== 0 ? next + op.rel : next;
        retire(m, op, rip, cost);
        continue;
      }
      case NOP: case PAUSE: break;
      case NATIVE:
        // A simulator-provided routine: it does its own accounting and sets RIP.
        (op.native as (m: Machine) => void)(m);
        continue;
      default:
        // System instructions: each sets RIP itself (they may transfer control).
        sys.exec(m, op, next);
        retire(m, op, rip, 0);
        continue;
    }
    c.rip = next;
    retire(m, op, rip, cost);
  }
}

function eaRaw(m: Machine, r: MemRef): { lo: number; hi: number } {
  const c = m.cpu;
  let lo = r.dlo, hi = r.dhi;
  if (r.base >= 0) { lo += c.lo[r.base]; hi += c.hi[r.base]; if (lo > 0xffffffff) { lo -= P32; hi++; } }
  if (r.index >= 0) {
    let il = c.lo[r.index], ih = c.hi[r.index];
    if (r.shift) { ih = ((ih << r.shift) | (il >>> (32 - r.shift))) >>> 0; il = (il << r.shift) >>> 0; }
    lo += il; hi += ih; if (lo > 0xffffffff) { lo -= P32; hi++; }
  }
  return { lo: lo >>> 0, hi: hi >>> 0 };
}

/** The popped return address must be canonical; if not, undo the pop and raise #GP. */
function linearOrUndo(m: Machine, sl: number, sh: number): number {
  const c = m.cpu;
  try { return m.ea(m.vlo, m.vhi); } catch (e) { c.lo[RSP] = sl; c.hi[RSP] = sh; throw e; }
}

function retire(m: Machine, op: Op, rip: number, cost: number) {
  m.instret++;
  m.cycles += cost;
  if (m.tracing) m.emitInstr(rip === op.addr ? op.ripHex ??= hexVa(rip) : hexVa(rip), op.text);
}
