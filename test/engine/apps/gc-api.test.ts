// The collector's API at its edges (docs/apps.md): modes by name, sizes, roots, a bad mode.
import { describe, it, expect } from 'vitest';
import { runSource } from '../../../src/engine/session.ts';

const prog = (body: string) => `
.data
slot: .quad 0
slot_end:
.text
_start:
${body}
    mov rdi, rax
    call print_hex
    mov rdi, 0
    call exit
`;
const run = (body: string, stdin = '') => {
  const r = runSource(prog(body), { file: 'api.s', stdin, maxInstructions: 5_000_000 });
  expect(r.diagnostics).toBe('');
  return r;
};

describe('the collector API', () => {
  it('gc_mode_from_stdin: the four names, nothing for linux, -1 for anything else', () => {
    const mode = (s: string) => run('    call gc_mode_from_stdin', s).stdout.trim();
    expect(mode('')).toBe('0x0');
    expect(mode('linux\n')).toBe('0x0');
    expect(mode('dune')).toBe('0x1');
    expect(mode('dune-tlb\n')).toBe('0x2');
    expect(mode('dune-dirty')).toBe('0x3');
    expect(mode('dune-tl')).toBe('0xffffffffffffffff');
    expect(mode('Linux')).toBe('0xffffffffffffffff');
  });

  it('gc_init rejects a mode beyond dune-dirty', () => {
    expect(run('    mov rdi, 4\n    call gc_init').stdout.trim()).toBe('0xffffffffffffffff');
  });

  it('gc_alloc: zeroed objects aligned to their class, 0 above 4096 bytes', () => {
    const r = run(`
    mov rdi, 0
    call gc_init
    mov rdi, 4097
    call gc_alloc
    test rax, rax
    jne bad
    mov rdi, 100              ; class 128: aligned to 128
    call gc_alloc
    mov rbx, rax
    test rbx, 127
    jne bad
    mov qword ptr [rbx + 120], 7
    mov [slot], rbx
    lea rdi, [slot]
    lea rsi, [slot_end]
    call gc_add_roots
    call gc_collect
    call gc_collect
    mov rax, [slot]
    mov rax, [rax + 120]      ; kept through two collections: 7
    jmp out
bad:
    mov rax, -1
out:`);
    expect(r.stdout.trim()).toBe('0x7');
  });

  it('a young object no root reaches is freed by a partial collection, its slot reused zeroed; an old one waits for a full one', () => {
    const r = run(`
    mov rdi, 0
    call gc_init
    call gc_collect           ; the first collection (full)
    mov rdi, 24
    call gc_alloc             ; A: young
    mov qword ptr [rax + 8], 99
    mov r14, rax
    not r14                   ; A's address, disguised: not a pointer
    xor rax, rax
    call gc_collect           ; partial: nothing reaches A
    mov rdi, 24
    call gc_alloc             ; A's slot again, zeroed
    not r14
    cmp rax, r14
    jne bad
    not r14                   ; disguised again
    mov r12, rax              ; B, in A's slot, kept by r12 through a partial collection: old
    call gc_collect
    xor r12, r12
    call gc_collect           ; partial: B is old, so it stays (sticky marks)
    mov rdi, 24
    call gc_alloc
    not r14
    cmp rax, r14
    je bad
    mov rax, [r14 + 8]
    jmp out
bad:
    mov rax, -1
out:`);
    expect(r.stdout.trim()).toBe('0x0');
  });
});
