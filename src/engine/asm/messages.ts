// The assembler's most common diagnostics as keys with parameters, so a page can say them in its
// language; `check` and the CLI print the English below, exactly as before. A diagnostic without a
// key here is English only (its message). World: pure data.

export type AsmParams = Record<string, string | number>;
export interface AsmMsg { key: AsmKey; params: AsmParams }

const s = (v: string | number | undefined) => String(v ?? '');

export const ASM_TEXT = {
  'unexpected-char': (p: AsmParams) => `unexpected character '${s(p.char)}'`,
  'unknown-instruction': (p: AsmParams) => `unknown instruction '${s(p.name)}'`,
  'unknown-directive': (p: AsmParams) => `unknown directive '${s(p.name)}'`,
  'expected-statement': (p: AsmParams) => `expected a label, instruction or directive, found '${s(p.found)}'`,
  'expected-comma-or-end': (p: AsmParams) => `expected ',' or the end of the statement, found '${s(p.found)}'`,
  'unexpected-token': (p: AsmParams) => `unexpected '${s(p.found)}'`,
  'register-label': (p: AsmParams) => `'${s(p.name)}' is a register name and cannot be a label`,
  'expected-operand': () => 'expected an operand after the comma',
  'empty-memory': () => 'empty memory operand',
  'expected-expression': () => 'expected an expression',
  'expected-expression-found': (p: AsmParams) => `expected an expression, found '${s(p.found)}'`,
  'division-by-zero': () => 'division by zero',
  'takes-operands': (p: AsmParams) => `${s(p.mn)} takes ${operands(s(p.counts))}`,
  'cannot-take': (p: AsmParams) => `${s(p.mn)} cannot take ${KIND_EN[s(p.kind)] ?? s(p.kind)} here`,
  'two-memory': (p: AsmParams) => `${s(p.mn)} cannot take two memory operands`,
  'immediate-destination': () => 'the destination cannot be an immediate',
  'size-mismatch': (p: AsmParams) => `operand size mismatch: ${s(p.a)} is ${s(p.sa)} bytes, ${s(p.b)} is ${s(p.sb)}`,
  'not-supported': (p: AsmParams) => `${s(p.mn)} is not supported`,
  'not-in-text': (p: AsmParams) => `instructions must be in .text (this is ${s(p.section)})`,
  'unknown-symbol': (p: AsmParams) => `unknown symbol '${s(p.name)}'`,
  'duplicate-definition': (p: AsmParams) => `duplicate definition of '${s(p.name)}'`,
  // Hints
  'did-you-mean': (p: AsmParams) => `did you mean '${s(p.name)}'?` + (p.caseOnly ? ' (names are case-sensitive)' : ''),
  'label-colon': (p: AsmParams) => `a label needs a colon: '${s(p.name)}:'`,
  'put-text': () => 'put .text before it',
} satisfies Record<string, (p: AsmParams) => string>;
export type AsmKey = keyof typeof ASM_TEXT;

/** The operand kinds forms.ts names ("cannot take a register here"). */
export const KIND_EN: Record<string, string> = { reg: 'a register', cr: 'a control register', imm: 'an immediate', mem: 'a memory operand' };
/** "no operands", "1 operand or 2 operands" from the counts "0", "1,2". */
export function operands(counts: string): string {
  return counts.split(',').map(Number).map((n) => (n === 0 ? 'no operands' : n === 1 ? '1 operand' : `${n} operands`)).join(' or ');
}

export const asm = (key: AsmKey, params: AsmParams = {}): AsmMsg => ({ key, params });
/** A message in English. */
export const englishAsm = (m: AsmMsg): string => ASM_TEXT[m.key](m.params);

/** A diagnostic's message and hint, given as text or as a key: the English, and the keys. */
export function said(message: string | AsmMsg, hint?: string | AsmMsg): { message: string; hint?: string; msg?: AsmMsg; hintMsg?: AsmMsg } {
  const out: { message: string; hint?: string; msg?: AsmMsg; hintMsg?: AsmMsg } = { message: typeof message === 'string' ? message : englishAsm(message) };
  if (typeof message !== 'string') out.msg = message;
  if (hint !== undefined) { out.hint = typeof hint === 'string' ? hint : englishAsm(hint); if (typeof hint !== 'string') out.hintMsg = hint; }
  return out;
}
