// libdune's TypeScript routines (natives.ts) called directly, as the CPU calls a `native_*` op:
// a spawned process (not run), the arguments in rdi, rsi, rdx, rcx, r8, r9, a return address on
// a stack in .data, and libdune's page pool pointed at 16 pages of .data in the low window (so a
// table's VA equals its GPA and every address here can be written out by hand). The costs of the
// machine's own accesses are set to 0, so the cycles a routine charges are its modelled work
// alone. No dune_init, no guest run: milliseconds a test (mutation testing, docs/testing.md).
// Expected values from dune-facts.md (libdune's API, dune_init's steps, the GDT/IDT reference
// values) and the SDM (gate and descriptor layouts).

import { describe, it, expect } from 'vitest';
import { asm } from '../harness.ts';
import { Session } from '../../../src/engine/session.ts';
import { runtime } from '../../../src/engine/libdune/link.ts';
import { natives } from '../../../src/engine/libdune/natives.ts';
import { LIBDUNE_API, ASM_API, NATIVE_API } from '../../../src/engine/libdune/runtime.ts';
import { READ } from '../../../src/engine/mmu/mmu.ts';
import { PERM, RUNTIME_FUNCS } from '../../../src/engine/arch/dune.ts';
import type { CostModel } from '../../../src/engine/cost.ts';
import type { Knobs } from '../../../src/engine/mmu/mmu.ts';
import { ArraySink, type TraceEvent } from '../../../src/engine/trace/events.ts';

const { PERM_R: R, PERM_W: W, PERM_X: X, PERM_U: U } = PERM;
const NX = 1n << 63n;
const U64 = 2n ** 64n;

const PROGRAM = `.data
.align 4096
pool: .zero 65536
page: .zero 4096
text: .zero 8192
stack: .zero 4096
stack_top:
.text
_start:
    mov rdi, 0
    call exit
back:
    nop
`;

/** Every number in the cost model set to 0 (nested ones too). */
function zero<T>(c: T): T {
  if (typeof c === 'number') return 0 as T;
  if (Array.isArray(c)) return c.map(zero) as T;
  return Object.fromEntries(Object.entries(c as object).map(([k, v]) => [k, zero(v)])) as T;
}

function boot(knobs: Partial<Knobs> = {}, o: { costs?: boolean } = {}) {
  const sink = new ArraySink();
  const s = new Session(asm(PROGRAM), { knobs, sink });
  // A fresh set of natives (the runtime's own is built once and cached: a mutant in natives()
  // would not reach it).
  const S = runtime().syms, rt = { syms: S, natives: natives(S) };
  const m = s.machine, k = s.kernel;
  const events: TraceEvent[] = sink.events;
  const sym = (n: string) => Number(s.program.symbols.get(n));
  const pool = sym('pool'), back = sym('back'), top = sym('stack_top');
  if (!o.costs) m.costs = zero(m.costs) as CostModel;
  m.write64(S.get('__pool_base'), BigInt(pool), false);
  m.write64(S.get('__pool_next'), BigInt(pool + 4096), false); // the first pool page is the root
  const q = (va: number) => m.read64(va, false);
  /** Call a native as `call` would: arguments in rdi, rsi, rdx, rcx, r8, r9, the return on the stack. */
  const call = (name: string, ...args: (number | bigint)[]) => {
    [7, 6, 2, 1, 8, 9].forEach((r, i) => m.cpu.set(r, BigInt.asUintN(64, BigInt(args[i] ?? 0))));
    m.cpu.set(4, BigInt(top - 8));
    m.write64(top - 8, BigInt(back), false);
    const before = m.cycles;
    rt.natives.get(name)!(m);
    expect([m.cpu.rip, m.cpu.get(4)]).toEqual([back, BigInt(top)]); // returned as RET does
    return { rax: m.cpu.get(0), cycles: m.cycles - before };
  };
  const lib = () => events.filter((e) => e.type === 'libdune') as unknown as { fn: string; args: string[]; ret: string | null }[];
  const flushes = () => events.filter((e) => e.type === 'tlb' && (e as { op: string }).op === 'flush').length;
  return { s, m, k, rt, S, sym, pool, root: pool, q, call, lib, events, flushes };
}

