import { isIP } from 'node:net';

/** Why a URL may not be visited, or `undefined` when it may. */
export type ScopeVerdict = undefined | 'unsupported scheme' | 'off-host' | 'private address';

/**
 * Which URLs a crawl may touch: http(s) only; the start hosts plus an allowlist (`example.com`,
 * `*.example.com` for subdomains, `host:port` for one port); and, unless `allowPrivateNetwork`,
 * no loopback, private, link-local or otherwise non-public IP address.
 */
export class Scope {
  readonly allowPrivateNetwork: boolean;
  readonly #exact = new Set<string>();
  readonly #suffixes: string[] = [];

  constructor(options: {
    startUrls: readonly string[];
    allowHosts: readonly string[];
    allowPrivateNetwork: boolean;
  }) {
    this.allowPrivateNetwork = options.allowPrivateNetwork;
    for (const start of options.startUrls) this.#exact.add(new URL(start).host.toLowerCase());
    for (const raw of options.allowHosts) {
      const host = raw.trim().toLowerCase();
      if (host.startsWith('*.')) this.#suffixes.push(host.slice(1));
      else this.#exact.add(host);
    }
  }

  /** Whether a host (`name` or `name:port`) is in scope. */
  allowsHost(url: URL): boolean {
    const host = url.host.toLowerCase();
    const name = url.hostname.toLowerCase();
    if (this.#exact.has(host) || this.#exact.has(name)) return true;
    return this.#suffixes.some((suffix) => name.endsWith(suffix));
  }

  /** Checks scheme, host and (for IP literals) address. Host names are checked at connect time. */
  check(input: string): ScopeVerdict {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return 'unsupported scheme';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'unsupported scheme';
    if (!this.allowsHost(url)) return 'off-host';
    if (!this.allowPrivateNetwork) {
      const ip = stripBrackets(url.hostname);
      if (isIP(ip) !== 0 ? isPrivateAddress(ip) : isLocalName(ip)) return 'private address';
    }
    return undefined;
  }

  /** Whether a resolved address may be connected to. */
  allowsAddress(address: string): boolean {
    return this.allowPrivateNetwork || !isPrivateAddress(address);
  }
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function isLocalName(name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return lower === 'localhost' || lower.endsWith('.localhost') || lower.endsWith('.local');
}

const V4_BLOCKS: readonly [number, number][] = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10/8 private
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local (cloud metadata)
  [0xac100000, 12], // 172.16/12 private
  [0xc0000000, 24], // 192.0.0/24 protocol assignments
  [0xc0000200, 24], // 192.0.2/24 documentation
  [0xc0a80000, 16], // 192.168/16 private
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xc6336400, 24], // 198.51.100/24 documentation
  [0xcb007100, 24], // 203.0.113/24 documentation
  [0xe0000000, 4], // 224/4 multicast
  [0xf0000000, 4], // 240/4 reserved, broadcast
];

/**
 * Whether an IP address (v4 or v6, v4-mapped included) is loopback, private, link-local,
 * unique-local, multicast, reserved or unspecified. Unparsable input counts as private.
 */
export function isPrivateAddress(address: string): boolean {
  const ip = stripBrackets(address).split('%')[0]!;
  const kind = isIP(ip);
  if (kind === 4) return isPrivateV4(ip);
  if (kind !== 6) return true;
  const words = expandV6(ip);
  if (words === undefined) return true;
  const [w0, w1, w2, w3, w4, w5, w6, w7] = words as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zeroPrefix = w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0;
  if (zeroPrefix && w5 === 0 && w6 === 0 && (w7 === 0 || w7 === 1)) return true; // :: and ::1
  if (zeroPrefix && w5 === 0xffff) return isPrivateV4(`${w6 >> 8}.${w6 & 255}.${w7 >> 8}.${w7 & 255}`);
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0) {
    return isPrivateV4(`${w6 >> 8}.${w6 & 255}.${w7 >> 8}.${w7 & 255}`); // NAT64
  }
  if ((w0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((w0 & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((w0 & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((w0 & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  if (w0 === 0x2001 && w1 === 0x0db8) return true; // documentation
  return false;
}

function isPrivateV4(ip: string): boolean {
  const parts = ip.split('.').map(Number);
  const value = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
  return V4_BLOCKS.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (value & mask) >>> 0 === base;
  });
}

function expandV6(ip: string): number[] | undefined {
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const p = v4[1]!.split('.').map(Number);
    text = `${text.slice(0, v4.index)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((w) => Number.parseInt(w, 16)));
  const a = parse(head);
  const b = tail === undefined ? [] : parse(tail);
  const missing = 8 - a.length - b.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  const words = [...a, ...new Array<number>(missing).fill(0), ...b];
  return words.some((w) => !Number.isFinite(w)) ? undefined : words;
}
