// Test helpers for the guest assembler: assemble-or-fail and hex dumps of encodings.
import { expect } from 'vitest';
import { assemble } from '../../../src/engine/asm/index.ts';
import type { AsmError, Program } from '../../../src/engine/asm/ir.ts';

export function ok(src: string): Program {
  const r = assemble(src);
  if (!r.ok) throw new Error('expected success, got:\n' + r.errors.map(e => `${e.line}:${e.col} ${e.message}`).join('\n'));
  return r.program;
}

export function errs(src: string): AsmError[] {
  const r = assemble(src);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors;
}

export const hex = (b: ArrayLike<number>) => Array.from(b, x => x.toString(16).padStart(2, '0').toUpperCase()).join(' ');

/** The encoding of the single instruction in src. */
export function enc(src: string): string {
  const p = ok(src);
  expect(p.instrs.length).toBe(1);
  const i = p.instrs[0];
  expect(i.bytes.length).toBe(i.len);
  return hex(i.bytes);
}
