// The heap's page-state map (player/heapmap.ts), the page-table write watch (trace/ptwatch.ts)
// and the machine's store hook they ride on. Expected values are written out by hand from the
// programs below; in the Dune modes the EPT is not the identity (guest-physical page-table pages
// live in other host frames), which the watch must see through.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { assembleSource, Session } from '../../../src/engine/session.ts';
import { heapState, HeapProbe, PAGE_STATE as S, HEAP_ACT } from '../../../src/engine/player/heapmap.ts';
import { PtWatch, type PtWrite } from '../../../src/engine/trace/ptwatch.ts';
import { Player } from '../../../src/engine/player/player.ts';
import type { Vcpu } from '../../../src/engine/kernel/dune/vmcs.ts';
import { guestCr3, gpaLocator } from '../../../src/engine/player/memview.ts';
import { filesReader } from '../../../src/engine/asm/index.ts';

// churn.s .includes the GC programs' driver, by its path relative to churn.s (as a load of the sample passes it).
const files = { 'driver.inc': readFileSync('samples/gc/driver.inc', 'utf8') };

/** Three one-page objects; the third is dropped; one (full) collection; then a write to the
 *  second. `here` is where the map is read (the process is still alive). */
const HEAP3 = `
.data
a: .quad 0
b: .quad 0
roots_end:
.text
_start:
    call gc_mode_from_stdin
    mov rdi, rax
    call gc_init
    mov rdi, a
    mov rsi, roots_end
    call gc_add_roots
    mov rdi, 4096
    call gc_alloc
    mov [a], rax
    mov rdi, 4096
    call gc_alloc
    mov [b], rax
    mov rdi, 4096
    call gc_alloc
    xor rax, rax
    call gc_collect
    mov rax, [b]
    mov qword ptr [rax + 8], 7
here:
    nop
    mov rdi, 0
    call exit
`;

function session(src: string, stdin: string) {
  const a = assembleSource(src, 't.s');
  if (!a.ok) throw new Error(a.diagnostics);
  return { s: new Session(a.program, { file: 't.s', stdin }), here: Number(a.program.symbols.get('here')) };
}
function runTo(s: Session, rip: number) {
  const m = s.machine;
  for (let i = 0; i < 5_000_000 && m.cpu.rip !== rip && m.status === null; i++) m.step(Infinity, true);
  expect(m.cpu.rip).toBe(rip);
}