/** A byte of guest memory, read through the process's page table. */
const r8 = (m: Session['machine'], va: number) => m.mem.read8(m.xlate(va, READ));
const idx = (va: number, level: number) => Math.floor(va / 2 ** (12 + 9 * (level - 1))) % 512;
/** The entry for va at `leaf` level in a table tree whose table VAs equal their GPAs (the pool). */
function entryAt(q: (va: number) => bigint, root: number, va: number, leaf = 1): number | null {
  let t = root;
  for (let l = 4; l > leaf; l--) {
    const e = q(t + idx(va, l) * 8);
    if (!(e & 1n)) return null;
    const pa = Number(e & 0x000f_ffff_ffff_f000n);
    t = pa < 2 ** 32 ? pa : pa >= 2 ** 33 ? pa - 0x2_0000_0000 + 0x7fff_0000_0000 : pa - 0x1_0000_0000 + 0x7eff_0000_0000;
  }
  return t + idx(va, leaf) * 8;
}

describe('entry slots and return hooks: the libdune events', () => {
  it('each API function’s slot reports its arguments (dune.h arity) and continues into __fn', () => {
    const arity: Record<string, number> = {
      dune_init: 1, dune_enter: 0, dune_init_and_enter: 0, dune_flush_tlb_one: 1, dune_flush_tlb: 0,
      dune_register_pgflt_handler: 1, dune_register_intr_handler: 2, dune_register_syscall_handler: 1, dune_jump_to_user: 1,
      dune_passthrough_syscall: 1, dune_get_ticks: 0, dune_printf: 6, dune_vm_page_walk: 5,
      dune_vm_map_pages: 4, dune_vm_map_phys: 5, dune_vm_mprotect: 4, dune_vm_unmap: 3, dune_vm_lookup: 4, dune_vm_clone: 1,
      dune_ret_from_user: 1, dune_die: 0,
    };
    expect([...LIBDUNE_API].sort()).toEqual(Object.keys(arity).sort());
    const { m, rt, S, lib } = boot({}, { costs: true });
    for (const fn of LIBDUNE_API) {
      [7, 6, 2, 1, 8, 9].forEach((r, i) => m.cpu.set(r, BigInt(0x11 * (i + 1))));
      m.cpu.set(1, U64 - 1n); // rcx: a 64-bit value shows whole
      const before = m.cycles;
      rt.natives.get(`slot:${fn}`)!(m);
      expect(m.cycles - before).toBe(m.costs.instr);
      expect(m.cpu.rip).toBe(S.get(`__${fn}`));
      expect(lib().at(-1)).toMatchObject({ type: 'libdune', fn, args: ['0x11', '0x22', '0x33', '0xffffffffffffffff', '0x55', '0x66'].slice(0, arity[fn]), ret: null });
    }
  });

  it('the slots sit at the runtime’s fixed 16-byte entry addresses, in RUNTIME_FUNCS order', () => {
    const { S } = boot();
    RUNTIME_FUNCS.forEach((f, i) => expect(S.get(f)).toBe(0x300000 + 16 * i));
    for (const fn of LIBDUNE_API) expect(RUNTIME_FUNCS).toContain(fn);
  });

  it('an assembly API function returns through native_ret_fn, which reports RAX', () => {
    const { m, call, lib } = boot();
    for (const fn of ASM_API) {
      m.cpu.set(0, U64 - 22n);
      expect(call(`native_ret_${fn}`).rax).toBe(U64 - 22n);
      expect(lib().at(-1)).toMatchObject({ type: 'libdune', fn, args: [], ret: '0xffffffffffffffea' });
    }
    expect(ASM_API.length + NATIVE_API.length + 2).toBe(LIBDUNE_API.length);
  });
});

