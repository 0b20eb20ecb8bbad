import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { loadApiProfile } from '../src/server/api-profile-source.ts';

/**
 * `npm run test:team-profile`: the guide built from a second, team's profile
 * (tests/fixtures/team-api/openapi.yaml, read as API_OPENAPI is), its pages checked, and the
 * samples run against a sandbox that offers that team's scopes.
 */
export const teamOpenApi = 'tests/fixtures/team-api/openapi.yaml';
const env = { API_OPENAPI: teamOpenApi, SITE_DIST: process.env.SITE_DIST || '.cache/team-site' };

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  define: { __API_PROFILE__: JSON.stringify(loadApiProfile(env)) },
  test: {
    include: [
      'tests/team-profile/**/*.test.ts',
      'tests/integration/samples-*.test.ts',
      'tests/integration/printed-exchanges.test.ts',
    ],
    environment: 'node',
    env,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/team-profile-unit-results.json' },
    testTimeout: 60_000,
    // As in vitest.config.ts: the samples wait on child processes; three files at once.
    maxWorkers: 3,
  },
});
