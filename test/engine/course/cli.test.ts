import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sim = (...args: string[]) => spawnSync('npx', ['tsx', 'src/cli/sim.ts', ...args], { encoding: 'utf8' });

describe('sim exercise', { timeout: 120_000 }, () => {
  it('--list --json names the kinds', () => {
    const r = sim('exercise', '--list', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).kinds.map((k: { id: string }) => k.id)).toEqual(['walk-refs', 'which-exit', 'pf-error-code', 'cr3-flush', 'hypercall-cost', 'translate', 'exit-set', 'which-world']);
  });
  it('KIND --seed S prints the same key byte for byte, with the answer the engine decided', () => {
    const a = sim('exercise', 'pf-error-code', '--seed', 's4', '--json'), b = sim('exercise', 'pf-error-code', '--seed', 's4', '--json');
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout).solution.answer).toBe('4');
  });
  it('grade FILE fails a file whose claimed score the seeds do not support, and says what is wrong with a bad file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grade-'));
    const f = join(dir, 'answers.json');
    writeFileSync(f, JSON.stringify({ student: 'ada', score: 1, answers: [{ kind: 'cr3-flush', seed: 'alice', answer: 'flush' }] }));
    const r = sim('exercise', 'grade', f, '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ score: 0, total: 1, claimedScore: 1, tampered: true });
    writeFileSync(f, '{"answers": 3}');
    const bad = sim('exercise', 'grade', f);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('must be {"answers": [{"kind", "seed", "answer"}, ...]}');
  });
});
