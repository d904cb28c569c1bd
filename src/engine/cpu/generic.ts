// The executor for the r/m-form instructions beyond the hot core (exec.ts): one-operand MUL/IMUL/
// DIV/IDIV, MOVZX/MOVSX/MOVSXD, CMOVcc, SETcc, BT*, BSF/BSR, BSWAP, PUSHFQ/POPFQ, CWD/CDQ/CQO,
// CLD/STD. SDM Vol. 2 instruction pages; values in bits.ts. World: hardware.

import { OPC, type Op } from './decode.ts';
import { cond, R } from './alu.ts';
import { bitScan, bitTest, bswap, extend, mulDiv } from './bits.ts';
import { ea, pop, push } from './operands.ts';
import { rhi, rlo, rset } from './regs.ts';
import { RAX, RDX } from '../asm/ir.ts';
import { RFLAGS } from '../arch/x86.ts';
import { WRITE } from '../mmu/mmu.ts';
import type { Machine } from '../machine.ts';

/** Flags POPFQ may change at all (the rest are reserved, or VM/VIF/VIP, which it leaves alone). */
const POPF_BITS = RFLAGS.CF | RFLAGS.PF | RFLAGS.AF | RFLAGS.ZF | RFLAGS.SF | RFLAGS.TF | RFLAGS.IF |
  RFLAGS.DF | RFLAGS.OF | RFLAGS.IOPL | RFLAGS.NT | RFLAGS.AC | RFLAGS.ID;
const big = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const LO = (v: bigint) => Number(v & 0xffffffffn), HI = (v: bigint) => Number((v >> 32n) & 0xffffffffn);

/** Executes op; returns its cycles beyond the base instruction cost. */
export function execGeneric(m: Machine, op: Op): number {
  const c = m.cpu, costs = m.costs, L = c.lo, H = c.hi;
  let cost = 0;
  /** The source operand (memory, register or immediate) into sl/sh. */
  let sl = op.ilo, sh = op.ihi;
  const readSrc = (w: number) => {
    if (op.m && !op.mdst) { m.load(ea(m, op.m), w); sl = m.vlo; sh = m.vhi; cost += costs.dataAccess; }
    else if (op.s >= 0) { sl = rlo(L, op.s); sh = rhi(H, op.s); }
  };
  switch (op.code) {
    case OPC.MULDIV: {
      const w = op.w;
      if (op.m) { m.load(ea(m, op.m), w); sl = m.vlo; sh = m.vhi; cost += costs.dataAccess; }
      else { sl = rlo(L, op.d); sh = rhi(H, op.d); }
      // The accumulator pair: al:ah as ax for byte operands, else rax/rdx at the width.
      const acc = w === 1 ? { lo: BigInt(c.lo[RAX] & 0xff), hi: BigInt((c.lo[RAX] >>> 8) & 0xff) }
        : { lo: big(c.lo[RAX], c.hi[RAX]), hi: big(c.lo[RDX], c.hi[RDX]) };
      const r = mulDiv(c, op.sub, w, acc, big(sl, sh));
      if (w === 1) rset(L, H, RAX, 2, Number(r.lo) | (Number(r.hi) << 8), 0);
      else { rset(L, H, RAX, w, LO(r.lo), HI(r.lo)); rset(L, H, RDX, w, LO(r.hi), HI(r.hi)); }
      return cost + (op.sub >= 6 ? costs.div : costs.imul);
    }
    case OPC.MOVX:
      readSrc(op.sw);
      extend(op.sub === 1, op.w, op.sw, sl, sh);
      rset(L, H, op.d, op.w, R.lo, R.hi);
      return cost;
    case OPC.CMOV:
      // The source is read whatever the condition; a 32-bit CMOVcc zero-extends even when false.
      readSrc(op.w);
      if (cond(c, op.sub)) rset(L, H, op.d, op.w, sl, sh);
      else if (op.w === 4) c.hi[op.d] = 0;
      return cost;
    case OPC.SETCC: {
      const v = cond(c, op.sub) ? 1 : 0;
      if (op.mdst) { m.store(ea(m, op.m!), 1, v, 0); return costs.dataAccess; }
      rset(L, H, op.d, 1, v, 0);
      return 0;
    }
    case OPC.BT: {
      const w = op.w, bits = 8 * w;
      let off: number;
      let va = -1;
      if (op.s >= 0) {
        // A register bit offset is signed; with a memory operand it may reach outside it
        // (SDM BT: "bit base" addressing), so the address moves by whole operands.
        const o = w === 8 ? big(rlo(L, op.s), rhi(H, op.s)) : BigInt((rlo(L, op.s) & (w === 4 ? 0xffffffff : 0xffff)) >>> 0);
        const so = BigInt.asIntN(bits, o);
        if (op.mdst) {
          const q = so >= 0n ? so / BigInt(bits) : -((-so + BigInt(bits) - 1n) / BigInt(bits));
          va = ea(m, op.m!) + Number(q) * w;
          off = Number(so - q * BigInt(bits));
        } else off = Number(BigInt.asUintN(64, so) % BigInt(bits));
      } else off = (op.imm & 0xff) % bits;
      if (op.mdst) {
        if (va < 0) va = ea(m, op.m!);
        if (op.sub !== 4) m.xlate(va, WRITE);
        m.load(va, w);
        bitTest(c, op.sub, w, m.vlo, m.vhi, off);
        if (op.sub !== 4) { m.store(va, w, R.lo, R.hi); cost += costs.dataAccess; }
        return cost + costs.dataAccess;
      }
      bitTest(c, op.sub, w, rlo(L, op.d), rhi(H, op.d), off);
      if (op.sub !== 4) rset(L, H, op.d, w, R.lo, R.hi);
      return 0;
    }
    case OPC.BSX:
      readSrc(op.w);
      if (bitScan(c, op.sub === 1, op.w, sl, sh)) rset(L, H, op.d, op.w, R.lo, 0);
      return cost;
    case OPC.BSWAP:
      bswap(op.w, c.lo[op.d], c.hi[op.d]);
      rset(L, H, op.d, op.w, R.lo, R.hi);
      return 0;
    case OPC.PUSHF:
      // The pushed image has RF and VM clear (SDM PUSHF).
      push(m, (c.rflags() & ~(RFLAGS.RF | RFLAGS.VM)) >>> 0, 0);
      return costs.dataAccess;
    case OPC.POPF: {
      pop(m);
      const v = m.vlo, iopl = (c.rf & RFLAGS.IOPL) >>> 12;
      // CPL 0 may change IOPL and IF; CPL <= IOPL may change IF; RF is cleared (SDM POPF, 64-bit mode).
      let may = POPF_BITS;
      if (c.cpl > 0) { may &= ~RFLAGS.IOPL; if (c.cpl > iopl) may &= ~RFLAGS.IF; }
      c.setRflags(((c.rflags() & ~may & ~RFLAGS.RF) | (v & may)) >>> 0);
      return costs.dataAccess;
    }
    case OPC.CQO: {
      const w = op.w;
      const neg = w === 8 ? c.hi[RAX] >>> 31 : w === 4 ? c.lo[RAX] >>> 31 : (c.lo[RAX] >>> 15) & 1;
      const f = neg ? 0xffffffff : 0;
      rset(L, H, RDX, w, f, f);
      return 0;
    }
    case OPC.CLD: c.rf = (c.rf & ~RFLAGS.DF) >>> 0; return 0;
    case OPC.STD: c.rf = (c.rf | RFLAGS.DF) >>> 0; return 0;
  }
  throw new Error(`execGeneric: op ${op.code} (${op.name}) has no semantics`);
}
