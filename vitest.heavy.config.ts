import { defineConfig } from 'vitest/config';

/** `npm run test:heavy`: the tests that generate GB-sized inputs, kept out of the default suite. */
export default defineConfig({
  test: {
    include: ['test/heavy/**/*.heavy.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
  },
});
