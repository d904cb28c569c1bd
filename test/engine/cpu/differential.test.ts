// Differential test of the CPU model against the machine's own x86-64 CPU: random sequences over
// every instruction and width (diffgen.ts) run natively (GNU as + ld through gcc) and in the
// simulator as a Linux process; every register, the SDM-defined flags and a scratch window must
// agree after every instruction. gcc is required: without it the test fails, it does not skip.

import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLinux } from '../harness.ts';
import { COMPARED, LOG, RECORD_QWORDS, REGION, generate, type Gen } from './diffgen.ts';
import { hotBlocks } from './util.ts';

const SEQUENCES = 2000, PER_PROGRAM = 500, LENGTH = 10, SPARSE = 1000, SPARSE_LENGTH = 40;
const REGS = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/** Builds and runs the program natively; its stdout is the log. */
function native(dir: string, name: string, source: string): Buffer {
  const s = join(dir, `${name}.s`), exe = join(dir, name);
  writeFileSync(s, '.intel_syntax noprefix\n.globl _start\n' + source);
  try {
    execFileSync('gcc', ['-nostdlib', '-static', '-no-pie', '-o', exe, s], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`gcc could not build the native side (gcc and GNU as are required): ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
  }
  return execFileSync(exe, { maxBuffer: 64 << 20 });
}

/** Runs the same program in the simulator up to `done` and reads the log from guest memory;
 *  untraced and with every op hot, the interpreter runs its check-free blocks from the first
 *  fetch (a trace sink makes it go op by op). */
function simulated(source: string, traced = true): Buffer {
  // A nop sled before `done` lets the run stop there in chunks without overshooting.
  const src = source.replace('done:', `${'  nop\n'.repeat(64)}done:`);
  const r = runLinux(src, { budget: 0 });
  const m = r.m;
  if (!traced) { m.attach(null); hotBlocks(m); }
  const done = Number(r.s.program.symbols.get('done'));
  for (let i = 0; m.cpu.rip < done - 64 || m.cpu.rip > done; i++) {
    if (m.status) throw new Error(`the simulated program ended early: ${JSON.stringify(m.status)}\n${r.s.stdout()}`);
    if (i > 5_000_000) throw new Error('the simulated program did not reach done');
    m.run(32);
  }
  const end = Number(m.read64(REGION));
  const out = Buffer.alloc(end - LOG);
  for (let va = LOG; va < end; va += 8) out.writeBigUInt64LE(m.read64(va), va - LOG);
  return out;
}

function compare(gen: Gen, hw: Buffer, sim: Buffer): string | null {
  const n = gen.masks.length, size = 8 * RECORD_QWORDS;
  if (hw.length !== n * size) return `the native log has ${hw.length / size} records, expected ${n}`;
  if (sim.length !== hw.length) return `the simulator's log has ${sim.length / size} records, the CPU's ${hw.length / size}`;
  const recLines: number[] = [];
  gen.lines.forEach((l, i) => { if (l === '  call rec') recLines.push(i); });
  for (let i = 0; i < n; i++) {
    const at = i * size;
    const diffs: string[] = [];
    for (let q = 0; q < RECORD_QWORDS; q++) {
      let a = hw.readBigUInt64LE(at + 8 * q), b = sim.readBigUInt64LE(at + 8 * q);
      if (q === 16) { const keep = BigInt(COMPARED & ~gen.masks[i]); a &= keep; b &= keep; }
      if (a !== b) diffs.push(`${q < 16 ? REGS[q] : q === 16 ? 'rflags (defined bits)' : `scratch+${8 * (q - 17)}`}: cpu 0x${a.toString(16)} sim 0x${b.toString(16)}`);
    }
    if (diffs.length) {
      const l = recLines[i];
      const ctx = gen.lines.slice(Math.max(0, l - 6), l).filter((x) => x !== '  call rec').join('\n');
      return `record ${i} differs after\n${ctx}\n${diffs.join('\n')}`;
    }
  }
  return null;
}

describe('differential: the CPU model against this machine\'s CPU', () => {
  it(`${SEQUENCES} random sequences of ${LENGTH} instructions: registers, defined flags and memory after each`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'dune-diff-'));
    try {
      for (let b = 0; b < SEQUENCES / PER_PROGRAM; b++) {
        const gen = generate(0x5eed + b, PER_PROGRAM, LENGTH);
        const hw = native(dir, `seq${b}`, gen.source);
        const sim = simulated(gen.source);
        const bad = compare(gen, hw, sim);
        expect(bad, `batch ${b}`).toBeNull();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it(`${SPARSE} sequences of ${SPARSE_LENGTH} instructions recorded at their ends only: long straight runs through the check-free blocks`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'dune-diff-'));
    try {
      for (let b = 0; b < SPARSE / PER_PROGRAM; b++) {
        const gen = generate(0xb10c + b, PER_PROGRAM, SPARSE_LENGTH, true);
        const hw = native(dir, `sparse${b}`, gen.source);
        const sim = simulated(gen.source, false);
        const bad = compare(gen, hw, sim);
        expect(bad, `batch ${b}`).toBeNull();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