describe('the heap page-state map', () => {
  it('linux: write-protected after the collection, the written page unprotected and in the dirty set, the dropped one freed', () => {
    const { s, here } = session(HEAP3, 'linux');
    runTo(s, here);
    const h = heapState(s)!;
    expect(h.g.mode).toBe('linux');
    expect(h.table).toBe('host');
    expect(h.g.top).toBe(3);
    expect(h.g.counters.collections).toBe(1);
    expect(h.g.counters.faults).toBe(1);
    // page 0: kept, re-protected by mprotect, D set by gc_alloc's zeroing (host PTE)
    expect(h.state[0]).toBe(S.MAPPED | S.WP | S.DBIT | S.INUSE); // 23
    // page 1: the write faulted; the handler recorded it and made it writable again
    expect(h.state[1]).toBe(S.MAPPED | S.DBIT | S.DIRTY | S.INUSE); // 29
    // page 2: its object was swept and the block freed; still mapped and protected
    expect(h.state[2]).toBe(S.MAPPED | S.WP | S.DBIT | S.FREED); // 39
    // page 3: never touched: no PTE in the host table
    expect(h.state[3]).toBe(0);
    expect(h.state.length).toBe(16384);
  });

  it('dune-dirty: nothing protected, D cleared by the collection, set again by the write', () => {
    const { s, here } = session(HEAP3, 'dune-dirty');
    runTo(s, here);
    const h = heapState(s)!;
    expect(h.g.mode).toBe('dune-dirty');
    expect(h.table).toBe('guest');
    expect(h.g.counters.dbits).toBe(3);
    expect(h.g.counters.faults).toBe(0);
    expect(h.state[0]).toBe(S.MAPPED | S.INUSE); // 17
    expect(h.state[1]).toBe(S.MAPPED | S.DBIT | S.INUSE); // 21: written since, not yet read
    expect(h.state[2]).toBe(S.MAPPED | S.FREED); // 33
    // precise mode maps the whole reservation in libdune's table
    expect(h.state[3]).toBe(S.MAPPED);
    expect(h.state[16383]).toBe(S.MAPPED);
  });

  it('no heap before gc_init', () => {
    const { s } = session(HEAP3, 'linux');
    expect(heapState(s)).toBeNull();
  });

  it('the activity layer, taken inside the seek: the last write and the fault that recorded it', () => {
    const p = new Player();
    const r = p.load({ source: HEAP3, file: 't.s', stdin: 'linux' });
    expect(r.ok).toBe(true);
    const write = p.scan(0, (e) => e.type === 'instr' && e.text === 'mov qword ptr [rax + 8], 7');
    const at = p.scan(write! + 1, (e) => e.type === 'instr' && e.text === 'nop')!;
    const h = p.seek(at, new HeapProbe(4096)).probe!;
    expect(h.act[1]).toBe(HEAP_ACT.WRITE);
    expect(h.age[1]).toBe(at - write!); // the store is counted at its instruction's event
    // Before it (an instruction's event comes when it retires: the faulting try has none), the
    // SIGSEGV handler's store into the dirty set: a window ending there shows it as a fault.
    const rec = p.scanLast(0, write!, (e) => e.type === 'instr' && e.text === 'mov byte ptr [rcx + rax], 1')!;
    expect(rec).toBeGreaterThan(write! - 2000);
    const f = p.seek(rec + 1, new HeapProbe(512)).probe!;
    expect(f.act[1]).toBe(HEAP_ACT.FAULT);
    // Outside the window nothing is lit.
    const later = p.seek(at, new HeapProbe(1)).probe!;
    expect(later.act[1]).toBe(HEAP_ACT.NONE);
  });

  it('the same cursor gives the same map however it is reached', () => {
    const src = readFileSync('samples/gc/churn.s', 'utf8');
    const p = new Player();
    const r = p.load({ source: src, file: 'churn.s', stdin: 'dune-dirty', files });
    if (!r.ok) throw new Error('no load');
    const c = Math.floor(r.total * 0.4);
    const probe = new HeapProbe(512);
    const direct = p.seek(c, probe).probe!;
    p.seek(c - 5000, probe);
    const stepped = p.seek(c, probe).probe!;
    p.seek(r.total - 1, probe);
    const back = p.seek(c, probe).probe!;
    for (const x of [stepped, back]) {
      expect([...x.state]).toEqual([...direct.state]);
      expect([...x.act]).toEqual([...direct.act]);
      expect([...x.age]).toEqual([...direct.age]);
    }
  });
});

/** In Dune (ring 0): write a page, then clear its PTE's D bit with a plain MOV. */
const CLEAR_D = `
.data
buf: .zero 4096
slot: .quad 0
.text
_start:
    call dune_init_and_enter
    mov rdi, [pgroot]
    lea rsi, [buf]
    xor rdx, rdx
    lea rcx, [slot]
    call dune_vm_lookup
    mov qword ptr [buf], 1
    mov rax, [slot]
    mov rcx, [rax]
    and rcx, ~0x40
    mov [rax], rcx
    invlpg [buf]
    mov rdi, 0
    call exit
`;

