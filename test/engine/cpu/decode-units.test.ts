// The decoder (cpu/decode.ts) and the choice of specialised handlers (cpu/fast.ts): each mnemonic
// and operand form assembled and decoded, with the Op's fields written out by hand: the op code
// and sub-operation (the SDM's /digit for ALU, shift, group-3 and BT ops; the byte form's opcode
// for string ops; the condition number for Jcc/SETcc/CMOVcc), widths, registers (ah..bh as
// HIGH8 + 0..3), the memory operand (scale as a shift, 64-bit displacement halves, RIP-relative as
// an absolute address), immediates and branch displacements (mutation testing, docs/testing.md).

import { describe, it, expect } from 'vitest';
import { asm } from '../harness.ts';
import { decode, nativeOp, OPC, HIGH8, type Op } from '../../../src/engine/cpu/decode.ts';
import { FAST, specialise } from '../../../src/engine/cpu/fast.ts';
import type { Instr } from '../../../src/engine/asm/ir.ts';

const BASE = 0x400000;
/** Decode each line of `src` (one instruction a line, after _start at BASE). */
function ops(src: string): Op[] {
  const p = asm(`.text\n_start:\n${src}\n.data\nx: .quad 1\n`);
  return p.instrs.map(decode);
}
const one = (line: string) => ops(`  ${line}\n`)[0];
const M = (base: number, index: number, shift: number, dlo: number, dhi: number, size: number) => ({ base, index, shift, dlo, dhi, size });

