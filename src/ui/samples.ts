// The sample programs (samples/ and samples/bench/), bundled as text: the same files the CLI runs.

const files = import.meta.glob(['../../samples/**/*.s', '../../samples/**/*.inc'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface Sample { name: string; source: string }
/** Every file under samples/, programs and the files they `.include` (*.inc): the /samples directory. */
export const SAMPLE_FILES: Sample[] = Object.entries(files)
  .map(([path, source]) => ({ name: path.replace('../../samples/', ''), source }))
  .sort((a, b) => (a.name.includes('/') === b.name.includes('/') ? a.name.localeCompare(b.name) : a.name.includes('/') ? 1 : -1));
/** The programs (not the *.inc files they include): the sample menu. */
export const SAMPLES: Sample[] = SAMPLE_FILES.filter((s) => s.name.endsWith('.s'));
