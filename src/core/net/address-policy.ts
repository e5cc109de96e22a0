import ipaddr from 'ipaddr.js';

/**
 * Which addresses a server-side request (page fetch, webhook) may reach: public unicast only.
 * Loopback, private, link-local, carrier-grade NAT, multicast, documentation, benchmarking,
 * reserved, 6to4, Teredo and IPv4-compatible (::a.b.c.d) addresses are refused. IPv4-mapped
 * (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses are judged by the IPv4 address they carry.
 */

/** The IPv4 address carried in the last 32 bits of an IPv6 address. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  const parts = address.parts;
  return new ipaddr.IPv4([parts[6]! >> 8, parts[6]! & 0xff, parts[7]! >> 8, parts[7]! & 0xff]);
}

function isIPv4Compatible(address: ipaddr.IPv6): boolean {
  return address.parts.slice(0, 6).every((part) => part === 0);
}

function isIPv4Mapped(address: ipaddr.IPv6): boolean {
  const parts = address.parts;
  return parts.slice(0, 5).every((part) => part === 0) && parts[5] === 0xffff;
}

function isWellKnownNat64(address: ipaddr.IPv6): boolean {
  const [a, b, ...rest] = address.parts;
  return a === 0x64 && b === 0xff9b && rest.slice(0, 4).every((part) => part === 0);
}

function ipv4Refusal(address: ipaddr.IPv4): string | null {
  const range = address.range();
  return range === 'unicast' ? null : `${range} IPv4 range`;
}

/**
 * Why `address` must not be reached from the server (a short description of its range), or null
 * when it is a public unicast address. Anything that is not an IP address is refused.
 */
export function nonPublicReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return ipv4Refusal(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  // ipaddr.js parses the text ::a.b.c.d as ::ffff:a.b.c.d: the text tells them apart.
  if (isIPv4Mapped(v6) && /ffff/i.test(address)) return ipv4Refusal(embeddedIPv4(v6));
  if (isIPv4Mapped(v6)) return 'IPv4-compatible IPv6 address (deprecated)';
  if (isWellKnownNat64(v6)) return ipv4Refusal(embeddedIPv4(v6));
  if (isIPv4Compatible(v6)) return 'IPv4-compatible IPv6 address (deprecated)';
  const range = v6.range();
  return range === 'unicast' ? null : `${range} IPv6 range`;
}

/** True only for public unicast addresses (see nonPublicReason). */
export function isPublicAddress(address: string): boolean {
  return nonPublicReason(address) === null;
}
