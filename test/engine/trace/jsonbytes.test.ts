import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { asm } from '../harness.ts';
import { assembleSource, Session } from '../../../src/engine/session.ts';
import { JsonLinesSink, traceLine, type TraceEvent } from '../../../src/engine/trace/events.ts';
import { JsonLinesBytes } from '../../../src/engine/trace/jsonbytes.ts';
import type { Knobs } from '../../../src/engine/mmu/mmu.ts';
import type { Program } from '../../../src/engine/asm/ir.ts';

// Output bytes above 0x7f (the output event's text holds them as code points 0x80-0xff, which
// UTF-8 writes in two bytes) and a loop long enough for seq and cycles to pass 10^5.
const PROG = `
.data
msg: .byte 0x68, 0xc3, 0xa9, 0xff, 0x0a, 0x22, 0x5c, 0x09
.text
_start:
    mov rcx, 30000
top:
    add rax, rcx
    loop top
    mov rax, SYS_write
    mov rdi, 1
    lea rsi, [msg]
    mov rdx, 8
    syscall
    mov rdi, 0
    mov rax, SYS_exit
    syscall
`;

function strings(p: Program, knobs: Partial<Knobs> = {}) {
  const lines: string[] = [];
  const s = new Session(p, { sink: new JsonLinesSink((l) => lines.push(l)), knobs });
  s.run(1_000_000);
  s.machine.emit(s.machine.summary());
  return Buffer.from(lines.join(''), 'utf8');
}

function bytes(p: Program, knobs: Partial<Knobs> = {}, size?: number) {
  const chunks: Buffer[] = [];
  const sink = new JsonLinesBytes((c) => chunks.push(Buffer.from(c)), size); // copied: the buffer is reused
  const s = new Session(p, { sink, knobs });
  s.run(1_000_000);
  s.machine.emit(s.machine.summary());
  sink.flush();
  return { all: Buffer.concat(chunks), chunks: chunks.length };
}

describe('JsonLinesBytes (the CLI trace writer)', () => {
  it('writes the same bytes as JsonLinesSink, across chunk boundaries', () => {
    const p = asm(PROG);
    const want = strings(p);
    expect(want.length).toBeGreaterThan(100_000);
    const big = bytes(p), small = bytes(p, {}, 4096);
    expect(big.all.equals(want)).toBe(true);
    expect(small.chunks).toBeGreaterThan(10);
    expect(small.all.equals(want)).toBe(true);
    const off = strings(p, { tlb: false }); // a walk at every access
    expect(bytes(p, { tlb: false }, 4096).all.equals(off)).toBe(true);
  });

  it('writes the same bytes for a Dune process (walks, EPT, VM exits), with knobs', () => {
    const src = readFileSync('samples/hello-dune.s', 'utf8');
    const a = assembleSource(src, 'samples/hello-dune.s');
    if (!a.ok) throw new Error(a.diagnostics);
    for (const knobs of [{}, { eptAd: true, psc: false, hugepages: true }]) {
      const want = strings(a.program, knobs);
      expect(want.includes('"type":"vmexit"')).toBe(true);
      expect(bytes(a.program, knobs, 8192).all.equals(want)).toBe(true);
    }
  });

  it('an event too large for the buffer, and an instr line given as an event', () => {
    const out: Buffer[] = [];
    const sink = new JsonLinesBytes((c) => out.push(Buffer.from(c)), 4096);
    const long: TraceEvent = { seq: 5, type: 'output', fd: 1, text: 'x\u00e9'.repeat(5000), cycles: 9, vmx: 'root', cpl: 3 };
    const instr: TraceEvent = { seq: 6, type: 'instr', rip: '0x401000', text: 'y'.repeat(5000), cycles: 2 ** 40 + 0.5, vmx: 'non-root', cpl: 0 };
    const short: TraceEvent = { seq: 7, type: 'instr', rip: '0x401004', text: 'nop', cycles: 1e21, vmx: 'root', cpl: 0 };
    sink.event(long); sink.event(instr); sink.event(short); sink.flush();
    expect(Buffer.concat(out).toString('utf8')).toBe([long, instr, short].map((e) => traceLine(e) + '\n').join(''));
  });

  it('prints seq and cycles as JSON.stringify does', () => {
    const out: Buffer[] = [];
    const sink = new JsonLinesBytes((c) => out.push(Buffer.from(c)));
    const events: TraceEvent[] = [];
    const site = {}; // one op's cached line, remade as the numbers' lengths change
    for (const n of [0, -0, 7, 9, 10, 99, 100, 12345678, 99999999, 100000000, 100000001, 123456789012, 2 ** 32, 1e16, 2 ** 53 - 1,
      2 ** 53, 2 ** 53 + 2, 1e21, 1.5, 0.1, -3, -12345678901, NaN, Infinity, 5e-7]) {
      for (const [seq, cycles] of [[n, 42], [42, n], [n, n]]) {
        const e: TraceEvent = { seq, type: 'instr', rip: '0x401000', text: 'add rax, rbx', cycles, vmx: 'non-root', cpl: 3 };
        events.push(e);
        sink.instr(seq, e.rip, e.text, cycles, e.vmx, e.cpl, site);
      }
    }
    sink.flush();
    expect(Buffer.concat(out).toString('utf8')).toBe(events.map((e) => traceLine(e) + '\n').join(''));
  });
});
