import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isSandboxPath } from '../../src/sandbox/sandbox.ts';

// Checks every internal link of the built site, #anchors included: the equivalent of
// starlight-links-validator, which cannot read content outside src/content/docs.
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'pagefind' || name === '_astro' ? [] : htmlFiles(path);
    return name.endsWith('.html') ? [path] : [];
  });
}

function pageUrl(file: string): string {
  const path = relative(dist, file).split(sep).join('/');
  return '/' + path.replace(/(^|\/)index\.html$/, '$1');
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/g, '&')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"');
}

/** The file a site path is served from, as the server maps it. */
function fileFor(pathname: string): string | undefined {
  const path = join(dist, decodeURIComponent(pathname));
  if (pathname.endsWith('/'))
    return existsSync(join(path, 'index.html')) ? join(path, 'index.html') : undefined;
  return existsSync(path) && statSync(path).isFile() ? path : undefined;
}

const idCache = new Map<string, Set<string>>();
function idsIn(file: string): Set<string> {
  let ids = idCache.get(file);
  if (!ids) {
    const html = readFileSync(file, 'utf8');
    ids = new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((match) => decodeEntities(match[1]!)));
    idCache.set(file, ids);
  }
  return ids;
}

describe('the built site', () => {
  it('exists (run `npm run build` first)', () => {
    expect(existsSync(join(dist, 'index.html'))).toBe(true);
  });

  const pages = existsSync(dist) ? htmlFiles(dist) : [];
  it.each(pages.map((file) => [pageUrl(file), file]))(
    '%s has no dead internal link or #anchor',
    (url, file) => {
      const html = readFileSync(file, 'utf8');
      const dead: string[] = [];
      for (const match of html.matchAll(/<a\s[^>]*?href="([^"]*)"/g)) {
        const href = decodeEntities(match[1]!);
        const target = new URL(href, `http://site.invalid${url}`);
        if (target.origin !== 'http://site.invalid' || isSandboxPath(target.pathname)) continue;
        const targetFile = fileFor(target.pathname);
        if (!targetFile) {
          dead.push(`${href} (no page)`);
          continue;
        }
        const anchor = decodeURIComponent(target.hash.slice(1));
        if (anchor && anchor !== '_top' && !idsIn(targetFile).has(anchor))
          dead.push(`${href} (no #${anchor})`);
      }
      expect(dead).toEqual([]);
    },
  );
});
