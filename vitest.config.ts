import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // the JSON report lets .ci/run print how many tests ran
    reporters: ['default', 'json'],
    outputFile: { json: 'test-output/vitest.json' },
  },
});
