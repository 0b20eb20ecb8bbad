import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * axe for a page of this site, in legacy mode: axe runs in the page (and reaches same-origin frames
 * by messages). The default mode runs it in each frame apart, then opens a blank page to merge the
 * frames' results, which took 2.5 to 4 times as long here (the errors page: 25 s against 6.6 s at a
 * load average of 12). What it adds is cross-origin iframes, and the site's policy (default-src
 * 'self') admits none; no page has an iframe at all.
 */
export const axe = (page: Page) => new AxeBuilder({ page }).setLegacyMode(true);
