/**
 * The SSRF guard for webhook endpoints. A tenant admin chooses the URL, so without a guard a
 * webhook is a way to make our servers send requests into our own network (the cloud metadata
 * service at 169.254.169.254, the database, the Kubernetes API). Three steps:
 *
 * 1. `parseWebhookUrl` checks the URL's shape when an endpoint is saved (and again before each
 *    delivery): https only, no credentials, no fragment, at most 2048 characters.
 * 2. `resolveDeliveryAddress` resolves the host just before each delivery and refuses it when
 *    ANY of its addresses is not public (an attacker controls their DNS and may mix a public
 *    address with a private one).
 * 3. `deliverWebhook` connects to exactly the address that was checked, so the name cannot be
 *    re-resolved to something else in between (DNS rebinding).
 *
 * `classifyAddress` is the table of special-purpose ranges (IANA IPv4 and IPv6 Special-Purpose
 * Address Registries, RFC 6890 and its updates). Addresses that embed an IPv4 address
 * (IPv4-mapped, NAT64, 6to4) are classified by the embedded address, because a translator may
 * deliver them there.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../../errors/app-error';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export interface ParseWebhookUrlOptions {
  /** Accept http:// as well as https:// (local development and tests only). */
  allowHttp: boolean;
}

/** Checks the shape of an endpoint URL; throws AppError BAD_REQUEST saying what to fix. */
export function parseWebhookUrl(input: string, options: ParseWebhookUrlOptions): URL {
  const text = input.trim();
  if (text.length === 0) throw new AppError('BAD_REQUEST', 'Enter the URL that should receive webhooks, e.g. https://example.com/hooks/causeway.');
  if (text.length > MAX_WEBHOOK_URL_LENGTH) {
    throw new AppError('BAD_REQUEST', `The webhook URL is ${text.length} characters long; the limit is ${MAX_WEBHOOK_URL_LENGTH}.`, { length: text.length });
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('BAD_REQUEST', `“${text}” is not a valid URL; write it in full, e.g. https://example.com/hooks/causeway.`);
  }
  const schemes = options.allowHttp ? 'https:// (or http://)' : 'https://';
  if (url.protocol !== 'https:' && !(options.allowHttp && url.protocol === 'http:')) {
    throw new AppError('BAD_REQUEST', `Webhook URLs must start with ${schemes}; “${url.protocol}” is not accepted.`, { protocol: url.protocol });
  }
  if (url.username !== '' || url.password !== '') {
    throw new AppError('BAD_REQUEST', 'Remove the user name and password from the webhook URL; deliveries are authenticated by their signature.');
  }
  // `new URL('https://a/#').hash` is '' although the input had a fragment, so look at the text:
  // after parsing, a '#' can only have started a fragment.
  if (text.includes('#')) throw new AppError('BAD_REQUEST', 'Remove the #fragment from the webhook URL; it is never sent to the server.');
  if (url.hostname === '') throw new AppError('BAD_REQUEST', 'The webhook URL has no host name.');
  if (url.port === '0') throw new AppError('BAD_REQUEST', 'Port 0 cannot receive webhooks; give the port the endpoint listens on, or none for the default.');
  return url;
}

export type AddressClass = 'public' | 'private' | 'loopback' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

interface Range {
  base: number;
  bits: number;
  cls: Exclude<AddressClass, 'public'>;
}

const v4 = (text: string): number => {
  const parsed = parseIPv4(text);
  if (parsed === null) throw new Error(`bad IPv4 literal ${text}`);
  return parsed;
};

/** IPv4 special-purpose ranges; the first match wins, so exact addresses come first. */
const IPV4_RANGES: readonly Range[] = [
  { base: v4('255.255.255.255'), bits: 32, cls: 'reserved' }, // limited broadcast
  { base: v4('0.0.0.0'), bits: 8, cls: 'unspecified' }, // "this network"; Linux connects 0.0.0.0 to localhost
  { base: v4('10.0.0.0'), bits: 8, cls: 'private' },
  { base: v4('100.64.0.0'), bits: 10, cls: 'private' }, // CGNAT shared address space (RFC 6598)
  { base: v4('127.0.0.0'), bits: 8, cls: 'loopback' },
  { base: v4('169.254.0.0'), bits: 16, cls: 'link-local' }, // includes the cloud metadata service
  { base: v4('172.16.0.0'), bits: 12, cls: 'private' },
  { base: v4('192.0.0.0'), bits: 24, cls: 'reserved' }, // IETF protocol assignments
  { base: v4('192.0.2.0'), bits: 24, cls: 'reserved' }, // TEST-NET-1 (documentation)
  { base: v4('192.168.0.0'), bits: 16, cls: 'private' },
  { base: v4('198.18.0.0'), bits: 15, cls: 'reserved' }, // benchmarking
  { base: v4('198.51.100.0'), bits: 24, cls: 'reserved' }, // TEST-NET-2
  { base: v4('203.0.113.0'), bits: 24, cls: 'reserved' }, // TEST-NET-3
  { base: v4('224.0.0.0'), bits: 4, cls: 'multicast' },
  { base: v4('240.0.0.0'), bits: 4, cls: 'reserved' }, // future use
];

function parseIPv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

function inRange(value: number, base: number, bits: number): boolean {
  const size = 2 ** (32 - bits);
  return Math.floor(value / size) === Math.floor(base / size);
}

function classifyIPv4(value: number): AddressClass {
  for (const r of IPV4_RANGES) if (inRange(value, r.base, r.bits)) return r.cls;
  return 'public';
}

