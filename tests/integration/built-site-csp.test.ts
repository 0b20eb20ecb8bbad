/**
 * The Content-Security-Policy of every built page, read from dist/: the policy the page's <meta>
 * carries and the header the server sends for it. Every inline script and style of the page must
 * be allowed by its hash (or the browser blocks it), and script-src must allow nothing inline
 * and no eval. The browser tests check the same in Chromium (tests/e2e/every-page.spec.ts for each
 * page, security-headers.spec.ts for search and framing).
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pagePolicyHeader } from '../../src/server/site-security-headers.ts';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'pagefind' || name === '_astro' ? [] : htmlFiles(path);
    return name.endsWith('.html') ? [path] : [];
  });
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((part) => part.trim())
    .find((part) => part === name || part.startsWith(`${name} `));

const pages = htmlFiles(dist);

describe('the built pages and their Content-Security-Policy', () => {
  it('finds the pages', () => {
    expect(pages.length).toBeGreaterThan(5);
  });

  it.each(pages.map((file) => [file.slice(dist.length - 1)]))('%s', (page) => {
    const html = readFileSync(join(dist, page), 'utf8');
    expect(html).toMatch(/<meta\s+http-equiv="content-security-policy"/i);
    const header = pagePolicyHeader(html);
    const scriptSrc = directive(header, 'script-src');
    expect(scriptSrc).toBeDefined();
    expect(scriptSrc).toContain("'self'");
    expect(scriptSrc).not.toMatch(/'unsafe-inline'|'unsafe-eval'|'strict-dynamic'|\*/);
    expect(directive(header, 'script-src-elem')).toBeUndefined();
    expect(directive(header, 'script-src-attr')).toBeUndefined();
    for (const required of [
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ])
      expect(directive(header, required.split(' ')[0]!)).toBe(required);

    // Every inline script and <style> element is allowed by its hash.
    const styleElem = directive(header, 'style-src-elem') ?? directive(header, 'style-src') ?? '';
    for (const [, attributes = '', body = ''] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      if (/\bsrc=/.test(attributes) || /type="application\/(ld\+)?json"/.test(attributes)) continue;
      expect(scriptSrc, `inline script ${body.slice(0, 60)}`).toContain(sha256(body));
    }
    for (const [, body = ''] of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g))
      expect(styleElem).toContain(sha256(body));
    // No inline event handler: script-src-attr falls back to script-src, which allows none.
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
  });
});
