import { securityHeaders, strictTransportSecurityFor } from '../sandbox/index.ts';

/**
 * The Content-Security-Policy of the docs pages, in two halves that both come from here:
 *
 * - Astro writes each page's policy into a `<meta http-equiv>` at build time (astro.config.mjs,
 *   `security.csp`), with `script-src` and `style-src` holding the hashes of that page's inline
 *   scripts and styles. Astro computes those hashes; nothing else can know them.
 * - A `<meta>` policy cannot carry `frame-ancestors` (CSP3 §6.4.2 ignores it there), so the server
 *   sends each page's policy again as a header with `frame-ancestors 'none'` added
 *   ({@link pagePolicyHeader}). The browser enforces both; the header is the meta plus one
 *   directive, so it loosens nothing.
 */

/** Directives of every page besides script-src and style-src (which Astro owns). */
export const pageCspDirectives = [
  "default-src 'self'",
  // Expressive Code's and Starlight's icons are data: SVGs in CSS.
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
] as const;

/**
 * script-src sources besides Astro's hashes: same-origin files and their dynamic imports (islands,
 * the playground's lazily loaded jose and Shiki), and WebAssembly compilation for Pagefind's search
 * index. `'wasm-unsafe-eval'` allows compiling wasm fetched under this policy, not JavaScript eval.
 * No 'unsafe-inline', no 'unsafe-eval', no 'strict-dynamic' (it would drop 'self').
 */
export const pageScriptSources = ["'self'", "'wasm-unsafe-eval'"] as const;

/** The directive only a header can carry. */
export const frameAncestors = "frame-ancestors 'none'";

/**
 * The policy of any other file the site serves (scripts, styles, images, the search index): what
 * applies when one is opened as a document or runs as a worker. Same-origin files only, no inline
 * script or style.
 */
export const assetContentSecurityPolicy = [
  ...pageCspDirectives,
  `script-src ${pageScriptSources.join(' ')}`,
  "style-src 'self'",
  frameAncestors,
].join('; ');

const metaPolicy = /<meta\s+http-equiv=["']?content-security-policy["']?\s+content="([^"]*)"/i;
const entities: Record<string, string> = {
  '&#39;': "'",
  '&#x27;': "'",
  '&quot;': '"',
  '&#34;': '"',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
};

/**
 * The CSP header of a built page: the policy of its `<meta http-equiv="content-security-policy">`
 * plus `frame-ancestors 'none'`. A page without one (a build without `security.csp`) gets the
 * fixed directives only, so the header never blocks what the page itself allows.
 */
export function pagePolicyHeader(html: string): string {
  const match = metaPolicy.exec(html);
  if (!match)
    return ["connect-src 'self'", "object-src 'none'", "base-uri 'none'", frameAncestors].join('; ');
  const policy = match[1]!
    .replace(/&#39;|&#x27;|&quot;|&#34;|&amp;|&lt;|&gt;/g, (entity) => entities[entity]!)
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '');
  return [...policy, frameAncestors].join('; ');
}

/**
 * The headers every response of the site carries besides its CSP: the sandbox's
 * (X-Content-Type-Options, Referrer-Policy, X-Frame-Options) and HSTS when `origin` is https.
 */
export function siteSecurityHeaders(origin: string): Record<string, string> {
  const { 'content-security-policy': _sandboxPolicy, ...rest } = securityHeaders;
  const hsts = strictTransportSecurityFor(origin);
  return hsts ? { ...rest, 'strict-transport-security': hsts } : { ...rest };
}
