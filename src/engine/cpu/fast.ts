// The interpreter's specialised forms: when an Op is decoded it also gets a dispatch number
// (Op.fast) that, for the hottest forms (64-bit ALU, MOV, INC/DEC, shifts by an immediate, IMUL
// and Jcc on rax..r15), names a handler
// with the width, operation and condition already chosen. Speed only: same effects. World: hardware.
//
// Every other op dispatches on its OPC code (fast === code). exec.ts holds the handlers; this
// file only chooses them, so the decoder and the interpreter agree on one numbering.

import { OPC, ALU, UN, SH, type Op } from './decode.ts';

/** Specialised dispatch numbers, above every OPC code. */
export const FAST = {
  ADD_RR: 100, OR_RR: 101, AND_RR: 102, SUB_RR: 103, XOR_RR: 104, CMP_RR: 105, TEST_RR: 106,
  ADD_RI: 110, OR_RI: 111, AND_RI: 112, SUB_RI: 113, XOR_RI: 114, CMP_RI: 115, TEST_RI: 116,
  MOV_RR: 120, MOV_RI: 121, MOV_RM: 122, MOV_MR: 123,
  JE: 130, JNE: 131, JB: 132, JAE: 133, JL: 134, JGE: 135, JLE: 136, JG: 137, JBE: 138, JA: 139,
  INC_R: 140, DEC_R: 141, SHL_RI: 142, SHR_RI: 143, SAR_RI: 144, IMUL_RRI: 145, IMUL_RR: 146,
} as const;

// Built on first use: decode.ts imports this module, so OPC and ALU are not ready at load time.
let BY_ALU: Record<number, readonly [number, number]> | null = null;
/** Jcc by condition code (isa.ts CONDS order: o no b ae e ne be a s ns p np l ge le g). */
const BY_CC: Record<number, number> = {
  2: FAST.JB, 3: FAST.JAE, 4: FAST.JE, 5: FAST.JNE, 6: FAST.JBE, 7: FAST.JA, 12: FAST.JL, 13: FAST.JGE, 14: FAST.JLE, 15: FAST.JG,
};

/** The dispatch number for a decoded op: a specialised handler when one fits, else its code. */
export function specialise(op: Op): number {
  BY_ALU ??= {
    [ALU.add]: [FAST.ADD_RR, FAST.ADD_RI], [ALU.or]: [FAST.OR_RR, FAST.OR_RI], [ALU.and]: [FAST.AND_RR, FAST.AND_RI],
    [ALU.sub]: [FAST.SUB_RR, FAST.SUB_RI], [ALU.xor]: [FAST.XOR_RR, FAST.XOR_RI], [ALU.cmp]: [FAST.CMP_RR, FAST.CMP_RI],
    [ALU.test]: [FAST.TEST_RR, FAST.TEST_RI],
  };
  const r64 = op.w === 8 && op.d >= 0 && op.d < 16;
  switch (op.code) {
    case OPC.ALU_RR: return r64 && op.s >= 0 && op.s < 16 ? BY_ALU[op.sub]?.[0] ?? op.code : op.code;
    case OPC.ALU_RI: return r64 ? BY_ALU[op.sub]?.[1] ?? op.code : op.code;
    case OPC.MOV_RR: return r64 && op.s >= 0 && op.s < 16 ? FAST.MOV_RR : op.code;
    case OPC.MOV_RI: return r64 ? FAST.MOV_RI : op.code;
    case OPC.MOV_RM: return r64 && op.m!.size === 8 ? FAST.MOV_RM : op.code;
    case OPC.MOV_MR: return op.w === 8 && op.s >= 0 && op.s < 16 && op.m!.size === 8 ? FAST.MOV_MR : op.code;
    case OPC.JCC: return BY_CC[op.sub] ?? op.code;
    case OPC.UN_R: return r64 ? op.sub === UN.inc ? FAST.INC_R : op.sub === UN.dec ? FAST.DEC_R : op.code : op.code;
    case OPC.SH_R:
      if (!r64 || op.byCl) return op.code;
      return op.sub === SH.shl ? FAST.SHL_RI : op.sub === SH.shr ? FAST.SHR_RI : op.sub === SH.sar ? FAST.SAR_RI : op.code;
    case OPC.IMUL3: return r64 && !op.m && op.s >= 0 && op.s < 16 ? FAST.IMUL_RRI : op.code;
    case OPC.IMUL2: return r64 && !op.m && op.s >= 0 && op.s < 16 ? FAST.IMUL_RR : op.code;
    default: return op.code;
  }
}
