// libdune's routines written in TypeScript (the `native_*` labels of runtime.ts), and the entry
// and return hooks that report libdune calls as `libdune` events. Each runs in the caller's mode
// and touches memory only through GuestMem (the MMU). World: libdune (guest ring 0 in Dune mode,
// ring 3 before dune_enter).

import { GuestMem } from './access.ts';
import { mapPhys, mapPages, mprotect, unmap, clone, walk, nextLeaf, allocPage, type VmCtx } from './vm.ts';
import { LIBDUNE_API, ASM_API } from './runtime.ts';
import { DUNE_LAYOUT, GPA_MAP, GPA_STACK, WINDOW, hvaToGpa } from '../kernel/dune/layout.ts';
import { PERM } from '../arch/dune.ts';
import { ERRNO } from '../arch/linux.ts';
import { VEC_NAME } from '../arch/x86.ts';
import { loadCr3 } from '../cpu/system.ts';
import { READ } from '../mmu/mmu.ts';
import { hex, hexVa } from '../trace/events.ts';
import type { Machine } from '../machine.ts';
import type { Op } from '../cpu/decode.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { kernelNote } from '../trace/notes.ts';

export type Native = (m: Machine) => void;

/** Runtime symbols (label -> address), set when the runtime is linked. */
export interface RuntimeSyms { get(name: string): number }

const RWXU = PERM.PERM_R | PERM.PERM_W | PERM.PERM_X | PERM.PERM_U;
/** Arguments each libdune API function takes (for its `libdune` event). */
const ARITY: Record<string, number> = {
  dune_init: 1, dune_enter: 0, dune_init_and_enter: 0, dune_vm_map_pages: 4, dune_vm_map_phys: 5, dune_vm_mprotect: 4,
  dune_vm_unmap: 3, dune_vm_lookup: 4, dune_vm_page_walk: 5, dune_vm_clone: 1, dune_flush_tlb_one: 1, dune_flush_tlb: 0,
  dune_register_pgflt_handler: 1, dune_register_intr_handler: 2, dune_register_syscall_handler: 1, dune_jump_to_user: 1,
  dune_ret_from_user: 1, dune_passthrough_syscall: 1, dune_get_ticks: 0, dune_printf: 6, dune_die: 0,
};

