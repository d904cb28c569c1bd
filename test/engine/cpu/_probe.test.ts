import { it, expect } from 'vitest';
import { runLinux, makeGuest, ofType } from '../harness.ts';
import { runBatch } from '../../../src/engine/cpu/exec.ts';
it('probe', () => {
  const r = runLinux(`_start: ud2\n mov rax, 60\n syscall`, { budget: 0 });
  const m = r.m;
  try { runBatch(m, 1); } catch (e) { m.fault(e); }
  console.log(m.cpu.rip, m.cpu.rip.toString(16), m.cpu.cs, m.cpu.va(4).toString(16));
});
