import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { inlineScriptHashes } from '../../../src/server/inline-script-hashes.ts';
import {
  assetContentSecurityPolicy,
  pagePolicyHeader,
  siteSecurityHeaders,
} from '../../../src/server/site-security-headers.ts';

const directives = (policy: string) => policy.split(';').map((directive) => directive.trim());
const scriptSrc = (policy: string) =>
  directives(policy).find((directive) => directive.startsWith('script-src ')) ?? '';

describe('pagePolicyHeader', () => {
  it("is the page's meta policy, entities decoded, plus frame-ancestors 'none'", () => {
    const html = `<html><head><meta http-equiv="content-security-policy" content="default-src &#39;self&#39;;connect-src &#39;self&#39;; script-src &#39;self&#39; &#39;sha256-abc=&#39;; style-src-attr &#39;unsafe-inline&#39;;"><script>x</script>`;
    expect(pagePolicyHeader(html)).toBe(
      "default-src 'self'; connect-src 'self'; script-src 'self' 'sha256-abc='; style-src-attr 'unsafe-inline'; frame-ancestors 'none'",
    );
  });

  it('falls back to the fixed directives, which cannot block what the page allows, when there is no meta policy', () => {
    expect(pagePolicyHeader('<html><head><title>x</title>')).toBe(
      "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });
});

describe('assetContentSecurityPolicy', () => {
  it('allows same-origin scripts only: no inline, no eval', () => {
    expect(scriptSrc(assetContentSecurityPolicy)).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(directives(assetContentSecurityPolicy)).toEqual(
      expect.arrayContaining([
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
      ]),
    );
  });
});

describe('siteSecurityHeaders', () => {
  it('adds HSTS for an https origin only', () => {
    expect(siteSecurityHeaders('http://localhost:4321')).toEqual({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    expect(siteSecurityHeaders('https://guide.example.com')).toMatchObject({
      'strict-transport-security': 'max-age=31536000',
      'x-content-type-options': 'nosniff',
    });
  });
});

describe('inlineScriptHashes', () => {
  const folder = mkdtempSync(join(tmpdir(), 'inline-scripts-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const hash = (text: string) => `sha256-${createHash('sha256').update(text).digest('base64')}`;

  it('hashes is:inline scripts byte for byte, and nothing Astro bundles or renders per page', () => {
    mkdirSync(join(folder, 'nested'));
    writeFileSync(
      join(folder, 'A.astro'),
      '---\n---\n<script is:inline>\n\twindow.a = 1;\n</script>\n<script>import "./bundled";</script>',
    );
    writeFileSync(
      join(folder, 'nested', 'B.astro'),
      '<script is:inline aria-hidden="true">b()</script><script is:inline define:vars={{ x }}>c(x)</script><script is:inline src="/x.js"></script>',
    );
    writeFileSync(join(folder, 'nested', 'C.txt'), '<script is:inline>ignored()</script>');
    expect(inlineScriptHashes([folder])).toEqual([hash('\n\twindow.a = 1;\n'), hash('b()')].sort());
  });
});
