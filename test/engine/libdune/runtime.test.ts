// The runtime linked into every process (runtime.ts, link.ts and the guest assembly asm-*.ts):
// it assembles, its constants agree with the TypeScript side (written out by hand from
// dune-facts.md and the SDM where they come from there), the generated parts of the text (trap
// stubs, the boxer's allow table, the entry slots) are what they should be, the natives are bound
// where the page table maps them, and two small guest programs in precise mode (no 3 M-entry
// full mapping) take a trap round trip and a hypercall through the syscall page. These are the
// short test lists for mutation testing of libdune's other files (docs/testing.md).

import { describe, it, expect } from 'vitest';
import { asm, runLinux } from '../harness.ts';
import { JUMP_TO_USER } from './snippets.ts';
import { Session } from '../../../src/engine/session.ts';
import { runtime, bindNatives } from '../../../src/engine/libdune/link.ts';
import { LIBDUNE_API, POOL_PAGES } from '../../../src/engine/libdune/runtime.ts';
import { BOX } from '../../../src/engine/libdune/asm-boxer.ts';
import { SC, ST, STHREAD_LIMITS } from '../../../src/engine/libdune/asm-sthread.ts';
import { GC_LIMITS, GC_MODES } from '../../../src/engine/libdune/asm-gc.ts';
import { RUNTIME_FUNCS } from '../../../src/engine/arch/dune.ts';
import { mapPage } from '../../../src/engine/kernel/pgtable.ts';
import { READ } from '../../../src/engine/mmu/mmu.ts';

const sym = (n: string) => {
  const v = runtime().program.symbols.get(n);
  return v === undefined ? undefined : Number(v);
};

describe('the runtime (runtime.ts, link.ts)', () => {
  it('assembles once (cached) and names a missing symbol', () => {
    expect(runtime()).toBe(runtime());
    expect(runtime().program.file).toBe('runtime.s'); // the name its instructions are listed under
    expect(runtime().syms.get('__iobuf')).toBe(sym('__iobuf'));
    expect(() => runtime().syms.get('no_such_symbol')).toThrow('runtime symbol no_such_symbol is missing');
  });

  it('its constants: the ioctls, struct dune_config, the GDT selectors, the pool (dune-facts.md §2)', () => {
    expect(['DUNE_ENTER', 'DUNE_GET_SYSCALL', 'DUNE_GET_LAYOUT'].map(sym)).toEqual([0x80b0e901, 0xe902, 0x4018e903]);
    expect(['CFG_RET', 'CFG_RSP', 'CFG_RIP', 'CFG_RFLAGS', 'CFG_CR3', 'DUNE_RET_SIGNAL'].map(sym)).toEqual([0, 0x38, 0x88, 0x90, 0x98, 4]);
    expect(['GD_TSS', 'GD_UT', 'GD_UD'].map(sym)).toEqual([0x38, 0x33, 0x2b]); // GD_UT 0x30 and GD_UD 0x28 with RPL 3
    expect(['O_RDWR', 'MAP_POPULATE', 'SA_SIGINFO', 'SA_RESTORER', 'GPA_MAP'].map(sym)).toEqual([2, 0x8000, 4, 0x04000000, 0x1_0000_0000]);
    expect(POOL_PAGES).toBe(8192);
    expect(sym('POOL_BYTES')).toBe(32 * 2 ** 20);
  });

  it('the apps’ constants agree with their TypeScript tables', () => {
    for (const [k, v] of Object.entries({ ...BOX, ...SC, ...ST })) expect([k, sym(k)]).toEqual([k, v]);
    expect(['BOXER_STRICT', 'BOXER_NULL', 'BOXER_DENY', 'BOXER_EPERM', 'BOXER_EFAULT'].map(sym)).toEqual([0, 1, 2, 1, 14]);
    expect(['ST_MAX', 'ST_STACK_BYTES', 'ST_ARENA_BYTES', 'SYS_sthread_exit', 'SYS_sthread_switch'].map(sym)).toEqual([15, 40960, 4 * 2 ** 20, 666, 667]);
    expect(STHREAD_LIMITS).toEqual({ threads: 15, stackBytes: 40960, arenaBytes: 4 * 2 ** 20, exitCall: 666, switchCall: 667 });
    expect(['ST_EINVAL', 'ST_EFAULT', 'TEXT_START'].map(sym)).toEqual([22, 14, 0x400000]);
    expect(ST.ST_SIZE).toBe(344);
    expect(GC_MODES).toEqual(['linux', 'dune', 'dune-tlb', 'dune-dirty']);
    expect(['GC_LINUX', 'GC_DUNE', 'GC_DUNE_TLB', 'GC_DUNE_DIRTY'].map(sym)).toEqual([0, 1, 2, 3]);
    expect(GC_LIMITS.initialHeap).toBe(262144);
    expect(['GC_HEAP_PAGES', 'GC_NCLASS', 'GC_FULL_FREQ', 'GC_DIVISOR', 'GC_INITIAL_HEAP', 'GC_MSTACK', 'GC_ROOTS_MAX'].map(sym))
      .toEqual([GC_LIMITS.heapPages, GC_LIMITS.classes, GC_LIMITS.fullFreq, GC_LIMITS.freeSpaceDivisor, 262144, GC_LIMITS.markStack, GC_LIMITS.roots]);
  });
});

