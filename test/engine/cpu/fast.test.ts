// The interpreter's specialised forms (cpu/fast.ts) against its generic path: each form, run on
// edge and random 64-bit values, leaves the same registers, RFLAGS, RIP and cycles as the same op
// dispatched on its OPC code (alu() and cond()), and the forms that must not specialise do not.

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { stepper } from './util.ts';
import { FAST } from '../../../src/engine/cpu/fast.ts';
import { RAX, RBX, RCX } from '../../../src/engine/asm/ir.ts';

const ALU = ['add', 'or', 'and', 'sub', 'xor', 'cmp', 'test'] as const;
const JCC = ['je', 'jne', 'jb', 'jae', 'jl', 'jge', 'jle', 'jg', 'jbe', 'ja'] as const;

const SRC = `.data
m: .quad 0
.text
_start:
${ALU.map((o) => `rr_${o}: ${o} rax, rbx\nri_${o}: ${o} rax, -3\nrj_${o}: ${o} rcx, 0x7fffffff\n`).join('')}
${JCC.map((j) => `j_${j}: ${j} t_${j}\nt_${j}: nop\n`).join('')}
mov_rr: mov rcx, rbx
mov_ri: mov rax, -2
mov_rm: mov rax, [m]
mov_mr: mov [m], rbx
inc_r: inc rax
dec_r: dec rcx
shl_ri: shl rax, 1
shl_rj: shl rbx, 63
shr_ri: shr rax, 16
shr_rj: shr rcx, 1
sar_ri: sar rax, 7
sar_rj: sar rbx, 1
imul_rri: imul rax, rbx, 1103515245
imul_rrj: imul rcx, rax, -7
imul_rr: imul rax, rbx
n_shl_cl: shl rax, cl
n_inc32: inc eax
n_imul_m: imul rax, [m]
n_neg: neg rax
n_add32: add eax, ebx
n_mov8: mov al, bl
n_mov_rm32: mov eax, [m]
n_adc: adc rax, rbx
`;

const EDGES = [0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
  0x7fffffffffffffffn, 0x8000000000000000n, 0xfffffffffffffffen, 0xffffffffffffffffn, 0x123456789abcdef0n];

describe('specialised dispatch (fast.ts) agrees with the generic path', () => {
  const s = stepper(SRC);
  const { m, sym } = s;
  const c = m.cpu;
  const opAt = (label: string) => { c.rip = sym(label); return m.fetch(); };

  /** Run the op at label from the given state with its fast dispatch, then generically; compare. */
  function same(label: string, a: bigint, b: bigint, flags: number) {
    const op = opAt(label);
    const run = (fast: number) => {
      op.fast = fast;
      c.set(RAX, a); c.set(RBX, b); c.set(RCX, b ^ a); c.setRflags(flags);
      m.store(sym('m'), 8, Number(b & 0xffffffffn), Number(b >> 32n));
      const cyc = m.cycles;
      s.at(label);
      m.load(sym('m'), 8);
      return { rax: c.get(RAX), rbx: c.get(RBX), rcx: c.get(RCX), rflags: c.rflags(), rip: c.rip, cycles: m.cycles - cyc, mem: [m.vlo, m.vhi] };
    };
    const fast = op.fast;
    try { expect(run(fast), label).toEqual(run(op.code)); } finally { op.fast = fast; }
  }

  it('the hot forms specialise; narrow widths, adc and 32-bit loads do not', () => {
    for (const o of ALU) {
      expect(opAt(`rr_${o}`).fast).toBe(FAST[`${o.toUpperCase()}_RR` as keyof typeof FAST]);
      expect(opAt(`ri_${o}`).fast).toBe(FAST[`${o.toUpperCase()}_RI` as keyof typeof FAST]);
    }
    for (const j of JCC) expect(opAt(`j_${j}`).fast).toBe(FAST[j.toUpperCase() as keyof typeof FAST]);
    expect([opAt('mov_rr').fast, opAt('mov_ri').fast, opAt('mov_rm').fast, opAt('mov_mr').fast])
      .toEqual([FAST.MOV_RR, FAST.MOV_RI, FAST.MOV_RM, FAST.MOV_MR]);
    expect(['inc_r', 'dec_r', 'shl_ri', 'shr_ri', 'sar_ri', 'imul_rri', 'imul_rr'].map((l) => opAt(l).fast))
      .toEqual([FAST.INC_R, FAST.DEC_R, FAST.SHL_RI, FAST.SHR_RI, FAST.SAR_RI, FAST.IMUL_RRI, FAST.IMUL_RR]);
    for (const l of ['n_add32', 'n_mov8', 'n_mov_rm32', 'n_adc', 'n_shl_cl', 'n_inc32', 'n_imul_m', 'n_neg']) { const op = opAt(l); expect(op.fast, l).toBe(op.code); }
  });

  const labels = [...ALU.flatMap((o) => [`rr_${o}`, `ri_${o}`, `rj_${o}`]), ...JCC.map((j) => `j_${j}`), 'mov_rr', 'mov_ri', 'mov_rm', 'mov_mr',
    'inc_r', 'dec_r', 'shl_ri', 'shl_rj', 'shr_ri', 'shr_rj', 'sar_ri', 'sar_rj', 'imul_rri', 'imul_rrj', 'imul_rr'];

  it('on edge values, with every status flag set or clear', () => {
    for (const l of labels) for (const a of EDGES) for (const b of EDGES) for (const f of [0x2, 0x8d5]) same(l, a, b, f);
  });

  it('on random values and flags', () => {
    fc.assert(fc.property(fc.constantFrom(...labels), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 0xfff }),
      (l, a, b, f) => { same(l, a, b, f & 0x8d5); }), { numRuns: 3000, seed: 8 });
  });
});