describe('the page-table natives (dune_vm_*)', () => {
  const va = 0x6_0000_0000;

  it('dune_vm_map_phys(root, va, len, pa, perm): the entries, the tables from the pool, 20 + 8 a page', () => {
    const { call, q, root, pool, lib } = boot();
    const r = call('__dune_vm_map_phys', root, va, 0x3000, 0x5000, R | W);
    expect(r).toEqual({ rax: 0n, cycles: 20 + 3 * 8 });
    // PML4 -> PDPT (pool page 1) -> PD (2) -> PT (3), each P|W|U.
    expect([q(root + idx(va, 4) * 8), q(pool + 0x1000 + idx(va, 3) * 8), q(pool + 0x2000)]).toEqual([BigInt(pool + 0x1000) | 7n, BigInt(pool + 0x2000) | 7n, BigInt(pool + 0x3000) | 7n]);
    expect([0, 8, 16, 24].map((o) => q(pool + 0x3000 + o))).toEqual([NX | 0x5003n, NX | 0x6003n, NX | 0x7003n, 0n]);
    expect(lib().at(-1)).toMatchObject({ type: 'libdune', fn: 'dune_vm_map_phys', args: [], ret: '0x0' });
    // W without R: -EINVAL, nothing charged beyond the call.
    expect(call('__dune_vm_map_phys', root, va, 0x1000, 0x5000, W)).toEqual({ rax: U64 - 22n, cycles: 20 });
    expect(lib().at(-1)!.ret).toBe('0xffffffffffffffea');
  });

  it('dune_vm_map_pages(root, va, len, perm): fresh pool pages, 20 + 30 a page', () => {
    const { call, q, root, pool, lib } = boot();
    expect(call('__dune_vm_map_pages', root, va, 0x2000, R | W | X | U)).toEqual({ rax: 0n, cycles: 20 + 2 * 30 });
    expect(lib().at(-1)).toMatchObject({ type: 'libdune', fn: 'dune_vm_map_pages', args: [], ret: '0x0' });
    // Pool pages 1-3 are the tables, 4 and 5 the two pages.
    expect([q(pool + 0x3000), q(pool + 0x3008)]).toEqual([BigInt(pool + 0x4000) | 7n, BigInt(pool + 0x5000) | 7n]);
  });

  it('dune_vm_mprotect(root, va, len, perm): new bits, a TLB flush on success, 20 + 20 a page; -ENOMEM when absent', () => {
    const { call, q, root, pool, flushes, lib } = boot();
    call('__dune_vm_map_phys', root, va, 0x2000, 0x5000, R | W);
    const f0 = flushes();
    expect(call('__dune_vm_mprotect', root, va, 0x2000, R | X)).toEqual({ rax: 0n, cycles: 20 + 2 * 20 });
    expect(lib().at(-1)).toMatchObject({ type: 'libdune', fn: 'dune_vm_mprotect', args: [], ret: '0x0' });
    expect([q(pool + 0x3000), q(pool + 0x3008)]).toEqual([0x5001n, 0x6001n]);
    expect(flushes()).toBe(f0 + 1);
    expect(call('__dune_vm_mprotect', root, va + 0x2000, 0x1000, R).rax).toBe(U64 - 12n);
    expect(call('__dune_vm_mprotect', root, va, 0x1000, W).rax).toBe(U64 - 22n);
    expect(flushes()).toBe(f0 + 1);
  });

  it('dune_vm_unmap(root, va, len): entries cleared, the TLB flushed, 20 + 20 a page', () => {
    const { call, q, root, pool, flushes, lib } = boot();
    call('__dune_vm_map_phys', root, va, 0x3000, 0x5000, R | W);
    const f0 = flushes();
    expect(call('__dune_vm_unmap', root, va, 0x2000)).toEqual({ rax: 0n, cycles: 20 + 2 * 20 });
    expect([q(pool + 0x3000), q(pool + 0x3008), q(pool + 0x3010)]).toEqual([0n, 0n, NX | 0x7003n]);
    expect(flushes()).toBe(f0 + 1);
    expect(lib().at(-1)).toMatchObject({ type: 'libdune', fn: 'dune_vm_unmap', args: [], ret: '0x0' });
  });

  it('dune_vm_lookup(root, va, create, pte_out): the entry’s address, or -ENOENT; create makes the tables', () => {
    const { call, q, root, pool, sym, lib } = boot();
    const out = sym('page');
    call('__dune_vm_map_phys', root, va, 0x2000, 0x5000, R | W);
    expect(call('__dune_vm_lookup', root, va + 0x1000, 0, out)).toEqual({ rax: 0n, cycles: 75 });
    expect(q(out)).toBe(BigInt(pool + 0x3008));
    expect(lib().at(-1)).toMatchObject({ type: 'libdune', fn: 'dune_vm_lookup', args: [], ret: '0x0' });
    expect(call('__dune_vm_lookup', root, va + 0x20_0000, 0, out)).toEqual({ rax: U64 - 2n, cycles: 75 });
    expect(q(out)).toBe(BigInt(pool + 0x3008)); // untouched
    expect(lib().at(-1)!.ret).toBe('0xfffffffffffffffe');
    expect(call('__dune_vm_lookup', root, va + 0x20_0000, 1, out).rax).toBe(0n);
    expect(q(out)).toBe(BigInt(pool + 0x4000)); // a new PT, entry 0
    expect(q(pool + 0x2008)).toBe(BigInt(pool + 0x4000) | 7n);
  });

  it('dune_vm_clone(root): a copy of every table, the new root returned; 0 when the pool is out', () => {
    const { m, S, call, q, root, pool, lib } = boot();
    call('__dune_vm_map_phys', root, va, 0x1000, 0x5000, R | W);
    expect(call('__dune_vm_clone', root)).toEqual({ rax: BigInt(pool + 0x4000), cycles: 200 });
    expect(lib().at(-1)).toMatchObject({ type: 'libdune', fn: 'dune_vm_clone', args: [], ret: `0x${(pool + 0x4000).toString(16)}` });
    expect(entryAt(q, pool + 0x4000, va)).toBe(pool + 0x7000);
    expect(q(pool + 0x7000)).toBe(NX | 0x5003n);
    m.write64(S.get('__pool_next'), BigInt(pool + 8192 * 4096), false);
    expect(call('__dune_vm_clone', root)).toEqual({ rax: 0n, cycles: 200 });
  });
});

