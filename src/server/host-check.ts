import { isIP } from 'node:net';

/** Names that always mean this machine (RFC 6761 §6.3 for localhost). */
const loopbackNames = ['localhost', '127.0.0.1', '::1', '[::1]'];

/** True when `host` (the HOST setting) listens on loopback only. */
function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/**
 * The Host names the server answers, or undefined for any. Bound to loopback (a developer's
 * machine), a page on any web site could reach the sandbox through DNS rebinding: a name it
 * controls, re-pointed to 127.0.0.1, makes the browser send that page's requests to the local
 * server as same-origin. Answering only loopback names and SITE_URL's host defeats that. Bound to
 * other interfaces, the server is public anyway, reached under names it cannot know.
 */
export function allowedHostnames(siteUrl: string, host: string): ReadonlySet<string> | undefined {
  if (!isLoopback(host)) return undefined;
  return new Set([...loopbackNames, new URL(siteUrl).hostname.toLowerCase()]);
}

/** The host name of a Host header (RFC 9110 §7.2), lower-cased and without its port. */
export function hostnameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.lastIndexOf(':');
  return colon < 0 ? value : value.slice(0, colon);
}