/** A spawned process (not run) and a byte of its memory. */
function proc(memBytes?: number) {
  const s = new Session(asm('.text\n_start:\n    mov rdi, 0\n    call exit\n'), { memBytes });
  const m = s.machine;
  return { s, m, k: s.kernel, byte: (va: number) => m.mem.read8(m.xlate(va, READ)) };
}

describe('the generated text and data', () => {
  it('trap stubs: the vectors without an error code push 0 first (SDM: 8, 10-14 and 17 push one)', () => {
    const { byte } = proc();
    const withErr = [8, 10, 11, 12, 13, 14, 17];
    for (let v = 0; v < 256; v++) {
      const at = sym(`__trap_${v}`)!;
      // push 0 is 6A 00; sub rsp, 120 is 48 83 EC 78.
      expect([v, byte(at), byte(at + 1)]).toEqual(withErr.includes(v) ? [v, 0x48, 0x83] : [v, 0x6a, 0x00]);
    }
    expect(sym('__trap_256')).toBeUndefined(); // 256 vectors, no more
  });

  it('the boxer’s strict allow table: read, write, getpid, gettid, exit, exit_group', () => {
    const { byte } = proc();
    const at = sym('__boxer_allow')!;
    const ones = Array.from({ length: 512 }, (_, i) => i).filter((i) => byte(at + i) === 1);
    expect(ones).toEqual([0, 1, 39, 60, 186, 231]);
    expect(sym('__boxer_msg_open')! - at).toBe(512); // one byte a system call, 0 to 511
    expect(Array.from({ length: 512 }, (_, i) => byte(at + i)).filter((b) => b > 1)).toEqual([]);
  });

  it('entry slots: 16 bytes each from the runtime text, a jmp to __fn; libdune’s are bound to natives', () => {
    const { m } = proc();
    RUNTIME_FUNCS.forEach((f, i) => expect([f, sym(f)]).toEqual([f, 0x300000 + 16 * i]));
    const op = (va: number) => m.mem.frames[Math.floor(m.xlate(va, READ) / 4096)]!.code?.[va % 4096];
    for (const f of RUNTIME_FUNCS) {
      if (LIBDUNE_API.includes(f)) expect(op(sym(f)!)?.name).toBe(`slot:${f}`);
      else expect(m.mem.read8(m.xlate(sym(f)!, READ))).toBe(0xe9); // jmp rel32
    }
    for (const n of ['native_format', 'native_pw_next', '__dune_vm_map_pages', 'native_ret_dune_printf']) expect(op(sym(n)!)?.name).toBe(n);
  });

  it('bindNatives places each native in the frame its page maps to, above 4 GiB too', () => {
    const { m, k } = proc(12 * 2 ** 30);
    const va = sym('native_format')!;
    mapPage(m.mem, k.proc.root, va, 0x10_0003, { w: false, u: true, x: true, g: false });
    bindNatives(m.mem, k.proc.root);
    expect(m.mem.frames[0x10_0003]!.code![va % 4096]!.name).toBe('native_format');
    // A frame with no decoded code yet gets a fresh array holding only the natives of that page.
    const page = Math.floor(va / 4096);
    const here = [...runtime().natives.keys()].map((n) => sym(n.startsWith('slot:') ? n.slice(5) : n)!).filter((a) => Math.floor(a / 4096) === page);
    expect(m.mem.frames[0x10_0003]!.code!.flatMap((op, i) => (op ? [i] : []))).toEqual(here.map((a) => a % 4096).sort((x, y) => x - y));
    expect(() => bindNatives(m.mem, m.mem.alloc() * 4096)).toThrow(/^runtime address [0-9a-f]+ is not mapped$/);
  });
});

