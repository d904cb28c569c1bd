// Syntax highlighting of the guest language (docs/guest-asm.md): a tokenizer of one line into
// spans. Pure. The mnemonic and register names are the assembler's own table (engine/asm/isa.ts),
// so the highlighter knows exactly the words the assembler accepts.

import { ALIASES, MNEMONICS, REG16, REG32, REG64, REG8, REG8H } from '../../engine/asm/isa.ts';

export type TokenKind =
  | 'comment' | 'label' | 'directive' | 'mnemonic' | 'register' | 'number' | 'string'
  | 'keyword' | 'ident' | 'punct' | 'space';

export interface Token { kind: TokenKind; start: number; end: number }

export const MNEMONIC_NAMES: ReadonlySet<string> = new Set([...MNEMONICS, ...Object.keys(ALIASES), 'rep', 'repe', 'repz', 'repne', 'repnz']);

export const REGISTER_NAMES: ReadonlySet<string> = new Set([
  ...REG64, ...REG32, ...REG16, ...REG8, ...REG8H, 'rip', 'cr0', 'cr2', 'cr3', 'cr4',
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
