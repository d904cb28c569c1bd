// The assembler's bytes against GNU as (`.intel_syntax noprefix`) for every instruction form the
// guest language has, at every width; where both encodings are right but differ, the pair is
// listed in ALTERNATIVES. GNU as is required: without it the test fails, it does not skip.

import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble } from '../../../src/engine/asm/index.ts';
import { forms } from './forms-list.ts';

const hex = (b: number[]) => b.map((x) => x.toString(16).padStart(2, '0')).join(' ');

/** Equivalent encodings: the form, our bytes, and GNU as's, with why both are right. */
const ALTERNATIVES: { form: RegExp; ours: string; gas: string; why: string }[] = [
  { form: /^xchg rax, rax$/, ours: '48 90', gas: '90',
    why: 'both exchange rax with itself (a nop); as drops the REX.W that changes nothing, the assembler keeps the form it uses for every xchg with rax' },
];

/** GNU as's bytes for each source line, from its listing (`-al`). */
function gas(lines: string[]): Map<number, string> {
  const dir = mkdtempSync(join(tmpdir(), 'dune-gas-'));
  try {
    const s = join(dir, 'f.s'), l = join(dir, 'f.lst');
    writeFileSync(s, ['.intel_syntax noprefix', ...lines].join('\n') + '\n');
    try {
      execFileSync('as', ['--64', `-al=${l}`, '-o', join(dir, 'f.o'), s], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      throw new Error(`GNU as failed (it is required): ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
    }
    const out = new Map<number, string>();
    for (const row of readFileSync(l, 'utf8').split('\n')) {
      const m = /^\s*(\d+)\s+(?:[0-9a-f]{4}\s)?\s*([0-9A-F]+)\s*(?:\t|$)/.exec(row);
      if (!m) continue;
      const n = Number(m[1]) - 1; // our line = listing line - 1 (the .intel_syntax line)
      const bytes = m[2].match(/../g)!.map((x) => x.toLowerCase()).join(' ');
      out.set(n, out.has(n) ? `${out.get(n)} ${bytes}` : bytes);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the assembler against GNU as', () => {
  it('every form at every width: the same bytes (or a listed equivalent)', () => {
    const f = forms();
    const r = assemble(f.join('\n'));
    if (!r.ok) throw new Error(r.errors.slice(0, 5).map((e) => `${e.line}: ${e.message} (${e.source})`).join('\n'));
    const theirs = gas(f);
    const ours = new Map(r.program.instrs.map((i) => [i.line, hex(i.bytes)]));
    const bad: string[] = [];
    let checked = 0;
    f.forEach((src, i) => {
      const o = ours.get(i + 1);
      if (o === undefined) return; // labels and data
      checked++;
      const t = theirs.get(i + 1);
      if (o === t) return;
      if (ALTERNATIVES.some((a) => a.form.test(src) && a.ours === o && a.gas === t)) return;
      bad.push(`${src.padEnd(40)} ours ${o.padEnd(30)} gas ${t}`);
    });
    expect(checked).toBeGreaterThan(900);
    expect(bad.slice(0, 40).join('\n')).toBe('');
  });
});
