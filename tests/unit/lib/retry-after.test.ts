import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/lib/retry-after.ts';

const now = Date.parse('2025-06-01T12:00:00Z');

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 7 ', 7_000],
    ['Sun, 01 Jun 2025 12:00:30 GMT', 30_000],
    ['Sunday, 01-Jun-25 12:00:05 GMT', 5_000],
    ['Sun Jun  1 12:00:02 2025', 2_000],
    ['Sun, 01 Jun 2025 11:59:00 GMT', 0],
  ])('reads %j as %d ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([
    [null],
    [undefined],
    [''],
    ['-5'],
    ['1.5'],
    ['soon'],
    ['2025-06-01T12:00:30Z'],
    ['Sun, 99 Foo 2025'],
  ])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
