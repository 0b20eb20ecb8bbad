import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/fuzz/**/*.test.ts'],
    environment: 'node',
    // The JSON report lets .ci/run count every test of the run.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/unit-results.json' },
    // Sandbox tests sign real keys; the default 5 s leaves no margin on a busy 2-core machine.
    testTimeout: 20_000,
  },
});
