// The disassembler against the assembler: every form of gas.test.ts's list, disassembled and
// assembled again at the same address, gives the same bytes; names are the ISA table's canonical ones.

import { describe, it, expect } from 'vitest';
import { assemble } from '../../../src/engine/asm/index.ts';
import { disassemble } from '../../../src/engine/asm/disasm.ts';
import { forms } from './forms-list.ts';

describe('disassemble', () => {
  it('canonical names and Intel syntax', () => {
    const r = assemble('top: jz top\n mov al, byte ptr [rbx + rcx*4 - 8]\n rep stosq\n repne scasb\n lea rsi, [rip + top]\n cmovnae eax, edx\n sal ah, cl');
    expect(r.ok && r.program.instrs.map(disassemble)).toEqual([
      'je 0x400000', 'mov al, byte ptr [rbx + rcx*4 - 0x8]', 'rep stosq', 'repne scasb', 'lea rsi, [rip - 0x12]',
      'cmovb eax, edx', 'shl ah, cl']);
  });
  it('every form assembles back to the same bytes', () => {
    const r = assemble(forms().join('\n'));
    if (!r.ok) throw new Error(r.errors[0].message);
    const bad: string[] = [];
    for (const ins of r.program.instrs) {
      const text = disassemble(ins);
      // Assemble alone at the same address: pad with nops up to it.
      const again = assemble(`.zero ${ins.addr - 0x400000}\n${text}`);
      const bytes = again.ok ? again.program.instrs[0].bytes.join(' ') : again.errors[0].message;
      if (bytes !== ins.bytes.join(' ')) bad.push(`${ins.text} -> ${text}: ${bytes}`);
    }
    expect(bad.slice(0, 20)).toEqual([]);
    expect(r.program.instrs.length).toBeGreaterThan(900);
  });
});