describe('dune_vm_page_walk’s iterator (native_pw_begin, _next, _end)', () => {
  it('visits each present leaf: RAX the entry’s address, RDX its VA; then 0; nests; ends', () => {
    const { m, S, call, q, root, pool } = boot();
    const va = 0x6_0000_0000;
    call('__dune_vm_map_phys', root, va, 0x1000, 0x5000, R);
    call('__dune_vm_map_phys', root, va + 0x40_0000, 0x1000, 0x6000, R);
    const depth = () => Number(q(S.get('__pw_depth')));
    expect(call('native_pw_begin', root, va, va + 0x80_0000).rax).toBe(0n);
    expect(depth()).toBe(1);
    const st = S.get('__pw_state');
    expect([q(st), q(st + 8), q(st + 16)]).toEqual([BigInt(va), BigInt(va + 0x80_0000), BigInt(root)]);
    let r = call('native_pw_next');
    expect([r.rax, m.cpu.get(2), r.cycles]).toEqual([BigInt(pool + 0x3000), BigInt(va), 10]);
    expect(q(st)).toBe(BigInt(va + 0x1000));
    // A nested walk over another range, on its own slot.
    call('native_pw_begin', root, va + 0x40_0000, va + 0x40_1000);
    expect(depth()).toBe(2);
    expect([q(st + 24), q(st + 32), q(st + 40)]).toEqual([BigInt(va + 0x40_0000), BigInt(va + 0x40_1000), BigInt(root)]);
    r = call('native_pw_next');
    expect([r.rax, m.cpu.get(2)]).toEqual([BigInt(pool + 0x4000), BigInt(va + 0x40_0000)]);
    expect(call('native_pw_next').rax).toBe(0n);
    call('native_pw_end');
    expect(depth()).toBe(1);
    r = call('native_pw_next');
    expect([r.rax, m.cpu.get(2)]).toEqual([BigInt(pool + 0x4000), BigInt(va + 0x40_0000)]);
    r = call('native_pw_next');
    expect([r.rax, r.cycles]).toEqual([0n, 10]);
    expect(call('native_pw_end').rax).toBe(0n);
    expect(depth()).toBe(0);
  });

  it('nesting is limited to 32 walks', () => {
    const { call, root } = boot();
    for (let i = 0; i < 32; i++) call('native_pw_begin', root, 0, 0x1000);
    expect(() => call('native_pw_begin', root, 0, 0x1000)).toThrow('dune_vm_page_walk nested too deeply');
  });
});

