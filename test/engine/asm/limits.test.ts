// Issue 12's assembler findings: valid programs that were "internal assembler error" (stack
// overflow) and "did you mean" hints that took quadratic time. Each must stay linear and bounded.

import { describe, it, expect } from 'vitest';
import { assemble } from '../../../src/engine/asm/index.ts';

describe('large valid programs assemble (no stack overflow)', () => {
  it('2,000 chained constants, each defined from the one before', () => {
    const src = ['c0 = 1', ...Array.from({ length: 2000 }, (_, i) => `c${i + 1} = c${i} + 1`), 'mov rax, c2000', '.zero c2000 - 2000'].join('\n');
    const r = assemble(src);
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([]);
    if (r.ok) {
      expect(r.program.symbols.get('c2000')).toBe(2001n);
      expect(r.program.text.bytes.length).toBe(7 + 1);
    }
  });
  it('20,000 chained constants used before they are defined', () => {
    const src = ['mov rax, c20000', ...Array.from({ length: 20000 }, (_, i) => `c${20000 - i} = c${19999 - i} * 1 + 1`), 'c0 = 0'].join('\n');
    const r = assemble(src);
    expect(r.ok && r.program.symbols.get('c20000')).toBe(20000n);
  });
  it('a cycle through many constants is still reported, once, at its definition', () => {
    const src = [...Array.from({ length: 5000 }, (_, i) => `k${i} = k${(i + 1) % 5000} + 1`), 'mov rax, k0'].join('\n');
    const r = assemble(src);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.filter((e) => /circular definition/.test(e.message)).length).toBeGreaterThanOrEqual(1);
  });
  it('an .ascii string of 130,000 characters', () => {
    const s = 'x'.repeat(130_000);
    const r = assemble(`.data\nmsg: .ascii "${s}"\nend: .asciz "${s}"\n.text\nmov rax, end - msg`);
    expect(r.ok && r.program.data.bytes.length).toBe(260_001);
  });
});

describe('"did you mean" hints stay bounded', () => {
  it('3,000 labels and 3,000 unknown branch targets: every error reported, hints for a bounded number', () => {
    const labels = Array.from({ length: 3000 }, (_, i) => `label_${i}: nop`);
    const jumps = Array.from({ length: 3000 }, (_, i) => `jmp lable_${i}x`);
    const t0 = performance.now();
    const r = assemble([...labels, ...jumps].join('\n'));
    const ms = performance.now() - t0;
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.length).toBe(3000);
    const hinted = r.errors.filter((e) => e.hint?.startsWith('did you mean')).length;
    expect(hinted).toBeGreaterThan(0);
    expect(hinted).toBeLessThanOrEqual(100);
    expect(ms).toBeLessThan(8000); // was 11 s; now well under a second (bench/ has the figure)
  }, 20_000);
  it('the same unknown name many times is looked up once (the hint repeats)', () => {
    const r = assemble(['target_one: nop', ...Array.from({ length: 500 }, () => 'jmp target_onw')].join('\n'));
    expect(!r.ok && r.errors.every((e) => e.hint === "did you mean 'target_one'?")).toBe(true);
  });
});