export function natives(S: RuntimeSyms): Map<string, Native> {
  const n = new Map<string, Native>();
  const vm = (g: GuestMem): VmCtx => ({ g, poolNext: S.get('__pool_next'), poolBase: S.get('__pool_base') });
  const retEvent = (m: Machine, fn: string, ret: bigint) =>
    m.emit({ type: 'libdune', fn, args: [], ret: hex(BigInt.asUintN(64, ret)) });

  // Entry slots of libdune API functions: report the call, then continue into the implementation.
  for (const fn of LIBDUNE_API) {
    const impl = S.get(`__${fn}`);
    n.set(`slot:${fn}`, (m) => {
      const c = m.cpu;
      const args = [7, 6, 2, 1, 8, 9].slice(0, ARITY[fn] ?? 0).map((r) => hex(c.get(r)));
      m.emit({ type: 'libdune', fn, args, ret: null });
      m.cycles += m.costs.instr;
      c.rip = impl;
    });
  }
  for (const fn of ASM_API) {
    n.set(`native_ret_${fn}`, (m) => { const g = new GuestMem(m); retEvent(m, fn, m.cpu.get(0)); g.ret(m.cpu.get(0)); });
  }

  const done = (m: Machine, g: GuestMem, fn: string, ret: bigint, work: number) => {
    m.cycles += work;
    retEvent(m, fn, ret);
    g.ret(ret);
  };

  n.set('native_dune_setup', (m) => setup(m, S));
  n.set('__dune_vm_map_phys', (m) => {
    const g = new GuestMem(m), c = { n: 20 };
    const r = mapPhys(vm(g), g.argNum(0), g.argNum(1), g.argNum(2), g.argNum(3), Number(g.arg(4)), c);
    done(m, g, 'dune_vm_map_phys', r, c.n);
  });
  n.set('__dune_vm_map_pages', (m) => {
    const g = new GuestMem(m);
    done(m, g, 'dune_vm_map_pages', mapPages(vm(g), g.argNum(0), g.argNum(1), g.argNum(2), Number(g.arg(3))), 20 + g.argNum(2) / 4096 * 30);
  });
  n.set('__dune_vm_mprotect', (m) => {
    const g = new GuestMem(m);
    const r = mprotect(vm(g), g.argNum(0), g.argNum(1), g.argNum(2), Number(g.arg(3)));
    if (r === 0n) loadCr3(m, BigInt(m.cpu.cr3)); // then flush the whole TLB (dune_flush_tlb)
    done(m, g, 'dune_vm_mprotect', r, 20 + g.argNum(2) / 4096 * 20);
  });
  n.set('__dune_vm_unmap', (m) => {
    const g = new GuestMem(m);
    unmap(vm(g), g.argNum(0), g.argNum(1), g.argNum(2));
    loadCr3(m, BigInt(m.cpu.cr3));
    done(m, g, 'dune_vm_unmap', 0n, 20 + g.argNum(2) / 4096 * 20);
  });
  n.set('__dune_vm_lookup', (m) => {
    const g = new GuestMem(m);
    const e = walk(vm(g), g.argNum(0), g.argNum(1), g.arg(2) !== 0n);
    if (e !== null) g.store64(g.argNum(3), BigInt(e));
    done(m, g, 'dune_vm_lookup', e === null ? BigInt(-ERRNO.ENOENT) : 0n, 75);
  });
  n.set('__dune_vm_clone', (m) => {
    const g = new GuestMem(m);
    const r = clone(vm(g), g.argNum(0));
    done(m, g, 'dune_vm_clone', BigInt(r ?? 0), 200);
  });

  // dune_vm_page_walk's iterator: a small stack of (next, end, root) in libdune's data.
  n.set('native_pw_begin', (m) => {
    const g = new GuestMem(m);
    const d = Number(g.load64(S.get('__pw_depth')));
    if (d >= 32) throw new Error('dune_vm_page_walk nested too deeply');
    const at = S.get('__pw_state') + d * 24;
    g.store64(at, g.arg(1)); g.store64(at + 8, g.arg(2)); g.store64(at + 16, g.arg(0));
    g.store64(S.get('__pw_depth'), BigInt(d + 1));
    g.ret(0n);
  });
  n.set('native_pw_next', (m) => {
    const g = new GuestMem(m);
    const at = S.get('__pw_state') + (Number(g.load64(S.get('__pw_depth'))) - 1) * 24;
    const from = Number(g.load64(at)), end = Number(g.load64(at + 8)), root = Number(g.load64(at + 16));
    const leaf = nextLeaf(vm(g), root, from, end);
    m.cycles += 10;
    if (!leaf) { g.ret(0n); return; }
    g.store64(at, BigInt(leaf[1] + leaf[2]));
    m.cpu.set(2, BigInt(leaf[1])); // rdx = va (the callback's third argument)
    g.ret(BigInt(leaf[0]));
  });
  n.set('native_pw_end', (m) => {
    const g = new GuestMem(m);
    g.store64(S.get('__pw_depth'), g.load64(S.get('__pw_depth')) - 1n);
    g.ret(0n);
  });

  n.set('native_format', (m) => {
    const g = new GuestMem(m);
    const text = format(g, g.argNum(0), [1, 2, 3, 4, 5].map((i) => g.arg(i)));
    const bytes = new TextEncoder().encode(text).slice(0, 4095);
    const buf = S.get('__iobuf');
    bytes.forEach((b, i) => g.store8(buf + i, b));
    m.cycles += 20 + bytes.length * 4;
    g.ret(BigInt(bytes.length));
  });

  n.set('native_trap_fatal', (m) => {
    // dune_dump_trap_frame + the fatal message, into __iobuf; the caller writes it and exits.
    const g = new GuestMem(m);
    const tf = g.argNum(0), vec = Number(g.arg(1));
    const q = (o: number) => g.load64(tf + o);
    const h = (v: bigint) => v.toString(16).padStart(16, '0');
    const text = [`dune: unhandled trap ${vec} (${VEC_NAME[vec] ?? 'interrupt'}) in ring ${Number(q(136)) & 3}, error ${q(120)}, RIP ${h(q(128))}`,
      `dune: RSP ${h(q(152))} RFLAGS ${h(q(144))} RAX ${h(q(112))} RDI ${h(q(0))} RSI ${h(q(8))}`,
      vec === 14 ? `dune: CR2 ${hexVa(m.cpu.cr2)} (no page-fault handler registered)` : ''].filter(Boolean).join('\n') + '\n';
    const bytes = new TextEncoder().encode(text);
    bytes.forEach((b, i) => g.store8(S.get('__iobuf') + i, b));
    g.ret(BigInt(bytes.length));
  });
  return n;
}

/** dune_init's native part: the page table (full: the three 4 GiB windows with 4 KiB pages, RWXU;
 *  precise: each memory area with its own permissions), the syscall page at LSTAR's address,
 *  the IDT, GDT and TSS. */
