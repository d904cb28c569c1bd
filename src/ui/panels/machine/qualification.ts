// Decodes an exit qualification (EPT violation, control-register access, I/O instruction) and the
// VM-exit interruption information into named fields (vtx-facts.md §1, §2.4). Pure.

import { EPT_QUAL, EXIT_REASON, INTR_INFO } from '../../../engine/arch/vmx.ts';
import { VEC_NAME } from '../../../engine/arch/x86.ts';
import { REG64 } from '../../../engine/asm/ir.ts';
import { messages } from '../../messages/index.ts';

const t = messages.machine;

/** One decoded field: what it is, which bits hold it, its meaning. */
export interface Field { label: string; bits: string; value: string }
/** A single named bit that is set. */
export interface SetBit { name: string; bit: number; meaning: string }
export interface Decoded { fields: Field[]; set: SetBit[] }

// Bit layouts that src/engine/arch/vmx.ts does not (yet) name; they belong there, as tables
// beside EPT_QUAL (SDM "Exit Qualification for Control-Register Accesses" / "for I/O Instructions").
const CR_QUAL = { CR: [0, 4], ACCESS: [4, 2], LMSW_MEM: [6, 1], GPR: [8, 4], LMSW_DATA: [16, 16] } as const;
const IO_QUAL = { SIZE: [0, 3], IN: [3, 1], STRING: [4, 1], REP: [5, 1], IMM: [6, 1], PORT: [16, 16] } as const;
const INTR_TYPE: readonly [number, number] = [8, 3];

const get = (v: number, [lo, w]: readonly [number, number]) => Math.floor(v / 2 ** lo) % 2 ** w;
const bits = ([lo, w]: readonly [number, number]) => (w === 1 ? `${lo}` : `${lo + w - 1}:${lo}`);
const bitOf = (mask: number) => Math.log2(mask);
const yn = (b: boolean) => (b ? t.yes : t.no);

/** Parses a trace hex string ("0x182") or number into a number (qualifications fit in 53 bits). */
export const num = (v: string | number | bigint) => (typeof v === 'number' ? v : Number(BigInt(v)));

export function decodeEptViolation(q: number): Decoded {
  const has = (m: number) => (q & m) !== 0;
  const names = Object.keys(EPT_QUAL) as (keyof typeof EPT_QUAL)[];
  const set = names.filter((k) => has(EPT_QUAL[k])).map((k) => ({ name: k, bit: bitOf(EPT_QUAL[k]), meaning: t.eptQual[k] }));
  const access = (['READ', 'WRITE', 'FETCH'] as const).filter((k) => has(EPT_QUAL[k])).map((k) => t.eptQual[k]);
  const perms = (['READABLE', 'WRITABLE', 'EXECUTABLE'] as const).map((k, i) => (has(EPT_QUAL[k]) ? 'RWX'[i] : '-')).join('');
  const glaValid = has(EPT_QUAL.GLA_VALID);
  return {
    set,
    fields: [
      { label: t.eptAccess, bits: '2:0', value: access.join(' + ') || '—' },
      { label: t.eptAllowed, bits: '5:3', value: perms === '---' ? `${perms} ${t.eptNone}` : perms },
      { label: t.gla, bits: `${bitOf(EPT_QUAL.GLA_VALID)}`, value: glaValid ? t.eptQual.GLA_VALID : t.glaNotValid },
      {
        label: t.eptWhere, bits: `${bitOf(EPT_QUAL.GLA_TRANSLATED)}`,
        value: !glaValid ? t.eptNoGla : has(EPT_QUAL.GLA_TRANSLATED) ? t.eptFinal : t.eptWalk,
      },
    ],
  };
}

export function decodeCrAccess(q: number): Decoded {
  const type = get(q, CR_QUAL.ACCESS);
  const fields: Field[] = [
    { label: t.crNumber, bits: bits(CR_QUAL.CR), value: `CR${get(q, CR_QUAL.CR)}` },
    { label: t.crAccess, bits: bits(CR_QUAL.ACCESS), value: t.crAccessTypes[type] },
  ];
  if (type <= 1) fields.push({ label: t.crGpr, bits: bits(CR_QUAL.GPR), value: REG64[get(q, CR_QUAL.GPR)] });
  if (type === 3) {
    fields.push({ label: t.crLmswOperand, bits: bits(CR_QUAL.LMSW_MEM), value: t.crLmswOperands[get(q, CR_QUAL.LMSW_MEM)] });
    fields.push({ label: t.crLmswData, bits: bits(CR_QUAL.LMSW_DATA), value: '0x' + get(q, CR_QUAL.LMSW_DATA).toString(16) });
  }
  return { fields, set: [] };
}

export function decodeIo(q: number): Decoded {
  return {
    set: [],
    fields: [
      { label: t.ioSize, bits: bits(IO_QUAL.SIZE), value: t.ioBytes(get(q, IO_QUAL.SIZE) + 1) },
      { label: t.ioDir, bits: bits(IO_QUAL.IN), value: t.ioDirs[get(q, IO_QUAL.IN)] },
      { label: t.ioString, bits: bits(IO_QUAL.STRING), value: yn(get(q, IO_QUAL.STRING) === 1) },
      { label: t.ioRep, bits: bits(IO_QUAL.REP), value: yn(get(q, IO_QUAL.REP) === 1) },
      { label: t.ioOperand, bits: bits(IO_QUAL.IMM), value: t.ioOperands[get(q, IO_QUAL.IMM)] },
      { label: t.ioPort, bits: bits(IO_QUAL.PORT), value: '0x' + get(q, IO_QUAL.PORT).toString(16) },
    ],
  };
}

/** VM-exit interruption information (VMCS 0x4404); `errorCode` from 0x4406 when bit 11 is set. */
export function decodeIntrInfo(info: number, errorCode?: number): Decoded {
  const vector = info & 0xff, type = get(info, INTR_TYPE);
  const errValid = (info & INTR_INFO.ERR_VALID) !== 0;
  const fields: Field[] = [
    { label: t.intrVector, bits: '7:0', value: `${vector}${VEC_NAME[vector] ? ` (${VEC_NAME[vector]})` : ''}` },
    { label: t.intrType, bits: bits(INTR_TYPE), value: `${type}: ${t.intrTypes[type]}` },
    { label: t.intrErrValid, bits: `${bitOf(INTR_INFO.ERR_VALID)}`, value: yn(errValid) },
    { label: t.intrValid, bits: '31', value: yn(info >= INTR_INFO.VALID) },
  ];
  if (errValid && errorCode !== undefined) fields.push({ label: t.intrErrCode, bits: '', value: '0x' + errorCode.toString(16) });
  return { fields, set: [] };
}

/** The decoder for an exit's qualification, by basic exit reason (null: nothing defined to decode). */
export const QUAL_DECODERS: Readonly<Partial<Record<number, (q: number) => Decoded>>> = {
  [EXIT_REASON.EPT_VIOLATION]: decodeEptViolation,
  [EXIT_REASON.CR_ACCESS]: decodeCrAccess,
  [EXIT_REASON.IO_INSTRUCTION]: decodeIo,
};
