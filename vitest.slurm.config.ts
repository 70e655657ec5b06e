import { defineConfig } from 'vitest/config';

/** `npm run test:slurm`: the job-array recipe under a real one-node SLURM (root; installs slurm-wlm and munge when absent). */
export default defineConfig({
  test: {
    include: ['test/slurm/**/*.slurm.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'test-output/vitest-slurm.json' },
  },
});
