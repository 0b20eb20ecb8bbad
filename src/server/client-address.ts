import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** Finds a request's client address, for the sandbox's per-address rate limits. */
export type ClientAddressResolver = (request: IncomingMessage) => string | undefined;

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is `192.0.2.1`. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** An X-Forwarded-For entry as an address: `[2001:db8::1]:443` and `192.0.2.1:443` lose their port. */
function entryAddress(entry: string): string | undefined {
  let value = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.indexOf(':'));
  return isIP(value) ? normalize(value) : undefined;
}

/**
 * Creates the resolver for SANDBOX_TRUSTED_PROXIES (addresses and CIDR blocks). A connection from
 * a trusted proxy is answered for the address its `X-Forwarded-For` names: read right to left,
 * the first hop that is not itself a trusted proxy (the entries to its left are whatever the client
 * chose to send, so they are never believed). Any other connection is its own socket address: a
 * client cannot buy a fresh rate-limit allowance by sending the header itself.
 */
export function createClientAddressResolver(trustedProxies: readonly string[]): ClientAddressResolver {
  if (trustedProxies.length === 0) return (request) => request.socket.remoteAddress;
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(bits), type);
  }
  const isTrusted = (address: string) => trusted.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

  return (request) => {
    const peer = request.socket.remoteAddress;
    if (peer === undefined) return undefined;
    let client = normalize(peer);
    if (!isTrusted(client)) return client;
    const header = request.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
    for (let index = hops.length - 1; index >= 0; index--) {
      if (hops[index]!.trim() === '') continue;
      const hop = entryAddress(hops[index]!);
      // A malformed hop: nothing to its left can be trusted either; the last proxy answers for it.
      if (hop === undefined) return client;
      client = hop;
      if (!isTrusted(hop)) return hop;
    }
    return client;
  };
}
