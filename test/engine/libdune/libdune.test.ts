import { describe, it, expect } from 'vitest';
import { runLinux, ofType, asm } from '../harness.ts';
import { Session } from '../../../src/engine/session.ts';

const ENTER = `    call dune_init_and_enter\n    test rax, rax\n    jne enter_failed\n`;
const FAILED = `enter_failed:\n    mov rdi, 99\n    call exit\n`;
const dune = (body: string, data = '') => runLinux(`${data}\n.text\n_start:\n${ENTER}${body}\n${FAILED}`, { budget: 50_000_000 });

describe('libdune', () => {
  it('dune_vm_map_pages maps fresh pool pages; dune_vm_lookup finds the PTE with the permission bits', () => {
    const r = dune(`    mov rdi, [pgroot]
    mov rsi, 0x20000000
    mov rdx, 8192
    mov rcx, PERM_R | PERM_W
    call dune_vm_map_pages
    mov qword ptr [0x20001000], 7
    mov rdi, [pgroot]
    mov rsi, 0x20001000
    xor rdx, rdx
    lea rcx, [pte]
    call dune_vm_lookup
    mov rax, [pte]
    mov rax, [rax]
    mov rdi, rax
    and rdi, 0x7f                ; P W U PWT PCD A D
    call exit`, `.data\npte: .quad 0`);
    expect(r.status?.code).toBe(0x1 | 0x2 | 0x20 | 0x40); // P, W, A (walked), D (written); not U
    const calls = ofType(r.events, 'libdune').filter((e) => e.ret !== null).map((e) => `${e.fn}=${e.ret}`);
    expect(calls).toContain('dune_vm_map_pages=0x0');
    expect(calls).toContain('dune_vm_lookup=0x0');
  });

  it('dune_vm_page_walk calls the guest callback for each present leaf, and can stop early', () => {
    const r = dune(`    mov rdi, [pgroot]
    mov rsi, 0x30000000
    mov rdx, 5 * 4096
    mov rcx, PERM_R | PERM_W
    call dune_vm_map_pages
    mov rdi, [pgroot]
    mov rsi, 0x30000000
    mov rdx, 0x30000000 + 64 * 4096
    mov rcx, count
    lea r8, [n]
    call dune_vm_page_walk
    mov rdi, [n]
    call exit
count:                           ; cb(arg, ptep, va)
    inc qword ptr [rdi]
    xor rax, rax
    ret`, `.data\nn: .quad 0`);
    // The full mapping already maps the low window with 4 KiB pages: 64 present leaves.
    expect(r.status?.code).toBe(64);
  });

  it('precise mode; dune_vm_mprotect without PERM_R makes pages not present; dune_vm_clone copies the tree', () => {
    const r = runLinux(`.data\nfaults: .quad 0\n.bss\n.align 4096\npage: .zero 4096\n.text\n_start:
    mov rdi, 0                   ; precise: map the process's own areas only
    call dune_init
    test rax, rax
    jne enter_failed
    call dune_enter
    test rax, rax
    jne enter_failed
    mov rdi, pgflt
    call dune_register_pgflt_handler
    mov rdi, [pgroot]
    call dune_vm_clone
    test rax, rax
    je enter_failed
    mov rbx, rax
    mov rdi, [pgroot]
    lea rsi, [page]
    mov rdx, 4096
    xor rcx, rcx
    call dune_vm_mprotect
    mov rax, [page]              ; faults: the handler records and skips it
    mov rdi, [faults]
    call exit
pgflt:
    inc qword ptr [faults]
    add qword ptr [rdx + TF_RIP], 8          ; mov rax, [page] is 8 bytes (48 8B 04 25 disp32)
    ret
${FAILED}`, { budget: 50_000_000 });
    expect(r.status?.code).toBe(1);
    expect(ofType(r.events, 'kernel').some((e) => e.fn === 'libdune' && e.detail.includes('precise'))).toBe(true);
    expect(ofType(r.events, 'libdune').some((e) => e.fn === 'dune_vm_clone' && e.ret !== null && e.ret !== '0x0')).toBe(true);
  });

  it('dune_printf formats %d %u %x %s %c %p and writes with one hypercall', () => {
    const r = dune(`    lea rdi, [fmt]
    mov rsi, -5
    mov rdx, 42
    mov rcx, 0xbeef
    lea r8, [word]
    mov r9, 'Z'
    call dune_printf
    mov rdi, 0
    call exit`, `.data\nfmt: .asciz "%d %u %x %s %c 100%%\\n"\nword: .asciz "dune"`);
    expect(r.stdout).toBe('-5 42 beef dune Z 100%\n');
  });

  it('dune_get_ticks reads the TSC; dune_flush_tlb reloads CR3 (a TLB flush event)', () => {
    const r = dune(`    call dune_get_ticks
    mov rbx, rax
    call dune_flush_tlb
    call dune_get_ticks
    sub rax, rbx
    cmp rax, 0
    jle enter_failed
    mov rdi, 0
    call exit`);
    expect(r.status?.code).toBe(0);
    expect(ofType(r.events, 'tlb').some((e) => e.op === 'flush' && e.vmx === 'non-root' && e.vpid === 1)).toBe(true);
  });

  it('a trap with no handler is fatal: libdune prints the trap frame and exits', () => {
    const r = dune(`    ud2`);
    expect(r.status?.code).toBe(128 + 11);
    expect(r.s.stderr()).toMatch(/dune: unhandled trap 6 \(#UD\) in ring 0/);
  });

  it('the host timer interrupts a long Dune computation: EXTERNAL_INTERRUPT exits and re-entries', () => {
    const s = new Session(asm(`_start:\n${ENTER}    mov rcx, 15000000\nspin:\n    loop spin\n    mov rdi, 0\n    call exit\n${FAILED}`));
    expect(s.run(100_000_000)).toEqual({ code: 0, how: 'exit' });
    expect(s.machine.vmexits.EXTERNAL_INTERRUPT).toBeGreaterThanOrEqual(1);
  });
});
