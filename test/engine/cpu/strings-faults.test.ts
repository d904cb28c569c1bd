// SDM oracle for the string instructions (REP MOVS/STOS/CMPS/SCAS: RSI/RDI/RCX at the interrupted
// iteration after a fault, DF, REPE/REPNE termination), #DE for DIV/IDIV, and what a 32-bit write,
// an 8/16-bit write and ah..bh do to the full register. Expected values are written out by hand.

import { describe, it, expect } from 'vitest';
import { stepper } from './util.ts';
import { runLinux } from '../harness.ts';
import { CpuFault } from '../../../src/engine/cpu/fault.ts';
import { RAX, RBX, RCX, RDX, RSI, RDI } from '../../../src/engine/asm/ir.ts';
import { assemble } from '../../../src/engine/asm/index.ts';

const SRC = `_start:
movsb_: rep movsb
stosq_: rep stosq
cmpsb_: repe cmpsb
scasb_: repne scasb
lodsw_: lodsw
stosd1: stosd
div8: div bl
div64: div rbx
idiv64: idiv rbx
idiv8: idiv bl
mul8: mul bl
regs: mov al, 0x11
  mov ah, 0x22
  mov ax, 0x3344
  mov eax, 0x55667788
  movzx ebx, ah
  cmove ecx, edx
  setne bh
.data
.align 4096
buf: .zero 4096
`;

const S = stepper(SRC);
const c = S.m.cpu;
const buf = S.sym('buf');
const rd = (va: number) => { S.m.load(va, 1, true); return S.m.vlo; };
const fault = (f: () => void): CpuFault => {
  try { f(); } catch (e) { if (e instanceof CpuFault) return e; throw e; }
  throw new Error('no fault');
};

describe('string instructions', () => {
  it('rep movsb copies rcx bytes forward and leaves rsi/rdi past them, rcx 0', () => {
    for (let i = 0; i < 8; i++) S.m.store(buf + i, 1, 0x41 + i, 0, true);
    S.at('movsb_', { [RSI]: BigInt(buf), [RDI]: BigInt(buf + 100), [RCX]: 5n });
    expect([rd(buf + 100), rd(buf + 104), rd(buf + 105)]).toEqual([0x41, 0x45, 0]);
    expect(c.get(RSI)).toBe(BigInt(buf + 5));
    expect(c.get(RDI)).toBe(BigInt(buf + 105));
    expect(c.get(RCX)).toBe(0n);
    expect(c.rip).toBe(S.sym('stosq_'));
  });
  it('a #PF in the middle leaves rcx/rsi/rdi at the faulting iteration and RIP at the instruction', () => {
    // buf is the last page of .data: the page after it is not mapped.
    const e = fault(() => S.at('movsb_', { [RSI]: BigInt(buf), [RDI]: BigInt(buf + 4096 - 3), [RCX]: 10n }));
    expect(e.vector).toBe(14);
    expect(e.cr2).toBe(buf + 4096);
    expect(c.get(RCX)).toBe(7n);
    expect(c.get(RSI)).toBe(BigInt(buf + 3));
    expect(c.get(RDI)).toBe(BigInt(buf + 4096));
    expect(c.rip).toBe(S.sym('movsb_'));
  });
  it('with DF = 1, rep stosq stores downward', () => {
    c.setRflags(c.rflags() | 0x400);
    S.at('stosq_', { [RAX]: 0x1122334455667788n, [RDI]: BigInt(buf + 200), [RCX]: 2n });
    c.setRflags(c.rflags() & ~0x400);
    expect(rd(buf + 200)).toBe(0x88);
    expect(rd(buf + 192)).toBe(0x88);
    expect(rd(buf + 207)).toBe(0x11);
    expect(c.get(RDI)).toBe(BigInt(buf + 184));
  });
  it('repe cmpsb stops at the first difference; repne scasb at the first match', () => {
    for (const [i, ch] of [...'abcX'].entries()) S.m.store(buf + 300 + i, 1, ch.charCodeAt(0), 0, true);
    for (const [i, ch] of [...'abcY'].entries()) S.m.store(buf + 400 + i, 1, ch.charCodeAt(0), 0, true);
    S.at('cmpsb_', { [RSI]: BigInt(buf + 300), [RDI]: BigInt(buf + 400), [RCX]: 10n });
    expect(c.get(RCX)).toBe(6n); // 4 compared, the 4th differed
    expect(c.zf).toBe(0);
    expect(c.cf).toBe(1); // 'X' < 'Y'
    expect(c.get(RSI)).toBe(BigInt(buf + 304));
    S.at('scasb_', { [RAX]: BigInt('c'.charCodeAt(0)), [RDI]: BigInt(buf + 300), [RCX]: 10n });
    expect(c.get(RCX)).toBe(7n);
    expect(c.zf).toBe(1);
    expect(c.get(RDI)).toBe(BigInt(buf + 303));
  });
  it('lodsw merges into ax; stosd without rep stores once', () => {
    S.m.store(buf + 500, 2, 0xbeef, 0, true);
    S.at('lodsw_', { [RAX]: 0xffffffffffff0000n, [RSI]: BigInt(buf + 500) });
    expect(c.get(RAX)).toBe(0xffffffffffffbeefn);
    S.at('stosd1', { [RAX]: 0xcafef00dn, [RDI]: BigInt(buf + 600), [RCX]: 99n });
    expect(c.get(RCX)).toBe(99n);
    expect(c.get(RDI)).toBe(BigInt(buf + 604));
  });
  it('a long rep stosb runs in bounded steps and resumes to the end (a Linux process, demand paging)', () => {
    const r = runLinux(`_start:
  mov eax, 9
  xor edi, edi
  mov esi, 0x20000
  mov edx, 3
  mov r10d, 0x22
  mov r8, -1
  xor r9d, r9d
  syscall
  mov rdi, rax
  mov rbx, rax
  mov ecx, 0x20000
  mov al, 0x5a
  rep stosb
  movzx edi, byte ptr [rbx + 0x1ffff]
  mov eax, 60
  syscall
`);
    expect(r.status).toEqual({ code: 0x5a, how: 'exit' });
    expect(r.m.faults).toBeGreaterThanOrEqual(32); // one #PF per page of the 128 KiB, each resumed
  });
});

