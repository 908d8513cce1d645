import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error';
import {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  WEBHOOK_VERIFY_SNIPPET,
  webhookRequestHeaders,
} from './webhook-signature';

const SECRET = 'whsec_test_secret';
const T = 1_700_000_000;
const BODY = '{"hello":"world"}';

describe('generateWebhookSecret', () => {
  it('makes whsec_ + 32 random bytes in base64url, never the same twice', () => {
    const secrets = Array.from({ length: 50 }, () => generateWebhookSecret());
    for (const s of secrets) {
      expect(s).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(s.slice(6), 'base64url')).toHaveLength(32);
    }
    expect(new Set(secrets).size).toBe(50);
  });
});

describe('signWebhook', () => {
  it('matches an HMAC computed by openssl', () => {
    // printf '1700000000.{"hello":"world"}' | openssl dgst -sha256 -hmac 'whsec_test_secret'
    expect(signWebhook(SECRET, T, BODY)).toBe('t=1700000000,v1=86748dbec9cc87a9219f8a96632da703271bf5e85aa0afa2b310c37ba059d514');
  });

  it('keys the HMAC with the whole secret as UTF-8 and signs bytes the same as the string', () => {
    const secret = 'whsec_ünïcødé';
    const body = '{"name":"Zoë — ✓"}';
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${T}.${body}`, 'utf8').digest('hex');
    expect(signWebhook(secret, T, body)).toBe(`t=${T},v1=${expected}`);
    expect(signWebhook(secret, T, Buffer.from(body, 'utf8'))).toBe(`t=${T},v1=${expected}`);
  });

  it('carries one v1 per secret while a secret is rotated', () => {
    const header = signWebhook(['whsec_new', 'whsec_old'], T, BODY);
    expect(header.split(',')).toEqual([`t=${T}`, signWebhook('whsec_new', T, BODY).split(',')[1], signWebhook('whsec_old', T, BODY).split(',')[1]]);
  });

  it('refuses a missing secret and a timestamp that is not whole unix seconds', () => {
    expect(() => signWebhook('', T, BODY)).toThrow(AppError);
    expect(() => signWebhook([], T, BODY)).toThrow(AppError);
    expect(() => signWebhook(SECRET, 1.5, BODY)).toThrow(/whole number of unix seconds/);
    expect(() => signWebhook(SECRET, -1, BODY)).toThrow(AppError);
    expect(() => signWebhook(SECRET, Number.NaN, BODY)).toThrow(AppError);
  });
});

describe('webhookRequestHeaders', () => {
  it('gives the four Causeway headers with a signature over the body', () => {
    const headers = webhookRequestHeaders({ secret: SECRET, eventType: 'run.completed', deliveryId: 'd-1', timestamp: T, body: BODY });
    expect(headers).toEqual({
      'Causeway-Event': 'run.completed',
      'Causeway-Delivery': 'd-1',
      'Causeway-Timestamp': String(T),
      'Causeway-Signature': signWebhook(SECRET, T, BODY),
    });
    expect([WEBHOOK_SIGNATURE_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_DELIVERY_HEADER, WEBHOOK_TIMESTAMP_HEADER]).toEqual([
      'Causeway-Signature',
      'Causeway-Event',
      'Causeway-Delivery',
      'Causeway-Timestamp',
    ]);
  });
});

describe('verifyWebhook', () => {
  const header = signWebhook(SECRET, T, BODY);
  const at = { now: T };

  it('accepts its own signature, with the body as string or bytes, and a Date as now', () => {
    expect(verifyWebhook(SECRET, header, BODY, at)).toEqual({ ok: true, timestamp: T });
    expect(verifyWebhook(SECRET, header, Buffer.from(BODY), at)).toEqual({ ok: true, timestamp: T });
    expect(verifyWebhook(SECRET, header, BODY, { now: new Date(T * 1000 + 999) })).toEqual({ ok: true, timestamp: T });
  });

  it('refuses another secret, a changed body and a changed timestamp', () => {
    expect(verifyWebhook('whsec_other', header, BODY, at)).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verifyWebhook(SECRET, header, BODY.replace('world', 'World'), at)).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verifyWebhook(SECRET, header, `${BODY} `, at)).toEqual({ ok: false, reason: 'signature_mismatch' });
    const moved = header.replace(`t=${T}`, `t=${T + 1}`);
    expect(verifyWebhook(SECRET, moved, BODY, { now: T + 1 })).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  it('refuses timestamps further than the tolerance either way, and only authentic ones are called stale', () => {
    expect(verifyWebhook(SECRET, header, BODY, { now: T + 300 }).ok).toBe(true);
    expect(verifyWebhook(SECRET, header, BODY, { now: T - 300 }).ok).toBe(true);
    expect(verifyWebhook(SECRET, header, BODY, { now: T + 301 })).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
    expect(verifyWebhook(SECRET, header, BODY, { now: T - 301 })).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
    expect(verifyWebhook(SECRET, header, BODY, { now: T + 3600, toleranceSeconds: 3600 }).ok).toBe(true);
    expect(verifyWebhook(SECRET, header, BODY, { now: T + 1, toleranceSeconds: 0 }).ok).toBe(false);
    expect(verifyWebhook('whsec_other', header, BODY, { now: T + 10_000 })).toEqual({ ok: false, reason: 'signature_mismatch' });
    // No `now`: the real clock, against which 2023 is long stale.
    expect(verifyWebhook(SECRET, header, BODY)).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
    const fresh = Math.floor(Date.now() / 1000);
    expect(verifyWebhook(SECRET, signWebhook(SECRET, fresh, BODY), BODY).ok).toBe(true);
  });

  it('accepts any of several v1 entries (secret rotation) and several secrets', () => {
    const rotated = signWebhook(['whsec_new', 'whsec_old'], T, BODY);
    expect(verifyWebhook('whsec_new', rotated, BODY, at).ok).toBe(true);
    expect(verifyWebhook('whsec_old', rotated, BODY, at).ok).toBe(true);
    expect(verifyWebhook('whsec_neither', rotated, BODY, at)).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verifyWebhook(['whsec_neither', SECRET], header, BODY, at).ok).toBe(true);
  });

  it('tolerates spaces, upper-case hex and unknown schemes', () => {
    const [t, v1] = header.split(',') as [string, string];
    expect(verifyWebhook(SECRET, ` ${t} , v0=abc, ${v1.toUpperCase().replace('V1=', 'v1=')} ,v2=zzz`, BODY, at).ok).toBe(true);
  });

  it('names malformed headers and headers without a signature', () => {
    const v1 = header.split(',')[1] as string;
    const cases: [string | null | undefined, string][] = [
      [undefined, 'malformed_header'],
      [null, 'malformed_header'],
      ['', 'malformed_header'],
      ['garbage', 'malformed_header'],
      [v1, 'malformed_header'], // no t=
      [`t=abc,${v1}`, 'malformed_header'],
      [`t=-5,${v1}`, 'malformed_header'],
      [`t=${T},t=${T},${v1}`, 'malformed_header'],
      [`t=${T},v1=abc`, 'malformed_header'],
      [`t=${T},${v1}00`, 'malformed_header'],
      [`t=${T},v1=${'g'.repeat(64)}`, 'malformed_header'],
      [`t=${T},=x,${v1}`, 'malformed_header'],
      [`t=${T},${v1},`, 'malformed_header'],
      [`t=${T},${`${v1},`.repeat(60)}${v1}`, 'malformed_header'], // valid but over 4 KB
      [`t=${T}`, 'no_signature'],
      [`t=${T},v0=${'a'.repeat(64)}`, 'no_signature'],
    ];
    for (const [bad, reason] of cases) expect(verifyWebhook(SECRET, bad, BODY, at), String(bad)).toEqual({ ok: false, reason });
  });

  it('refuses to verify without a secret', () => {
    expect(() => verifyWebhook('', header, BODY, at)).toThrow(AppError);
    expect(() => verifyWebhook(SECRET, header, BODY, { now: T, toleranceSeconds: -1 })).toThrow(AppError);
  });
});

describe('WEBHOOK_VERIFY_SNIPPET (the docs example)', () => {
  it('depends on node:crypto only', () => {
    const imports = [...WEBHOOK_VERIFY_SNIPPET.matchAll(/^\s*import .* from '([^']+)'/gm)].map((m) => m[1]);
    expect(imports).toEqual(['node:crypto']);
    expect(WEBHOOK_VERIFY_SNIPPET).not.toMatch(/\brequire\(/);
    expect(WEBHOOK_VERIFY_SNIPPET).toContain("req.headers['causeway-signature']");
  });

  it('agrees with verifyWebhook when run as a plain Node module', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'causeway-webhook-snippet-'));
    try {
      const rotated = signWebhook(['whsec_new', SECRET], T, BODY);
      const cases = [
        { name: 'valid', secret: SECRET, header: signWebhook(SECRET, T, BODY), body: BODY, now: T },
        { name: 'valid, bytes', secret: SECRET, header: signWebhook(SECRET, T, BODY), body: BODY, bytes: true, now: T + 299 },
        { name: 'unicode body', secret: SECRET, header: signWebhook(SECRET, T, '{"n":"Zoë ✓"}'), body: '{"n":"Zoë ✓"}', now: T },
        { name: 'rotation', secret: SECRET, header: rotated, body: BODY, now: T },
        { name: 'wrong secret', secret: 'whsec_other', header: signWebhook(SECRET, T, BODY), body: BODY, now: T },
        { name: 'tampered body', secret: SECRET, header: signWebhook(SECRET, T, BODY), body: `${BODY}x`, now: T },
        { name: 'stale', secret: SECRET, header: signWebhook(SECRET, T, BODY), body: BODY, now: T + 301 },
        { name: 'future', secret: SECRET, header: signWebhook(SECRET, T, BODY), body: BODY, now: T - 301 },
        { name: 'no header', secret: SECRET, header: null, body: BODY, now: T },
        { name: 'no v1', secret: SECRET, header: `t=${T}`, body: BODY, now: T },
        { name: 'short v1', secret: SECRET, header: `t=${T},v1=abcd`, body: BODY, now: T },
      ];
      await writeFile(path.join(dir, 'snippet.mjs'), WEBHOOK_VERIFY_SNIPPET);
      await writeFile(
        path.join(dir, 'harness.mjs'),
        `import { verifyCausewaySignature } from './snippet.mjs';
const cases = JSON.parse(process.argv[2]);
const out = cases.map((c) => verifyCausewaySignature(c.secret, c.header, c.bytes ? Buffer.from(c.body, 'utf8') : c.body, { now: c.now }));
process.stdout.write(JSON.stringify({ out }));
`,
      );
      const { stdout } = await promisify(execFile)(process.execPath, [path.join(dir, 'harness.mjs'), JSON.stringify(cases)], { timeout: 30_000 });
      const { out } = JSON.parse(stdout) as { out: boolean[] };
      const expected = cases.map((c) => verifyWebhook(c.secret, c.header, c.body, { now: c.now }).ok);
      expect(expected).toEqual([true, true, true, true, false, false, false, false, false, false, false]);
      expect(Object.fromEntries(cases.map((c, i) => [c.name, out[i]]))).toEqual(Object.fromEntries(cases.map((c, i) => [c.name, expected[i]])));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('uses the real clock and a 300 s tolerance by default', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'causeway-webhook-snippet-'));
    try {
      await writeFile(path.join(dir, 'snippet.mjs'), WEBHOOK_VERIFY_SNIPPET);
      const now = Math.floor(Date.now() / 1000);
      const cases = [
        { header: signWebhook(SECRET, now, BODY), want: true },
        { header: signWebhook(SECRET, now - 3600, BODY), want: false },
      ];
      await writeFile(
        path.join(dir, 'harness.mjs'),
        `import { verifyCausewaySignature } from './snippet.mjs';
const cases = JSON.parse(process.argv[2]);
process.stdout.write(JSON.stringify(cases.map((c) => verifyCausewaySignature(${JSON.stringify(SECRET)}, c.header, ${JSON.stringify(BODY)}))));
`,
      );
      const { stdout } = await promisify(execFile)(process.execPath, [path.join(dir, 'harness.mjs'), JSON.stringify(cases)], { timeout: 30_000 });
      expect(JSON.parse(stdout)).toEqual(cases.map((c) => c.want));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
