// The engine in a real browser (Chromium), where the page runs it: guest memory's little-endian
// 64-bit accesses, 64-bit register arithmetic through BigInt, and a whole program, Linux and Dune,
// with the same output, exit status and events as the node tests see.

import { describe, expect, it } from 'vitest';
import { PhysMem } from '../../src/engine/mem/phys.ts';
import { assembleSource, Session } from '../../src/engine/session.ts';
import { ArraySink } from '../../src/engine/trace/events.ts';

const run = (src: string, budget = 50_000_000) => {
  const a = assembleSource(src, 'platform.s');
  if (!a.ok) throw new Error(a.diagnostics);
  const sink = new ArraySink();
  const s = new Session(a.program, { sink });
  const status = s.run(budget);
  return { status, stdout: s.stdout(), events: sink.events };
};

describe('PhysMem in Chromium (x86 is little-endian)', () => {
  it('a 64-bit store is two 32-bit halves, low half at the lower address', () => {
    const mem = new PhysMem(16);
    const pa = mem.alloc() * 4096 + 0x18;
    mem.write64(pa, 0x0123456789abcdefn);
    expect(mem.read32(pa)).toBe(0x89abcdef);
    expect(mem.read32(pa + 4)).toBe(0x01234567);
    expect(mem.read8(pa)).toBe(0xef);
    expect(mem.read8(pa + 7)).toBe(0x01);
    mem.write32(pa + 4, 0xffff8000);
    expect(mem.read64(pa)).toBe(0xffff800089abcdefn);
  });
});

describe('guest programs in Chromium', () => {
  it('64-bit wrap-around: -1 + 2 is 1, and 2^62 doubled twice is 0 (the CPU works on 32-bit halves)', () => {
    const r = run(`.text
_start:
    mov rax, -1
    add rax, 2
    mov rbx, 0x4000000000000000
    add rbx, rbx
    add rbx, rbx
    lea rdi, [rax + rbx]
    mov rax, 60
    syscall`);
    expect(r.status).toEqual({ code: 1, how: 'exit' });
  });

  it('a Dune process prints through VMCALL and exits: the VM exits and the EPT fills happen here too', () => {
    const r = run(`.data
msg: .asciz "in Chromium"
.text
_start:
    call dune_init_and_enter
    test rax, rax
    jne failed
    lea rdi, [msg]
    call puts
    mov rdi, 7
    call exit
failed:
    mov rdi, 99
    call exit`);
    expect(r.stdout).toBe('in Chromium\n');
    expect(r.status).toEqual({ code: 7, how: 'exit' });
    const exits = r.events.filter((e) => e.type === 'vmexit').map((e) => (e as { name: string }).name);
    expect(exits).toContain('VMCALL');
    expect(exits).toContain('EPT_VIOLATION');
  });
});
