import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Where the e2e tests' Chromium comes from, and why that one. */
export interface FoundBrowser {
  executablePath: string | undefined;
  source: string;
}

/** Debian's Chromium, installed by `apt-get install chromium`. */
export const systemChromium = '/usr/bin/chromium';

/**
 * Finds a Chromium: PLAYWRIGHT_CHROMIUM_EXECUTABLE if set, else Playwright's own browser if it
 * was installed (`npx playwright install chromium`), else Debian's. Throws with what to install.
 */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): FoundBrowser {
  const fromEnv = env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  if (fromEnv) {
    if (!exists(fromEnv))
      throw new Error(`PLAYWRIGHT_CHROMIUM_EXECUTABLE is set to ${fromEnv}, but there is no file there.`);
    return { executablePath: fromEnv, source: 'PLAYWRIGHT_CHROMIUM_EXECUTABLE' };
  }
  let ownBrowser: string | undefined;
  try {
    ownBrowser = chromium.executablePath();
  } catch {
    ownBrowser = undefined;
  }
  // undefined executablePath lets Playwright launch its own browser.
  if (ownBrowser && exists(ownBrowser))
    return { executablePath: undefined, source: `Playwright's own Chromium (${ownBrowser})` };
  if (exists(systemChromium))
    return { executablePath: systemChromium, source: `Debian's Chromium (${systemChromium})` };
  throw new Error(
    [
      'No Chromium found for the browser tests. Install one of:',
      '  - Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium',
      '  - any OS with internet access: npx playwright install chromium',
      'or point PLAYWRIGHT_CHROMIUM_EXECUTABLE at a Chromium or Chrome binary.',
    ].join('\n'),
  );
}