function setup(m: Machine, S: RuntimeSyms) {
  const g = new GuestMem(m);
  const x: VmCtx = { g, poolNext: S.get('__pool_next'), poolBase: S.get('__pool_base') };
  const full = g.arg(0) !== 0n;
  const root = allocPage(x)!;
  g.store64(S.get('pgroot'), BigInt(root));
  const work = { n: 200 };
  if (full) {
    // hugepages=on: the windows with 2 MiB pages (PERM_BIG), as the paper's sandbox does for
    // SPEC; the EPT stays 4 KiB (the host kernel has no huge pages), so the TLB splinters them.
    const perm = RWXU | (m.knobs.hugepages ? PERM.PERM_BIG : 0);
    mapPhys(x, root, 0, WINDOW, 0, perm, work);
    mapPhys(x, root, DUNE_LAYOUT.baseMap, WINDOW, GPA_MAP, perm, work);
    mapPhys(x, root, DUNE_LAYOUT.baseStack, WINDOW, GPA_STACK, perm, work);
  } else {
    // Precise: /proc/self/maps, read here from the kernel's list of the process's areas.
    const k = m.host as Kernel;
    for (const v of k.proc.vmas) {
      const gpa = hvaToGpa(v.start);
      if (gpa === null) continue;
      const perm = (v.r ? PERM.PERM_R : 0) | (v.w ? PERM.PERM_W : 0) | (v.x ? PERM.PERM_X : 0) | PERM.PERM_U;
      mapPhys(x, root, v.start, v.end - v.start, gpa, perm, work);
    }
  }
  // The syscall page: a copy of __dune_syscall, mapped at LSTAR's page with PTE_P only.
  const lstar = Number(BigInt.asUintN(48, g.load64(S.get('__lstar'))));
  const page = Number(g.load64(S.get('__syscall_page')));
  const stub = S.get('__dune_syscall'), len = S.get('__dune_syscall_end') - stub;
  for (let i = 0; i < len; i++) g.store8(page + i, g.load8(stub + i));
  // The CPU's decoded-instruction cache follows the copied bytes (see mem/phys.ts Frame.code).
  const src = m.mem.frames[Math.floor(m.xlate(stub, READ) / 4096)]!;
  const dst = m.mem.wframe(Math.floor(m.xlate(page, READ) / 4096));
  dst.code = (src.code ?? []).slice(0, 4096) as (Op | undefined)[];
  m.mem.codeGen++;
  const e = walk(x, root, lstar, true)!;
  g.store64(e, BigInt(hvaToGpa(page)!) | 1n);
  // IDT: 256 trap gates to the stubs; #BP has DPL 3; NMI, #BP, #DF and #MC use IST 1.
  const idt = S.get('__idt');
  for (let v = 0; v < 256; v++) {
    const t = S.get(`__trap_${v}`);
    const dpl = v === 3 ? 3 : 0, ist = [2, 3, 8, 18].includes(v) ? 1 : 0;
    g.store64n(idt + v * 16, ((0x10 << 16) | (t & 0xffff)) >>> 0, ((t & 0xffff0000) | 0x8000 | (dpl << 13) | (0xf << 8) | ist) >>> 0);
    g.store64n(idt + v * 16 + 8, Math.floor(t / 2 ** 32), 0);
  }
  // GDT (GD_KT 0x10, GD_KD 0x18, GD_UD 0x28, GD_UT 0x30, GD_TSS 0x38) and the 64-bit TSS.
  const gdt = S.get('__gdt'), tss = S.get('__tss');
  const desc: [number, number][] = [[0, 0], [0, 0], [0xffff, 0x00af9b00], [0xffff, 0x00cf9300], [0, 0], [0xffff, 0x00cff300], [0xffff, 0x00affb00]];
  desc.forEach(([lo, hi], i) => g.store64n(gdt + i * 8, lo, hi));
  g.store64n(gdt + 0x38, ((tss & 0xffff) << 16 | 103) >>> 0, ((tss & 0xff000000) | 0x8900 | ((tss >>> 16) & 0xff)) >>> 0);
  g.store64n(gdt + 0x40, Math.floor(tss / 2 ** 32), 0);
  g.store64(tss + 4, BigInt(S.get('__trap_stack_top')));
  g.store64(tss + 0x24, BigInt(S.get('__ist_stack_top')));
  m.cycles += work.n;
  m.emit(kernelNote('libdune', 'duneInit', { root: hexVa(root), full, huge: m.knobs.hugepages, lstar: hexVa(lstar) }));
  g.ret(0n);
}

/** A small printf: %d %i %u %x %lx %lu %ld %s %c %p %%, with l/ll/z length modifiers ignored. */
function format(g: GuestMem, fmt: number, args: bigint[]): string {
  const f = g.cstring(fmt);
  let out = '', a = 0;
  for (let i = 0; i < f.length; i++) {
    if (f[i] !== '%') { out += f[i]; continue; }
    i++;
    while (/[lzh]/.test(f[i] ?? '')) i++; // (not 'lzh'.includes: true for '', past the end)
    const v = args[a] ?? 0n;
    switch (f[i]) {
      case 'd': case 'i': out += BigInt.asIntN(64, v).toString(); a++; break;
      case 'u': out += BigInt.asUintN(64, v).toString(); a++; break;
      case 'x': out += BigInt.asUintN(64, v).toString(16); a++; break;
      case 'p': out += '0x' + BigInt.asUintN(64, v).toString(16); a++; break;
      case 'c': out += String.fromCharCode(Number(v & 0xffn)); a++; break;
      case 's': out += g.cstring(Number(BigInt.asUintN(48, v))); a++; break;
      case '%': out += '%'; break;
      default: out += '%' + (f[i] ?? '');
    }
  }
  return out;
}
