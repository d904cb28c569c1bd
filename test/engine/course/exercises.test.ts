import { describe, it, expect } from 'vitest';
import { KINDS, grade, problem, solve } from '../../../src/engine/course/exercises/index.ts';
import { hashSeed, rngFrom } from '../../../src/engine/course/exercises/seed.ts';

// Answers come from running the engine; the expected values here are written out by hand from
// the SDM and the model's documented costs (cost.ts: vmexit 320, vmentry 310).
describe('exercise seeds', () => {
  it('hash a name the same way every time (FNV-1a), and drive a reproducible generator', () => {
    expect(hashSeed('')).toBe(0x811c9dc5);
    expect(hashSeed('a')).toBe(0xe40c292c);
    const a = rngFrom('Li Wei'), b = rngFrom('Li Wei'), c = rngFrom('Li Wei ');
    const xs = [a.int(1000), a.int(1000), a.int(1000)];
    expect([b.int(1000), b.int(1000), b.int(1000)]).toEqual(xs);
    expect([c.int(1000), c.int(1000), c.int(1000)]).not.toEqual(xs);
  });
  it('give the same problem for the same seed, byte for byte, and different ones across a class', () => {
    for (const k of KINDS) expect(JSON.stringify(problem(k.id, 'class-1/ada'))).toBe(JSON.stringify(problem(k.id, 'class-1/ada')));
    const prompts = new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((s) => problem('walk-refs', s).prompt));
    expect(prompts.size).toBeGreaterThan(1);
  });
  it('refuse an unknown kind by name', () => {
    expect(() => problem('nope', 'x')).toThrow("no exercise kind 'nope' (kinds: walk-refs, which-exit, pf-error-code, cr3-flush, hypercall-cost, translate, exit-set, which-world)");
  });
});

describe('exercise answers, decided by the engine', { timeout: 120_000 }, () => {
  it('#PF error codes: not present read from ring 3 is 4, write 6; ring 0 read 0; write to read-only in ring 0 is 3', () => {
    const cases = { s4: ['linux', 'read', 'not present', '4'], s2: ['linux', 'write', 'not present', '6'], s1: ['dune', 'read', 'not present', '0'], s3: ['dune', 'write', 'read-only', '3'] };
    for (const [seed, [world, access, page, code]] of Object.entries(cases)) {
      const p = problem('pf-error-code', seed);
      expect(p.params).toEqual({ world, access, page });
      const s = solve(p);
      expect(s.answer, seed).toBe(code);
      expect(s.event).not.toBeNull();
    }
  });
  it('which exit: CPUID exits, RDTSC and a CR3 reload do not, a new page is an EPT violation', () => {
    const want: Record<string, [string, string]> = { s2: ['cpuid', 'CPUID'], s8: ['rdtsc', 'none'], s3: ['mov cr3, rax (the same root)', 'none'], s1: ['a first read of a page the EPT has not seen', 'EPT_VIOLATION'], s5: ['vmcall (rax = SYS_getpid)', 'VMCALL'] };
    for (const [seed, [instr, exit]] of Object.entries(want)) {
      const p = problem('which-exit', seed);
      expect(p.params.instruction).toBe(instr);
      expect(solve(p).answer, instr).toBe(exit);
    }
  });
  it('walk references: 24 with the caches off, 12 with them on', () => {
    const off = problem('walk-refs', 'alice'), on = problem('walk-refs', 'carol');
    expect([off.knobs, on.knobs]).toEqual([{ psc: 'off', hugepages: 'off' }, { psc: 'on', hugepages: 'off' }]);
    expect(solve(off).answer).toBe('24');
    expect(solve(on).answer).toBe('12');
  });
  it('MOV CR3: a flush without bit 63, none with it', () => {
    expect(problem('cr3-flush', 'carol').params).toEqual({ pcid: 0, bit63: 0 });
    expect(solve(problem('cr3-flush', 'carol')).answer).toBe('flush');
    expect(problem('cr3-flush', 'alice').params).toEqual({ pcid: 0, bit63: 1 });
    expect(solve(problem('cr3-flush', 'alice')).answer).toBe('noflush');
  });
  it('a warm hypercall: exit 320 + entry 310 + the handler', () => {
    const s = solve(problem('hypercall-cost', 'bob'));
    expect(s.explanation).toMatch(/^The exit costs 320 cycles, the entry 310, and the module's handler in VMX root \d+ /);
    const handler = Number(/VMX root (\d+)/.exec(s.explanation)![1]);
    expect(Number(s.answer)).toBe(320 + 310 + handler);
  });
  it('translate: the mmap window moves the address into guest-physical 0x1fdffc000.. (not the identity)', () => {
    const p = problem('translate', 'alice');
    expect(p.params.offset).toBe(6016);
    const [gpa, hpa] = solve(p).answer.split(' ');
    expect(gpa).toBe('0x1fdffc780'); // the page at 0x7efffdffc000 of the 16 KiB mapping, offset 0x780
    expect(hpa.endsWith('780')).toBe(true);
  });
});

describe('exercise answers for sets and worlds', { timeout: 120_000 }, () => {
  it('which of three instructions exit: VMCALL always, a new page by EPT violation, CPUID, RDTSC and INVLPG not', () => {
    const a = problem('exit-set', 's1'), b = problem('exit-set', 's6');
    expect(a.params).toEqual({ i1: 'cpuid', i2: 'rdtsc', i3: 'vmcall (rax = SYS_getpid)' });
    expect(b.params).toEqual({ i1: 'invlpg [buf]', i2: 'a first read of a page the EPT has not seen', i3: 'a second read of the same page' });
    expect(solve(b).answer).toBe('2');
    const k = KINDS.find((x) => x.id === 'exit-set')!;
    expect(k.same('2', '2') && k.same(' (2) ', '2') && !k.same('none', '2') && k.same('None', 'none')).toBe(true);
  });
  it('which world: an EPT violation is the module\'s, a Linux #PF the kernel\'s, a Dune #PF with a handler the process\'s', () => {
    expect(solve(problem('which-world', 's1')).answer).toBe('module');
    expect(solve(problem('which-world', 's2')).answer).toBe('kernel');
    const seed = ['s7', 's8', 's9', 's10', 's11', 's12', 's13'].find((x) => problem('which-world', x).params.event === 'a #PF in a Dune process that registered a page-fault handler')!;
    expect(solve(problem('which-world', seed)).answer).toBe('process');
  });
});

describe('grading', { timeout: 120_000 }, () => {
  it('regrades from the seeds: a wrong answer is wrong whatever the file says', () => {
    const r = grade({ answers: [{ kind: 'cr3-flush', seed: 'carol', answer: 'Flush' }, { kind: 'walk-refs', seed: 'alice', answer: '12' }, { kind: 'hypercall-cost', seed: 'bob', answer: '850' }] });
    expect(r.items.map((i) => i.correct)).toEqual([true, false, true]);
    expect(r.score).toBe(2);
  });
});
