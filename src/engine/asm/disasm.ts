// Disassembly of an assembled instruction back to the guest language's own Intel syntax, with the
// names of the one instruction-set table (isa.ts): canonical mnemonics (jz is shown as je),
// register names at their width, `byte|word|dword|qword ptr`. Assembling the text gives the same
// bytes (test/engine/asm/disasm.test.ts). World: none (used by the views and the CLI).

import type { Instr, Operand } from './ir.ts';
import { regName } from './isa.ts';

const PTR: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };
const CR = ['cr0', '', 'cr2', 'cr3', 'cr4'];

const hex = (v: bigint) => {
  const s = BigInt.asIntN(64, v);
  return s < 0n ? `-0x${(-s).toString(16)}` : `0x${s.toString(16)}`;
};

/** One operand; `sized` writes the memory size. A rip-relative operand shows its displacement
 *  from the next instruction (as objdump does), so the text assembles to the same bytes. */
function operand(o: Operand, sized: boolean, next: number): string {
  switch (o.kind) {
    case 'reg': return regName(o.reg, o.size, o.high);
    case 'cr': return CR[o.cr];
    case 'imm': return hex(o.value);
    case 'mem': {
      const parts: string[] = [];
      if (o.base !== null) parts.push(regName(o.base, 8));
      if (o.index !== null) parts.push(`${regName(o.index, 8)}*${o.scale}`);
      const disp = o.rip ? BigInt.asIntN(64, o.disp) - BigInt(next) : BigInt.asIntN(64, o.disp);
      if (o.rip) parts.unshift('rip');
      let text = parts.join(' + ');
      if (disp !== 0n || !parts.length) text += parts.length ? (disp < 0n ? ` - ${hex(-disp)}` : ` + ${hex(disp)}`) : hex(disp);
      return `${sized ? `${PTR[o.size]} ptr ` : ''}[${text}]`;
    }
  }
}

/** The instruction as text: `mnemonic op, op`, a rep prefix first, memory operands with their
 *  size (except for lea and the descriptor-table and invlpg operands, which have none). */
export function disassemble(ins: Instr): string {
  const mn = ins.mnemonic;
  const unsized = mn === 'lea' || mn === 'invlpg' || mn === 'lidt' || mn === 'lgdt';
  const text = ins.ops.map((o) => operand(o, !unsized, ins.addr + ins.len)).join(', ');
  const pre = ins.rep === 1 ? (mn.startsWith('cmps') || mn.startsWith('scas') ? 'repe ' : 'rep ') : ins.rep === 2 ? 'repne ' : '';
  return `${pre}${mn}${text ? ' ' + text : ''}`;
}
