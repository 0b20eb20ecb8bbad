import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createClientAddressResolver } from '../../../src/server/client-address.ts';

function request(remoteAddress: string, forwardedFor?: string | string[]): IncomingMessage {
  return {
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('the client address behind trusted proxies (SANDBOX_TRUSTED_PROXIES)', () => {
  const resolve = createClientAddressResolver(['10.0.0.5', '10.1.0.0/16', 'fd00::/8']);

  it.each([
    ['a direct client is its socket address', '203.0.113.9', undefined, '203.0.113.9'],
    [
      'a direct client cannot choose its address with the header',
      '203.0.113.9',
      '198.51.100.1',
      '203.0.113.9',
    ],
    ['a trusted proxy answers for the client it names', '10.0.0.5', '198.51.100.1', '198.51.100.1'],
    [
      'entries the client prepended are not believed (rightmost untrusted hop wins)',
      '10.0.0.5',
      '1.1.1.1, 198.51.100.1',
      '198.51.100.1',
    ],
    ['a chain of trusted proxies is walked through', '10.0.0.5', '198.51.100.1, 10.1.2.3', '198.51.100.1'],
    ['several header lines are one list', '10.0.0.5', ['1.1.1.1', '198.51.100.1'], '198.51.100.1'],
    ['IPv4 on a dual-stack socket', '::ffff:10.0.0.5', '198.51.100.1', '198.51.100.1'],
    ['an IPv6 proxy block and a bracketed hop with port', 'fd00::1', '[2001:db8::7]:443', '2001:db8::7'],
    ['an IPv4 hop with a port', '10.0.0.5', '198.51.100.1:5555', '198.51.100.1'],
    ['a malformed hop: the proxy answers for it', '10.0.0.5', 'unknown', '10.0.0.5'],
    ['no header from a trusted proxy: the proxy itself', '10.0.0.5', undefined, '10.0.0.5'],
    ['only trusted hops: the leftmost', '10.0.0.5', '10.1.0.9', '10.1.0.9'],
  ])('%s', (_, remote, header, expected) => {
    expect(resolve(request(remote, header))).toBe(expected);
  });

  it('trusts no header when no proxy is configured', () => {
    expect(createClientAddressResolver([])(request('10.0.0.5', '198.51.100.1'))).toBe('10.0.0.5');
  });
});