describe('dune_printf’s formatter (native_format)', () => {
  function fmt(f: string, ...args: (number | bigint)[]) {
    const b = boot();
    const at = b.sym('text');
    b.m.writeBytes(at, [...new TextEncoder().encode(f), 0], false);
    const r = b.call('native_format', at, ...args);
    const n = Number(r.rax);
    const iobuf = b.S.get('__iobuf');
    const bytes = Array.from({ length: n }, (_, i) => r8(b.m, iobuf + i));
    return { text: String.fromCharCode(...bytes), n, cycles: r.cycles, b };
  }

  it('%d %i %u %x %p %c %s %% and the l, z, h length modifiers', () => {
    expect(fmt('a%db', -5).text).toBe('a-5b');
    expect(fmt('%i|%u', U64 - 1n, U64 - 1n).text).toBe('-1|18446744073709551615');
    expect(fmt('%u %p %d', 1, 2, 3).text).toBe('1 0x2 3');
    expect(fmt('%x %lx %llx %zx %hx', 255, 0x1234, U64 - 1n, 16, 17).text).toBe('ff 1234 ffffffffffffffff 10 11');
    expect(fmt('%ld %lu', -3, 3).text).toBe('-3 3');
    expect(fmt('%p', 0x7fff_0000_1000).text).toBe('0x7fff00001000');
    expect(fmt('[%c%c]', 0x141, 0x42).text).toBe('[AB]');
    expect(fmt('100%%').text).toBe('100%');
    expect(fmt('%q %d', 7).text).toBe('%q 7'); // an unknown conversion is printed as it is, taking no argument
    expect(fmt('%d %d %d %d %d %d', 1, 2, 3, 4, 5).text).toBe('1 2 3 4 5 0'); // five arguments in registers
  });

  it('a format that ends in % (or in a length modifier) prints it and stops (it hung before)', () => {
    expect(fmt('end %').text).toBe('end %');
    expect(fmt('end %l', 5).text).toBe('end %');
    expect(fmt('%d%', 5).text).toBe('5%');
  });

  it('%s reads a guest string (48-bit address); the length is returned and 20 + 4 a byte charged', () => {
    const b = boot();
    const at = b.sym('text');
    b.m.writeBytes(at + 100, [...new TextEncoder().encode('dune'), 0], false);
    b.m.writeBytes(at, [...new TextEncoder().encode('<%s>'), 0], false);
    const r = b.call('native_format', at, 0xffff_0000_0000_0000n + BigInt(at + 100));
    expect(r).toEqual({ rax: 6n, cycles: 20 + 6 * 4 });
    const iobuf = b.S.get('__iobuf');
    expect(Array.from({ length: 7 }, (_, i) => r8(b.m, iobuf + i))).toEqual([...new TextEncoder().encode('<dune>'), 0]);
  });

  it('the output is cut at 4095 bytes (the size of __iobuf less one)', () => {
    const b = boot();
    const at = b.sym('text');
    b.m.writeBytes(at + 4096, [...'x'.repeat(3000)].map(() => 0x78).concat([0]), false);
    b.m.writeBytes(at, [...new TextEncoder().encode('%s%s'), 0], false);
    const r = b.call('native_format', at, at + 4096, at + 4096);
    expect(r).toEqual({ rax: 4095n, cycles: 20 + 4095 * 4 });
    const iobuf = b.S.get('__iobuf');
    expect([r8(b.m, iobuf + 4094), r8(b.m, iobuf + 4095)]).toEqual([0x78, 0]);
  });
});

