import { describe, it, expect } from 'vitest';
import { enc, ok, hex } from './helpers.ts';

// Expected bytes are what NASM (bits 64) / GAS emit for the same instruction.
const TABLE: [string, string][] = [
  // fixed encodings (the spec's lengths)
  ['nop', '90'], ['ret', 'C3'], ['ret 8', 'C2 08 00'], ['hlt', 'F4'], ['int3', 'CC'], ['cli', 'FA'],
  ['sti', 'FB'], ['pause', 'F3 90'], ['syscall', '0F 05'], ['sysretq', '48 0F 07'], ['sysret', '48 0F 07'],
  ['iretq', '48 CF'], ['iret', '48 CF'], ['cpuid', '0F A2'], ['rdtsc', '0F 31'], ['rdmsr', '0F 32'],
  ['wrmsr', '0F 30'], ['ud2', '0F 0B'], ['vmcall', '0F 01 C1'], ['int 0x80', 'CD 80'], ['int 3', 'CD 03'],
  // mov
  ['mov rax, 1', '48 C7 C0 01 00 00 00'], ['mov rax, -1', '48 C7 C0 FF FF FF FF'],
  ['mov rax, 0x123456789', '48 B8 89 67 45 23 01 00 00 00'],
  ['mov rax, 0xffffffff', '48 B8 FF FF FF FF 00 00 00 00'],
  ['mov r15, 0x8000000000000000', '49 BF 00 00 00 00 00 00 00 80'],
  ['mov eax, 1', 'B8 01 00 00 00'], ['mov r8d, 1', '41 B8 01 00 00 00'], ['mov eax, 0xffffffff', 'B8 FF FF FF FF'],
  ['mov rbx, rax', '48 89 C3'], ['mov r9, r10', '4D 89 D1'], ['mov eax, ebx', '89 D8'],
  ['mov rax, [rbx+8]', '48 8B 43 08'], ['mov rax, [rbp]', '48 8B 45 00'], ['mov rax, [rsp+8]', '48 8B 44 24 08'],
  ['mov [rbp-8], rax', '48 89 45 F8'], ['mov rax, [rbx+rcx*8]', '48 8B 04 CB'],
  ['mov rax, [rbx+0x1000]', '48 8B 83 00 10 00 00'], ['mov rax, [0x1000]', '48 8B 04 25 00 10 00 00'],
  ['mov rax, [rcx*8 + 0x10]', '48 8B 04 CD 10 00 00 00'], ['mov rax, [r12]', '49 8B 04 24'],
  ['mov rax, [r13]', '49 8B 45 00'], ['mov [rsp], rdi', '48 89 3C 24'],
  ['mov rax, [r12+r9*8+0x100]', '4B 8B 84 CC 00 01 00 00'], ['mov eax, [rdi]', '8B 07'],
  ['mov byte ptr [rax], 1', 'C6 00 01'], ['mov word ptr [rax], 1', '66 C7 00 01 00'],
  ['mov dword ptr [rax], 1', 'C7 00 01 00 00 00'], ['mov qword ptr [rax], 1', '48 C7 00 01 00 00 00'],
  ['mov qword [rax], 1', '48 C7 00 01 00 00 00'], ['mov [rax], 1', '48 C7 00 01 00 00 00'],
  ['mov rax, byte ptr [rsi]', '48 0F B6 06'], ['mov eax, word ptr [rsi]', '0F B7 06'],
  ['mov rax, dword ptr [rsi]', '8B 06'], ['mov byte ptr [rdi], rsi', '40 88 37'],
  ['mov byte ptr [rdi], rax', '88 07'], ['mov word ptr [rdi], rax', '66 89 07'], ['mov byte ptr [rdi], r8', '44 88 07'],
  ['mov cr3, rax', '0F 22 D8'], ['mov rax, cr0', '0F 20 C0'], ['mov cr4, r9', '41 0F 22 E1'], ['mov r8, cr4', '41 0F 20 E0'],
  // ALU
  ['add rax, rbx', '48 01 D8'], ['add rax, 1', '48 83 C0 01'], ['add rax, 1000', '48 05 E8 03 00 00'],
  ['add rbx, 1000', '48 81 C3 E8 03 00 00'], ['sub rsp, 8', '48 83 EC 08'], ['xor eax, eax', '31 C0'],
  ['xor r8d, r8d', '45 31 C0'], ['cmp rax, [rbx]', '48 3B 03'], ['cmp qword ptr [rbx], 0', '48 83 3B 00'],
  ['and rax, -16', '48 83 E0 F0'], ['or rcx, 0x80', '48 81 C9 80 00 00 00'], ['cmp byte ptr [rsi], 0', '80 3E 00'],
  ['add word ptr [rax], 1', '66 83 00 01'], ['sub [rbx], rax', '48 29 03'], ['cmp eax, -1', '83 F8 FF'],
  ['add eax, 0xffffffff', '83 C0 FF'], ['cmp rax, 0x7fffffff', '48 3D FF FF FF 7F'],
  // unary, shifts, mul/div, test, xchg, lea
  ['inc rax', '48 FF C0'], ['dec rcx', '48 FF C9'], ['neg rax', '48 F7 D8'], ['not rax', '48 F7 D0'],
  ['inc byte ptr [rax]', 'FE 00'], ['inc qword ptr [rax]', '48 FF 00'],
  ['shl rax, 1', '48 D1 E0'], ['sal rax, 4', '48 C1 E0 04'], ['shr rdx, cl', '48 D3 EA'], ['sar rax, 63', '48 C1 F8 3F'],
  ['imul rax, rbx', '48 0F AF C3'], ['imul rax, rbx, 1000', '48 69 C3 E8 03 00 00'], ['imul rax, rbx, 10', '48 6B C3 0A'],
  ['imul rax, 5', '48 6B C0 05'], ['imul rcx', '48 F7 E9'], ['div rcx', '48 F7 F1'], ['div qword ptr [rbx]', '48 F7 33'],
  ['test rax, rax', '48 85 C0'], ['test rax, 1', '48 A9 01 00 00 00'], ['test rbx, 1', '48 F7 C3 01 00 00 00'],
  ['test byte ptr [rdi], 1', 'F6 07 01'], ['xchg rbx, rcx', '48 87 CB'], ['xchg rax, rbx', '48 93'],
  ['xchg rbx, rax', '48 93'], ['xchg eax, eax', '87 C0'], ['xchg [rdi], rax', '48 87 07'],
  ['lea rax, [rbx+rcx*4+12]', '48 8D 44 8B 0C'], ['lea eax, [rbx+1]', '8D 43 01'],
  // stack and control
  ['push rbp', '55'], ['push r12', '41 54'], ['pop rbp', '5D'], ['pop r15', '41 5F'], ['push 5', '6A 05'],
  ['push -1', '6A FF'], ['push 0x1000', '68 00 10 00 00'], ['push qword ptr [rax]', 'FF 30'], ['pop qword ptr [rax]', '8F 00'],
  ['jmp rax', 'FF E0'], ['call rax', 'FF D0'], ['call r11', '41 FF D3'], ['jmp qword ptr [rax]', 'FF 20'],
  ['call [rbx+8]', 'FF 53 08'],
  // system
  ['invlpg [rax]', '0F 01 38'], ['lidt [rax]', '0F 01 18'], ['lgdt [rax]', '0F 01 10'], ['ltr rax', '0F 00 D8'],
  ['ltr eax', '0F 00 D8'],
];

