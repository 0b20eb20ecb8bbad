import { sandboxPaths } from '../../lib/sandbox-contract/paths.ts';

/**
 * Paths a client reaches by mistake: another server's habits (`/oauth2/token`, `/connect/token`),
 * a missing version (`/api/reports`), a typo. When such a request carries credentials it goes to
 * the sandbox, which answers 404 with the path it meant, and the request inspector files it in
 * the client's journal (finding `wrong_path`).
 */

/** The sandbox's own endpoints a near miss can have meant. */
const tokenPath = sandboxPaths.token;
const reportsPath = sandboxPaths.reports;
const knownPaths: readonly string[] = Object.values(sandboxPaths);

const maxPathLength = 128;

/** The last path segments that say what the client was after. */
const tokenSegments = new Set(['token', 'tokens', 'access_token', 'access-token', 'accesstoken']);
const reportsSegments = new Set(['reports', 'report']);

function lastSegment(pathname: string): string {
  const trimmed = pathname.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1).toLowerCase();
}

/**
 * True for a path outside the sandbox's prefixes that is a near miss of one of its endpoints
 * (`/token`, `/oauth2/token`, `/connect/token`, `/reports`, `/v1/reports`, `/oauth2/...`).
 */
export function isNearMissPath(pathname: string): boolean {
  if (pathname.length > maxPathLength) return false;
  const last = lastSegment(pathname);
  return tokenSegments.has(last) || reportsSegments.has(last) || pathname.startsWith('/oauth2/');
}

/** Levenshtein distance, for "did you mean" among a handful of short names. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/**
 * The sandbox endpoint a wrong path most likely meant, or undefined when nothing is close. What
 * the path ends with decides first (`…/token` is the token endpoint), then the nearest known path.
 */
export function suggestPath(pathname: string): string | undefined {
  if (pathname.length > maxPathLength) return undefined;
  const last = lastSegment(pathname);
  if (tokenSegments.has(last)) return tokenPath;
  if (reportsSegments.has(last) || pathname.startsWith('/api/')) return reportsPath;
  const lower = pathname.toLowerCase().replace(/\/+$/, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of knownPaths) {
    const distance = editDistance(lower, known);
    if (distance < bestDistance) [best, bestDistance] = [known, distance];
  }
  return bestDistance <= 4 ? best : undefined;
}
