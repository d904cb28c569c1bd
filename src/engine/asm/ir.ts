// The assembled form of a guest program: what the assembler produces and the loader and CPU consume.
// Contract between src/engine/asm (producer) and src/engine/cpu + kernel loader (consumers).
// See ../shared/spec/guest-asm.md and docs/guest-asm.md.

/** General registers in x86 encoding order (the order the SDM's exit qualifications use:
 *  0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP, 5 RBP, 6 RSI, 7 RDI, 8..15 R8..R15), at each width
 *  (isa.ts: a 32-bit write zero-extends into the 64-bit register, 8/16-bit writes merge). */
export { REG64, REG32, REG16, REG8, REG8H, MNEMONICS, type Mnemonic } from './isa.ts';
import type { Mnemonic } from './isa.ts';
import type { AsmMsg } from './messages.ts';
export const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
export const R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;

export type Size = 1 | 2 | 4 | 8;

export type Operand =
  /** A general register at a width: 8 = rax..r15, 4 = eax..r15d, 2 = ax..r15w, 1 = al..r15b;
   *  high = true for ah, ch, dh, bh (reg 0..3, bits 15:8). */
  | { kind: 'reg'; reg: number; size: Size; high?: boolean }
  /** An immediate, already evaluated and wrapped to 64-bit two's complement (0 <= value < 2^64). */
  | { kind: 'imm'; value: bigint }
  /** [base + index*scale + disp]. rip=true for `[rip + label]`: the effective address is then
   *  disp itself (the label's absolute address), as NASM's `rel label` / GAS's `label(%rip)`.
   *  disp is wrapped to 64-bit two's complement. size is the access size: 8 by default, or set by
   *  `byte|word|dword|qword ptr`, or implied by a register operand of the same instruction. */
  | { kind: 'mem'; size: Size; base: number | null; index: number | null; scale: 1 | 2 | 4 | 8;
      disp: bigint; rip: boolean }
  /** A control register (mov only). */
  | { kind: 'cr'; cr: 0 | 2 | 3 | 4 };


export interface Instr {
  mnemonic: Mnemonic;
  /** Intel operand order (destination first). Direct jmp/call/jcc/loop: one imm operand holding
   *  the absolute target address. `int N`: one imm. Indirect jmp/call: a reg or mem operand. */
  ops: Operand[];
  /** Virtual address of the first byte. */
  addr: number;
  /** Encoded length in bytes (realistic x86-64 lengths, docs/guest-asm.md; vmcall is 3). */
  len: number;
  /** The bytes placed in memory at addr (length len). */
  bytes: number[];
  /** String instructions: 1 for a rep/repe prefix (F3), 2 for repne (F2), absent for none. */
  rep?: 1 | 2;
  /** 1-based source line, and the statement's text as written (comment stripped, trimmed). */
  line: number;
  text: string;
}

export interface Section { base: number; bytes: Uint8Array }

export interface Program {
  file: string;
  /** .text at LAYOUT.TEXT_BASE (read+execute). */
  text: Section;
  /** .data on the page after .text ends (read+write, no execute). */
  data: Section;
  /** .bss directly after .data (8-byte aligned); zero-filled, size bytes. */
  bss: { base: number; size: number };
  /** First address past .bss, page-aligned: the initial program break. */
  brk: number;
  instrs: Instr[];
  /** `_start` if defined, else the first instruction of .text. */
  entry: number;
  /** Every label and constant the program defines (not the predefined ones), with its value. */
  symbols: Map<string, bigint>;
}

export interface AsmError {
  file: string;
  line: number;   // 1-based
  col: number;    // 1-based
  /** Length of the bad token (for the caret run), >= 1. */
  length: number;
  /** The message and hint in English (what `check` prints), and as keys with parameters
   *  (messages.ts) for a page to say in its language. */
  message: string;
  msg: AsmMsg;
  hint?: string;
  hintMsg?: AsmMsg;
  /** The source line as written (for a line of a macro, as substituted). */
  source: string;
  /** Where the line was used from, innermost first: the `.include` line of an included file, the
   *  line that used a macro (what: 'included from here' or "in macro 'NAME' used here"). */
  from?: AsmNote[];
}

export interface AsmNote { file: string; line: number; col: number; length: number; source: string; what: string; whatMsg: AsmMsg }

export type AsmResult = { ok: true; program: Program } | { ok: false; errors: AsmError[] };
