/**
 * `npm run lighthouse`: Lighthouse (mobile, its default) on every page of the built site, served
 * by the production server. Budgets: performance ≥ 95; accessibility, best practices, SEO 100.
 * Scores depend on the machine's load, so this is a budget script, not part of `npm test`.
 */
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { findChromium } from '../e2e/support/find-browser.ts';
import { startProductionServer } from '../support/production-server.ts';

const budgets: Record<string, number> = {
  performance: 95,
  accessibility: 100,
  'best-practices': 100,
  seo: 100,
};

const server = await startProductionServer();
const chromePath = findChromium().executablePath;
const chrome = await chromeLauncher.launch({
  ...(chromePath ? { chromePath } : {}),
  chromeFlags: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});

let failures = 0;
try {
  const sitemap = await (await fetch(`${server.origin}/sitemap-0.xml`)).text();
  const pages = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);
  console.log(`Lighthouse (mobile) on ${pages.length} pages of ${server.origin}`);
  for (const path of pages) {
    const result = await lighthouse(`${server.origin}${path}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: Object.keys(budgets),
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
    const scores = Object.entries(budgets).map(([id, budget]) => {
      const score = Math.round((result.lhr.categories[id]?.score ?? 0) * 100);
      if (score < budget) failures += 1;
      return `${id} ${score}${score < budget ? ` (budget ${budget})` : ''}`;
    });
    console.log(`${path.padEnd(32)} ${scores.join(', ')}`);
  }
} finally {
  chrome.kill();
  await server.stop();
}
console.log(failures === 0 ? 'All pages within budget.' : `${failures} scores below budget.`);
process.exit(failures === 0 ? 0 : 1);
