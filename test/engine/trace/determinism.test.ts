import { describe, it, expect } from 'vitest';
import { asm } from '../harness.ts';
import { Session } from '../../../src/engine/session.ts';
import { ArraySink, JsonLinesSink } from '../../../src/engine/trace/events.ts';

const PROG = `
.data
msg: .ascii "tick\\n"
.bss
arr: .zero 65536
.text
_start:
    mov rcx, 200
    mov rbx, 12345
top:
    imul rbx, rbx, 1103515245
    add rbx, 12345
    mov rax, rbx
    shr rax, 16
    and rax, 0xff8
    lea rdx, [arr]
    add qword ptr [rdx + rax*8], 1
    test rcx, 63
    jne skip
    push rcx
    mov rax, SYS_write
    mov rdi, 1
    lea rsi, [msg]
    mov rdx, 5
    syscall
    pop rcx
skip:
    loop top
    mov rdi, 0
    mov rax, SYS_exit
    syscall
`;

function traceOf(knobs = {}) {
  const lines: string[] = [];
  const s = new Session(asm(PROG), { sink: new JsonLinesSink((l) => lines.push(l)), knobs });
  s.run(1_000_000);
  return lines.join('');
}

describe('trace determinism', () => {
  it('the same program, input and knobs give byte-identical traces', () => {
    const a = traceOf(), b = traceOf();
    expect(a.length).toBeGreaterThan(10_000);
    expect(a).toBe(b);
  });

  it('knobs change the trace (a TLB switched off walks on every access)', () => {
    expect(traceOf({ tlb: false })).not.toBe(traceOf());
  });

  it('every event has seq in order, a type, cycles non-decreasing, vmx and cpl', () => {
    const sink = new ArraySink();
    new Session(asm(PROG), { sink }).run(1_000_000);
    let cycles = 0;
    sink.events.forEach((e, i) => {
      expect(e.seq).toBe(i);
      expect(typeof e.type).toBe('string');
      expect(e.cycles).toBeGreaterThanOrEqual(cycles);
      cycles = e.cycles;
      expect(['root', 'non-root']).toContain(e.vmx);
      expect([0, 3]).toContain(e.cpl);
    });
  });
});

describe('snapshots', () => {
  it('restore + replay reproduces the same events, byte for byte', () => {
    const sink = new ArraySink();
    const s = new Session(asm(PROG), { sink });
    const m = s.machine;
    s.run(500);
    const snap = m.snapshot();
    const mark = sink.events.length;
    s.run(1_000_000);
    const first = JSON.stringify(sink.events.slice(mark));
    const endState = { cycles: m.cycles, instret: m.instret, out: m.out.length };
    m.restore(snap);
    sink.events.length = mark;
    s.run(1_000_000);
    expect(JSON.stringify(sink.events.slice(mark))).toBe(first);
    expect({ cycles: m.cycles, instret: m.instret, out: m.out.length }).toEqual(endState);
  });

  it('restoring a snapshot restores memory (copy-on-write frames)', () => {
    const s = new Session(asm(PROG), {});
    const m = s.machine;
    s.run(300);
    const snap = m.snapshot();
    const before = m.mem.frames.map((f) => (f ? Array.from(f.u8).join(',') : ''));
    s.run(1_000_000);
    m.restore(snap);
    const after = m.mem.frames.map((f) => (f ? Array.from(f.u8).join(',') : ''));
    expect(after).toEqual(before);
    expect(m.status).toBeNull();
  });
});
