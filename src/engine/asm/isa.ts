// The guest instruction set as one table: mnemonics, condition codes, the opcode groups and their
// /digit numbers, register names at every width. SDM Vol. 2 (instruction pages, Appendix B
// "Condition Test (tttn) Field"). Used by the assembler, the CPU's decoder and executor, the
// disassembly text and the editor's highlighter alike. World: none (pure data).

/** Condition codes in the SDM's tttn order: the low nibble of Jcc (70+cc, 0F 80+cc), SETcc
 *  (0F 90+cc) and CMOVcc (0F 40+cc). */
export const CONDS = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'] as const;
export type Cond = (typeof CONDS)[number];
/** The other spellings of each condition (SDM Jcc page), folded to the canonical one above. */
export const COND_ALIASES: Readonly<Record<string, Cond>> = {
  c: 'b', nae: 'b', nb: 'ae', nc: 'ae', z: 'e', nz: 'ne', na: 'be', nbe: 'a',
  pe: 'p', po: 'np', nge: 'l', nl: 'ge', ng: 'le', nle: 'g',
};

/** The ALU group in /digit order: 80/81/83 /digit, and the opcode row digit*8 + 0..5. */
export const ALU_OPS = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;
/** The shift/rotate group C0/C1/D0..D3 in /digit order (/6 is unused; sal is an alias of shl). */
export const SHIFT_OPS = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', '', 'sar'] as const;
/** The group-3 unary operations F6/F7 /digit (/0 is test with an immediate). */
export const GRP3_OPS = { not: 2, neg: 3, mul: 4, imul: 5, div: 6, idiv: 7 } as const;
/** Bit tests: 0F BA /digit ib, and 0F A3/AB/B3/BB for the register forms. */
export const BT_OPS = { bt: 4, bts: 5, btr: 6, btc: 7 } as const;
/** String instructions: the byte form's opcode (the w/d/q form is the next opcode). */
export const STRING_OPS = { movs: 0xa4, cmps: 0xa6, stos: 0xaa, lods: 0xac, scas: 0xae } as const;
export type StringOp = keyof typeof STRING_OPS;
export const STRING_SIZES = { b: 1, w: 2, d: 4, q: 8 } as const;
/** Which prefixes each string instruction takes: rep for movs/stos/lods, repe/repne for cmps/scas. */
export const REP_KIND = { rep: 1, repe: 1, repz: 1, repne: 2, repnz: 2 } as const;

const BASE = [
  'mov', 'lea', 'push', 'pop', 'xchg', 'movzx', 'movsx', 'movsxd', 'pushfq', 'popfq', 'cqo', 'cdq', 'cwd', 'bswap',
  ...ALU_OPS, 'not', 'neg', 'inc', 'dec', 'rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar',
  'imul', 'mul', 'div', 'idiv', 'test', 'bt', 'bts', 'btr', 'btc', 'bsf', 'bsr', 'cld', 'std',
  'jmp', 'call', 'ret', 'loop',
  'syscall', 'sysretq', 'int', 'int3', 'iretq', 'hlt', 'nop', 'pause', 'cpuid', 'rdtsc', 'rdmsr',
  'wrmsr', 'vmcall', 'invlpg', 'cli', 'sti', 'ud2', 'lidt', 'ltr', 'lgdt',
] as const;
type StrMn = `${StringOp}${keyof typeof STRING_SIZES}`;
export type Mnemonic = (typeof BASE)[number] | `j${Cond}` | `set${Cond}` | `cmov${Cond}` | StrMn;

/** Every canonical mnemonic the CPU executes. */
export const MNEMONICS: readonly Mnemonic[] = [
  ...BASE,
  ...CONDS.map(c => `j${c}` as const), ...CONDS.map(c => `set${c}` as const), ...CONDS.map(c => `cmov${c}` as const),
  ...(Object.keys(STRING_OPS) as StringOp[]).flatMap(s => (['b', 'w', 'd', 'q'] as const).map(z => `${s}${z}` as StrMn)),
];

/** Aliases folded to the canonical mnemonic (Instr.text keeps the spelling). */
export const ALIASES: Readonly<Record<string, Mnemonic>> = {
  sal: 'shl', sysret: 'sysretq', iret: 'iretq', pushf: 'pushfq', popf: 'popfq',
  ...Object.fromEntries(Object.entries(COND_ALIASES).flatMap(([a, c]) =>
    [[`j${a}`, `j${c}`], [`set${a}`, `set${c}`], [`cmov${a}`, `cmov${c}`]])),
};

/** The condition of a jcc/setcc/cmovcc mnemonic (its tttn number), or -1. */
export function condOf(mn: string): number {
  const m = /^(?:j|set|cmov)(.+)$/.exec(mn);
  return m ? (CONDS as readonly string[]).indexOf(m[1]) : -1;
}
export const isJcc = (mn: string) => mn[0] === 'j' && mn !== 'jmp' && condOf(mn) >= 0;
/** A string instruction's operation and element size, or null. */
export function stringOf(mn: string): { op: StringOp; size: 1 | 2 | 4 | 8 } | null {
  const m = /^(movs|cmps|stos|lods|scas)([bwdq])$/.exec(mn);
  return m ? { op: m[1] as StringOp, size: STRING_SIZES[m[2] as keyof typeof STRING_SIZES] } : null;
}

/** General registers in encoding order (0 RAX, 1 RCX, ... 15 R15) at each width. */
export const REG64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const;
export const REG32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi',
  'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'] as const;
export const REG16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di',
  'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'] as const;
/** The low bytes (spl..dil need a REX prefix; without one, encodings 4..7 are ah, ch, dh, bh). */
export const REG8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil',
  'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'] as const;
/** Bits 15:8 of rax, rcx, rdx, rbx: addressable only without a REX prefix. */
export const REG8H = ['ah', 'ch', 'dh', 'bh'] as const;

/** The name of register `reg` at `size` bytes (`high`: ah..bh). */
export function regName(reg: number, size: 1 | 2 | 4 | 8, high = false): string {
  if (high) return REG8H[reg];
  return (size === 8 ? REG64 : size === 4 ? REG32 : size === 2 ? REG16 : REG8)[reg];
}
