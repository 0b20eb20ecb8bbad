import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { loadApiProfile } from '../src/server/api-profile-source.ts';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  // The profile the site is built with (API_OPENAPI when set), as the build defines it.
  define: { __API_PROFILE__: JSON.stringify(loadApiProfile(process.env)) },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/fuzz/**/*.test.ts'],
    environment: 'node',
    // The JSON report lets .ci/run count every test of the run.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/unit-results.json' },
    // Sandbox tests sign real keys and integration tests start Node programs (newman, the samples);
    // with three files at a time on a 2-core machine shared with others (load averages of 20 and
    // more), 20 s was not always enough for the work. Time for work, not a race.
    testTimeout: 60_000,
    // Most integration files wait, not compute: on child processes (the samples in six languages,
    // a 10 s hang each), servers and Redis. Vitest's default on a 2-core machine is one file at a
    // time (cores - 1), which left both cores idle through those waits: three files at once.
    maxWorkers: 3,
  },
});
