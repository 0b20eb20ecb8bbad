/**
 * `npm run lighthouse`: Lighthouse (mobile, its default) on every page of the built site, served
 * by the production server. Budgets: performance ≥ 98; accessibility, best practices, SEO 100.
 *
 * Scores depend on the machine's load (Lighthouse simulates a slow phone, but the page still runs
 * on this CPU), so each page is measured several times and judged by its median run, and the load
 * average is printed with the results. This is a budget script, not part of `npm test`.
 *
 *   npm run lighthouse                          every page of the sitemap, 3 runs each
 *   npm run lighthouse -- --runs 5 /errors/     chosen pages, 5 runs each
 *   npm run lighthouse -- --save .cache/lh /errors/   also keep each run's report (JSON), to read
 *                                               its diagnostics (main-thread work, long tasks, DOM)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { findChromium } from '../e2e/support/find-browser.ts';
import { startProductionServer } from '../support/production-server.ts';

const budgets: Record<string, number> = {
  performance: 98,
  accessibility: 100,
  'best-practices': 100,
  seo: 100,
};

/** The metrics that make up the performance score, as Lighthouse names their audits. */
const metrics: Record<string, string> = {
  FCP: 'first-contentful-paint',
  LCP: 'largest-contentful-paint',
  TBT: 'total-blocking-time',
  CLS: 'cumulative-layout-shift',
  SI: 'speed-index',
};

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, save: { type: 'string' } },
  allowPositionals: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a whole number ≥ 1, not ${values.runs}`);

/** One Lighthouse report (the result's `lhr`). */
type Report = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

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
  const pages =
    positionals.length > 0
      ? positionals
      : [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);
  console.log(
    `Lighthouse (mobile) on ${pages.length} pages of ${server.origin}, ${runs} run(s) each, median shown; load average ${load()}`,
  );
  for (const path of pages) {
    // The server compresses a page on its first request and keeps the result: measure the page
    // as every later reader gets it, not the one-off compression.
    await fetch(`${server.origin}${path}`, { headers: { 'accept-encoding': 'br, gzip' } });
    const results: Report[] = [];
    for (let run = 0; run < runs; run += 1) {
      const result = await lighthouse(`${server.origin}${path}`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: Object.keys(budgets),
      });
      if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
      results.push(result.lhr);
      if (values.save) {
        mkdirSync(values.save, { recursive: true });
        const name = `${path.replaceAll('/', '_').replace(/^_|_$/g, '') || 'index'}-${run + 1}.json`;
        writeFileSync(join(values.save, name), JSON.stringify(result.lhr));
      }
    }
    const scoreOf = (lhr: Report, id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
    const scores = Object.entries(budgets).map(([id, budget]) => {
      const score = median(results.map((lhr) => scoreOf(lhr, id)));
      if (score < budget) failures += 1;
      return `${id} ${score}${score < budget ? ` (budget ${budget})` : ''}`;
    });
    // The metrics of the run whose performance score is the median.
    const byPerformance = [...results].sort((a, b) => scoreOf(a, 'performance') - scoreOf(b, 'performance'));
    const middle = byPerformance[Math.floor(byPerformance.length / 2)]!;
    const detail = Object.entries(metrics)
      .map(([name, id]) => `${name} ${middle.audits[id]?.displayValue ?? '?'}`)
      .join(', ');
    const all = results.map((lhr) => scoreOf(lhr, 'performance')).join('/');
    console.log(
      `${path.padEnd(28)} ${scores.join(', ')}  [performance runs ${all}; ${detail}; load ${load()}]`,
    );
  }
} finally {
  chrome.kill();
  await server.stop();
}
console.log(failures === 0 ? 'All pages within budget.' : `${failures} scores below budget.`);
process.exit(failures === 0 ? 0 : 1);
