import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings. Workspace packages resolve through the `source`
 * export condition, so tests run against src/ without a prior build.
 */
export const sharedConfig = defineConfig({
  resolve: { conditions: ['source', 'import', 'module', 'node', 'default'] },
  ssr: { resolve: { conditions: ['source', 'import', 'module', 'node', 'default'] } },
  test: {
    environment: 'node',
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    include: ['test/**/*.test.ts'],
    // The JSON report feeds scripts/test-summary.mjs, which prints one closing line for the whole repo.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
  },
});