describe('the Op of an instruction', () => {
  it('NOP: every field at its default', () => {
    const op = one('nop');
    expect(op).toEqual({ code: OPC.NOP, fast: OPC.NOP, sub: 0, w: 8, d: -1, s: -1, cr: 0, ilo: 0, ihi: 0, imm: 0, m: null, byCl: false,
      addr: BASE, len: 1, next: BASE + 1, rel: 0, sw: 8, mdst: false, rep: 0, text: 'nop', line: 3, native: null, name: 'nop',
      ripHex: undefined, jsonMid: undefined, blk: undefined, hits: 0 });
  });

  it('a native routine', () => {
    const fn = () => {};
    expect(nativeOp(0x1000, 'dune_enter', fn)).toEqual({ code: OPC.NATIVE, fast: OPC.NATIVE, sub: 0, w: 8, d: -1, s: -1, cr: 0, ilo: 0, ihi: 0, imm: 0,
      m: null, byCl: false, addr: 0x1000, len: 1, next: 0x1001, rel: 0, sw: 8, mdst: false, rep: 0, text: 'dune_enter', line: 0, native: fn,
      name: 'dune_enter', ripHex: undefined, jsonMid: undefined, blk: undefined, hits: 0 });
  });

  it('MOV: each form; immediates as 64-bit halves; ah..bh', () => {
    const [rr, ri, ri8, rm, mr, mi, h, crr, rcr] = ops(`
  mov rax, rbx
  mov eax, 0x80000001
  mov rcx, 0x1122334455667788
  mov r9, [rbx + rcx*4 + 0x10]
  mov [rsp + 8], rdx
  mov qword ptr [rbx - 8], -2
  mov ah, bl
  mov cr4, rsi
  mov rax, cr3`);
    expect(rr).toMatchObject({ code: OPC.MOV_RR, d: 0, s: 3, w: 8, m: null });
    expect(ri).toMatchObject({ code: OPC.MOV_RI, d: 0, w: 4, ilo: 0x80000001, ihi: 0, imm: 0x80000001 });
    expect(ri8).toMatchObject({ code: OPC.MOV_RI, d: 1, w: 8, ilo: 0x55667788, ihi: 0x11223344, imm: 0x11223344 * 2 ** 32 + 0x55667788 });
    expect(rm).toMatchObject({ code: OPC.MOV_RM, d: 9, w: 8, s: -1, m: M(3, 1, 2, 0x10, 0, 8) });
    expect(mr).toMatchObject({ code: OPC.MOV_MR, s: 2, d: -1, w: 8, m: M(4, -1, 0, 8, 0, 8) });
    expect(mi).toMatchObject({ code: OPC.MOV_MI, w: 8, ilo: 0xfffffffe, ihi: 0xffffffff, m: M(3, -1, 0, 0xfffffff8, 0xffffffff, 8) });
    expect(h).toMatchObject({ code: OPC.MOV_RR, d: HIGH8 + 0, s: 3, w: 1 });
    expect(crr).toMatchObject({ code: OPC.MOV_CR_R, cr: 4, s: 6, d: -1 });
    expect(rcr).toMatchObject({ code: OPC.MOV_R_CR, cr: 3, d: 0, s: -1 });
  });

  it('memory operands: scales 1, 2, 4, 8 as shifts 0-3; RIP-relative as the absolute address; sizes', () => {
    const [s1, s2, s4, s8, rip, b, w] = ops(`
  mov rax, [rbx + rcx]
  mov rax, [rbx + rcx*2]
  mov rax, [rbx + rcx*4]
  mov rax, [rcx*8 + 0x7fffffff]
  mov rax, [rip + x]
  movzx eax, byte ptr [rsi]
  mov word ptr [rdi], 7`);
    expect([s1.m, s2.m, s4.m, s8.m]).toEqual([M(3, 1, 0, 0, 0, 8), M(3, 1, 1, 0, 0, 8), M(3, 1, 2, 0, 0, 8), M(-1, 1, 3, 0x7fffffff, 0, 8)]);
    expect(rip.m).toEqual(M(-1, -1, 0, 0x401000, 0, 8));
    expect(b.m).toEqual(M(6, -1, 0, 0, 0, 1));
    expect(w).toMatchObject({ code: OPC.MOV_MI, w: 2, m: M(7, -1, 0, 0, 0, 2), ilo: 7 });
  });

  it('LEA, PUSH, POP, XCHG', () => {
    const [lea, pr, pi, pm, por, pom, xrr, xrm, xmr] = ops(`
  lea eax, [rsi + rdi*2 - 0x20]
  push r12
  push 5
  push qword ptr [rax + 8]
  pop rbx
  pop qword ptr [rax]
  xchg rax, r8
  xchg ecx, [rbx]
  xchg [rbx], dx`);
    expect(lea).toMatchObject({ code: OPC.LEA, d: 0, w: 4, m: M(6, 7, 1, 0xffffffe0, 0xffffffff, 8) });
    expect(pr).toMatchObject({ code: OPC.PUSH_R, s: 12, d: -1 });
    expect(pi).toMatchObject({ code: OPC.PUSH_I, ilo: 5, imm: 5 });
    expect(pm).toMatchObject({ code: OPC.PUSH_M, m: M(0, -1, 0, 8, 0, 8) });
    expect(por).toMatchObject({ code: OPC.POP_R, d: 3, s: -1 });
    expect(pom).toMatchObject({ code: OPC.POP_M, m: M(0, -1, 0, 0, 0, 8) });
    expect(xrr).toMatchObject({ code: OPC.XCHG_RR, d: 0, s: 8, w: 8 });
    expect(xrm).toMatchObject({ code: OPC.XCHG_RM, d: 1, w: 4, m: M(3, -1, 0, 0, 0, 4) });
    expect(xmr).toMatchObject({ code: OPC.XCHG_RM, d: 2, w: 2, m: M(3, -1, 0, 0, 0, 2) });
  });

  it('ALU: the /digit as sub (test = 8), five forms', () => {
    const mns = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
    const got = ops(mns.map((m) => `  ${m} rax, rbx`).join('\n') + '\n  test rax, rbx');
    expect(got.map((o) => [o.code, o.sub])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((k) => [OPC.ALU_RR, k]));
    const [ri, rm, mr, mi, nar] = ops(`
  sub ecx, 7
  xor rdx, [rbx]
  and [rbx], esi
  cmp byte ptr [rbx], 3
  add ch, bh`);
    expect(ri).toMatchObject({ code: OPC.ALU_RI, sub: 5, d: 1, w: 4, ilo: 7 });
    expect(rm).toMatchObject({ code: OPC.ALU_RM, sub: 6, d: 2, w: 8, m: M(3, -1, 0, 0, 0, 8) });
    expect(mr).toMatchObject({ code: OPC.ALU_MR, sub: 4, s: 6, w: 4, d: -1 });
    expect(mi).toMatchObject({ code: OPC.ALU_MI, sub: 7, w: 1, ilo: 3, m: M(3, -1, 0, 0, 0, 1) });
    expect(nar).toMatchObject({ code: OPC.ALU_RR, sub: 0, d: HIGH8 + 1, s: HIGH8 + 3, w: 1 });
  });

  it('NOT, NEG, INC, DEC; shifts and rotates by CL or an immediate', () => {
    const got = ops('  not rax\n  neg ecx\n  inc dx\n  dec qword ptr [rbx]');
    expect(got.map((o) => [o.code, o.sub, o.w, o.d])).toEqual([[OPC.UN_R, 0, 8, 0], [OPC.UN_R, 1, 4, 1], [OPC.UN_R, 2, 2, 2], [OPC.UN_M, 3, 8, -1]]);
    expect(got[3].m).toEqual(M(3, -1, 0, 0, 0, 8));
    const sh = ops('  rol rax, 1\n  ror rax, cl\n  rcl eax, 2\n  rcr ax, 3\n  shl rbx, 4\n  shr rbx, cl\n  sar dword ptr [rbx], 5');
    expect(sh.map((o) => [o.code, o.sub, o.byCl, o.imm, o.w])).toEqual([
      [OPC.SH_R, 0, false, 1, 8], [OPC.SH_R, 1, true, 0, 8], [OPC.SH_R, 2, false, 2, 4], [OPC.SH_R, 3, false, 3, 2],
      [OPC.SH_R, 4, false, 4, 8], [OPC.SH_R, 5, true, 0, 8], [OPC.SH_M, 7, false, 5, 4]]);
    expect(sh[6].m).toEqual(M(3, -1, 0, 0, 0, 4));
    expect(sh[4].d).toBe(3);
  });

  it('IMUL (one, two, three operands), MUL, DIV, IDIV: group 3 /digit as sub', () => {
    const [i1, i2, i2m, i3, i3m, mul, div, idiv] = ops(`
  imul rbx
  imul rax, rbx
  imul rax, [rbx]
  imul rcx, rdx, 10
  imul eax, [rbx], -3
  mul byte ptr [rbx]
  div rcx
  idiv esi`);
    expect(i1).toMatchObject({ code: OPC.MULDIV, sub: 5, d: 3, w: 8, mdst: false });
    expect(i2).toMatchObject({ code: OPC.IMUL2, d: 0, s: 3, w: 8, m: null });
    expect(i2m).toMatchObject({ code: OPC.IMUL2, d: 0, s: -1, m: M(3, -1, 0, 0, 0, 8) });
    expect(i3).toMatchObject({ code: OPC.IMUL3, d: 1, s: 2, ilo: 10, imm: 10 });
    expect(i3m).toMatchObject({ code: OPC.IMUL3, d: 0, w: 4, m: M(3, -1, 0, 0, 0, 4), ilo: 0xfffffffd });
    expect(mul).toMatchObject({ code: OPC.MULDIV, sub: 4, w: 1, mdst: true, m: M(3, -1, 0, 0, 0, 1) });
    expect(div).toMatchObject({ code: OPC.MULDIV, sub: 6, d: 1, w: 8 });
    expect(idiv).toMatchObject({ code: OPC.MULDIV, sub: 7, d: 6, w: 4 });
  });

  it('MOVZX, MOVSX, MOVSXD; BT*; BSF, BSR, BSWAP; the one-byte ops and CQO/CDQ/CWD', () => {
    const [zx, sx, sxd, bt, bts, btr, btc, bsf, bsr, bsw] = ops(`
  movzx eax, byte ptr [rsi]
  movsx rax, bx
  movsxd rax, ecx
  bt rax, 5
  bts [rbx], rcx
  btr eax, edx
  btc qword ptr [rbx], 63
  bsf rax, rbx
  bsr ecx, [rbx]
  bswap r10d`);
    expect(zx).toMatchObject({ code: OPC.MOVX, sub: 0, w: 4, sw: 1, d: 0, m: M(6, -1, 0, 0, 0, 1), mdst: false });
    expect(sx).toMatchObject({ code: OPC.MOVX, sub: 1, w: 8, sw: 2, s: 3, m: null });
    expect(sxd).toMatchObject({ code: OPC.MOVX, sub: 1, w: 8, sw: 4, s: 1 });
    expect(bt).toMatchObject({ code: OPC.BT, sub: 4, d: 0, imm: 5, s: -1 });
    expect(bts).toMatchObject({ code: OPC.BT, sub: 5, s: 1, mdst: true, m: M(3, -1, 0, 0, 0, 8), d: -1 });
    expect(btr).toMatchObject({ code: OPC.BT, sub: 6, d: 0, s: 2, w: 4 });
    expect(btc).toMatchObject({ code: OPC.BT, sub: 7, mdst: true, imm: 63 });
    expect(bsf).toMatchObject({ code: OPC.BSX, sub: 0, d: 0, s: 3 });
    expect(bsr).toMatchObject({ code: OPC.BSX, sub: 1, d: 1, w: 4, m: M(3, -1, 0, 0, 0, 4) });
    expect(bsw).toMatchObject({ code: OPC.BSWAP, d: 10, w: 4 });
    const small = ops('  pushfq\n  popfq\n  cqo\n  cdq\n  cwd\n  cld\n  std');
    expect(small.map((o) => [o.code, o.w])).toEqual([[OPC.PUSHF, 8], [OPC.POPF, 8], [OPC.CQO, 8], [OPC.CQO, 4], [OPC.CQO, 2], [OPC.CLD, 8], [OPC.STD, 8]]);
  });

  it('JMP, CALL (direct, register, memory), RET, LOOP, Jcc: rel = target - next', () => {
    const got = ops(`
t0: jmp t1
  jmp rax
  jmp [rbx]
  call t0
  call r11
  call qword ptr [rbx + 8]
  ret
  ret 16
t1: loop t0
  je t1
  jg t0`);
    const [j, jr, jm, c, cr, cm, r, r16, l, je, jg] = got;
    expect(j).toMatchObject({ code: OPC.JMP, imm: l.addr, rel: l.addr - j.next });
    expect(jr).toMatchObject({ code: OPC.JMP_R, s: 0, rel: 0 });
    expect(jm).toMatchObject({ code: OPC.JMP_M, m: M(3, -1, 0, 0, 0, 8) });
    expect(c).toMatchObject({ code: OPC.CALL, imm: BASE, rel: BASE - c.next });
    expect(cr).toMatchObject({ code: OPC.CALL_R, s: 11 });
    expect(cm).toMatchObject({ code: OPC.CALL_M, m: M(3, -1, 0, 8, 0, 8) });
    expect([r.code, r.imm, r16.code, r16.imm]).toEqual([OPC.RET, 0, OPC.RET, 16]);
    expect(l).toMatchObject({ code: OPC.LOOP, rel: BASE - l.next });
    expect(je).toMatchObject({ code: OPC.JCC, sub: 4, rel: l.addr - je.next });
    expect(jg).toMatchObject({ code: OPC.JCC, sub: 15, rel: BASE - jg.next });
    expect(j.rel).toBeGreaterThan(0);
  });

  it('SETcc and CMOVcc: the condition as sub, register or memory operand', () => {
    const [sne, sm, cl, cgm] = ops('  setne al\n  sete byte ptr [rbx]\n  cmovl rax, rbx\n  cmovg ecx, [rbx]');
    expect(sne).toMatchObject({ code: OPC.SETCC, sub: 5, d: 0, w: 1, mdst: false, m: null });
    expect(sm).toMatchObject({ code: OPC.SETCC, sub: 4, mdst: true, m: M(3, -1, 0, 0, 0, 1), d: -1 });
    expect(cl).toMatchObject({ code: OPC.CMOV, sub: 12, d: 0, s: 3, w: 8 });
    expect(cgm).toMatchObject({ code: OPC.CMOV, sub: 15, d: 1, w: 4, m: M(3, -1, 0, 0, 0, 4), mdst: false });
  });

  it('string instructions: the byte form opcode as sub, the element size, the prefix', () => {
    const got = ops('  rep movsb\n  repe cmpsw\n  rep stosd\n  lodsq\n  repne scasb');
    expect(got.map((o) => [o.code, o.sub, o.w, o.rep, o.name])).toEqual([
      [OPC.STR, 0xa4, 1, 1, 'movsb'], [OPC.STR, 0xa6, 2, 1, 'cmpsw'], [OPC.STR, 0xaa, 4, 1, 'stosd'], [OPC.STR, 0xac, 8, 0, 'lodsq'], [OPC.STR, 0xae, 1, 2, 'scasb']]);
  });

  it('system instructions', () => {
    const got = ops(`
  syscall
  sysretq
  int 0x80
  int3
  iretq
  hlt
  pause
  cpuid
  rdtsc
  rdmsr
  wrmsr
  vmcall
  invlpg [rax + 8]
  cli
  sti
  ud2
  lidt [rbx]
  lgdt [rcx]
  ltr dx`);
    expect(got.map((o) => o.code)).toEqual([OPC.SYSCALL, OPC.SYSRET, OPC.INT, OPC.INT3, OPC.IRETQ, OPC.HLT, OPC.PAUSE, OPC.CPUID, OPC.RDTSC,
      OPC.RDMSR, OPC.WRMSR, OPC.VMCALL, OPC.INVLPG, OPC.CLI, OPC.STI, OPC.UD2, OPC.LIDT, OPC.LGDT, OPC.LTR]);
    expect(got[2].imm).toBe(0x80);
    expect([got[12].m, got[16].m, got[17].m]).toEqual([M(0, -1, 0, 8, 0, 8), M(3, -1, 0, 0, 0, 8), M(1, -1, 0, 0, 0, 8)]);
    expect(got[18].s).toBe(2);
    expect(got.map((o) => o.len)).toEqual([2, 3, 2, 1, 2, 1, 2, 2, 2, 2, 2, 3, 4, 1, 1, 2, 3, 3, 3]);
  });

  it('INT keeps the vector byte; an unknown mnemonic is an error', () => {
    const ins = (mnemonic: string, value: bigint): Instr => ({ mnemonic, ops: [{ kind: 'imm', value }], addr: BASE, len: 2, line: 1, text: mnemonic } as unknown as Instr);
    expect(decode(ins('int', 0x1_80n)).imm).toBe(0x80);
    expect(() => decode(ins('frob', 1n))).toThrow('decode: no form for frob');
  });
});

