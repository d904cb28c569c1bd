// The Wedge and sandbox views' data (src/ui/worker/wedge.ts, sandbox.ts), derived from the
// machine state at a cursor. The expected values are worked out by hand from the programs
// (samples/wedge/recycle-leak.s, samples/sandbox/box.s) and asm-sthread.ts / asm-boxer.ts.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Player } from '../../../src/engine/player/player.ts';
import { drain } from '../../../src/ui/worker/core.ts';
import { wedgeView, recycleStopRip, type RecycleStop, type WedgeView } from '../../../src/ui/worker/wedge.ts';
import { sandboxCalls } from '../../../src/ui/worker/sandbox.ts';

const wedgeInc = readFileSync('samples/wedge/wedge.inc', 'utf8');
function record(file: string, stdin: string, files: Record<string, string> = {}) {
  const p = new Player();
  const r = drain(p.recording({ source: readFileSync(file, 'utf8'), file: file.split('/').at(-1), stdin, files })) as { ok: boolean; total: number };
  expect(r.ok).toBe(true);
  return { p, total: r.total };
}
/** Every seq where the recycle pass reaches `stop`, from the start. */
function stops(p: Player, stop: RecycleStop): number[] {
  const rip = recycleStopRip(stop), out: number[] = [];
  for (let at = 0; ; ) {
    const h = p.find(1, (e) => e.type === 'instr' && e.rip === rip, { from: at, kinds: new Set(['instr']) });
    if (h === null) return out;
    out.push(h); at = h;
  }
}
const at = (p: Player, seq: number): WedgeView => { p.seek(seq); return p.inspect(wedgeView)!; };
const page = (v: WedgeView, va: string) => v.recycle[0].pages.find((x) => x.va === va)!;
const row = (v: WedgeView, va: string) => v.rows.find((r) => r.va === va)!;

describe('the Wedge view', () => {
  // recycle-leak.s: wstart = 0x401000 (the page after the text at 0x400000) holds sc and
  // `secret`; three requests run in one recycled sthread (id 1 = PCID 1), each writing secret.
  const real = record('samples/wedge/recycle-leak.s', '', { 'wedge.inc': wedgeInc });

  it('shows the parent (PCID 0) and the sthread (PCID 1) side by side, U cleared on the runtime, the writable page remapped', () => {
    const v = at(real.p, real.total - 1);
    expect(v.spaces.map((s) => [s.id, s.pcid, s.state, s.live])).toEqual([[0, 0, 'parent', true], [1, 1, 'recycled', false]]);
    expect(v.spaces[1].cr3.endsWith('001')).toBe(true); // the root | PCID 1 (bit 63, no flush, is not kept)
    // text (1 page), the writable region (1 page), the sthread's 40 KiB stack (10 pages), the runtime's data page
    expect(v.rows.map((r) => r.region)).toEqual(['text', 'writable', ...Array(10).fill('stack'), 'runtime']);
    const text = row(v, '0x400000'), w = row(v, '0x401000'), rt = v.rows.at(-1)!;
    expect(text.cells.map((c) => [c.u, c.w, c.remapped])).toEqual([[true, false, false], [true, false, false]]);
    expect(w.cells[0].frame).toBe('0x401000'); // the low window: GPA = VA
    expect(w.cells[1].frame).not.toBe('0x401000');
    expect(w.cells[1].remapped).toBe(true);
    expect(w.cells[1].u && w.cells[1].w).toBe(true);
    expect(rt.cells[0].u).toBe(true);
    expect(rt.cells[1].u).toBe(false); // walk_protect: supervisor-only in the sthread
  });

  it('the recycle pass: one page visited per writable and stack page, per request; only the first write is copied back', () => {
    // 3 passes x (1 writable + 10 stack pages)
    expect(stops(real.p, 'visit')).toHaveLength(33);
    // Request 1 sets D on the secret page; requests 2 and 3 write through the TLB entry that still
    // says dirty (no INVLPG, same PCID): no D, no copy back.
    const cleared = stops(real.p, 'cleared'), copied = stops(real.p, 'copied');
    expect(cleared).toHaveLength(1);
    expect(copied).toHaveLength(1);
    // D just cleared, the page still holds request 1's write: being copied back
    const c = at(real.p, cleared[0]);
    expect(c.visiting).toBe('0x401000');
    expect(page(c, '0x401000')).toMatchObject({ d: false, differs: true, status: 'pending' });
    const v = at(real.p, copied[0]);
    expect(v.inRecycle).toBe(true);
    expect(v.recycledPages).toBe(1);
    expect(v.invlpg).toBe(false);
    expect(page(v, '0x401000')).toMatchObject({ d: false, differs: false, tlbDirty: true, status: 'clean' });
    expect(row(v, '0x401000').cells[1]).toMatchObject({ d: false, tlb: { dirty: true, writable: true } });
  });

  it('after request 3 the secret page differs from the checkpoint with D clear: the unrecorded write', () => {
    const v = at(real.p, real.total - 1);
    expect(v.inRecycle).toBe(false);
    expect(page(v, '0x401000')).toMatchObject({ d: false, differs: true, tlbDirty: true, status: 'unrecorded' });
    expect(v.recycle[0].pages.filter((x) => x.region === 'stack').every((x) => x.status === 'clean')).toBe(true);
  });

  it('with INVLPG on clear (the fix) every request is copied back and the TLB holds nothing for the page', () => {
    const fixed = record('samples/wedge/recycle-leak.s', 'fixed', { 'wedge.inc': wedgeInc });
    expect(stops(fixed.p, 'copied')).toHaveLength(3);
    const v = at(fixed.p, fixed.total - 1);
    expect(v.invlpg).toBe(true);
    expect(v.recycledPages).toBe(3);
    expect(page(v, '0x401000')).toMatchObject({ d: false, differs: false, tlbDirty: false, status: 'clean' });
    expect(row(v, '0x401000').cells[1].tlb).toBe(null);
  });

  it('is null for a program without sthreads', () => {
    const { p, total } = record('samples/hello-dune.s', '');
    p.seek(total - 1);
    expect(p.inspect(wedgeView)).toBe(null);
  });
});