/** Eight 16-bit groups, or null. Accepts `::` compression and a dotted IPv4 tail. */
function parseIPv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as string;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const embedded = parseIPv4(piece);
        if (embedded === null) return null;
        out.push(Math.floor(embedded / 65536), embedded % 65536);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0] as string);
  const tail = halves.length === 2 ? groupsOf(halves[1] as string) : [];
  if (head === null || tail === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function classifyIPv6(g: number[]): AddressClass {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = g6 * 65536 + g7;
  const zeroTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0);

  if (zeroTo(8)) return 'unspecified'; // ::
  if (zeroTo(7) && g7 === 1) return 'loopback'; // ::1
  if (zeroTo(5) && g5 === 0xffff) return classifyIPv4(embedded); // ::ffff:a.b.c.d, IPv4-mapped
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyIPv4(embedded); // NAT64 (RFC 6052)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'private'; // local-use NAT64 64:ff9b:1::/48 (RFC 8215)
  if (g0 === 0x2002) {
    // 6to4 (RFC 3056): the IPv4 address of the tunnel end is in groups 1–2.
    return classifyIPv4(g1 * 65536 + g2);
  }
  if (g0 === 0x2001 && g1 === 0xdb8) return 'reserved'; // documentation 2001:db8::/32
  if (g0 === 0x2001 && g1 < 0x200) return 'reserved'; // IETF protocol assignments 2001::/23 (Teredo, ORCHID, benchmarking…)
  if (g0 === 0x3fff && g1 < 0x1000) return 'reserved'; // documentation 3fff::/20 (RFC 9637)
  if ((g0 & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local fec0::/10
  if ((g0 & 0xff00) === 0xff00) return 'multicast'; // ff00::/8
  // Only 2000::/3 is allocated for global unicast; everything else (::/8 apart from the cases
  // above, 100::/64 discard-only, 5f00::/16 SRv6, unassigned space) is not a delivery target.
  if ((g0 & 0xe000) !== 0x2000) return 'reserved';
  return 'public';
}

/**
 * Which kind of address `ip` is: 'public' for globally reachable unicast, otherwise the kind
 * of special-purpose range it falls in. Accepts IPv4 dotted quads and IPv6 text (with or
 * without brackets and a %zone); throws AppError BAD_REQUEST for anything else.
 */
export function classifyAddress(ip: string): AddressClass {
  let text = ip.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const family = isIP(text);
  if (family === 4) {
    const value = parseIPv4(text);
    if (value !== null) return classifyIPv4(value);
  } else if (family === 6) {
    const groups = parseIPv6(text);
    if (groups !== null) return classifyIPv6(groups);
  }
  throw new AppError('BAD_REQUEST', `“${ip}” is not an IP address.`);
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type HostLookup = (host: string) => Promise<readonly { address: string; family: number }[]>;

export interface ResolveDeliveryAddressOptions {
  /** Accept private, loopback and other non-public addresses (tests and local development). */
  allowPrivate: boolean;
  /** DNS lookup; defaults to `dns.promises.lookup(host, { all: true })`. */
  lookup?: HostLookup;
}

const defaultLookup: HostLookup = (host) => dnsLookup(host, { all: true });

const CLASS_WORDS: Record<Exclude<AddressClass, 'public'>, string> = {
  private: 'a private-network address',
  loopback: 'a loopback address',
  'link-local': 'a link-local address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved (special-purpose) address',
};

/**
 * The address a delivery to `url` connects to: the host itself when it is an IP literal, else
 * the first address DNS gives. Throws AppError BAD_REQUEST with `details.reason`:
 * - 'dns_failed': the name did not resolve (may be temporary: a delivery job should retry);
 * - 'non_public_address': some address is not public and `allowPrivate` is false (do not
 *   retry; the admin must change the URL). `details` also holds host, address and class.
 */
export async function resolveDeliveryAddress(url: URL, options: ResolveDeliveryAddressOptions): Promise<ResolvedAddress> {
  let host = url.hostname;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);

  let candidates: readonly { address: string; family: number }[];
  const literal = isIP(host);
  if (literal !== 0) {
    candidates = [{ address: host, family: literal }];
  } else {
    try {
      candidates = await (options.lookup ?? defaultLookup)(host);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const why = code === 'ENOTFOUND' || code === 'ENODATA' ? 'no such host' : `DNS lookup failed${typeof code === 'string' ? ` (${code})` : ''}`;
      throw new AppError('BAD_REQUEST', `Could not resolve the webhook host “${host}”: ${why}.`, { reason: 'dns_failed', host, code: typeof code === 'string' ? code : null });
    }
    if (candidates.length === 0) {
      throw new AppError('BAD_REQUEST', `Could not resolve the webhook host “${host}”: it has no addresses.`, { reason: 'dns_failed', host, code: null });
    }
  }

  const checked: ResolvedAddress[] = [];
  for (const candidate of candidates) {
    const family = isIP(candidate.address);
    if (family !== 4 && family !== 6) {
      throw new AppError('BAD_REQUEST', `Could not resolve the webhook host “${host}”: DNS returned “${candidate.address}”, which is not an IP address.`, {
        reason: 'dns_failed',
        host,
        code: null,
      });
    }
    const cls = classifyAddress(candidate.address);
    if (cls !== 'public' && !options.allowPrivate) {
      const resolvesTo = literal !== 0 ? '' : ` resolves to ${candidate.address}, which is`;
      throw new AppError(
        'BAD_REQUEST',
        `Webhook host “${host}”${resolvesTo || ' is'} ${CLASS_WORDS[cls]}; webhooks are only delivered to public internet addresses.`,
        { reason: 'non_public_address', host, address: candidate.address, addressClass: cls },
      );
    }
    checked.push({ address: candidate.address, family });
  }
  return checked[0] as ResolvedAddress;
}
