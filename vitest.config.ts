import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The export condition under which every workspace package resolves to its TypeScript sources
 * (`src/*.ts`) instead of its build (`dist/*.js`): tests, `tsc --noEmit` (`customConditions`) and the
 * study's worker threads in development use it, so no build is needed before `npm test`.
 */
const SOURCE = '@growset/source';

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultServerConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions], externalConditions: [SOURCE] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'fixtures/test/**/*.test.ts', 'pipelines/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
    // Worker threads the tests start inherit the condition; child processes (the `growset` bin,
    // scripts run with tsx) get it from NODE_OPTIONS.
    execArgv: [`--conditions=${SOURCE}`],
    env: {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --conditions=${SOURCE}`.trim(),
      GROWSET_SOURCE: '1',
    },
  },
});
