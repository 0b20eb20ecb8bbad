import { createHash } from 'node:crypto';

/**
 * Astro inlines a page's small stylesheets as `<style>` elements (`build.inlineStylesheets:
 * 'auto'`, under 4 kB each) instead of one render-blocking request each (a code page asked for ten
 * before its first paint). Its CSP hashes the styles it renders itself but misses those of
 * components used from MDX pages (Starlight's Steps and Tabs, our own), which the page policy
 * would then block. This adds the hash of every `<style>` element of a built page to its
 * `<meta>` policy's `style-src-elem` (CSP3 §6.1.13): exactly the styles the page holds, nothing
 * inline besides. The server sends the same policy as a header (src/server/site-security-headers.ts).
 */

const metaPolicy = /(<meta\s+http-equiv="content-security-policy"\s+content=")([^"]*)(")/i;
const styleElement = /<style\b[^>]*>([\s\S]*?)<\/style>/g;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page with every `<style>` element's hash in its policy's `style-src-elem`. */
export function allowInlineStyles(html: string): string {
  const match = metaPolicy.exec(html);
  if (!match) return html;
  const hashes = new Set([...html.matchAll(styleElement)].map(([, body = '']) => sha256(body)));
  const directives = match[2]!
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const index = directives.findIndex(
    (part) => part === 'style-src-elem' || part.startsWith('style-src-elem '),
  );
  if (index === -1) throw new Error(`the page policy has no style-src-elem: ${match[2]}`);
  const sources = directives[index]!.split(/\s+/);
  const missing = [...hashes].filter((hash) => !sources.includes(hash));
  if (missing.length === 0) return html;
  directives[index] = [...sources, ...missing].join(' ');
  return html.replace(
    metaPolicy,
    (_, start: string, _policy: string, end: string) => `${start}${directives.join('; ')}${end}`,
  );
}