describe('the specialised handlers (fast.ts)', () => {
  const f = (line: string) => one(line).fast;
  it('64-bit ALU register-register and register-immediate forms on rax..r15', () => {
    expect(['add', 'or', 'and', 'sub', 'xor', 'cmp', 'test'].map((m) => f(`${m} rax, r15`)))
      .toEqual([FAST.ADD_RR, FAST.OR_RR, FAST.AND_RR, FAST.SUB_RR, FAST.XOR_RR, FAST.CMP_RR, FAST.TEST_RR]);
    expect(['add', 'or', 'and', 'sub', 'xor', 'cmp', 'test'].map((m) => f(`${m} r15, 7`)))
      .toEqual([FAST.ADD_RI, FAST.OR_RI, FAST.AND_RI, FAST.SUB_RI, FAST.XOR_RI, FAST.CMP_RI, FAST.TEST_RI]);
    // ADC and SBB (they read CF), narrow widths, ah..bh, memory operands: the general handler.
    expect([f('adc rax, rbx'), f('sbb rax, 1'), f('add eax, ebx'), f('add eax, 1'), f('add ah, bl'), f('add rax, [rbx]')])
      .toEqual([OPC.ALU_RR, OPC.ALU_RI, OPC.ALU_RR, OPC.ALU_RI, OPC.ALU_RR, OPC.ALU_RM]);
  });

  it('MOV, INC/DEC, shifts by an immediate, IMUL, Jcc', () => {
    expect([f('mov rax, r15'), f('mov r15, 7'), f('mov rax, [rbx]'), f('mov [rbx], r15')]).toEqual([FAST.MOV_RR, FAST.MOV_RI, FAST.MOV_RM, FAST.MOV_MR]);
    expect([f('mov eax, ebx'), f('mov eax, 7'), f('mov eax, [rbx]'), f('mov [rbx], ebx'), f('mov al, bl'), f('mov bl, ah'), f('mov ah, bl'), f('mov [rbx], ah')])
      .toEqual([OPC.MOV_RR, OPC.MOV_RI, OPC.MOV_RM, OPC.MOV_MR, OPC.MOV_RR, OPC.MOV_RR, OPC.MOV_RR, OPC.MOV_MR]);
    expect([f('inc r8'), f('dec rax'), f('neg rax'), f('not rax'), f('inc eax'), f('inc qword ptr [rbx]')])
      .toEqual([FAST.INC_R, FAST.DEC_R, OPC.UN_R, OPC.UN_R, OPC.UN_R, OPC.UN_M]);
    expect([f('shl rax, 3'), f('shr rax, 3'), f('sar rax, 3'), f('rol rax, 3'), f('shl rax, cl'), f('shl eax, 3'), f('shl qword ptr [rbx], 3')])
      .toEqual([FAST.SHL_RI, FAST.SHR_RI, FAST.SAR_RI, OPC.SH_R, OPC.SH_R, OPC.SH_R, OPC.SH_M]);
    expect([f('imul rax, rbx, 3'), f('imul rax, rbx'), f('imul rax, [rbx], 3'), f('imul rax, [rbx]'), f('imul eax, ebx, 3'), f('imul eax, ebx')])
      .toEqual([FAST.IMUL_RRI, FAST.IMUL_RR, OPC.IMUL3, OPC.IMUL2, OPC.IMUL3, OPC.IMUL2]);
    const cc = ['jo', 'jno', 'jb', 'jae', 'je', 'jne', 'jbe', 'ja', 'js', 'jns', 'jp', 'jnp', 'jl', 'jge', 'jle', 'jg'].map((j) => f(`${j} _start`));
    expect(cc).toEqual([OPC.JCC, OPC.JCC, FAST.JB, FAST.JAE, FAST.JE, FAST.JNE, FAST.JBE, FAST.JA, OPC.JCC, OPC.JCC, OPC.JCC, OPC.JCC,
      FAST.JL, FAST.JGE, FAST.JLE, FAST.JG]);
    expect(f('hlt')).toBe(OPC.HLT);
  });

  it('the register-number edges: a high byte register or an unused -1 never takes a 64-bit handler', () => {
    const op = one('add rax, rbx');
    expect(specialise({ ...op, s: HIGH8 })).toBe(OPC.ALU_RR);
    expect(specialise({ ...op, s: 15 })).toBe(FAST.ADD_RR);
    expect([f('add rbx, rax'), f('mov rbx, rax'), f('mov [rbx], rax'), f('imul rbx, rax, 3'), f('imul rbx, rax')])
      .toEqual([FAST.ADD_RR, FAST.MOV_RR, FAST.MOV_MR, FAST.IMUL_RRI, FAST.IMUL_RR]); // RAX (register 0) as the source
    expect(specialise({ ...op, s: -1 })).toBe(OPC.ALU_RR);
    expect(specialise({ ...op, d: HIGH8 })).toBe(OPC.ALU_RR);
    expect(specialise({ ...op, d: -1 })).toBe(OPC.ALU_RR);
    expect(specialise({ ...op, sub: 2 })).toBe(OPC.ALU_RR); // adc
    const ri = one('add rax, 1');
    expect([specialise({ ...ri, sub: 3 }), specialise({ ...ri, d: 16 })]).toEqual([OPC.ALU_RI, OPC.ALU_RI]);
    for (const line of ['mov rax, rbx', 'imul rax, rbx, 3', 'imul rax, rbx']) {
      const o = one(line);
      expect([specialise({ ...o, s: 16 }), specialise({ ...o, s: -1 }), specialise({ ...o, d: 16 })]).toEqual([o.code, o.code, o.code]);
    }
    const mm = one('mov [rbx], rax');
    expect([specialise({ ...mm, s: 16 }), specialise({ ...mm, s: -1 }), specialise({ ...mm, w: 4 }), specialise({ ...mm, m: { ...mm.m!, size: 4 } })])
      .toEqual([OPC.MOV_MR, OPC.MOV_MR, OPC.MOV_MR, OPC.MOV_MR]);
    const rm = one('mov rax, [rbx]');
    expect([specialise({ ...rm, m: { ...rm.m!, size: 4 } }), specialise({ ...rm, d: 16 })]).toEqual([OPC.MOV_RM, OPC.MOV_RM]);
    const ri2 = one('mov rax, 1');
    expect(specialise({ ...ri2, d: 16 })).toBe(OPC.MOV_RI);
    const inc = one('inc rax');
    expect(specialise({ ...inc, d: 16 })).toBe(OPC.UN_R);
    const shl = one('shl rax, 1');
    expect(specialise({ ...shl, d: 16 })).toBe(OPC.SH_R);
  });
});