describe('encodings match NASM/GAS', () => {
  for (const [src, bytes] of TABLE) it(src, () => expect(enc(src)).toBe(bytes));
});

describe('branches', () => {
  it('jmp/jcc take rel8 when the target is in range, call is rel32, loop rel8; relative to the next instruction', () => {
    expect(enc('jmp $')).toBe('EB FE');
    expect(enc('je $')).toBe('74 FE');
    expect(enc('jmp $+0x1000')).toBe('E9 FB 0F 00 00');
    expect(enc('je $+0x1000')).toBe('0F 84 FA 0F 00 00');
    expect(enc('call $+5')).toBe('E8 00 00 00 00');
    expect(enc('loop $')).toBe('E2 FE');
  });
  it('every jcc opcode (70+cc short, 0F 80+cc near), aliases folded', () => {
    const cc: [string, number][] = [['jo', 0], ['jno', 1], ['jb', 2], ['jc', 2], ['jnae', 2], ['jae', 3], ['jnc', 3], ['jnb', 3],
      ['je', 4], ['jz', 4], ['jne', 5], ['jnz', 5], ['jbe', 6], ['jna', 6], ['ja', 7], ['jnbe', 7],
      ['js', 8], ['jns', 9], ['jp', 10], ['jpe', 10], ['jnp', 11], ['jpo', 11], ['jl', 12], ['jnge', 12], ['jge', 13], ['jnl', 13],
      ['jle', 14], ['jng', 14], ['jg', 15], ['jnle', 15]];
    const h = (x: number) => x.toString(16).toUpperCase();
    for (const [m, c] of cc) {
      expect(enc(`${m} $+2`)).toBe(`${h(0x70 + c)} 00`);
      expect(enc(`${m} $+0x106`)).toBe(`0F ${h(0x80 + c)} 00 01 00 00`);
    }
  });
  it('the operand is the absolute target and text keeps the spelling', () => {
    const p = ok('top: nop\n jz top\n call puts');
    expect(p.instrs[1]).toMatchObject({ mnemonic: 'je', text: 'jz top', len: 2, addr: 0x400001,
      ops: [{ kind: 'imm', value: 0x400000n }] });
    expect(p.instrs[2].ops).toEqual([{ kind: 'imm', value: 0x300160n }]);
    expect(hex(p.instrs[2].bytes)).toBe('E8 58 01 F0 FF'); // 0x300160 - 0x400008
  });
  it('rel8 reaches -128..127 from the next instruction, then rel32 (forward and backward)', () => {
    expect(hex(ok('jmp b\n .zero 127\nb: nop').instrs[0].bytes)).toBe('EB 7F');
    expect(hex(ok('jmp b\n .zero 128\nb: nop').instrs[0].bytes)).toBe('E9 80 00 00 00');
    expect(hex(ok('a: .zero 126\n jmp a').instrs[0].bytes)).toBe('EB 80');
    expect(hex(ok('a: .zero 127\n jmp a').instrs[0].bytes)).toBe('E9 7C FF FF FF'); // -(127 + 5)
    expect(hex(ok('jne b\n .zero 128\nb: nop').instrs[0].bytes)).toBe('0F 85 80 00 00 00');
  });
  it('relaxation: a branch that grows pushes a later target out of another branch\'s rel8 range', () => {
    // j1 reaches b (125 bytes on) only while j2, which it spans, is short; j2's target is 128 bytes
    // away, so j2 grows, b moves 3 bytes, and j1 must grow too.
    const p = ok('j1: jmp b\n .zero 123\nj2: jmp c\nb: nop\n .zero 127\nc: nop');
    expect(p.instrs.map((i) => i.len)).toEqual([5, 5, 1, 1]);
    const q = ok('j1: jmp b\n .zero 10\nj2: jmp b\nb: nop');
    expect(q.instrs.map((i) => hex(i.bytes))).toEqual(['EB 0C', 'EB 00', '90']);
  });
  it('loop reaches -128..127 and no farther', () => {
    ok('a: .zero 126\n loop a');
    ok('loop b\n .zero 127\nb: nop');
    expect(ok('loop b\n .zero 127\nb: nop').instrs[0].bytes).toEqual([0xe2, 0x7f]);
  });
});

