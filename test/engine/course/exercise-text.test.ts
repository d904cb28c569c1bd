// The exercises' words are keys with parameters (text.ts) so the page can say them in its
// language; the CLI's output is a product contract and must not change: `sim exercise` prints
// byte for byte what it printed before the words became keys (the golden file was captured from
// the CLI before that change, for every kind at two seeds, text and --json, and --list).

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { exerciseCommand } from '../../../src/cli/exercise.ts';
import { EXERCISE_TEXT, english } from '../../../src/engine/course/exercises/text.ts';
import { problem, solve, EXERCISE_KINDS } from '../../../src/engine/course/exercises/index.ts';

const golden = JSON.parse(readFileSync(new URL('./exercise-cli.golden.json', import.meta.url), 'utf8')) as Record<string, string>;

function cli(args: string[]): string {
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  try { exerciseCommand(args, (m) => { throw new Error(m); }); } finally { process.stdout.write = write; }
  return out;
}

describe('sim exercise output is unchanged', () => {
  it.each(Object.keys(golden))('sim exercise %s', (args) => {
    expect(cli(args.split(' '))).toBe(golden[args]);
  });
});

describe('the words as keys', () => {
  it.each(EXERCISE_KINDS)('%s: prompt, format, explanation and hint are the English of their keys', (kind) => {
    const p = problem(kind, 'key-test');
    const s = solve(p);
    expect(english(p.text.prompt)).toBe(p.prompt);
    expect(english(p.text.format)).toBe(p.format);
    expect(english(s.text.explanation)).toBe(s.explanation);
    expect(english(s.text.hint)).toBe(s.hint.text);
    expect(EXERCISE_TEXT[`${kind}.title`]()).toBeTruthy();
  });
});