const PRECISE = `    mov rdi, 0
    call dune_init
    test rax, rax
    jne fail
    call dune_enter
    test rax, rax
    jne fail
`;

describe('small guest runs in precise mode', () => {
  it('a trap round trip: the handler sees the registers in the dune_tf and its changes come back', () => {
    const regs = ['rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
    const r = runLinux(`.data
seen: .zero 128
.text
_start:
${PRECISE}
    mov rdi, 0x40
    lea rsi, [handler]
    call dune_register_intr_handler
${regs.map((x, i) => `    mov ${x}, ${0x100 + i}`).join('\n')}
    mov rax, 0x99
    int 0x40
    cmp rax, 0x77              ; the handler set tf->rax
    jne fail
${regs.map((x, i) => `    cmp ${x}, ${0x100 + i}\n    jne fail`).join('\n')}
    mov rdi, 0
    call exit
fail:
    mov rdi, 99
    call exit
handler:                       ; (tf): record what the frame holds
    mov rax, [rdi + TF_RAX]
    mov [seen], rax
${regs.map((x, i) => `    mov rax, [rdi + TF_${x.toUpperCase()}]\n    mov [seen + ${8 + 8 * i}], rax`).join('\n')}
    mov qword ptr [rdi + TF_RAX], 0x77
    ret
`);
    expect(r.status).toMatchObject({ code: 0 });
    const seen = Number(r.s.program.symbols.get('seen'));
    const q = (o: number) => r.m.read64(seen + o, false);
    expect(Array.from({ length: 15 }, (_, i) => q(8 * i))).toEqual([0x99n, ...regs.map((_, i) => BigInt(0x100 + i))]);
  });

  it('ring 3 under dune_jump_to_user: the frame’s registers on entry, a SYSCALL to the handler and back with its result and RFLAGS', () => {
    const regs = ['rbx', 'rdx', 'rsi', 'rdi', 'rbp', 'r8', 'r9', 'r10', 'r12', 'r13', 'r14', 'r15'];
    const r = runLinux(`.bss
.align 4096
ustack: .zero 4096
ustack_top:
tf: .zero TF_SIZE
.text
_start:
${PRECISE}
    lea rdi, [on_syscall]
    call dune_register_syscall_handler
${regs.map((x, i) => `    mov qword ptr [tf + TF_${x.toUpperCase()}], ${0x200 + i}`).join('\n')}
${JUMP_TO_USER}
fail:
    mov rdi, 99
    call exit
on_syscall:                    ; (tf): 1000 ends ring 3 with its rdi; else pass the call through
    mov rax, [rdi + TF_RAX]
    cmp rax, 1000
    je back
    push rdi
    call dune_passthrough_syscall
    pop rdi
    or qword ptr [rdi + TF_RFLAGS], 1   ; the handler sets CF in the frame: SYSRET must restore it
    ret
back:
    mov rdi, [rdi + TF_RDI]
    call dune_ret_from_user
user:
${regs.map((x, i) => `    cmp ${x}, ${0x200 + i}\n    jne user_bad`).join('\n')}
    mov rax, SYS_getpid
    syscall
    jnc user_bad
    cmp rax, 1
    jne user_bad
${regs.filter((x) => x !== 'rdi').map((x) => `    cmp ${x}, ${0x200 + regs.indexOf(x)}\n    jne user_bad`).join('\n')}
    mov rdi, 7
    mov rax, 1000
    syscall
user_bad:
    mov rdi, 66
    mov rax, 1000
    syscall
`);
    expect(r.status).toMatchObject({ code: 7 });
  });

  it('a ring-0 system call goes out through the syscall page as a VMCALL', () => {
    const r = runLinux(`.text
_start:
${PRECISE}
    mov rax, SYS_getpid
    syscall
    mov rdi, rax
    call exit
fail:
    mov rdi, 99
    call exit
`);
    expect(r.status).toMatchObject({ code: 1 });
    expect(r.events.filter((e) => e.type === 'syscall' && (e as { name: string }).name === 'getpid').map((e) => (e as { via: string }).via)).toEqual(['vmcall']);
  });
});
