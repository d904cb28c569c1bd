// Mutation testing of the engine (docs/testing.md). Run it through `npm run mutate [-- FOLDER...]`
// (scripts/mutate.mjs), which picks each folder's tests and incremental file; this file holds what
// is common. Incremental: mutants whose code and covering tests did not change keep their result.
const name = process.env.MUTATE_NAME ?? 'engine';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  mutate: ['src/engine/**/*.ts', '!src/engine/**/index.ts'],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: `reports/stryker/${name}.json`,
  // The machine is shared (2 cores): never more than two test runners.
  concurrency: 2,
  timeoutMS: 20_000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: '.stryker-tmp',
  // TypeScript 7 has no JavaScript API for Stryker's tsconfig rewriting, and this tsconfig needs
  // none (no `extends` or `references`): name a file that does not exist so the step is skipped.
  tsconfigFile: 'tsconfig.stryker-none.json',
  cleanTempDir: 'always',
};