describe('rip-relative addressing', () => {
  it('[rip + label] addresses the label; disp32 is relative to the next instruction', () => {
    const p = ok('lea rsi, [rip + msg]\nmov rax, [rel msg]\n.data\nmsg: .ascii "x"');
    const [a, b] = p.instrs;
    expect(hex(a.bytes)).toBe('48 8D 35 F9 0F 00 00'); // 0x401000 - 0x400007
    expect(a.ops[1]).toEqual({ kind: 'mem', size: 8, base: null, index: null, scale: 1, disp: 0x401000n, rip: true });
    expect(hex(b.bytes)).toBe('48 8B 05 F2 0F 00 00');
    expect(b.ops[1]).toMatchObject({ rip: true, disp: 0x401000n });
  });
  it('[rip + number] is relative to the next instruction', () => {
    const p = ok('nop\nlea rax, [rip + 8]');
    expect(hex(p.instrs[1].bytes)).toBe('48 8D 05 08 00 00 00');
    expect(p.instrs[1].ops[1]).toMatchObject({ rip: true, disp: 0x400001n + 7n + 8n });
  });
});

describe('widths follow the values, including forward references', () => {
  it('disp8 vs disp32 and imm8 vs imm32 for a constant defined later', () => {
    const p = ok('mov rax, [rbx + OFF]\nadd rax, K\nOFF = 0x200\nK = 0x100');
    expect(hex(p.instrs[0].bytes)).toBe('48 8B 83 00 02 00 00');
    expect(hex(p.instrs[1].bytes)).toBe('48 05 00 01 00 00');
  });
  it('mov r64 of a forward label picks the 7-byte form (addresses fit in 32 bits)', () => {
    const p = ok('mov rdi, msg\nnop\n.data\nmsg: .byte 1');
    expect(hex(p.instrs[0].bytes)).toBe('48 C7 C7 00 10 40 00');
    expect(p.instrs[1].addr).toBe(0x400007);
  });
  it('addresses are consecutive and lengths equal byte counts', () => {
    const p = ok('a: mov rax, [b]\n add rax, b - a\n jmp a\nb: .quad 0');
    let at = 0x400000;
    for (const i of p.instrs) { expect(i.addr).toBe(at); expect(i.bytes.length).toBe(i.len); at += i.len; }
    const t = p.text.bytes;
    expect(hex(t.slice(0, p.instrs[0].len))).toBe(hex(p.instrs[0].bytes));
  });
});
