// Every assembler diagnostic and hint as a key with parameters, so a page can say it in its
// language; `check`, the CLI and `sim` print the English below, exactly as before (the golden test
// test/engine/asm/messages.test.ts holds it). A diagnostic is made only from a key (diag.ts: a
// Diag's msg is required), so there is no English-only message. World: pure data.

export type AsmParams = Record<string, string | number>;
export interface AsmMsg { key: AsmKey; params: AsmParams }

const s = (v: string | number | undefined) => String(v ?? '');
/** A place a hint names: "line 12" in the main file, "lib.s:4" in another (params line, file). */
export const placeEn = (p: AsmParams) => (p.file ? `${s(p.file)}:${s(p.line)}` : `line ${s(p.line)}`);
/** An operand a message names: a register by its name, else its kind (forms.ts describe). */
export const operandEn = (v: string | number | undefined) => OPERAND_EN[s(v)] ?? s(v);
const OPERAND_EN: Record<string, string> = { mem: 'the memory operand', imm: 'an immediate', cr: 'a control register' };

export const ASM_TEXT = {
  // Lexer
  'unexpected-char': (p: AsmParams) => `unexpected character '${s(p.char)}'`,
  'invalid-number': (p: AsmParams) => `invalid number '${s(p.text)}'`,
  'number-too-large': (p: AsmParams) => `number too large for 64 bits: '${s(p.text)}'`,
  'empty-char': () => 'empty character constant',
  'char-too-long': () => 'character constant longer than 8 bytes',
  'hex-escape': () => "'\\x' needs hex digits",
  'unknown-escape': (p: AsmParams) => `unknown escape sequence '\\${s(p.esc)}'`,
  'unterminated-string': () => 'unterminated string',
  'unterminated-char': () => 'unterminated character constant',
  // Expressions
  'expected-expression': () => 'expected an expression',
  'expected-expression-found': (p: AsmParams) => `expected an expression, found '${s(p.found)}'`,
  'expression-too-long': () => 'expression too long',
  'expression-too-deep': () => 'expression nested too deeply',
  'expected-close-paren': () => "expected ')'",
  'unknown-register': (p: AsmParams) => `unknown register '${s(p.name)}'`,
  'cr-in-expression': (p: AsmParams) => `control register ${s(p.name)} can only be used with mov`,
  'string-not-allowed': () => 'a string is not allowed here',
  'register-in-expression': (p: AsmParams) => `register ${s(p.reg)} cannot be used in an expression`,
  'division-by-zero': () => 'division by zero',
  // Statements
  'expected-statement': (p: AsmParams) => `expected a label, instruction or directive, found '${s(p.found)}'`,
  'unknown-instruction': (p: AsmParams) => `unknown instruction '${s(p.name)}'`,
  'unknown-directive': (p: AsmParams) => `unknown directive '${s(p.name)}'`,
  'register-label': (p: AsmParams) => `'${s(p.name)}' is a register name and cannot be a label`,
  'register-constant': (p: AsmParams) => `'${s(p.name)}' is a register name and cannot be a constant`,
  'rep-needs-string': (p: AsmParams) => `${s(p.prefix)} needs a string instruction after it`,
  'unknown-after-rep': (p: AsmParams) => `unknown instruction '${s(p.name)}' after ${s(p.prefix)}`,
  'expected-comma-or-end': (p: AsmParams) => `expected ',' or the end of the statement, found '${s(p.found)}'`,
  'unexpected-token': (p: AsmParams) => `unexpected '${s(p.found)}'`,
  'unexpected-after-expression': (p: AsmParams) => `unexpected '${s(p.found)}' after the expression`,
  'expected-section': () => 'expected a section name: .text, .data or .bss',
  'equ-needs-name': () => '.equ needs a name: .equ NAME, expr',
  'expected-comma-after-name': () => "expected ',' after the name",
  'expected-comma': () => "expected ','",
  'directive-needs-name': (p: AsmParams) => `${s(p.name)} needs a name`,
  'directive-needs-string': (p: AsmParams) => `${s(p.name)} needs a string`,
  'directive-needs-value': (p: AsmParams) => `${s(p.name)} needs a value`,
  'directive-takes-string': (p: AsmParams) => `${s(p.name)} takes a "string"`,
  // Operands
  'expected-operand': () => 'expected an operand after the comma',
  'expected-bracket-after-ptr': (p: AsmParams) => `expected '[' after '${s(p.size)} ptr'`,
  'unknown-cr': (p: AsmParams) => `unknown control register '${s(p.name)}'`,
  'register-in-operand': (p: AsmParams) => `register ${s(p.reg)} cannot be part of an expression`,
  'segment-override': () => 'segment overrides are not supported',
  'empty-memory': () => 'empty memory operand',
  'expected-close-bracket': () => "expected ']'",
  'expected-close-bracket-found': (p: AsmParams) => `expected ']', found '${s(p.found)}'`,
  'expected-comma-after-memory': (p: AsmParams) => `expected ',' after the memory operand, found '${s(p.found)}'`,
  'register-use-in-address': (p: AsmParams) => `invalid use of register ${s(p.reg)} in an address`,
  'register-subtracted': () => 'a register cannot be subtracted in an address',
  'address-register-size': (p: AsmParams) => `${s(p.bits)}-bit address registers are not supported`,
  'rip-base-only': () => 'rip can only be a base register',
  'rip-other-registers': () => 'a rip-relative address cannot use other registers',
  'too-many-registers': () => 'too many registers in the address',
  'one-scaled': () => 'only one register can be scaled',
  'rsp-index': () => 'rsp cannot be an index register',
  // Operand forms
  'takes-operands': (p: AsmParams) => `${s(p.mn)} takes ${operands(s(p.counts))}`,
  'cannot-take': (p: AsmParams) => `${s(p.mn)} cannot take ${KIND_EN[s(p.kind)] ?? s(p.kind)} here`,
  'two-memory': (p: AsmParams) => `${s(p.mn)} cannot take two memory operands`,
  'immediate-destination': () => 'the destination cannot be an immediate',
  'size-mismatch': (p: AsmParams) => `operand size mismatch: ${operandEn(p.a)} is ${s(p.sa)} bytes, ${operandEn(p.b)} is ${s(p.sb)}`,
  'not-supported': (p: AsmParams) => `${s(p.mn)} is not supported`,
  'rep-not-string': (p: AsmParams) => `${s(p.prefix)} can only prefix a string instruction`,
  'rep-compares': (p: AsmParams) => `${s(p.mn)} compares, so it takes repe or repne, not rep`,
  'rep-not-repe': (p: AsmParams) => `${s(p.mn)} takes rep, not ${s(p.prefix)}`,
  'cr-only-mov': () => 'control registers can only be used with mov',
  'needs-bits': (p: AsmParams) => `${s(p.mn)} needs a ${s(p.sizes)}-bit ${p.what === 'reg' ? 'register' : 'operand'}, not ${s(p.bits)}-bit`,
  'needs-register': (p: AsmParams) => `${s(p.mn)} needs a register here`,
  'int-vector': () => 'int takes a vector number',
  'takes-label': (p: AsmParams) => `${s(p.mn)} takes a label`,
  'ret-count': () => 'ret takes an optional byte count (ret 16)',
  'needs-64-register': (p: AsmParams) => `${s(p.mn)} needs a 64-bit register`,
  'through-memory-qword': (p: AsmParams) => `${s(p.mn)} through memory needs a qword operand`,
  'pop-destination': () => 'pop needs a register or memory destination',
  'needs-qword': (p: AsmParams) => `${s(p.mn)} needs a qword operand`,
  'takes-memory': (p: AsmParams) => `${s(p.mn)} takes a memory operand`,
  'ltr-register': () => 'ltr takes a register holding the TSS selector',
  'lea-memory': () => 'lea needs a memory operand',
  'needs-source-size': (p: AsmParams) => `${s(p.mn)} needs the source size`,
  'movsxd-source': () => 'movsxd extends a 32-bit source',
  'extends-smaller': (p: AsmParams) => `${s(p.mn)} extends a smaller byte or word source into ${operandEn(p.dst)}`,
  'xchg-register': () => 'xchg needs a register operand',
  'imul-third': () => 'the third operand of imul must be an immediate',
  'bit-offset-kind': (p: AsmParams) => `the bit offset of ${s(p.mn)} is a register or an immediate`,
  'shift-count-kind': () => 'the shift count must be an immediate or cl',
  'cr-64-register': () => 'a control register moves only to or from a 64-bit register',
  // Encoding
  'imm-not-fit': (p: AsmParams) => `immediate ${s(p.v)} does not fit in ${p.bits === 0 ? 'a signed 32-bit field' : `${s(p.bits)} bits`}`,
  'ret-range': (p: AsmParams) => `ret count ${s(p.v)} is not 0..65535`,
  'int-range': (p: AsmParams) => `interrupt vector ${s(p.v)} is not 0..255`,
  'bit-offset-range': (p: AsmParams) => `bit offset ${s(p.v)} is not 0..255`,
  'shift-range': (p: AsmParams) => `shift count ${s(p.v)} is not 0..255`,
  'no-encoding': (p: AsmParams) => `no encoding for ${s(p.mn)}`,
  'mov-form': () => 'unsupported mov form',
  'address-disp32': (p: AsmParams) => `address ${s(p.v)} does not fit in a signed 32-bit displacement`,
  'disp32': (p: AsmParams) => `displacement ${s(p.v)} does not fit in 32 bits`,
  'high-byte-rex': (p: AsmParams) => `${s(p.reg)} cannot be used in an instruction that needs a REX prefix (for ${REX_WHY_EN[s(p.why)] ?? s(p.why)})`,
  'rip-far': (p: AsmParams) => `rip-relative target ${s(p.v)} is more than 2 GiB away`,
  'loop-range': (p: AsmParams) => `loop target out of range (−128..127): it is ${s(p.d)} bytes away`,
  'branch-far': (p: AsmParams) => `branch target ${s(p.v)} is more than 2 GiB away`,
  // Layout
  'not-in-text': (p: AsmParams) => `instructions must be in .text (this is ${s(p.section)})`,
  'depends-later': (p: AsmParams) => `${s(p.name)} cannot depend on an address defined later (line ${s(p.line)})`,
  'count-negative': (p: AsmParams) => `${s(p.name)} count ${s(p.v)} is negative`,
  'zero-too-large': (p: AsmParams) => `${s(p.name)} ${s(p.v)} is too large (at most 16 MiB)`,
  'alignment': (p: AsmParams) => `alignment ${s(p.v)} must be a power of two up to 2 MiB`,
  'data-in-bss': (p: AsmParams) => `${s(p.name)} puts data in .bss, which holds only zeros`,
  'value-not-fit': (p: AsmParams) => `value ${s(p.v)} does not fit in ${s(p.name)} (${s(p.bits)} bits)`,
  'section-too-large': (p: AsmParams) => `${s(p.section)} is larger than 64 MiB`,
  'text-into-data': () => '.text runs into .data',
  'scale': (p: AsmParams) => `scale ${s(p.v)} must be 1, 2, 4 or 8`,
  'layout-unsettled': (p: AsmParams) => `layout did not settle after ${s(p.passes)} passes`,
  'start-not-text': () => '_start must be a label in .text',
  'internal-error': (p: AsmParams) => `internal assembler error: ${s(p.why)}`,
  // Symbols
  'unknown-symbol': (p: AsmParams) => `unknown symbol '${s(p.name)}'`,
  'duplicate-definition': (p: AsmParams) => `duplicate definition of '${s(p.name)}'`,
  'redefines-predefined': (p: AsmParams) => `'${s(p.name)}' redefines predefined symbol`,
  'circular-definition': (p: AsmParams) => `circular definition of '${s(p.name)}'`,
  // .include and .macro
  'too-many-lines': (p: AsmParams) => `the program expands to more than ${s(p.max)} lines`,
  'endm-without-macro': () => "'.endm' without '.macro'",
  'macro-no-endm': (p: AsmParams) => `'.macro${p.name ? ' ' + s(p.name) : ''}' has no '.endm'`,
  'macro-needs-name': () => '.macro needs a name: .macro NAME [arg, ...]',
  'macro-is-instruction': (p: AsmParams) => `macro name '${s(p.name)}' is an instruction`,
  'expected-parameter': (p: AsmParams) => `expected a parameter name, found '${s(p.found)}'`,
  'parameter-default': (p: AsmParams) => `parameter '${s(p.name)}' needs a default after '='`,
  'parameter-twice': (p: AsmParams) => `parameter '${s(p.name)}' appears twice`,
  'macro-defined': (p: AsmParams) => `macro '${s(p.name)}' is already defined`,
  'include-syntax': () => '.include takes a file name in quotes: .include "FILE"',
  'include-no-reader': (p: AsmParams) => `cannot include '${s(p.name)}': this assembler has no files to read`,
  'include-self': (p: AsmParams) => `'${s(p.name)}' includes itself`,
  'include-depth': (p: AsmParams) => `.include nested more than ${s(p.max)} deep`,
  'include-failed': (p: AsmParams) => `cannot include '${s(p.name)}': ${s(p.why)}`,
  'include-missing': (p: AsmParams) => `cannot include '${s(p.name)}': no such file (${s(p.path)})`,
  'macro-arg-count': (p: AsmParams) => `macro '${s(p.name)}' takes ${s(p.n)} argument${p.n === 1 ? '' : 's'}, got ${s(p.got)}`,
  'macro-needs-value': (p: AsmParams) => `macro '${s(p.name)}' needs a value for '${s(p.param)}'`,
  'macro-depth': (p: AsmParams) => `macros nested more than ${s(p.max)} deep (does '${s(p.name)}' use itself?)`,
  // Hints
  'did-you-mean': (p: AsmParams) => `did you mean '${s(p.name)}'?` + (p.caseOnly ? ' (names are case-sensitive)' : ''),
  'label-colon': (p: AsmParams) => `a label needs a colon: '${s(p.name)}:'`,
  'put-text': () => 'put .text before it',
  'use': (p: AsmParams) => `use ${s(p.name)}`,
  'extern-hint': () => 'use nothing (runtime functions are predefined)',
  'paren-not-closed': () => "the '(' here is not closed",
  'low-byte': (p: AsmParams) => `the low byte of ${s(p.reg)} is ${s(p.reg)}b`,
  'use-char-constant': () => "use a character constant like 'a'",
  'registers-alone': () => 'registers may only appear alone or inside [ ]',
  'write': (p: AsmParams) => `write ${s(p.code)}`,
  'rep-prefixes': () => 'rep, repe and repne prefix a string instruction (movsb, stosq, cmpsb, ...)',
  'memory-brackets': () => 'memory operands are written [address]',
  'cr-names': () => 'the guest language has cr0, cr2, cr3 and cr4',
  'mean-memory': () => 'did you mean a memory operand [ … ]?',
  'bracket-not-closed': (p: AsmParams) => `the '[' at column ${s(p.col)} is not closed`,
  'base-and-index': () => 'at most a base and an index',
  'string-instructions': () => 'movs, stos, lods, cmps or scas',
  'repe-for-compares': () => 'repe and repne are for cmps and scas',
  'indirect-jumps': () => 'only jmp and call can jump through a register or memory',
  'write-source-size': (p: AsmParams) => `write ${s(p.mn)} ${operandEn(p.dst)}, byte ptr [..] (or word ptr)`,
  'dword-source': () => 'a dword source: movsxd (sign) or a plain mov to the 32-bit register (zero)',
  'mov-zero-extends': () => 'only mov loads a smaller memory operand (zero-extending it)',
  'imm64-mov': () => 'only mov r64, imm64 takes a 64-bit immediate; load it into a register first (mov rcx, imm)',
  'address-register': () => 'put the address in a register first: mov rax, ADDR, then use [rax]',
  'high-byte-sdm': () => 'the SDM: ah, bh, ch and dh are not addressable with REX; use al..dl, or move through another register',
  'use-zero-in-bss': () => 'use .zero N (or .space N) in .bss',
  'layout-moving': () => 'an .align or .zero count depends on addresses that keep moving',
  'predefined-provided': (p: AsmParams) => `${s(p.name)} = ${s(p.value)} is provided by the simulator; choose another name`,
  'first-defined': (p: AsmParams) => `first defined on ${placeEn(p)}`,
  'no-similar-label': (p: AsmParams) => `no label has a similar name; the nearest is '${s(p.name)}' (${placeEn(p)})`,
  'repeats-without-end': () => 'a macro or .include repeats without end?',
  'end-macro': () => 'end the macro with .endm',
  'defined-at': (p: AsmParams) => `at ${s(p.file)}:${s(p.line)}`,
  'include-chain': (p: AsmParams) => s(p.chain),
  'macro-defined-at': (p: AsmParams) => `defined at ${s(p.file)}:${s(p.line)}: .macro ${s(p.sig)}`,
  // Notes: the place that used a line (an .include, a macro), and the editor's words for them
  'note-included': () => 'included from here',
  'note-macro': (p: AsmParams) => `in macro '${s(p.name)}' used here`,
  'editor-included-at': (p: AsmParams) => `included from at line ${s(p.line)}`,
  'editor-macro-at': (p: AsmParams) => `in macro '${s(p.name)}' used at line ${s(p.line)}`,
  'editor-in-include': () => 'in the file included here',
  'editor-in-macro': (p: AsmParams) => `in macro '${s(p.name)}'`,
} satisfies Record<string, (p: AsmParams) => string>;
export type AsmKey = keyof typeof ASM_TEXT;