describe('the sandbox view', () => {
  it('box.s under the strict policy: each call, its verdict and whether it left the guest', () => {
    const { p } = record('samples/sandbox/box.s', '');
    const calls = sandboxCalls(p);
    // box.s: write hello, getpid, write, open (denied), write, write from the monitor's memory
    // (-EFAULT), write, write, then a load of the monitor's memory (#PF in ring 3).
    expect(calls.map((c) => [c.name, c.verdict, c.ret])).toEqual([
      ['write', 'forwarded', '0x17'], ['getpid', 'forwarded', '0x1'], ['write', 'forwarded', '0x1a'],
      ['open', 'denied', '-1'], ['write', 'forwarded', '0x1e'], ['write', 'efault', '-14'],
      ['write', 'forwarded', '0x2e'], ['write', 'forwarded', '0x29'], ['#PF', 'fault', null],
    ]);
    // A forwarded call: trap, its VMCALL, the host's system call, the return; a refused one makes
    // no exit of its own (the monitor's log line does, through dune_printf).
    expect(calls[1].path.map((s) => s.at)).toEqual(['trap', 'vmcall', 'kernel', 'return']);
    expect(calls[1].exits).toEqual({ forward: 1, log: 0 });
    expect(calls[3].exits).toEqual({ forward: 0, log: 1 });
    expect(calls[3].path.map((s) => (s.at === 'vmcall' ? `vmcall-${s.why}` : s.at))).toEqual(['trap', 'vmcall-log', 'return']);
    expect(calls[5].args[1]).toBe('0x380000');
    expect(calls[8].path).toEqual([{ at: 'fault', seq: calls[8].seq, cr2: '0x380000' }]);
    expect(sandboxCalls(p)).toBe(calls); // once per recording
  });
  it('under the deny policy every call but exit is refused without a VM exit of its own', () => {
    const { p } = record('samples/sandbox/box.s', 'deny');
    const calls = sandboxCalls(p).filter((c) => c.verdict !== 'fault');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.verdict === 'denied' || c.verdict === 'efault')).toBe(true);
    expect(calls.every((c) => c.exits.forward === 0)).toBe(true);
  });
});

describe('the sandbox view of runs without a box', () => {
  it('a Linux run has no ring-3 calls into a VM; a Dune run that stays in ring 0 neither', () => {
    for (const f of ['samples/hello-linux.s', 'samples/hello-dune.s']) {
      const { p } = record(f, '');
      expect(sandboxCalls(p), f).toEqual([]);
    }
  });
});

describe('the sandbox view of sthreads (samples/wedge/policy.s)', () => {
  it('the sthread policy\'s verdicts: a write forwarded, getpid blocked (-EINVAL) then forwarded once allowed, exits that never return, the fault', () => {
    const { p } = record('samples/wedge/policy.s', '', { 'wedge.inc': wedgeInc });
    const calls = sandboxCalls(p);
    expect(calls.map((c) => [c.name, c.verdict, c.ret])).toEqual([
      ['write', 'forwarded', '0x1d'], ['sthread_exit', 'handled', null],
      ['getpid', 'blocked', '-22'], ['sthread_exit', 'handled', null],
      ['getpid', 'forwarded', '0x1'], ['sthread_exit', 'handled', null],
      ['#PF', 'fault', null],
    ]);
    expect(calls[1].path.map((s) => s.at)).toEqual(['trap', 'end']);
    expect(calls[2].exits).toEqual({ forward: 0, log: 0 });
  });
});
