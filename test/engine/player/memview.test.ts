// memoryView: the host page table of a Linux process, and for a Dune process the guest page table
// (reached through the EPT), the EPT itself and the three address spaces; read without side effects.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Session, assembleSource } from '../../../src/engine/session.ts';
import { Player } from '../../../src/engine/player/player.ts';
import { READ_VIRTUAL_MAX, memoryView, readVirtual, type EntryView, type MemoryView } from '../../../src/engine/player/memview.ts';
import { hvaToGpa } from '../../../src/engine/kernel/dune/layout.ts';
import { ArraySink, type TraceEvent } from '../../../src/engine/trace/events.ts';

function session(source: string, sink = new ArraySink()) {
  const a = assembleSource(source, 't.s');
  if (!a.ok) throw new Error(a.diagnostics);
  return { s: new Session(a.program, { sink }), sink, prog: a.program };
}

/** The leaf entry mapping va, or undefined if the view does not show one. */
function leafOf<B>(entries: EntryView<B>[] | undefined, va: number): EntryView<B> | undefined {
  for (const e of entries ?? []) {
    const base = BigInt(e.base) & 0xffffffffffffn;
    if (BigInt(va) < base || BigInt(va) >= base + BigInt(e.span)) continue;
    return e.leaf ? e : leafOf(e.children, va);
  }
  return undefined;
}
function* all<B>(entries: EntryView<B>[] | undefined): Generator<EntryView<B>> {
  for (const e of entries ?? []) { yield e; yield* all(e.children); }
}

const LINUX = `
.data
x: .quad 1
.text
_start:
    mov qword ptr [x], 7
    push rax
    pop rax
spin:
    jmp spin
`;

describe('memoryView: a Linux process', () => {
  const { s, prog } = session(LINUX);
  expect(s.run(2_000)).toBeNull(); // still spinning: the address space is intact
  const v = memoryView(s);
  const text = leafOf(v.host.entries, prog.text.base)!;
  const data = leafOf(v.host.entries, prog.data.base)!;
  const stack = leafOf(v.host.entries, 0x7ffffffff000 - 4096)!;

  it('is not a Dune process: no guest tree, no EPT, no windows', () => {
    expect(v.dune).toBe(false);
    expect(v.guest).toBeNull();
    expect(v.ept).toBeNull();
    expect(v.spaces.windows).toEqual([]);
    expect(v.cr3).toBe('0x' + s.kernel.proc.root.toString(16));
  });

  it('shows text, data and stack pages with the bits the kernel and the CPU set', () => {
    expect(text.level).toBe(1);
    expect(text.bits).toMatchObject({ P: true, RW: false, US: true, NX: false, A: true, D: false });
    expect(data.bits).toMatchObject({ P: true, RW: true, US: true, NX: true, A: true, D: true });
    expect(stack.bits).toMatchObject({ P: true, RW: true, US: true, NX: true, A: true, D: true });
    // Each entry's address and value are the memory's.
    for (const e of [text, data, stack]) expect(BigInt(e.value)).toBe(s.machine.mem.read64(Number(e.entryAddr)));
  });

  it('lists the VMAs with their present pages', () => {
    const kinds = v.spaces.vmas.map((a) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(['text', 'data', 'stack']));
    const st = v.spaces.vmas.find((a) => a.kind === 'stack')!;
    expect(st).toMatchObject({ perms: 'rw-', pages: 1, window: null, gpa: null });
    expect(v.spaces.frames.hostMapped).toBe(v.spaces.vmas.reduce((n, a) => n + a.pages, 0));
    expect(v.spaces.frames.used).toBeGreaterThan(v.spaces.frames.hostMapped);
  });
});

