import { isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address (RFC 4291 §2.2 text forms, an IPv4 tail included). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [head = '', rest] = text.split('::');
  if (rest === undefined) return parse(head);
  const before = parse(head);
  const after = parse(rest);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

/**
 * The identity per-address limits count a client by. An IPv4 address is itself (an IPv4-mapped
 * IPv6 address, `::ffff:a.b.c.d`, is the IPv4 address it carries); an IPv6 address is its /64
 * prefix, since one subscriber is given a whole /64 at least (RFC 6177, RFC 7421) and could
 * otherwise take a fresh allowance from each of its 2^64 addresses. Anything else is kept as it is.
 */
export function rateLimitAddress(address: string): string {
  // Every IPv6 text form has a colon; an IPv4 address (the usual case, every request) has none.
  if (!address.includes(':')) return address;
  const withoutZone = address.split('%')[0]!;
  if (!isIPv6(withoutZone)) return address;
  const groups = ipv6Groups(withoutZone);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high, low] = [groups[6]!, groups[7]!];
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}
