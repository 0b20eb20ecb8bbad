import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';
import { findChromium } from './e2e/support/find-browser.ts';
import { freePort } from './support/free-port.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

// E2E_RESULTS: npm run test:team-profile keeps its report, and its artifacts, beside the main run's
// (the two runs may go on at the same time: `npm test` runs them side by side).
const results = process.env.E2E_RESULTS ?? 'e2e-results.json';

// The config is evaluated again in each worker: the first evaluation picks the port and the
// workers inherit it through the environment.
process.env.E2E_PORT ??= String(await freePort());
const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;
const browser = findChromium();

export default defineConfig({
  testDir: './e2e',
  outputDir: `../test-results/${results.replace(/-results\.json$/, '')}`,
  fullyParallel: true,
  forbidOnly: true,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: `../test-results/${results}` }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      // undefined: Playwright's own browser.
      ...(browser.executablePath === undefined ? {} : { executablePath: browser.executablePath }),
      // Flags for a headless Chromium in a closed network, run as root (see DEVELOPERS.md).
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    // The real production entry against the build that `npm test` made just before.
    command: 'node src/server/start.ts',
    cwd: projectRoot,
    url: `${baseURL}/.well-known/oauth-authorization-server`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      SITE_URL: baseURL,
      SANDBOX_DATA: ':memory:',
      ASTRO_TELEMETRY_DISABLED: '1',
    },
  },
});
