import { defineConfig } from 'vitest/config';

// Tests run against sources: every workspace package's `exports` points at `src/index.ts`,
// so no build is needed before `npm test`.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'fixtures/test/**/*.test.ts', 'pipelines/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