describe('native_trap_fatal: dune_dump_trap_frame and the fatal message', () => {
  function fatal(vec: number, cs: number) {
    const b = boot();
    const tf = b.sym('page');
    const put = (o: number, v: bigint) => b.m.write64(tf + o, v, false);
    put(0, 0x1d1n); put(8, 0x51n); put(112, 0xaan); put(120, 0x6n); put(128, 0x401234n); put(136, BigInt(cs)); put(144, 0x10246n); put(152, 0x7fff_ffff_e000n);
    b.m.cpu.cr2 = 0x6_0000_0010;
    const r = b.call('native_trap_fatal', tf, vec);
    const iobuf = b.S.get('__iobuf');
    const text = String.fromCharCode(...Array.from({ length: Number(r.rax) }, (_, i) => r8(b.m, iobuf + i)));
    return text;
  }

  it('a #PF in ring 3 adds CR2; another vector has no CR2 line; an unnamed vector is an interrupt', () => {
    expect(fatal(14, 0x33)).toBe('dune: unhandled trap 14 (#PF) in ring 3, error 6, RIP 0000000000401234\n' +
      'dune: RSP 00007fffffffe000 RFLAGS 0000000000010246 RAX 00000000000000aa RDI 00000000000001d1 RSI 0000000000000051\n' +
      'dune: CR2 0x600000010 (no page-fault handler registered)\n');
    expect(fatal(13, 0x10)).toBe('dune: unhandled trap 13 (#GP) in ring 0, error 6, RIP 0000000000401234\n' +
      'dune: RSP 00007fffffffe000 RFLAGS 0000000000010246 RAX 00000000000000aa RDI 00000000000001d1 RSI 0000000000000051\n');
    expect(fatal(200, 0x10).split('\n')[0]).toBe('dune: unhandled trap 200 (interrupt) in ring 0, error 6, RIP 0000000000401234');
  });
});

