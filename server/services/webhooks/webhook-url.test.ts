import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error';
import { type AddressClass, classifyAddress, parseWebhookUrl, resolveDeliveryAddress, type HostLookup } from './webhook-url';

const badRequest = (fn: () => unknown, message: RegExp): void => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_REQUEST');
    expect((error as AppError).message).toMatch(message);
    return;
  }
  throw new Error('expected an AppError');
};

describe('parseWebhookUrl', () => {
  it('accepts https URLs with port, path and query, trimming spaces', () => {
    const url = parseWebhookUrl('  https://hooks.example.com:8443/causeway/in?x=1  ', { allowHttp: false });
    expect(url.href).toBe('https://hooks.example.com:8443/causeway/in?x=1');
    expect(parseWebhookUrl('https://[2606:4700::1111]/h', { allowHttp: false }).hostname).toBe('[2606:4700::1111]');
  });

  it('accepts http only when allowed', () => {
    badRequest(() => parseWebhookUrl('http://hooks.example.com/', { allowHttp: false }), /must start with https:\/\/;/);
    expect(parseWebhookUrl('http://localhost:3000/h', { allowHttp: true }).port).toBe('3000');
  });

  it('refuses other schemes, credentials, fragments, garbage and over-long URLs with a message saying what to fix', () => {
    const opts = { allowHttp: true };
    badRequest(() => parseWebhookUrl('', opts), /Enter the URL/);
    badRequest(() => parseWebhookUrl('   ', opts), /Enter the URL/);
    badRequest(() => parseWebhookUrl('hooks.example.com/in', opts), /is not a valid URL/);
    badRequest(() => parseWebhookUrl('ftp://hooks.example.com/', opts), /“ftp:” is not accepted/);
    badRequest(() => parseWebhookUrl('file:///etc/passwd', opts), /“file:” is not accepted/);
    badRequest(() => parseWebhookUrl('javascript:alert(1)', opts), /not accepted/);
    badRequest(() => parseWebhookUrl('https://user:pw@hooks.example.com/', opts), /user name and password/);
    badRequest(() => parseWebhookUrl('https://user@hooks.example.com/', opts), /user name and password/);
    badRequest(() => parseWebhookUrl('https://hooks.example.com/in#frag', opts), /#fragment/);
    badRequest(() => parseWebhookUrl('https://hooks.example.com/in#', opts), /#fragment/);
    badRequest(() => parseWebhookUrl('https://hooks.example.com:0/in', opts), /Port 0/);
    badRequest(() => parseWebhookUrl('https://hooks.example.com:65536/in', opts), /is not a valid URL/);
    const long = `https://hooks.example.com/${'a'.repeat(2048)}`;
    badRequest(() => parseWebhookUrl(long, opts), /2074 characters long; the limit is 2048/);
    expect(parseWebhookUrl(`https://h.example.com/${'a'.repeat(2048 - 22)}`, opts).href).toHaveLength(2048);
  });

  it('normalises numeric hosts so the address check sees the real IP', () => {
    // WHATWG URL parsing turns these into dotted quads; resolveDeliveryAddress then refuses them.
    expect(parseWebhookUrl('http://2130706433/', { allowHttp: true }).hostname).toBe('127.0.0.1');
    expect(parseWebhookUrl('http://0x7f.1/', { allowHttp: true }).hostname).toBe('127.0.0.1');
    expect(parseWebhookUrl('http://[::ffff:169.254.169.254]/', { allowHttp: true }).hostname).toBe('[::ffff:a9fe:a9fe]');
  });
});

describe('classifyAddress', () => {
  const table: [string, AddressClass][] = [
    // public
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['93.184.216.34', 'public'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['192.167.255.255', 'public'],
    ['192.169.0.0', 'public'],
    ['198.17.255.255', 'public'],
    ['198.20.0.0', 'public'],
    ['223.255.255.255', 'public'],
    ['2606:4700::1111', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['2a00:1450:4001:82b::200e', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::808:808', 'public'],
    ['2002:808:808::1', 'public'],
    // 10/8, 172.16/12, 192.168/16, 100.64/10
    ['10.0.0.0', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['192.168.255.255', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    // 127/8, 0/8, 169.254/16
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    // multicast, 240/4, broadcast, 192.0.0/24, 198.18/15, documentation
    ['224.0.0.1', 'multicast'],
    ['239.255.255.255', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.254', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.0.1', 'reserved'],
    ['192.0.0.255', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    // IPv6 specials
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['ff05::1:3', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'],
    ['2001::1', 'reserved'], // Teredo
    ['100::1', 'reserved'], // discard-only
    ['3fff::1', 'reserved'], // documentation (RFC 9637)
    ['::1.2.3.4', 'reserved'], // deprecated IPv4-compatible
    ['4000::1', 'reserved'], // outside 2000::/3
    // IPv6 embedding an IPv4 address: classified by the IPv4 part
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['0:0:0:0:0:ffff:192.168.1.1', 'private'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b:1::1', 'private'],
    ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
    ['2002:a00:1::1', 'private'], // 6to4 of 10.0.0.1
  ];

  it.each(table)('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it('agrees with node:net BlockList on the IPv4 ranges, and classifies mapped and NAT64 forms alike', () => {
    // An independent oracle for the range arithmetic: every non-public IPv4 range as a subnet.
    const blocked = new BlockList();
    for (const [net, prefix] of [
      ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
      ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
    ] as const) blocked.addSubnet(net, prefix, 'ipv4');
    // Seeded LCG (Numerical Recipes constants); addresses biased towards range edges.
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    const edges = [0, 10, 100, 127, 169, 172, 192, 198, 203, 223, 224, 239, 240, 255];
    for (let i = 0; i < 1500; i++) {
      const first = i % 2 === 0 ? (edges[next() % edges.length] as number) : next() % 256;
      const ip = [first, next() % 256, next() % 256, next() % 256].join('.');
      const cls = classifyAddress(ip);
      expect(cls === 'public', ip).toBe(!blocked.check(ip, 'ipv4'));
      expect(classifyAddress(`::ffff:${ip}`), ip).toBe(cls);
      expect(classifyAddress(`64:ff9b::${ip}`), ip).toBe(cls);
    }
  });

  it('refuses what is not an IP address', () => {
    for (const bad of ['', 'localhost', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.02.03.004x', ':::', '1::2::3', 'g::1', '2130706433']) {
      expect(() => classifyAddress(bad), bad).toThrow(AppError);
    }
  });
});

describe('resolveDeliveryAddress', () => {
  const lookupTo =
    (...addresses: string[]): HostLookup =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  const rejection = async (promise: Promise<unknown>): Promise<AppError> => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };

  it('resolves a public name to its first address', async () => {
    const url = new URL('https://hooks.example.com/in');
    await expect(resolveDeliveryAddress(url, { allowPrivate: false, lookup: lookupTo('93.184.216.34', '2606:2800:220:1::') })).resolves.toEqual({ address: '93.184.216.34', family: 4 });
    await expect(resolveDeliveryAddress(url, { allowPrivate: false, lookup: lookupTo('2606:4700::1111') })).resolves.toEqual({ address: '2606:4700::1111', family: 6 });
  });

  it('takes IP literals without DNS', async () => {
    const noDns: HostLookup = () => Promise.reject(new Error('DNS must not be used for literals'));
    await expect(resolveDeliveryAddress(new URL('https://8.8.8.8/h'), { allowPrivate: false, lookup: noDns })).resolves.toEqual({ address: '8.8.8.8', family: 4 });
    await expect(resolveDeliveryAddress(new URL('https://[2606:4700::1111]/h'), { allowPrivate: false, lookup: noDns })).resolves.toEqual({ address: '2606:4700::1111', family: 6 });
    await expect(resolveDeliveryAddress(new URL('http://127.0.0.1:9/h'), { allowPrivate: true, lookup: noDns })).resolves.toEqual({ address: '127.0.0.1', family: 4 });
  });

  it('refuses a host when ANY of its addresses is not public, naming host, address and reason', async () => {
    const url = new URL('https://sneaky.example.com/in');
    const error = await rejection(resolveDeliveryAddress(url, { allowPrivate: false, lookup: lookupTo('93.184.216.34', '10.0.0.5') }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('Webhook host “sneaky.example.com” resolves to 10.0.0.5, which is a private-network address; webhooks are only delivered to public internet addresses.');
    expect(error.details).toEqual({ reason: 'non_public_address', host: 'sneaky.example.com', address: '10.0.0.5', addressClass: 'private' });

    const metadata = await rejection(resolveDeliveryAddress(new URL('http://169.254.169.254/latest/meta-data'), { allowPrivate: false }));
    expect(metadata.message).toBe('Webhook host “169.254.169.254” is a link-local address; webhooks are only delivered to public internet addresses.');

    const v6 = await rejection(resolveDeliveryAddress(new URL('https://[::ffff:127.0.0.1]/'), { allowPrivate: false }));
    expect(v6.details).toMatchObject({ reason: 'non_public_address', host: '::ffff:7f00:1', addressClass: 'loopback' });

    const localhost = await rejection(resolveDeliveryAddress(new URL('https://localhost/'), { allowPrivate: false, lookup: lookupTo('::1', '127.0.0.1') }));
    expect(localhost.message).toMatch(/“localhost” resolves to ::1, which is a loopback address/);
  });

  it('allows private addresses when configured (tests, local development)', async () => {
    await expect(resolveDeliveryAddress(new URL('http://localhost:3000/'), { allowPrivate: true, lookup: lookupTo('127.0.0.1', '::1') })).resolves.toEqual({ address: '127.0.0.1', family: 4 });
  });

  it('uses the system resolver by default', async () => {
    const resolved = await resolveDeliveryAddress(new URL('http://localhost/'), { allowPrivate: true });
    expect(['loopback']).toContain(classifyAddress(resolved.address));
    await expect(resolveDeliveryAddress(new URL('http://localhost/'), { allowPrivate: false })).rejects.toThrow(/“localhost” resolves to .*loopback/);
  });

  it('reports DNS failures as dns_failed (retryable), not as refusals', async () => {
    const notFound: HostLookup = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    const error = await rejection(resolveDeliveryAddress(new URL('https://nope.invalid/'), { allowPrivate: false, lookup: notFound }));
    expect(error.message).toBe('Could not resolve the webhook host “nope.invalid”: no such host.');
    expect(error.details).toEqual({ reason: 'dns_failed', host: 'nope.invalid', code: 'ENOTFOUND' });

    const again: HostLookup = () => Promise.reject(Object.assign(new Error('try again'), { code: 'EAI_AGAIN' }));
    expect((await rejection(resolveDeliveryAddress(new URL('https://flaky.example/'), { allowPrivate: false, lookup: again }))).message).toMatch(/DNS lookup failed \(EAI_AGAIN\)/);

    const empty = await rejection(resolveDeliveryAddress(new URL('https://empty.example/'), { allowPrivate: false, lookup: lookupTo() }));
    expect(empty.details).toMatchObject({ reason: 'dns_failed' });

    const junk = await rejection(resolveDeliveryAddress(new URL('https://junk.example/'), { allowPrivate: false, lookup: lookupTo('not-an-ip') }));
    expect(junk.details).toMatchObject({ reason: 'dns_failed' });
  });
});
