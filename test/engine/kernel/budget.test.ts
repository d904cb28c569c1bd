// The instruction budget holds on every path (a libdune native waiting on a fault handler that
// never returns), and a host triple fault is reported with its cause, never a bare exit 137.

import { describe, it, expect } from 'vitest';
import { asm, ofType } from '../harness.ts';
import { runSource, Session } from '../../../src/engine/session.ts';
import { ArraySink } from '../../../src/engine/trace/events.ts';
import { KERNEL } from '../../../src/engine/kernel/layout.ts';
import { lookup, entryFrame } from '../../../src/engine/kernel/pgtable.ts';

const SPIN = `.data
fmt: .asciz "%s\\n"
.text
_start:
    call dune_init_and_enter
    lea rdi, [spin]
    call dune_register_pgflt_handler
    lea rdi, [fmt]
    mov rsi, 0x500000000000     ; outside libdune's windows: a guest #PF inside dune_printf's native
    call dune_printf
    mov rdi, 0
    call exit
spin:
    jmp spin                    ; the page-fault handler never returns
`;

describe('the budget holds on every path', () => {
  it('a native whose fault handler never returns stops at --max-instructions (124), not an internal error', () => {
    const r = runSource(SPIN, { maxInstructions: 200_000 });
    expect(r.exitCode).toBe(124);
    expect(r.instructions).toBe(200_000);
    expect(r.stderr).toMatch(/stopped after 200000 instructions: the fault handler of the native routine at 0x[0-9a-f]+ had not returned/);
  });
});

describe('a host triple fault is a visible event with its cause', () => {
  it('with the host IDT destroyed, the first page fault shuts the machine down and says why', () => {
    const sink = new ArraySink();
    const s = new Session(asm(`_start:\n    push 1\n    mov rdi, 0\n    mov rax, SYS_exit\n    syscall\n`), { sink });
    const m = s.machine, e = lookup(m.mem, s.kernel.root, KERNEL.IDT)!;
    const idt = entryFrame(e[0], e[1]) * 4096;
    for (let i = 0; i < 4096; i += 4) m.mem.write32(idt + i, 0);
    const st = s.run(1000);
    expect(st).toEqual({ code: 137, how: 'signal' });
    expect(s.kernel.report.join('\n')).toMatch(/triple fault in the host \(VMX root\): fault \(#GP\) while delivering #DF/);
    expect(ofType(sink.events, 'kernel').some((k) => k.fn === 'cpu' && /triple fault/.test(k.detail))).toBe(true);
  });
});
