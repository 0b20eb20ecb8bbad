import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../../dist/', import.meta.url));

/**
 * Every page of the built site, read from the sitemap in dist/ (paths, e.g. "/flow/"). Read at
 * test-declaration time, so each page gets a test of its own.
 */
export function builtSitePages(): string[] {
  const index = `${dist}sitemap-index.xml`;
  if (!existsSync(index)) throw new Error('No build in dist/: run `npm run build` before the browser tests.');
  const locs = (xml: string) =>
    [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);
  return locs(readFileSync(index, 'utf8')).flatMap((sitemap) =>
    locs(readFileSync(`${dist}${sitemap.replace(/^\//, '')}`, 'utf8')),
  );
}