describe('the page-table write watch', () => {
  it('sees the plain store that clears D, at the host-physical address the EPT gives', () => {
    const a = assembleSource(CLEAR_D, 'd.s');
    if (!a.ok) throw new Error(a.diagnostics);
    const buf = Number(a.program.symbols.get('buf'));
    const s = new Session(a.program, { file: 'd.s' });
    const m = s.machine;
    const seen: PtWrite[] = [];
    const w = new PtWatch(() => {
      const v = s.kernel.proc.vcpu as Vcpu | undefined;
      if (!v) return { root: s.kernel.proc.root };
      const cr3 = guestCr3(s, v).cr3!, loc = gpaLocator(s, v);
      return { root: cr3 - (cr3 % 4096), tableAt: (g) => loc(g)?.hpa ?? null };
    }, (x) => seen.push(x));
    w.install(m);
    s.run(2_000_000);
    w.remove();
    expect(m.onStore).toBeNull();
    expect(m.status?.code).toBe(0);
    // Exactly one store into a page-table entry: ours (libdune builds its tables natively).
    const mine = seen.filter((x) => x.va === buf);
    expect(mine.length).toBe(1);
    const x = mine[0];
    expect(x.level).toBe(1);
    expect(buf).toBe(0x401000); // .data starts on the page after .text
    // before: P, W, A and D set (the write to buf); after: the same without D (0x40)
    expect(x.oldLo & 0x63).toBe(0x63);
    expect(x.newLo).toBe(x.oldLo & ~0x40);
    expect(x.newHi).toBe(x.oldHi);
    // The guest's pointer to the PTE is guest-physical (libdune's pool: VA = PA); the entry the
    // store changed is at another, host-physical, address: the EPT is not the identity here.
    const ptep = Number(m.mem.read64(hostOf(s, Number(a.program.symbols.get('slot')))));
    expect(x.entry).not.toBe(ptep);
    expect(x.entry % 4096).toBe(ptep % 4096);
    expect(m.mem.read32(x.entry) & 0x40).toBe(0);
  });

  it('costs nothing when off: the run is the same with no hook, and with one installed', () => {
    const src = readFileSync('samples/gc/churn.s', 'utf8');
    const run = (hook: boolean) => {
      const a = assembleSource(src, 'churn.s', filesReader(files));
      if (!a.ok) throw new Error(a.diagnostics);
      const s = new Session(a.program, { file: 'churn.s', stdin: 'dune-dirty' });
      let stores = 0;
      if (hook) s.machine.onStore = () => { stores++; };
      s.run(10_000_000);
      const m = s.machine;
      return { cycles: m.cycles, instret: m.instret, faults: m.faults, walks: m.mmu.stats.walks, out: s.stdout(), stores };
    };
    const off = run(false), on = run(true);
    expect(on.stores).toBeGreaterThan(10_000);
    expect({ ...on, stores: 0 }).toEqual({ ...off, stores: 0 });
  });
});

/** The host-physical address of a process virtual address (host page table). */
function hostOf(s: Session, va: number): number {
  const root = s.kernel.proc.root, mem = s.machine.mem;
  let t = root;
  for (let l = 4; l >= 1; l--) {
    const i = Math.floor(va / 2 ** (12 + 9 * (l - 1))) % 512;
    const lo = mem.read32(t + i * 8), hi = mem.read32(t + i * 8 + 4);
    const next = (hi & 0xfffff) * 2 ** 32 + ((lo & 0xfffff000) >>> 0);
    if (l === 1 || lo & 0x80) return next + (va % (l === 1 ? 4096 : 2 ** (12 + 9 * (l - 1))));
    t = next;
  }
  return -1;
}

describe('the four lanes (player/gclanes.ts)', () => {
  it('count what the modes differ in, and keep each collection\'s heap', async () => {
    const { gcLanes } = await import('../../../src/engine/player/gclanes.ts');
    const it = gcLanes(readFileSync('samples/gc/churn.s', 'utf8'), 'churn.s', files);
    let r = it.next();
    while (!r.done) r = it.next(false);
    const [linux, dune, tlb, dirty] = r.value;
    expect(r.value.map((l) => l.mode)).toEqual(['linux', 'dune', 'dune-tlb', 'dune-dirty']);
    for (const l of r.value) {
      expect(l.ok, l.error ?? '').toBe(true);
      expect(l.snaps.map((s) => s.collection)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      for (let i = 1; i < l.snaps.length; i++) expect(l.snaps[i].counters.cycles).toBeGreaterThan(l.snaps[i - 1].counters.cycles);
    }
    // The program's own counters (gc write faults 199 with protection, 0 with dirty bits).
    expect([linux, dune, tlb, dirty].map((l) => l.totals.writeFaults)).toEqual([199, 199, 199, 0]);
    // linux: a mprotect per fault and one per re-protection (7 collections); dune: the same
    // through dune_vm_mprotect; dune-tlb and dune-dirty call neither.
    expect(linux.totals.mprotect).toBe(199 + 7);
    expect(dune.totals.mprotect).toBe(199 + 7);
    expect(tlb.totals.mprotect).toBe(0);
    expect(dirty.totals.mprotect).toBe(0);
    // Full flushes: dune_vm_mprotect's; INVLPG instead in dune-tlb (fault + re-protect) and in
    // dune-dirty (one per D bit cleared: 234).
    expect(dune.totals.flushes).toBeGreaterThan(tlb.totals.flushes + 199);
    expect(dirty.totals.invlpg).toBeGreaterThanOrEqual(234);
    expect(dune.totals.walkRefs).toBeGreaterThan(tlb.totals.walkRefs);
    // At the start of collection 2 the heap of every lane has the same blocks in use.
    const inUse = (l: typeof linux) => [...l.snaps[1].state].filter((b) => b & S.INUSE).length;
    expect(new Set(r.value.map(inUse)).size).toBe(1);
  }, 120_000);
});
