/**
 * Where the guide explains each error code and each finding: one row a code on the errors page,
 * with the code itself as its anchor (`/errors/#invalid_client`). The sandbox builds `error_uri`
 * from it (RFC 6749 §5.2, RFC 6750 §3), the request journal builds each finding's `doc` link,
 * and the islands link the same rows.
 */

/** The errors page, relative to the site's origin. */
export const errorPagePath = '/errors/';

/** The absolute URL of the row that explains `code`, on `origin` (the site's `SITE_URL`). */
export function errorDocUrl(origin: string, code: string): string {
  return `${origin.replace(/\/+$/, '')}${errorPagePath}#${code}`;
}
