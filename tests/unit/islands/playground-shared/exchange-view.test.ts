import { describe, expect, it } from 'vitest';
import {
  hasLongToken,
  highlightJson,
  requestParts,
  responseParts,
  shortenTokens,
} from '../../../../src/islands/playground-shared/exchange-view.ts';
import {
  describeNetworkFailure,
  seconds,
  secondsLeft,
} from '../../../../src/islands/playground-shared/network-failure.ts';

const jwt = `eyJhbGciOiJFZERTQSJ9.${'eyJzdWIiOiJ4In0'.repeat(20)}.${'c2ln'.repeat(20)}`;

describe('an HTTP message for reading', () => {
  it('shows the headers the step is about and puts the others behind the toggle', () => {
    const parts = responseParts({
      status: 401,
      statusText: 'Unauthorized',
      headers: [
        ['cache-control', 'no-store'],
        ['content-security-policy', "default-src 'none'"],
        ['content-type', 'application/json; charset=utf-8'],
        ['www-authenticate', 'Basic realm="sandbox"'],
        ['x-content-type-options', 'nosniff'],
        ['x-request-id', 'abc'],
      ],
      bodyText: '{"error":"invalid_client"}',
    });
    expect(parts.startLine).toBe('HTTP/1.1 401 Unauthorized');
    expect(parts.keyHeaders.map(([name]) => name)).toEqual([
      'cache-control',
      'content-type',
      'www-authenticate',
    ]);
    expect(parts.otherHeaders.map(([name]) => name)).toEqual([
      'content-security-policy',
      'x-content-type-options',
      'x-request-id',
    ]);
    expect(parts.json).toBe(true);
    expect(parts.body).toBe('{\n  "error": "invalid_client"\n}');
  });

  it('writes the request as sent, with Host and Content-Length', () => {
    const parts = requestParts(
      {
        method: 'POST',
        target: '/oauth/token',
        headers: { authorization: 'Basic xyz', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      },
      'localhost:4321',
    );
    expect(parts.startLine).toBe('POST /oauth/token HTTP/1.1');
    expect(parts.keyHeaders).toEqual([
      ['Authorization', 'Basic xyz'],
      ['Content-Type', 'application/x-www-form-urlencoded'],
    ]);
    expect(parts.otherHeaders).toEqual([
      ['Host', 'localhost:4321'],
      ['Content-Length', '29'],
    ]);
    expect(parts.json).toBe(false);
  });
});

describe('shortening tokens', () => {
  it.each([
    ['a header', `Bearer ${jwt}`, `Bearer ${jwt.slice(0, 12)}…${jwt.slice(-6)} (${jwt.length} characters)`],
    [
      'a JSON value',
      `"access_token": "${jwt}",`,
      `"access_token": "${jwt.slice(0, 12)}…${jwt.slice(-6)} (${jwt.length} characters)",`,
    ],
    ['nothing to shorten', 'grant_type=client_credentials', 'grant_type=client_credentials'],
  ])('in %s', (_name, text, shortened) => {
    expect(shortenTokens(text, false)).toBe(shortened);
    expect(shortenTokens(text, true)).toBe(text);
  });

  it('knows when there is a token to show in full', () => {
    expect(hasLongToken(`x ${jwt}`)).toBe(true);
    expect(hasLongToken('eyJa.eyJb.c')).toBe(false);
  });
});

describe('highlighting JSON', () => {
  it('tells keys from strings, numbers and literals, and loses no character', () => {
    const text = '{\n  "active": false,\n  "exp": 1900000000,\n  "scope": "a b",\n  "x": null\n}';
    const tokens = highlightJson(text);
    expect(tokens.map((token) => token.text).join('')).toBe(text);
    expect(tokens.filter((token) => token.kind === 'key').map((token) => token.text)).toEqual([
      '"active"',
      '"exp"',
      '"scope"',
      '"x"',
    ]);
    expect(tokens.find((token) => token.kind === 'number')?.text).toBe('1900000000');
    expect(tokens.filter((token) => token.kind === 'literal').map((token) => token.text)).toEqual([
      'false',
      'null',
    ]);
    expect(tokens.find((token) => token.kind === 'string')?.text).toBe('"a b"');
  });

  it('passes text that is not JSON through unchanged', () => {
    const text = '<html> not json \\ "unterminated';
    expect(
      highlightJson(text)
        .map((token) => token.text)
        .join(''),
    ).toBe(text);
  });
});

describe('a request without an answer, and the 429 countdown', () => {
  it('names the likely causes and keeps what the browser said', () => {
    expect(describeNetworkFailure('Failed to fetch')).toBe(
      'No answer from the sandbox (the browser said: Failed to fetch). The server may be stopped or restarting, or this device may be offline: check the connection, then try again.',
    );
    expect(describeNetworkFailure(undefined)).toMatch(/^No answer from the sandbox\. /);
  });

  it.each([
    [1, '1 second'],
    [2, '2 seconds'],
    [0, '0 seconds'],
  ])('%i is "%s"', (count, words) => expect(seconds(count)).toBe(words));

  it('counts whole seconds left, never below 0', () => {
    expect(secondsLeft(10_000, 8_500)).toBe(2);
    expect(secondsLeft(10_000, 10_000)).toBe(0);
    expect(secondsLeft(10_000, 12_000)).toBe(0);
  });
});