describe('dune_init’s native part (native_dune_setup)', () => {
  const LSTAR = 0xffff_ffff_8100_0040n;
  function setup(knobs: Partial<Knobs>, full: boolean) {
    const b = boot(knobs);
    const { m, S, sym } = b;
    m.write64(S.get('__lstar'), LSTAR, false);
    m.write64(S.get('__syscall_page'), BigInt(sym('page')), false);
    m.write64(S.get('__pool_next'), BigInt(b.pool), false); // dune_init allocates the root first
    const codeGen = m.mem.codeGen;
    const r = b.call('native_dune_setup', full ? 1 : 0);
    return { ...b, r, codeGen };
  }

  it('precise: each area of the process with its own permissions, the root in pgroot, 200 + 8 a page', () => {
    const { r, q, S, k, root, events } = setup({}, false);
    expect(q(S.get('pgroot'))).toBe(BigInt(root));
    const pages = k.proc.vmas.reduce((n, v) => n + (v.end - v.start) / 4096, 0);
    expect(r).toEqual({ rax: 0n, cycles: 200 + 8 * pages });
    for (const v of k.proc.vmas) {
      const bits = (v.w ? 2n : 0n) | (v.x ? 0n : NX) | 5n; // P (all readable), W, NX, U
      const gpa = v.start >= 0x7fff_0000_0000 ? v.start - 0x7fff_0000_0000 + 0x2_0000_0000 : v.start;
      expect([v.start, q(entryAt(q, root, v.start)!)]).toEqual([v.start, BigInt(gpa) | bits]);
      expect(q(entryAt(q, root, v.end - 4096)!)).toBe(BigInt(gpa + v.end - 4096 - v.start) | bits);
    }
    expect(events.filter((e) => e.type === 'kernel' && e.fn === 'libdune').map((e) => (e as { detail: string }).detail))
      .toEqual([`dune_init: page table at 0x${root.toString(16)} (precise: the process's areas), syscall page at 0xffffffff81000040, IDT/GDT/TSS`]);
  });

  it('precise: an area outside the three windows is skipped; one not readable is not present', () => {
    const b = boot();
    const { m, S, sym, k, q, root } = b;
    m.write64(S.get('__lstar'), LSTAR, false);
    m.write64(S.get('__syscall_page'), BigInt(sym('page')), false);
    m.write64(S.get('__pool_next'), BigInt(b.pool), false);
    k.proc.vmas.push({ ...k.proc.vmas[0], start: 0x1_0000_0000, end: 0x1_0000_1000 },
      { ...k.proc.vmas[0], start: 0x7000_0000, end: 0x7000_1000, r: false, w: false, x: false });
    b.call('native_dune_setup', 0);
    expect(entryAt(q, root, 0x1_0000_0000)).toBeNull();
    expect(q(entryAt(q, root, 0x7000_0000)!)).toBe(0x7000_0000n | NX | 4n); // U only: not present
  });

  it('full with huge pages: the three 4 GiB windows with 2 MiB pages, RWXU', () => {
    const { r, q, root, events } = setup({ hugepages: true }, true);
    expect(r).toEqual({ rax: 0n, cycles: 200 + 8 * 3 * 2048 });
    const pde = (va: number) => q(entryAt(q, root, va, 2)!);
    expect([pde(0), pde(0xffe0_0000), pde(0x7eff_0000_0000), pde(0x7eff_ffe0_0000), pde(0x7fff_0000_0000), pde(0x7fff_ffe0_0000)])
      .toEqual([0x87n, 0xffe0_0087n, 0x1_0000_0087n, 0x1_ffe0_0087n, 0x2_0000_0087n, 0x2_ffe0_0087n]);
    expect(entryAt(q, root, 0x1_0000_0000, 2) === null || q(entryAt(q, root, 0x1_0000_0000, 2)!) === 0n).toBe(true);
    expect(events.filter((e) => e.type === 'kernel' && e.fn === 'libdune').map((e) => (e as { detail: string }).detail)[0])
      .toMatch(/\(full: three 4 GiB windows, 2 MiB pages\)/);
  });

  it('the syscall page: a copy of __dune_syscall (bytes and decoded ops) mapped at LSTAR with PTE_P only', () => {
    const { m, q, S, sym, root, codeGen } = setup({}, false);
    const page = sym('page'), stub = S.get('__dune_syscall'), len = S.get('__dune_syscall_end') - stub;
    expect(len).toBeGreaterThan(16);
    const bytes = (va: number) => Array.from({ length: len }, (_, i) => r8(m, va + i));
    expect(bytes(page)).toEqual(bytes(stub));
    expect(r8(m, page + len)).toBe(0);
    const frame = (va: number) => m.mem.frames[Math.floor(m.xlate(va, 0) / 4096)]!;
    expect(frame(page).code).toEqual(frame(stub).code!.slice(0, 4096));
    expect(m.mem.codeGen).toBeGreaterThan(codeGen);
    expect(q(entryAt(q, root, Number(LSTAR & 0xffff_ffff_ffffn))!)).toBe(BigInt(page) | 1n);
  });

  it('the IDT: 256 64-bit trap gates to __trap_N, selector 0x10; #BP DPL 3; NMI, #BP, #DF, #MC on IST 1', () => {
    const b = boot();
    const cbs = b.S.get('__intr_cbs');
    for (let i = 0; i < 256; i++) b.m.write64(cbs + i * 8, BigInt(0x1000 + i), false); // handlers registered before
    b.m.write64(b.S.get('__pool_next'), BigInt(b.pool), false);
    b.m.write64(b.S.get('__syscall_page'), BigInt(b.sym('page')), false);
    b.m.write64(b.S.get('__lstar'), LSTAR, false);
    b.call('native_dune_setup', 0);
    const { q, S } = b;
    expect(Array.from({ length: 256 }, (_, i) => q(cbs + i * 8))).toEqual(Array.from({ length: 256 }, (_, i) => BigInt(0x1000 + i)));
    const idt = S.get('__idt');
    for (let v = 0; v < 256; v++) {
      const t = BigInt(S.get(`__trap_${v}`));
      const dpl = v === 3 ? 3n : 0n, ist = [2, 3, 8, 18].includes(v) ? 1n : 0n;
      // Offset 15:0, selector, IST (bits 34:32), type 0xF (bits 43:40), DPL (46:45), P (47), offset 31:16; then offset 63:32.
      const lo = (t & 0xffffn) | (0x10n << 16n) | (ist << 32n) | (0xfn << 40n) | (dpl << 45n) | (1n << 47n) | (((t >> 16n) & 0xffffn) << 48n);
      expect([v, q(idt + v * 16), q(idt + v * 16 + 8)]).toEqual([v, lo, t >> 32n]);
    }
  });

  it('the GDT (GD_KT 0x10, GD_KD 0x18, GD_UD 0x28, GD_UT 0x30, GD_TSS 0x38) and the TSS stacks', () => {
    const { m, q, S } = setup({}, false);
    const gdt = S.get('__gdt'), tss = BigInt(S.get('__tss'));
    expect([0, 8, 0x10, 0x18, 0x20, 0x28, 0x30].map((o) => q(gdt + o)))
      .toEqual([0n, 0n, 0x00af_9b00_0000_ffffn, 0x00cf_9300_0000_ffffn, 0n, 0x00cf_f300_0000_ffffn, 0x00af_fb00_0000_ffffn]);
    // 64-bit TSS descriptor: limit 103, base 23:0 at bits 39:16, type 9 present (0x89), base 31:24 at 63:56; base 63:32 next.
    const tssLo = 103n | ((tss & 0xff_ffffn) << 16n) | (0x89n << 40n) | (((tss >> 24n) & 0xffn) << 56n);
    expect([q(gdt + 0x38), q(gdt + 0x40)]).toEqual([tssLo, tss >> 32n]);
    expect(q(Number(tss) + 4)).toBe(BigInt(S.get('__trap_stack_top'))); // RSP0
    // Nothing around them is touched: the GDTR and IDTR operands keep their limit and base.
    expect([q(S.get('__gdtr')) & 0xffffn, q(S.get('__gdtr') + 2), q(S.get('__idtr')) & 0xffffn, q(S.get('__idtr') + 2)])
      .toEqual([79n, BigInt(gdt), 4095n, BigInt(S.get('__idt'))]);
    // Nor the strings before them ("/dev/dune", the hex digits).
    const str = (at: number, n: number) => String.fromCharCode(...Array.from({ length: n }, (_, i) => r8(m, at + i)));
    expect([str(S.get('__dev_dune'), 10), str(S.get('__hexdigits'), 16)]).toEqual(['/dev/dune\0', '0123456789abcdef']);
    expect(q(Number(tss) + 0x24)).toBe(BigInt(S.get('__ist_stack_top'))); // IST1
  });
});
