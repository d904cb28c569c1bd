// The collector (src/engine/libdune/asm-gc.ts) over random allocation traces, in every mode: no
// object reachable from the roots is ever freed or overwritten, and garbage is reclaimed.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assembleSource, Session } from '../../../src/engine/session.ts';
import { readVirtual } from '../../../src/engine/player/memview.ts';
import { runtime } from '../../../src/engine/libdune/link.ts';
import { GC_MODES, type GcMode } from '../../../src/engine/libdune/asm-gc.ts';

const SLOTS = 8;
type Op =
  | { k: 'alloc'; slot: number; size: number }
  | { k: 'link'; from: number; field: 1 | 2; to: number }
  | { k: 'drop'; slot: number }
  | { k: 'collect' };

/** A guest program that interprets the trace: roots[SLOTS] is a registered root range; object
 *  word 0 holds its id, words 1 and 2 may point to other objects. It ends in a spin at `done`
 *  so the test can read the heap afterwards. */
function program(ops: Op[]): string {
  let id = 0;
  const rows = ops.map((o) => {
    switch (o.k) {
      case 'alloc': return `.quad 0, ${o.slot}, ${o.size}, ${++id}`;
      case 'link': return `.quad 1, ${o.from}, ${o.field}, ${o.to}`;
      case 'drop': return `.quad 2, ${o.slot}, 0, 0`;
      case 'collect': return '.quad 3, 0, 0, 0';
    }
  });
  return `
.data
roots: .zero ${SLOTS * 8}
roots_end:
ops:
${rows.join('\n')}
ops_end:
.text
_start:
    call gc_mode_from_stdin
    mov rdi, rax
    call gc_init
    test rax, rax
    jne failed
    mov rdi, roots
    mov rsi, roots_end
    call gc_add_roots
    lea r12, [ops]
next:
    lea rax, [ops_end]
    cmp r12, rax
    jae done
    mov rax, [r12]
    lea r13, [roots]
    mov rcx, [r12 + 8]
    lea r13, [r13 + rcx*8]
    cmp rax, 0
    jne not_alloc
    mov rdi, [r12 + 16]
    call gc_alloc
    mov rcx, [r12 + 24]
    mov [rax], rcx
    mov [r13], rax
    jmp step
not_alloc:
    cmp rax, 1
    jne not_link
    mov rdi, [r13]
    test rdi, rdi
    je step
    mov rcx, [r12 + 24]
    lea rdx, [roots]
    mov rcx, [rdx + rcx*8]
    mov rdx, [r12 + 16]
    mov [rdi + rdx*8], rcx
    jmp step
not_link:
    cmp rax, 2
    jne not_drop
    mov qword ptr [r13], 0
    jmp step
not_drop:
    call gc_collect
step:
    add r12, 32
    jmp next
done:
    jmp done
failed:
    mov rdi, 1
    call exit
`;
}

/** The model: which ids each root and field holds. */
function model(ops: Op[]) {
  const roots: (number | null)[] = Array(SLOTS).fill(null);
  const fields = new Map<number, [number | null, number | null]>();
  let id = 0;
  for (const o of ops) {
    if (o.k === 'alloc') { roots[o.slot] = ++id; fields.set(id, [null, null]); }
    else if (o.k === 'link') { const f = roots[o.from]; if (f !== null) fields.get(f)![o.field - 1] = roots[o.to]; }
    else if (o.k === 'drop') roots[o.slot] = null;
  }
  return { roots, fields, allocated: id };
}

function run(ops: Op[], mode: GcMode) {
  const src = program(ops);
  const a = assembleSource(src, 'trace.s');
  if (!a.ok) throw new Error(a.diagnostics);
  const s = new Session(a.program, { file: 'trace.s', stdin: mode, memBytes: 1 << 28 });
  const st = s.run(40_000_000);
  const done = Number(a.program.symbols.get('done'));
  if (st !== null || s.machine.cpu.rip !== done) throw new Error(`trace program did not reach done (${mode}): ${JSON.stringify(st)} ${s.stdout()} ${s.stderr()}`);
  const q = (va: number) => {
    const r = readVirtual(s, va, 8).spans;
    const bytes = r.flatMap((x) => x.bytes);
    if (bytes.length < 8) throw new Error(`cannot read ${va.toString(16)} (${mode})`);
    return bytes.reduce((acc, b, i) => acc + b * 2 ** (8 * i), 0);
  };
  const b = (va: number) => readVirtual(s, va, 1).spans[0].bytes[0];
  const rt = runtime().syms;
  return { s, q, b, roots: Number(a.program.symbols.get('roots')), heap: q(rt.get('__gc_heap')), state: q(rt.get('__gc_state')), freed: q(rt.get('__gc_freed')) };
}