describe('memoryView: a Dune process (samples/getpid-dune.s, at its VMCALL exit)', () => {
  const { s, sink } = session(readFileSync('samples/getpid-dune.s', 'utf8'));
  const m = s.machine;
  while (m.status === null && !(m.vmexits['VMCALL'] >= 1)) s.run(1);
  const before = { seq: m.seq, cycles: m.cycles, events: sink.events.length };
  const v = memoryView(s);

  it('reads without side effects: no events, no cycles, the same view twice', () => {
    expect(JSON.stringify(memoryView(s))).toBe(JSON.stringify(v));
    expect({ seq: m.seq, cycles: m.cycles, events: sink.events.length }).toEqual(before);
    expect(JSON.parse(JSON.stringify(v))).toEqual(v); // plain data
  });

  it('has the guest page table and the EPT as trees', () => {
    expect(v.dune).toBe(true);
    expect(v.guest!.entries.length).toBeGreaterThan(0);
    expect(v.ept!.entries.length).toBeGreaterThan(0);
    // The guest CR3: the CPU's while the vCPU runs in VMX non-root, else the VMCS's GUEST_CR3.
    expect(v.guestCr3From).toBe(m.vmxMode === 'non-root' ? 'cpu' : 'vmcs');
    // The guest maps the text page to its guest-physical twin (the low window is the identity),
    // and the EPT maps that to the frame the host page table maps the text to.
    const g = leafOf(v.guest!.entries, 0x400000)!;
    expect(g.target).toBe('0x400000');
    expect(g.via).toBe('ept');
    const h = leafOf(v.host.entries, 0x400000)!;
    expect(g.hpa).toBe(h.target);
    expect(leafOf(v.ept!.entries, 0x400000)!.target).toBe(h.target);
    // The walked path has A set in the guest entries.
    expect(g.bits.A).toBe(true);
  });

  it('the EPT holds exactly the entries the module filled (vmx_do_ept_fault)', () => {
    const filled = new Map<string, string>();
    for (const e of sink.events as (TraceEvent & { fn?: string; detail?: string })[]) {
      const r = e.type === 'kernel' && e.fn === 'vmx_do_ept_fault' ? /GPA (0x[0-9a-f]+) .* -> HPA (0x[0-9a-f]+)/.exec(e.detail!) : null;
      if (r) filled.set(r[1], r[2]);
    }
    const frames = v.spaces.frames.ept;
    expect(v.spaces.frames.eptTruncated).toBe(false);
    expect(new Map(frames.map((f) => [f.gpa, f.hpa]))).toEqual(filled);
    const eptLeaves = [...all(v.ept!.entries)].filter((e) => e.leaf);
    expect(eptLeaves.length).toBe(filled.size);
    for (const e of eptLeaves) expect(e.bits).toMatchObject({ R: true, X: true, memtype: 6, large: false });
  });

  it('summarises the full mapping and honours the node cap with `truncated`', () => {
    // The low window's first PT: 512 present entries, shown as a few plus the walked ones.
    const pd = [...all(v.guest!.entries)].find((e) => e.level === 2 && e.base === '0x400000')!;
    expect(pd.counts!.present).toBe(512);
    expect(pd.truncated).toBe(true);
    expect(pd.children!.length).toBeLessThan(40);
    expect(v.guest!.truncated).toBe(true);
    expect(v.host.nodes + v.guest!.nodes + v.ept!.nodes).toBeLessThanOrEqual(v.maxNodes);
    const small = memoryView(s, { maxNodes: 40 });
    expect(small.host.nodes + small.guest!.nodes + small.ept!.nodes).toBeLessThanOrEqual(40);
    expect(small.guest!.truncated && small.host.truncated).toBe(true);
    expect([...all(small.guest!.entries)].some((e) => e.truncated)).toBe(true);
  });

  it('places each VMA in the guest-physical window hvaToGpa gives', () => {
    const { vmas, windows } = v.spaces;
    expect(windows.map((w) => [w.name, w.gpaStart])).toEqual([['low', '0x0'], ['mmap', '0x100000000'], ['stack', '0x200000000']]);
    for (const [i, a] of vmas.entries()) {
      const g = hvaToGpa(Number(a.start));
      expect(a.gpa).toBe(g === null ? null : '0x' + g.toString(16));
      if (a.window) expect(windows.find((w) => w.name === a.window)!.vmas).toContain(i);
    }
    expect(vmas.find((a) => a.kind === 'stack')!.window).toBe('stack');
    expect(vmas.find((a) => a.kind === 'text')!.window).toBe('low');
    expect(windows.reduce((n, w) => n + w.eptPages, 0)).toBe(v.spaces.frames.eptMapped);
  });
});

describe('Player.memory', () => {
  it('describes the memory at the cursor, even after other requests replayed past it', () => {
    const p = new Player();
    const load = p.load({ source: readFileSync('samples/getpid-dune.s', 'utf8'), file: 'getpid-dune.s' });
    expect(load.ok).toBe(true);
    const exit = p.scan(0, (e) => e.type === 'vmexit' && e.name === 'VMCALL')!;
    p.seek(exit);
    const a: MemoryView = p.memory();
    expect(a.dune).toBe(true);
    p.events(0, 2000);
    p.events(p.total - 10, p.total);
    expect(JSON.stringify({ ...p.memory(), seq: 0 })).toBe(JSON.stringify({ ...a, seq: 0 }));
  });
});

describe('readVirtual: bytes through the page tables, one span per page, no side effects', () => {
  it('reads the data the program wrote, splits at a page boundary, and sets no A/D bit', () => {
    const { s, prog } = session(LINUX);
    expect(s.run(2_000)).toBeNull();
    const before = JSON.stringify(memoryView(s));
    const r = readVirtual(s, prog.data.base, 8);
    expect(r.space).toBe('host');
    expect(r.spans).toHaveLength(1);
    expect(r.spans[0].bytes).toEqual([7, 0, 0, 0, 0, 0, 0, 0]); // mov qword ptr [x], 7
    expect(r.spans[0].hpa).toBe(r.spans[0].pa);
    // The last 4 bytes of the data page and the 4 after it: two spans, the second unmapped.
    const end = prog.data.base + 4096 - 4;
    const cross = readVirtual(s, end, 8);
    expect(cross.spans.map((x) => [x.va, x.bytes.length])).toEqual([[end, 4], [end + 4, 0]]);
    expect(cross.spans[1].pa).toBeNull();
    expect(JSON.stringify(memoryView(s))).toBe(before); // a read changes nothing the views show
    expect(readVirtual(s, prog.data.base, 10_000).spans[0].bytes).toHaveLength(READ_VIRTUAL_MAX);
  });
});
