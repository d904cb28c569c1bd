// `sim lesson --check [--json]`: plays every lesson in every locale (engine/course/check.ts) and
// prints what failed; exit 0 iff every expectation holds and every locale has every step.
// `sim lesson --list [--json]`: the lessons, their steps and locales.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LESSONS } from '../lessons/index.ts';
import { checkLessons } from '../engine/course/check.ts';

const SAMPLES = join(dirname(fileURLToPath(import.meta.url)), '../../samples');

/** A program under samples/ by its path there, or null. */
export function readSample(path: string): string | null {
  try { return readFileSync(join(SAMPLES, path), 'utf8'); } catch { return null; }
}

export const LESSON_USAGE = '  sim lesson --check [--json]\n  sim lesson --list [--json]';

export function lessonCommand(args: string[], fail: (msg: string) => never): number {
  const json = args.includes('--json');
  const unknown = args.find((a) => !['--check', '--list', '--json'].includes(a));
  if (unknown) fail(`lesson: unknown argument '${unknown}'\n${LESSON_USAGE}`);
  if (args.includes('--list')) {
    const list = LESSONS.map((l) => ({ id: l.id, title: l.prose.en?.title ?? l.id, steps: l.steps.map((s) => s.id), locales: Object.keys(l.prose) }));
    process.stdout.write(json ? JSON.stringify({ lessons: list }) + '\n' : list.map((l) => `${l.id.padEnd(20)} ${String(l.steps.length).padStart(2)} steps  ${l.locales.join(', ')}  ${l.title}`).join('\n') + '\n');
    return 0;
  }
  if (!args.includes('--check')) fail(`lesson: say --check or --list\n${LESSON_USAGE}`);
  const report = checkLessons(LESSONS.map((l) => ({ spec: l, prose: l.prose })), readSample);
  const failures = report.lessons.reduce((n, l) => n + l.failed.length, 0);
  if (json) process.stdout.write(JSON.stringify(report) + '\n');
  else {
    for (const l of report.lessons) {
      process.stdout.write(`${l.failed.length ? 'FAIL' : 'ok  '} ${l.id}: ${l.steps} steps, ${l.locales.join(', ')}\n`);
      for (const f of l.failed) process.stdout.write(`     step ${f.step} [${f.locale}]: ${f.why}\n`);
    }
    process.stdout.write(`${report.lessons.length} lessons, ${report.lessons.reduce((n, l) => n + l.steps, 0)} steps, ${failures} failures\n`);
  }
  return failures === 0 ? 0 : 1;
}