/** The operand kinds forms.ts names ("cannot take a register here"). */
export const KIND_EN: Record<string, string> = { reg: 'a register', cr: 'a control register', imm: 'an immediate', mem: 'a memory operand' };
/** Why an instruction needs a REX prefix (encode.ts): spl..dil, REX.W, r8-r15. */
const REX_WHY_EN: Record<string, string> = { 'byte-regs': 'spl, bpl, sil and dil', w: 'a 64-bit operand size', r8: 'r8-r15' };
/** "no operands", "1 operand or 2 operands" from the counts "0", "1,2". */
export function operands(counts: string): string {
  return counts.split(',').map(Number).map((n) => (n === 0 ? 'no operands' : n === 1 ? '1 operand' : `${n} operands`)).join(' or ');
}

export const asm = (key: AsmKey, params: AsmParams = {}): AsmMsg => ({ key, params });
/** A message in English. */
export const englishAsm = (m: AsmMsg): string => ASM_TEXT[m.key](m.params);

/** A diagnostic's message and hint as keys, with their English. */
export function said(message: AsmMsg, hint?: AsmMsg): { message: string; msg: AsmMsg; hint?: string; hintMsg?: AsmMsg } {
  const out: { message: string; msg: AsmMsg; hint?: string; hintMsg?: AsmMsg } = { message: englishAsm(message), msg: message };
  if (hint !== undefined) { out.hint = englishAsm(hint); out.hintMsg = hint; }
  return out;
}
