// Guest assembler: the names a program may use without declaring them: registers, mnemonics and
// their aliases, directives, and the predefined constants/addresses from arch/linux.ts and arch/dune.ts.

import { ALIASES, MNEMONICS, REG16, REG32, REG64, REG8, REG8H, type Mnemonic } from './isa.ts';
import type { Size } from './ir.ts';
import { LAYOUT, MMAN, PTRACE, SIGNALS, SYSCALLS } from '../arch/linux.ts';
import { FEC, PERM, PTE_FLAGS, PTE_NX_BIT, RUNTIME_DATA_VARS, RUNTIME_FUNCS, RUNTIME_SLOT, TF } from '../arch/dune.ts';

export type RegName = { reg: number; size: Size; high?: boolean };

const REGS = new Map<string, RegName>();
REG64.forEach((r, i) => REGS.set(r, { reg: i, size: 8 }));
REG32.forEach((r, i) => REGS.set(r, { reg: i, size: 4 }));
REG16.forEach((r, i) => REGS.set(r, { reg: i, size: 2 }));
REG8.forEach((r, i) => REGS.set(r, { reg: i, size: 1 }));
REG8H.forEach((r, i) => REGS.set(r, { reg: i, size: 1, high: true }));

/** Every general register at every width (case-insensitive): rax eax ax al ah, r8 r8d r8w r8b. */
export const regByName = (s: string): RegName | undefined => REGS.get(s.toLowerCase());
/** Register spellings of other assemblers, named so the error can give ours (r8l is r8b). */
export const isSmallReg = (s: string) => /^r(?:[89]|1[0-5])l$/i.test(s);

const CRS = new Map<string, 0 | 2 | 3 | 4>([['cr0', 0], ['cr2', 2], ['cr3', 3], ['cr4', 4]]);
export const crByName = (s: string): 0 | 2 | 3 | 4 | undefined => CRS.get(s.toLowerCase());

/** Names that cannot be labels: every register spelling, rip, cr*. */
export const isRegisterWord = (s: string) =>
  regByName(s) !== undefined || isSmallReg(s) || /^(rip|eip|cr\d+)$/i.test(s);

export { ALIASES };

const MN = new Set<string>(MNEMONICS);
export function mnemonicByName(s: string): Mnemonic | undefined {
  const l = s.toLowerCase();
  return MN.has(l) ? (l as Mnemonic) : Object.hasOwn(ALIASES, l) ? ALIASES[l] : undefined;
}
export const ALL_MNEMONICS: readonly string[] = [...MNEMONICS, ...Object.keys(ALIASES)];

export const DIRECTIVES = ['.text', '.data', '.bss', '.section', '.align', '.balign', '.byte', '.word',
  '.long', '.quad', '.ascii', '.asciz', '.string', '.zero', '.space', '.equ', '.global', '.globl'] as const;
export type Directive = (typeof DIRECTIVES)[number];
/** NASM spellings a student may bring along, mapped to the directive to suggest. */
export const NASM_HINTS: Readonly<Record<string, string>> = {
  db: '.byte', dw: '.word', dd: '.long', dq: '.quad', resb: '.zero', resq: '.zero 8*N',
  times: '.zero', align: '.align', extern: 'nothing (runtime functions are predefined)',
};

/** Predefined symbols (case-sensitive). */
export const PREDEFINED = new Map<string, bigint>();
{
  const add = (o: Record<string, number>) => { for (const [k, v] of Object.entries(o)) PREDEFINED.set(k, BigInt(v)); };
  for (const [k, v] of Object.entries(SYSCALLS)) PREDEFINED.set(`SYS_${k}`, BigInt(v));
  add(MMAN); add(SIGNALS); add(PTRACE); add(PERM); add(PTE_FLAGS); add(FEC); add(TF);
  PREDEFINED.set('PTE_NX', 1n << BigInt(PTE_NX_BIT));
  RUNTIME_FUNCS.forEach((f, i) => PREDEFINED.set(f, BigInt(LAYOUT.RUNTIME_TEXT + RUNTIME_SLOT * i)));
  RUNTIME_DATA_VARS.forEach((v, i) => PREDEFINED.set(v, BigInt(LAYOUT.RUNTIME_DATA + 8 * i)));
}
/** Runtime function names: the predefined symbols that are code addresses. */
export const RUNTIME_NAMES: readonly string[] = RUNTIME_FUNCS;
