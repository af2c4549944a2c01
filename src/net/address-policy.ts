/**
 * Which IP addresses the provider may connect to when a URL comes from someone else (a client's
 * back-channel logout URI, an upstream eID's discovery and JWKS, the Altinn base URL, the admin
 * trusted issuer's JWKS). In production only public unicast addresses are allowed: never the
 * provider's own host, its private network or the cloud metadata service (server-side request
 * forgery). Ranges from the IANA special-purpose address registries (RFC 6890 and updates):
 *
 *   IPv4: 0.0.0.0/8 unspecified/"this network" · 10/8, 172.16/12, 192.168/16 private (RFC 1918) ·
 *         100.64/10 shared CGNAT (RFC 6598) · 127/8 loopback · 169.254/16 link-local (RFC 3927) ·
 *         192.0.0/24 IETF protocol assignments · 198.18/15 benchmarking · 224/4 multicast ·
 *         240/4 reserved and 255.255.255.255 broadcast
 *   IPv6: :: unspecified · ::1 loopback · fc00::/7 unique-local (RFC 4193) · fe80::/10 link-local ·
 *         fec0::/10 old site-local · ff00::/8 multicast · ::/96 IPv4-compatible (deprecated) ·
 *         ::ffff:0:0/96 IPv4-mapped and 64:ff9b::/96 NAT64 (RFC 6052): judged by the embedded IPv4
 *         address · 2002::/16 6to4 (RFC 3056): judged by the embedded IPv4 address
 */
import { isIP } from 'node:net';

export type AddressClass =
  | 'public' | 'unspecified' | 'loopback' | 'private' | 'cgnat' | 'link-local' | 'unique-local'
  | 'multicast' | 'reserved' | 'invalid';

type V4Range = [base: number, bits: number, cls: AddressClass];
const V4_RANGES: V4Range[] = [
  [ip4('0.0.0.0'), 8, 'unspecified'],
  [ip4('10.0.0.0'), 8, 'private'],
  [ip4('100.64.0.0'), 10, 'cgnat'],
  [ip4('127.0.0.0'), 8, 'loopback'],
  [ip4('169.254.0.0'), 16, 'link-local'],
  [ip4('172.16.0.0'), 12, 'private'],
  [ip4('192.0.0.0'), 24, 'reserved'],
  [ip4('192.168.0.0'), 16, 'private'],
  [ip4('198.18.0.0'), 15, 'reserved'],
  [ip4('224.0.0.0'), 4, 'multicast'],
  [ip4('240.0.0.0'), 4, 'reserved'],
];

function ip4(s: string): number {
  const p = s.split('.').map(Number);
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
}

function classifyV4(n: number): AddressClass {
  for (const [base, bits, cls] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if (((n & mask) >>> 0) === base) return cls;
  }
  return 'public';
}

/** The 8 16-bit groups of an IPv6 address (isIP-valid, without zone), or undefined. */
function parseV6(s: string): number[] | undefined {
  let text = s;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = ip4(dotted[1]!);
    tail.push(n >>> 16, n & 0xffff);
    text = text.slice(0, -dotted[1]!.length);
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const groups = (x: string) => (x === '' ? [] : x.split(':').map((g) => parseInt(g, 16)));
  const a = groups(head);
  const b = rest === undefined ? [] : groups(rest);
  const fill = 8 - tail.length - a.length - b.length;
  if (rest === undefined ? fill !== 0 : fill < 0) return undefined;
  const out = [...a, ...Array<number>(rest === undefined ? 0 : fill).fill(0), ...b, ...tail];
  return out.length === 8 && out.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? out : undefined;
}

function classifyV6(g: number[]): AddressClass {
  const embedded = (hi: number, lo: number) => classifyV4(((hi << 16) >>> 0) + lo);
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(8)) return 'unspecified';
  if (zeros(7) && g[7] === 1) return 'loopback';
  if (zeros(5) && g[5] === 0xffff) return embedded(g[6]!, g[7]!); // ::ffff:a.b.c.d
  if (zeros(6)) return 'reserved'; // ::a.b.c.d, IPv4-compatible (deprecated, RFC 4291 §2.5.5.1)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded(g[6]!, g[7]!); // NAT64
  if (g[0] === 0x2002) return embedded(g[1]!, g[2]!); // 6to4
  if ((g[0]! & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** The class of an IP address (IPv4, IPv6, IPv4-mapped IPv6; an IPv6 zone id makes it link-local). */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, '');
  const zone = bare.indexOf('%');
  if (zone >= 0) return isIP(bare.slice(0, zone)) === 6 ? 'link-local' : 'invalid';
  const v = isIP(bare);
  if (v === 4) return classifyV4(ip4(bare));
  if (v === 6) {
    const g = parseV6(bare.toLowerCase());
    return g ? classifyV6(g) : 'invalid';
  }
  return 'invalid';
}

/** True for a public unicast address: the only kind a production provider connects to on someone's say-so. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}

/** Refused by the outbound address policy; `message` names the host and the kind of address. */
export class AddressRefusedError extends Error {
  override name = 'AddressRefusedError';
  constructor(readonly host: string, readonly address: string, readonly addressClass: AddressClass) {
    super(`refused to connect to ${host}${host === address ? '' : ` (${address})`}: ${addressClass} address`);
  }
}

/** The hostname of a URL as an IP literal (IPv6 without brackets), or undefined for a name. */
export function literalAddress(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) !== 0 || (bare.includes('%') && isIP(bare.slice(0, bare.indexOf('%'))) !== 0) ? bare : undefined;
}
