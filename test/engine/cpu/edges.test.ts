// Edges of the system instructions: MOV to CR3's bit 63 (SDM Vol. 3A "Invalidation of TLBs and
// Paging-Structure Caches": it keeps the PCID's entries only when CR4.PCIDE = 1) and IRETQ at
// CPL 3, which must not change IOPL (SDM Vol. 2 IRET: IOPL changes only at CPL 0).

import { describe, it, expect } from 'vitest';
import { makeGuest, runLinux, ofType } from '../harness.ts';

describe('MOV to CR3 bit 63 without PCIDs', () => {
  it('CR4.PCIDE = 0: bit 63 set still flushes (flush event, the next access walks again)', () => {
    const g = makeGuest(`
      .data
      x: .quad 5
      .text
      _start:
        mov rax, [x]
        mov rcx, cr3
        mov rbx, 1
        shl rbx, 63
        or rbx, rcx
        mov cr3, rbx
        mov rdi, [x]
        mov rax, 60
        vmcall
    `, { pcide: false });
    g.run();
    expect(g.m.status).toEqual({ code: 5, how: 'exit' });
    const tlb = ofType(g.events, 'tlb').filter((e) => e.op !== 'fill');
    expect(tlb.map((e) => [e.op, e.vpid, e.pcid])).toEqual([['flush', 1, 0]]);
    expect(ofType(g.events, 'walk').filter((e) => e.va === '0x401000')).toHaveLength(2);
  });
});

describe('IRETQ at CPL 3', () => {
  it('keeps IOPL 0 even when the popped RFLAGS has IOPL 3: CLI after it is #GP (SIGSEGV)', () => {
    const r = runLinux(`.text
_start:
    mov rax, rsp
    push 0x2b
    push rax
    push 0x3202
    push 0x33
    lea rcx, [after]
    push rcx
    iretq
after:
    cli
    mov rax, 60
    xor edi, edi
    syscall`);
    expect(r.status).toEqual({ code: 128 + 11, how: 'signal' });
    expect(ofType(r.events, 'exception').find((e) => e.vector === 13)).toBeTruthy();
  });
});
