// String instructions MOVS, STOS, LODS, CMPS, SCAS at byte/word/dword/qword size, with the
// REP/REPE/REPNE prefixes: RSI/RDI step by the element size, up or down by RFLAGS.DF, RCX counts.
// SDM Vol. 2 "REP/REPE/REPZ/REPNE/REPNZ" and the MOVS..SCAS pages. World: hardware.
//
// A repeated string instruction is interruptible between iterations (SDM Vol. 1 "Repeated String
// Operations"): each iteration updates RSI, RDI and RCX only after its own accesses succeed, so a
// fault or VM exit in the middle leaves them at the interrupted iteration with RIP still at the
// instruction, and re-executing it resumes. The model also stops between iterations when a timer
// tick or an interrupt is due, or after CHUNK iterations (so one step stays bounded).

import { RFLAGS } from '../arch/x86.ts';
import { RAX, RCX, RSI, RDI } from '../asm/ir.ts';
import { STRING_OPS } from '../asm/isa.ts';
import { alu } from './alu.ts';
import { ALU, type Op } from './decode.ts';
import { radd, rset } from './regs.ts';
import type { Machine } from '../machine.ts';

const MOVS = STRING_OPS.movs, CMPS = STRING_OPS.cmps, STOS = STRING_OPS.stos, LODS = STRING_OPS.lods;
/** Iterations one step may run before it yields (RIP unchanged, RCX counting what is left). */
export const CHUNK = 4096;

/** Runs the string op; true when it completed (the caller retires it and moves RIP past it),
 *  false when it stopped between iterations with work left (RIP stays; it runs again). */
export function stringOp(m: Machine, op: Op): boolean {
  const c = m.cpu, w = op.w, costs = m.costs, L = c.lo, H = c.hi;
  const step = c.rf & RFLAGS.DF ? -w : w;
  const kind = op.sub;
  const rep = op.rep;
  const reads = kind === MOVS ? 1 : kind === CMPS ? 2 : kind === STOS ? 0 : 1;
  const writes = kind === MOVS || kind === STOS ? 1 : 0;
  const perIter = costs.stringIter + (reads + writes) * costs.dataAccess;
  for (let n = 0; ; n++) {
    if (rep) {
      if ((c.lo[RCX] | c.hi[RCX]) === 0) return true;
      if (n > 0 && (n >= CHUNK || m.cycles >= m.timerAt || m.pendingIntr >= 0)) return false;
    }
    switch (kind) {
      case MOVS: {
        m.load(m.ea(c.lo[RSI], c.hi[RSI]), w);
        m.store(m.ea(c.lo[RDI], c.hi[RDI]), w, m.vlo, m.vhi);
        radd(c, RSI, step); radd(c, RDI, step);
        break;
      }
      case STOS:
        m.store(m.ea(c.lo[RDI], c.hi[RDI]), w, c.lo[RAX], c.hi[RAX]);
        radd(c, RDI, step);
        break;
      case LODS:
        m.load(m.ea(c.lo[RSI], c.hi[RSI]), w);
        rset(L, H, RAX, w, m.vlo, m.vhi);
        radd(c, RSI, step);
        break;
      case CMPS: {
        // CMPS compares [rsi] with [rdi] as [rsi] - [rdi] (SDM: "SRC1 - SRC2").
        m.load(m.ea(c.lo[RSI], c.hi[RSI]), w);
        const al = m.vlo, ah = m.vhi;
        m.load(m.ea(c.lo[RDI], c.hi[RDI]), w);
        alu(c, ALU.cmp, w, al, ah, m.vlo, m.vhi);
        radd(c, RSI, step); radd(c, RDI, step);
        break;
      }
      default: // SCAS: rax - [rdi]
        m.load(m.ea(c.lo[RDI], c.hi[RDI]), w);
        alu(c, ALU.cmp, w, c.lo[RAX], c.hi[RAX], m.vlo, m.vhi);
        radd(c, RDI, step);
    }
    m.cycles += perIter;
    if (!rep) return true;
    radd(c, RCX, -1);
    // REPE stops when ZF = 0, REPNE when ZF = 1 (only CMPS and SCAS test ZF).
    if (kind === CMPS || kind === STRING_OPS.scas) {
      if (rep === 1 ? c.zf === 0 : c.zf === 1) return true;
    }
  }
}