/** Walk the model's live graph in guest memory: every live object keeps its id, its fields, and
 *  an allocated state byte. Returns the number of live objects. */
function checkLive(ops: Op[], mode: GcMode) {
  const m = model(ops);
  const g = run(ops, mode);
  const seen = new Map<number, number>(); // id -> address
  const visit = (id: number, addr: number, path: string) => {
    expect(addr, `${mode}: ${path} is null but should hold object ${id}`).not.toBe(0);
    const prev = seen.get(id);
    if (prev !== undefined) { expect(addr, `${mode}: ${path}: object ${id} at two addresses`).toBe(prev); return; }
    seen.set(id, addr);
    expect(g.q(addr), `${mode}: ${path}: object ${id} was overwritten (freed and reused?)`).toBe(id);
    const st = g.b(g.state + (addr - g.heap) / 16);
    expect(st, `${mode}: ${path}: object ${id}'s state byte says free`).toBeGreaterThan(0);
    const [f1, f2] = m.fields.get(id)!;
    for (const [k, f] of [[1, f1], [2, f2]] as const) {
      const p = g.q(addr + 8 * k);
      if (f === null) expect(p, `${mode}: ${path}.${k} should be null`).toBe(0);
      else visit(f, p, `${path}.${k}`);
    }
  };
  m.roots.forEach((id, i) => {
    const p = g.q(g.roots + 8 * i);
    if (id === null) expect(p).toBe(0);
    else visit(id, p, `root[${i}]`);
  });
  return { live: seen.size, allocated: m.allocated, freed: g.freed };
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('alloc' as const), slot: fc.nat(SLOTS - 1), size: fc.oneof(fc.integer({ min: 24, max: 64 }), fc.integer({ min: 65, max: 2048 })) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('link' as const), from: fc.nat(SLOTS - 1), field: fc.constantFrom(1 as const, 2 as const), to: fc.nat(SLOTS - 1) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('drop' as const), slot: fc.nat(SLOTS - 1) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'collect' as const }) },
);

describe('the collector never frees a live object', () => {
  for (const mode of GC_MODES) {
    it(`over random allocation traces, mode ${mode}`, { timeout: 120_000 }, () => {
      fc.assert(fc.property(fc.array(opArb, { minLength: 50, maxLength: 400 }), (ops) => { checkLive(ops, mode); }),
        { numRuns: 6, seed: 11, endOnFailure: true }); // no shrinking: each run is a whole simulation
    });
  }

  it('reclaims garbage and keeps the live graph in every mode, through many collections', { timeout: 120_000 }, () => {
    // 3000 allocations of 16..2048 bytes with frequent drops: far more than the 256 KiB initial
    // heap, so collections (partial and full) happen on their own.
    const ops: Op[] = [];
    let x = 7;
    const r = (n: number) => { x = (x * 1103515245 + 12345) % 2 ** 31; return x % n; };
    for (let i = 0; i < 3000; i++) {
      const c = r(10);
      if (c < 6) ops.push({ k: 'alloc', slot: r(SLOTS), size: 16 + r(2033) });
      else if (c < 9) ops.push({ k: 'link', from: r(SLOTS), field: (1 + r(2)) as 1 | 2, to: r(SLOTS) });
      else ops.push({ k: 'drop', slot: r(SLOTS) });
    }
    const results = GC_MODES.map((mode) => checkLive(ops, mode));
    for (const res of results) {
      expect(res.freed, 'garbage is reclaimed').toBeGreaterThan(res.allocated / 2);
      expect(res.freed + res.live).toBeLessThanOrEqual(res.allocated);
    }
    // The four modes find the same dirty pages, so they free exactly the same objects.
    expect(new Set(results.map((res) => res.freed)).size).toBe(1);
  });
});
