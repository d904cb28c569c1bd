// The sample programs (samples/ and samples/bench/), bundled as text: the same files the CLI runs.

import { includeNames, resolvePath } from '../engine/asm/paths.ts';

const files = import.meta.glob(['../../samples/**/*.s', '../../samples/**/*.inc'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface Sample { name: string; source: string }
/** Every file under samples/, programs and the files they `.include` (*.inc): the /samples directory. */
export const SAMPLE_FILES: Sample[] = Object.entries(files)
  .map(([path, source]) => ({ name: path.replace('../../samples/', ''), source }))
  .sort((a, b) => (a.name.includes('/') === b.name.includes('/') ? a.name.localeCompare(b.name) : a.name.includes('/') ? 1 : -1));
/** The programs (not the *.inc files they include): the sample menu. */
export const SAMPLES: Sample[] = SAMPLE_FILES.filter((s) => s.name.endsWith('.s'));

/** The files the sample NAME `.include`s, recursively, keyed as the engine resolves them against
 *  the sample's own file name (its basename): what a load of the sample passes as `files`. */
export function sampleIncludes(name: string): Record<string, string> {
  const out: Record<string, string> = {};
  const dir = name.slice(0, name.lastIndexOf('/') + 1), base = name.slice(dir.length);
  const todo = [{ source: SAMPLE_FILES.find((s) => s.name === name)?.source ?? '', from: base }];
  for (let n = 0; todo.length && n < 256; n++) {
    const { source, from } = todo.pop()!;
    for (const inc of includeNames(source)) {
      const key = resolvePath(from, inc);
      const f = SAMPLE_FILES.find((s) => s.name === resolvePath(dir + from, inc));
      if (f && !Object.hasOwn(out, key)) { out[key] = f.source; todo.push({ source: f.source, from: key }); }
    }
  }
  return out;
}
