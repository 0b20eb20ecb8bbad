/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3) as a delay in milliseconds: either
 * delay-seconds (a non-negative whole number) or an HTTP-date, counted from `nowMs`. A date in the
 * past is a delay of 0. Returns undefined when the header is absent or is neither form.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // IMF-fixdate, or the obsolete forms RFC 9110 §5.6.7 says recipients must accept; all start with a day name.
  if (!/^[A-Za-z]{3,9},? /.test(trimmed)) return undefined;
  // asctime-date carries no zone but means GMT; Date.parse would read it as local time.
  const date = Date.parse(/ GMT$/i.test(trimmed) ? trimmed : `${trimmed} GMT`);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
