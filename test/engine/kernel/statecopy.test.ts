// The kernel's snapshot copy (kernel/statecopy.ts) gives what structuredClone gave for the
// kernel's own state: equal values, nothing shared with the live state, shared references kept
// shared, and a loud error for what structuredClone refuses.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { copyState } from '../../../src/engine/kernel/statecopy.ts';
import { Session, assembleSource } from '../../../src/engine/session.ts';
import { readSample } from '../../../src/cli/lesson.ts';
import type { KernelState } from '../../../src/engine/kernel/kernel.ts';

/** The kernel's state at each of a few points of a sample's run. */
function states(sample: string, every: number, n: number): KernelState[] {
  // Includes by their path under samples/ (the sample's path is under samples/ too).
  const a = assembleSource(readFileSync(`samples/${sample}`, 'utf8'), sample, (path) => readSample(path) ?? undefined);
  if (!a.ok) throw new Error(a.diagnostics);
  const s = new Session(a.program, { file: sample });
  const out: KernelState[] = [];
  for (let i = 0; i < n && s.machine.status === null; i++) { s.run(every); out.push(s.kernel.save() as KernelState); }
  return out;
}

describe('copyState', () => {
  // Dune (a process with a vcpu, VMCS ids, EPT roots), fork (two processes, copy-on-write frame
  // references, a zombie), ptrace (a tracer and a tracee stopped with a saved context).
  const cases: [string, number, (k: KernelState) => boolean][] = [
    ['hello-dune.s', 40, (k) => k.procs.some((p) => p.vcpu !== undefined)],
    ['wedge/ctx-fork.s', 2_000, (k) => k.procs.length > 1 && k.frameRefs.size > 0],
    ['bench/ptrace-linux.s', 500, (k) => k.procs.some((p) => p.trace !== null && p.ctx !== null)],
  ];
  for (const [sample, every, shows] of cases) {
    it(`equals structuredClone's copy of the kernel state through ${sample}`, () => {
      const seen = states(sample, every, 40);
      expect(seen.some(shows)).toBe(true);
      for (const k of seen) {
        const c = copyState(k);
        expect(c).toStrictEqual(structuredClone(k));
        expect(c.procs).not.toBe(k.procs);
        expect(c.procs[0]).not.toBe(k.procs[0]);
        expect(c.frameRefs).not.toBe(k.frameRefs);
      }
    });
  }

  it('shares nothing with the original: a change to the copy leaves it as it was', () => {
    const o = { a: [{ x: 1n }], m: new Map([[1, { y: [2] }]]), s: new Set([3]), t: new Uint8Array([4, 5]) };
    const c = copyState(o);
    c.a[0].x = 9n; c.m.get(1)!.y.push(7); c.s.add(8); c.t[0] = 6;
    expect(o).toStrictEqual({ a: [{ x: 1n }], m: new Map([[1, { y: [2] }]]), s: new Set([3]), t: new Uint8Array([4, 5]) });
  });

  it('keeps shared references shared and cycles whole, as structuredClone does', () => {
    const shared = { v: 1 };
    const o: Record<string, unknown> = { p: shared, q: [shared], r: new Map([['k', shared]]) };
    o.self = o;
    const c = copyState(o) as { p: object; q: object[]; r: Map<string, object>; self: unknown };
    expect(c.p).not.toBe(shared);
    expect(c.q[0]).toBe(c.p);
    expect(c.r.get('k')).toBe(c.p);
    expect(c.self).toBe(c);
  });

  it('copies as structuredClone does: holes, undefined properties, bigints, class instances as plain objects, dates as dates', () => {
    class Point { constructor(public x: number, public y?: number) {} }
    // eslint-disable-next-line no-sparse-arrays
    const o = { holes: [1, , 3], u: undefined, big: -(2n ** 70n), pt: new Point(1), nested: [[new Map([[{ k: 1 }, new Set(['a'])]])]], when: new Date(5), re: /a+/g };
    const c = copyState(o);
    expect(c).toStrictEqual(structuredClone(o));
    expect(1 in c.holes).toBe(false);
    expect(Object.getPrototypeOf(c.pt)).toBe(Object.prototype);
    expect(c.when).toBeInstanceOf(Date);
    expect(c.when).not.toBe(o.when);
  });

  it('refuses a function, as structuredClone does', () => {
    expect(() => structuredClone({ f: () => 1 })).toThrow();
    expect(() => copyState({ f: () => 1 })).toThrow(/function/);
  });
});
