/** The whole second last formatted: Date#toISOString costs about a microsecond, every call. */
let formattedSecond = { second: NaN, text: '' };

/**
 * `ms` (milliseconds since the epoch) as ISO 8601 in UTC, `2030-01-01T00:00:00.000Z`, as
 * Date#toISOString writes it, formatting each second once: the request log and the request
 * journal stamp every request.
 */
export function isoTime(ms: number): string {
  const whole = Math.floor(ms);
  const second = Math.floor(whole / 1000);
  if (second !== formattedSecond.second)
    formattedSecond = { second, text: new Date(second * 1000).toISOString().slice(0, 19) };
  return `${formattedSecond.text}.${String(whole - second * 1000).padStart(3, '0')}Z`;
}
