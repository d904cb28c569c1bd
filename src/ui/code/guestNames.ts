// The guest language's names for the program editor, taken from the assembler itself: its lexer
// (asm/lexer.ts), mnemonic and register lookups and predefined names (asm/names.ts, arch/*).
// No second list: whatever the assembler accepts, the editor highlights, completes and explains.

import { lexLine } from '../../engine/asm/lexer.ts';
import { ALIASES, ALL_MNEMONICS, DIRECTIVES, PREDEFINED, RUNTIME_NAMES, isRegisterWord, mnemonicByName, regByName } from '../../engine/asm/names.ts';
import * as IR from '../../engine/asm/ir.ts';
import { MNEMONICS, REG64 } from '../../engine/asm/ir.ts';
import { SYSCALLS } from '../../engine/arch/linux.ts';
import { RUNTIME_DATA_VARS } from '../../engine/arch/dune.ts';
import { fmt, messages } from '../messages/index.ts';

/** What a stretch of a line is, in the guest language's own terms. */
export type GuestKind =
  | 'comment' | 'label' | 'definition' | 'directive' | 'mnemonic' | 'register' | 'number' | 'string'
  | 'syscall' | 'libdune' | 'constant' | 'ident' | 'op';

export interface Span { from: number; to: number; kind: GuestKind }

const RUNTIME = new Set<string>(RUNTIME_NAMES);
const RUNTIME_VARS = new Set<string>(RUNTIME_DATA_VARS);

/** The kind of a name used as an operand. */
export function operandKind(word: string): GuestKind {
  if (isRegisterWord(word)) return 'register';
  if (RUNTIME.has(word) || RUNTIME_VARS.has(word)) return 'libdune';
  if (word.startsWith('SYS_') && PREDEFINED.has(word)) return 'syscall';
  if (PREDEFINED.has(word)) return 'constant';
  return 'ident';
}

/** Splits one line into spans (0-based, end exclusive) with the assembler's lexer: labels first,
 *  then the statement word (mnemonic, directive, or a constant's name), then its operands. */
export function classifyLine(line: string): Span[] {
  const { toks, code } = lexLine(line, 1);
  const out: Span[] = [];
  let i = 0;
  const at = (k: number) => toks[k];
  while (at(i)?.kind === 'id' && at(i + 1)?.kind === 'op' && at(i + 1).text === ':') {
    out.push({ from: at(i).col - 1, to: at(i).col - 1 + at(i).len, kind: 'label' });
    out.push({ from: at(i + 1).col - 1, to: at(i + 1).col, kind: 'op' });
    i += 2;
  }
  const first = at(i);
  if (first?.kind === 'id') {
    const next = at(i + 1);
    const defines = next && ((next.kind === 'op' && next.text === '=') || (next.kind === 'id' && next.text.toLowerCase() === 'equ'));
    const kind: GuestKind = first.text.startsWith('.') ? 'directive' : defines ? 'definition'
      : mnemonicByName(first.text) ? 'mnemonic' : 'ident';
    out.push({ from: first.col - 1, to: first.col - 1 + first.len, kind });
    if (defines && next.kind === 'id') out.push({ from: next.col - 1, to: next.col - 1 + next.len, kind: 'directive' });
    i += defines && next.kind === 'id' ? 2 : 1;
  }
  for (; i < toks.length; i++) {
    const t = toks[i];
    const kind: GuestKind = t.kind === 'id' ? operandKind(t.text) : t.kind === 'num' ? 'number' : t.kind === 'str' ? 'string' : 'op';
    out.push({ from: t.col - 1, to: t.col - 1 + t.len, kind });
  }
  if (code.length < line.length) out.push({ from: code.length, to: line.length, kind: 'comment' });
  return out;
}

/** Labels and constants the program defines, with their 1-based lines, in source order. */
export function definedNames(text: string): { name: string; line: number; kind: 'label' | 'definition' }[] {
  const out: { name: string; line: number; kind: 'label' | 'definition' }[] = [];
  text.split('\n').forEach((l, i) => {
    for (const s of classifyLine(l)) if (s.kind === 'label' || s.kind === 'definition') out.push({ name: l.slice(s.from, s.to), line: i + 1, kind: s.kind });
  });
  return out;
}

/** Every general register name the assembler's tables list: each REG<width> table ir.ts exports
 *  (REG64, REG32, and any width added later), kept if the assembler resolves it. */
const REGISTER_NAMES: readonly string[] = Object.entries(IR)
  .filter(([k, v]) => /^REG\d+H?$/.test(k) && Array.isArray(v))
  .flatMap(([, v]) => v as readonly string[])
  .filter((r) => regByName(r) !== undefined);

/** Every name the assembler knows without a declaration, by kind (for completion). */
export const KNOWN = {
  mnemonics: ALL_MNEMONICS,
  directives: DIRECTIVES as readonly string[],
  registers: REGISTER_NAMES,
  libdune: [...RUNTIME_NAMES, ...RUNTIME_DATA_VARS] as readonly string[],
  constants: [...PREDEFINED.keys()].filter((k) => !RUNTIME.has(k) && !RUNTIME_VARS.has(k)),
};

const hex = (v: bigint | number) => '0x' + v.toString(16);

/** What the assembler knows about a name: a one-line fact drawn from its tables, or null (in
 *  the UI's language when called). */
export function nameFact(word: string): { title: string; fact: string } | null {
  const f = messages.asm.facts;
  const mn = mnemonicByName(word);
  if (mn) {
    const lo = word.toLowerCase();
    return { title: lo, fact: Object.hasOwn(ALIASES, lo) ? f.aliasOf(mn) : f.instruction };
  }
  const lo = word.toLowerCase();
  const r = regByName(word);
  if (r) {
    const full = REG64[r.reg] ?? `r${r.reg}`;
    const high = (r as { high?: boolean }).high === true;
    return { title: lo, fact: r.size === 8 ? f.reg64(r.reg) : r.size === 4 ? f.low32(full) : f.bitsOf(high ? '15:8' : `${r.size * 8 - 1}:0`, full) };
  }
  if (isRegisterWord(word)) return { title: lo, fact: f.register };
  const fn = (RUNTIME_NAMES as readonly string[]).indexOf(word);
  if (fn >= 0) return { title: word, fact: f.runtimeFn(hex(PREDEFINED.get(word)!)) };
  if (RUNTIME_VARS.has(word)) return { title: word, fact: f.libduneVar(hex(PREDEFINED.get(word)!)) };
  if (word.startsWith('SYS_') && Object.hasOwn(SYSCALLS, word.slice(4)))
    return { title: word, fact: f.syscall(SYSCALLS[word.slice(4) as keyof typeof SYSCALLS]) };
  const v = PREDEFINED.get(word);
  if (v !== undefined) return { title: word, fact: f.constant(hex(v), fmt(v)) };
  return null;
}

/** The canonical mnemonics, in the assembler's order (the docs' ranges like `je … jns` use it). */
export const CANONICAL: readonly string[] = MNEMONICS;