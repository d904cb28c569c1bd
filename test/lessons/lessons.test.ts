import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { LESSONS, PANEL_IDS } from '../../src/lessons/index.ts';
import { LOCALES } from '../../src/engine/course/lesson.ts';

// `npm run -s sim -- lesson --check --json` is the lessons' test: it plays every step of every
// lesson against the real engine and checks every expectation, in every locale.
describe('sim lesson --check', () => {
  it('passes for every lesson in every locale, and says so in the documented JSON', { timeout: 180_000 }, () => {
    const r = spawnSync('npx', ['tsx', 'src/cli/sim.ts', 'lesson', '--check', '--json'], { encoding: 'utf8' });
    const report = JSON.parse(r.stdout) as { lessons: { id: string; steps: number; locales: string[]; failed: { step: string; locale: string; why: string }[] }[] };
    expect(report.lessons.map((l) => l.id)).toEqual(LESSONS.map((l) => l.id));
    for (const l of report.lessons) {
      expect(Object.keys(l).sort()).toEqual(['failed', 'id', 'locales', 'steps']);
      expect(l.failed, l.id).toEqual([]);
      expect(l.locales).toEqual([...LOCALES]);
      expect(l.steps).toBeGreaterThanOrEqual(5);
    }
    expect(r.status).toBe(0);
  });
});

describe('lesson data', () => {
  it('names only known panels, and every step has a cursor', () => {
    for (const l of LESSONS) for (const s of l.steps) {
      expect(s.at.length, `${l.id}/${s.id}`).toBeGreaterThan(0);
      for (const p of s.show) expect(PANEL_IDS, `${l.id}/${s.id}`).toContain(p);
    }
  });
});
