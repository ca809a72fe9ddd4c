// Name the special range an IP address belongs to, so the proxy can refuse internal targets.
// Pure: takes the address the proxy is about to connect to, never a name.
import { isIP } from 'node:net';

/** Why an address is refused unless a grant names its host exactly. */
export type AddressClass = 'unspecified' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'multicast' | 'reserved';

type V4Range = [base: number, bits: number, cls: AddressClass];

// IMPORTANT: metadata comes before link-local so 169.254.169.254 is named for what it is.
const V4_RANGES: V4Range[] = [
  [ip4(169, 254, 169, 254), 32, 'metadata'],
  [ip4(0, 0, 0, 0), 8, 'unspecified'],
  [ip4(10, 0, 0, 0), 8, 'private'],
  [ip4(100, 64, 0, 0), 10, 'private'], // carrier-grade NAT, often internal networks
  [ip4(127, 0, 0, 0), 8, 'loopback'],
  [ip4(169, 254, 0, 0), 16, 'link-local'],
  [ip4(172, 16, 0, 0), 12, 'private'],
  [ip4(192, 168, 0, 0), 16, 'private'],
  [ip4(224, 0, 0, 0), 4, 'multicast'],
  [ip4(240, 0, 0, 0), 4, 'reserved'], // includes the broadcast 255.255.255.255
];

function ip4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

function parseV4(text: string): number {
  const [a, b, c, d] = text.split('.').map(Number);
  return ip4(a, b, c, d);
}

function classifyV4(value: number): AddressClass | undefined {
  for (const [base, bits, cls] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if (((value & mask) >>> 0) === base) return cls;
  }
  return undefined;
}

// Expand an IPv6 address into eight 16-bit groups. URL serializes it first, which also rewrites an
// embedded IPv4 tail (`::ffff:127.0.0.1`) into hex groups, so only `::` compression is left to undo.
function parseV6(text: string): number[] {
  const canonical = new URL(`http://[${text.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
  const [head, rest] = canonical.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  const right = groups(rest);
  const zeros = rest === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<number>(zeros).fill(0), ...right];
}

// Say which refused range an IP address is in; undefined for an ordinary public address.
export function classifyAddress(address: string): AddressClass | undefined {
  const family = isIP(address);
  if (family === 4) return classifyV4(parseV4(address));
  if (family !== 6) return 'reserved';
  const g = parseV6(address);
  const embedded = ((g[6] << 16) >>> 0) + g[7];
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the IPv4 inside.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return classifyV4(embedded);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(embedded);
  if ((g[0] & 0xfe00) === 0xfc00) return 'private';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  return undefined;
}
