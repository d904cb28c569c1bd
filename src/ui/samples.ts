// The sample programs (samples/ and samples/bench/), bundled as text: the same files the CLI runs.

const files = import.meta.glob('../../samples/**/*.s', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface Sample { name: string; source: string }
export const SAMPLES: Sample[] = Object.entries(files)
  .map(([path, source]) => ({ name: path.replace('../../samples/', ''), source }))
  .sort((a, b) => (a.name.includes('/') === b.name.includes('/') ? a.name.localeCompare(b.name) : a.name.includes('/') ? 1 : -1));
