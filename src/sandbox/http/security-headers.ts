/**
 * Security headers of every sandbox answer. The sandbox answers JSON only, which a browser must
 * never run or render as a page, so its Content-Security-Policy allows nothing to load
 * (`default-src 'none'`) and the page-level directives say the same. The docs pages get their own
 * policy from the host (src/server), with the same four fixed directives.
 */

/**
 * The directives every response of the site carries, pages and sandbox alike: no plugins, no
 * `<base>`, no framing by other sites (the header-only replacement for X-Frame-Options), fetches
 * to the same origin only.
 */
export const sharedCspDirectives = [
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
] as const;

/** The CSP of a JSON answer: nothing runs, nothing loads, nothing frames it. */
export const apiContentSecurityPolicy = [
  "default-src 'none'",
  ...sharedCspDirectives,
  "form-action 'none'",
].join('; ');

/**
 * Headers independent of the request. `nosniff` keeps a browser from reading JSON as HTML or
 * script; `no-referrer` keeps URLs (which never hold a secret, but may name a page of the guide)
 * from leaking to other sites; X-Frame-Options is frame-ancestors for old browsers.
 */
export const securityHeaders = {
  'content-security-policy': apiContentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
} as const;

/**
 * RFC 6797 HSTS, only when the public origin is https: sent over plain http it means nothing, and
 * on localhost it would pin the developer's browser to https. One year, no includeSubDomains:
 * the sandbox cannot know whether every sibling host serves https.
 */
export function strictTransportSecurityFor(origin: string): string | undefined {
  return origin.startsWith('https://') ? 'max-age=31536000' : undefined;
}