describe('#DE from DIV and IDIV', () => {
  it('divide by zero and quotient overflow fault before changing anything', () => {
    expect(fault(() => S.at('div64', { [RAX]: 5n, [RDX]: 0n, [RBX]: 0n })).vector).toBe(0);
    expect(c.get(RAX)).toBe(5n);
    expect(c.rip).toBe(S.sym('div64'));
    expect(fault(() => S.at('div64', { [RAX]: 0n, [RDX]: 2n, [RBX]: 2n })).vector).toBe(0); // quotient 2^64
    expect(fault(() => S.at('idiv64', { [RAX]: 1n << 63n, [RDX]: -1n, [RBX]: -1n })).vector).toBe(0); // -2^63 / -1
    expect(fault(() => S.at('div8', { [RAX]: 0x1000n, [RBX]: 1n })).vector).toBe(0); // 0x1000 / 1 > 0xff
  });
  it('the byte forms divide ax and put the quotient in al, the remainder in ah', () => {
    S.at('div8', { [RAX]: 0xffff0000000003e8n, [RBX]: 7n }); // 1000 / 7 = 142 r 6
    expect(c.get(RAX)).toBe(0xffff00000000068en);
    S.at('idiv8', { [RAX]: 0xfe0cn, [RBX]: 7n }); // -500 / 7 = -71 r -3 (truncated toward zero)
    expect(c.get(RAX)).toBe(0xfdb9n);
    expect(fault(() => S.at('idiv8', { [RAX]: 0xfc18n, [RBX]: 7n })).vector).toBe(0); // -1000 / 7 = -142 < -128
    S.at('mul8', { [RAX]: 0x12345600000000c8n, [RBX]: 3n }); // 200 * 3 = 600 = 0x258
    expect(c.get(RAX)).toBe(0x1234560000000258n);
    expect([c.cf, c.of]).toEqual([1, 1]);
  });
});

describe('register widths', () => {
  it('8/16-bit writes merge, 32-bit writes zero-extend, ah is bits 15:8; cmov zero-extends even when false', () => {
    S.at('regs', { [RAX]: 0xaaaaaaaaaaaaaaaan, [RCX]: 0xccccccccccccccccn, [RDX]: 0x1234n, [RBX]: 0xbbbbbbbbbbbbbbbbn }, 1);
    expect(c.get(RAX)).toBe(0xaaaaaaaaaaaaaa11n);
    S.at('regs', {}, 2);
    expect(c.get(RAX)).toBe(0xaaaaaaaaaaaa2211n);
    S.at('regs', {}, 3);
    expect(c.get(RAX)).toBe(0xaaaaaaaaaaaa3344n);
    S.at('regs', {}, 4);
    expect(c.get(RAX)).toBe(0x55667788n);
    c.setRflags(0x2); // ZF = 0: cmove does not move, but ecx is still zero-extended
    S.at('regs', {}, 7);
    expect(c.get(RBX)).toBe(0x0000000000000177n); // movzx ebx, ah (0x77), then setne bh
    expect(c.get(RCX)).toBe(0xccccccccn);
  });
  it('ah, bh, ch, dh with a REX prefix is an assembly error at the register', () => {
    for (const [src, col] of [['mov ah, sil', 5], ['add r8b, ah', 10], ['mov ah, byte ptr [r8]', 5], ['movzx rax, ah', 12], ['mov byte ptr [r9], ah', 20]] as const) {
      const r = assemble(src);
      expect(r.ok, src).toBe(false);
      if (!r.ok) {
        expect(r.errors[0].message).toMatch(/^ah cannot be used in an instruction that needs a REX prefix/);
        expect(r.errors[0].col, src).toBe(col);
      }
    }
    expect(assemble('mov ah, bl\nmovzx eax, ah\nmov byte ptr [rdi], ah').ok).toBe(true);
  });
});
