// Vitest configuration for mutation testing (scripts/mutate.mjs, stryker.config.mjs): the node
// project's engine tests only, narrowed to the files that exercise the folder being mutated
// (MUTATE_TESTS, a comma-separated list of globs), so each mutant runs in seconds.
import { defineConfig } from 'vitest/config';

const only = process.env.MUTATE_TESTS?.split(',').filter(Boolean);

export default defineConfig({
  test: {
    name: 'node',
    environment: 'node',
    include: only?.length ? only : ['test/engine/**/*.test.ts'],
    // A mutant can make a guest program loop until its budget: Stryker times it out instead.
    testTimeout: 60_000,
  },
});
