// Syntax highlighting of the guest language (docs/guest-asm.md): a tokenizer of one line into
// spans. Pure. The names mirror the assembler's (src/engine/asm/ir.ts, names.ts); the UI may only
// import the engine's types, so the lists are repeated here and `satisfies` keeps the mnemonic
// list complete at compile time.

import type { Mnemonic } from '../../engine/asm/ir.ts';

export type TokenKind =
  | 'comment' | 'label' | 'directive' | 'mnemonic' | 'register' | 'number' | 'string'
  | 'keyword' | 'ident' | 'punct' | 'space';

export interface Token { kind: TokenKind; start: number; end: number }

const CANONICAL = {
  mov: 1, lea: 1, push: 1, pop: 1, xchg: 1, add: 1, sub: 1, and: 1, or: 1, xor: 1, not: 1, neg: 1, inc: 1,
  dec: 1, shl: 1, shr: 1, sar: 1, imul: 1, div: 1, cmp: 1, test: 1, jmp: 1, call: 1, ret: 1, loop: 1, je: 1,
  jne: 1, jl: 1, jle: 1, jg: 1, jge: 1, jb: 1, jbe: 1, ja: 1, jae: 1, js: 1, jns: 1, syscall: 1, sysretq: 1,
  int: 1, int3: 1, iretq: 1, hlt: 1, nop: 1, pause: 1, cpuid: 1, rdtsc: 1, rdmsr: 1, wrmsr: 1, vmcall: 1,
  invlpg: 1, cli: 1, sti: 1, ud2: 1, lidt: 1, ltr: 1, lgdt: 1,
} satisfies Record<Mnemonic, 1>;
const ALIASES = ['jz', 'jnz', 'jc', 'jnc', 'jnae', 'jnb', 'jna', 'jnbe', 'jnge', 'jnl', 'jng', 'jnle', 'sal', 'sysret', 'iret'];
export const MNEMONIC_NAMES: ReadonlySet<string> = new Set([...Object.keys(CANONICAL), ...ALIASES]);

const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'];
export const REGISTER_NAMES: ReadonlySet<string> = new Set([
  ...R64, ...R64.map((r) => 'e' + r.slice(1)),
  ...Array.from({ length: 8 }, (_, i) => [`r${i + 8}`, `r${i + 8}d`, `r${i + 8}w`, `r${i + 8}b`, `r${i + 8}l`]).flat(),
  'al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh', 'spl', 'bpl', 'sil', 'dil', 'ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di',
  'rip', 'eip', 'cr0', 'cr2', 'cr3', 'cr4',
]);
const KEYWORDS: ReadonlySet<string> = new Set(['byte', 'word', 'dword', 'qword', 'ptr', 'rel']);

const isIdStart = (c: string) => /[A-Za-z_.]/.test(c);
const isIdChar = (c: string) => /[A-Za-z0-9_.$@]/.test(c);

/** Splits one line into tokens covering it entirely, in order. */
export function tokenizeLine(line: string): Token[] {
  const out: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind && last.end === start && (kind === 'space' || kind === 'punct')) last.end = end;
    else out.push({ kind, start, end });
  };
  let i = 0;
  /** Whether the next word starts a statement (after optional labels): a mnemonic or directive. */
  let atStatement = true;
  while (i < line.length) {
    const c = line[i];
    if (c === ';' || c === '#') { push('comment', i, line.length); break; }
    if (c === ' ' || c === '\t' || c === '\r') { push('space', i, i + 1); i++; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += line[j] === '\\' ? 2 : 1;
      j = Math.min(line.length, j + 1);
      push('string', i, j); i = j; atStatement = false; continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < line.length && /[0-9A-Za-z_]/.test(line[j])) j++;
      push('number', i, j); i = j; atStatement = false; continue;
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < line.length && isIdChar(line[j])) j++;
      const word = line.slice(i, j);
      let k = j;
      while (k < line.length && (line[k] === ' ' || line[k] === '\t')) k++;
      if (atStatement && line[k] === ':') { push('label', i, j); push('punct', k, k + 1); push('space', j, k); fixOrder(out); i = k + 1; continue; }
      const lw = word.toLowerCase();
      let kind: TokenKind;
      if (atStatement && word.startsWith('.')) kind = 'directive';
      else if (atStatement && MNEMONIC_NAMES.has(lw)) kind = 'mnemonic';
      else if (REGISTER_NAMES.has(lw)) kind = 'register';
      else if (KEYWORDS.has(lw)) kind = 'keyword';
      else kind = 'ident';
      push(kind, i, j); i = j; atStatement = false; continue;
    }
    push('punct', i, i + 1); i++; atStatement = false;
  }
  return out;
}

/** Keeps tokens sorted by start and drops empty ones (a label's spacing before its colon). */
function fixOrder(out: Token[]) {
  const kept = out.filter((t) => t.end > t.start).sort((a, b) => a.start - b.start);
  out.length = 0;
  out.push(...kept);
}

/** The token kind of every character of the line (for renderers). */
export function charKinds(line: string): TokenKind[] {
  const kinds = new Array<TokenKind>(line.length).fill('space');
  for (const t of tokenizeLine(line)) for (let i = t.start; i < t.end; i++) kinds[i] = t.kind;
  return kinds;
}
