import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { apiProfile } from '../../../src/lib/api-profile.ts';
import { environmentVariables } from '../../../src/lib/environment-variables.ts';

describe('environmentVariables', () => {
  it.each([
    ['sandbox', 'http://localhost:4321/oauth/token', 'http://localhost:4321/api/v1'],
    ['production', apiProfile.productionTokenUrl, apiProfile.apiBaseUrl],
  ] as const)('%s: bash sets every variable the samples read', (environment, tokenUrl, apiBaseUrl) => {
    const block = environmentVariables(apiProfile, environment);
    // Run the block as a reader pastes it, with the ID and the secret typed on stdin.
    const result = spawnSync(
      'bash',
      ['-c', `${block}\nprintf '%s|%s|%s|%s' "$TOKEN_URL" "$API_BASE_URL" "$CLIENT_ID" "$CLIENT_SECRET"`],
      {
        input: 'the-id\nthe-secret\n',
        encoding: 'utf8',
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.split('\n').at(-1)).toBe(`${tokenUrl}|${apiBaseUrl}|the-id|the-secret`);
    // The secret is never written into the block itself, so never into shell history.
    expect(block).not.toMatch(/CLIENT_SECRET=/);
  });
});
