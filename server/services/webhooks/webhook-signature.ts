/**
 * Signing of webhook deliveries, Stripe-style: the `Causeway-Signature` header reads
 * `t=<unix seconds>,v1=<hex HMAC-SHA256>` where the HMAC key is the endpoint's whole secret
 * (`whsec_…`, as UTF-8) and the message is `<t>.<raw body>`. Signing the timestamp together
 * with the body lets a receiver refuse replays of old deliveries; several `v1=` entries may
 * appear while an endpoint's secret is being rotated (one per secret), and a receiver accepts
 * the delivery if any of them matches.
 *
 * `verifyWebhook` is the reference verifier (used by the tests and the lead's integration
 * tests); `WEBHOOK_VERIFY_SNIPPET` is the self-contained version the docs show receivers. A
 * test runs that snippet in a plain Node process against `signWebhook`, so it cannot go stale.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors/app-error';

export const WEBHOOK_SIGNATURE_HEADER = 'Causeway-Signature';
/** The event type, e.g. `run.completed` (also in the body's `type`). */
export const WEBHOOK_EVENT_HEADER = 'Causeway-Event';
/** The event id (the body's `id`): the same on every retry and resend, so receivers can deduplicate. */
export const WEBHOOK_DELIVERY_HEADER = 'Causeway-Delivery';
/** The signing timestamp in unix seconds (the same value as `t=` in the signature). */
export const WEBHOOK_TIMESTAMP_HEADER = 'Causeway-Timestamp';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** How far (either way) a signature's timestamp may be from the receiver's clock. */
export const WEBHOOK_DEFAULT_TOLERANCE_SECONDS = 300;

/** Longest signature header `verifyWebhook` reads: bounds the work an attacker can cause. */
const MAX_HEADER_LENGTH = 4096;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const DIGITS = /^\d{1,15}$/;

/** A new endpoint secret: `whsec_` + 32 random bytes as base64url (43 characters). */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64url');
}

function assertTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new AppError('BAD_REQUEST', `A webhook timestamp is a whole number of unix seconds, not ${String(timestamp)}.`);
  }
}

function hmac(secret: string, timestamp: number, body: string | Uint8Array): Buffer {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.`, 'utf8').update(body).digest();
}

/**
 * The `Causeway-Signature` header value for one delivery. Pass several secrets (the new one
 * first) while a secret is being rotated: the header then carries one `v1=` per secret.
 * `timestamp` is unix seconds (`Math.floor(Date.now() / 1000)`), not milliseconds.
 */
export function signWebhook(secret: string | readonly string[], timestamp: number, body: string | Uint8Array): string {
  assertTimestamp(timestamp);
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0 || secrets.some((s) => s.length === 0)) {
    throw new AppError('BAD_REQUEST', 'A webhook secret is required to sign a delivery.');
  }
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${hmac(s, timestamp, body).toString('hex')}`)].join(',');
}

export interface WebhookRequestHeadersInput {
  secret: string | readonly string[];
  eventType: string;
  deliveryId: string;
  /** Unix seconds. */
  timestamp: number;
  body: string;
}

/** The four Causeway-* headers of one delivery attempt (sign again on each retry: new `t`). */
export function webhookRequestHeaders(input: WebhookRequestHeadersInput): Record<string, string> {
  return {
    [WEBHOOK_EVENT_HEADER]: input.eventType,
    [WEBHOOK_DELIVERY_HEADER]: input.deliveryId,
    [WEBHOOK_TIMESTAMP_HEADER]: String(input.timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: signWebhook(input.secret, input.timestamp, input.body),
  };
}

export type WebhookVerifyFailureReason =
  /** Missing, too long, no `t=`, a repeated or non-numeric `t=`, or a `v1=` that is not 64 hex digits. */
  | 'malformed_header'
  /** Well-formed but without any `v1=` entry. */
  | 'no_signature'
  /** No `v1=` entry matches the secret and body. */
  | 'signature_mismatch'
  /** The signature matches but its timestamp is further from `now` than the tolerance. */
  | 'timestamp_out_of_tolerance';

export type WebhookVerifyResult = { ok: true; timestamp: number } | { ok: false; reason: WebhookVerifyFailureReason };

export interface VerifyWebhookOptions {
  /** The receiver's clock: unix seconds, or a Date. Defaults to the current time. */
  now?: number | Date;
  toleranceSeconds?: number;
}

interface ParsedHeader {
  timestamp: number;
  signatures: Buffer[];
}

function parseSignatureHeader(header: string): ParsedHeader | 'malformed_header' | 'no_signature' {
  if (header.length === 0 || header.length > MAX_HEADER_LENGTH) return 'malformed_header';
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return 'malformed_header';
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !DIGITS.test(value)) return 'malformed_header';
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return 'malformed_header';
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (a future v2, Stripe's v0) are ignored so that they can be added later.
  }
  if (timestamp === undefined) return 'malformed_header';
  if (signatures.length === 0) return 'no_signature';
  return { timestamp, signatures };
}

/**
 * Checks a `Causeway-Signature` header against the raw request body (exactly the bytes
 * received, before any JSON parsing). The signature is checked before the timestamp, so
 * `timestamp_out_of_tolerance` means "authentic but too old (or too far ahead)": a replay or a
 * skewed clock. Comparison is constant-time per candidate.
 */
export function verifyWebhook(
  secret: string | readonly string[],
  header: string | null | undefined,
  body: string | Uint8Array,
  options: VerifyWebhookOptions = {},
): WebhookVerifyResult {
  const toleranceSeconds = options.toleranceSeconds ?? WEBHOOK_DEFAULT_TOLERANCE_SECONDS;
  if (!(toleranceSeconds >= 0)) throw new AppError('BAD_REQUEST', 'The signature tolerance is a number of seconds, 0 or more.');
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0 || secrets.some((s) => s.length === 0)) {
    throw new AppError('BAD_REQUEST', 'A webhook secret is required to verify a delivery.');
  }
  const parsed = parseSignatureHeader(header ?? '');
  if (typeof parsed === 'string') return { ok: false, reason: parsed };

  let matched = false;
  for (const s of secrets) {
    const expected = hmac(s, parsed.timestamp, body);
    for (const candidate of parsed.signatures) {
      // Every candidate is compared (no early exit), each in constant time.
      if (timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  if (!matched) return { ok: false, reason: 'signature_mismatch' };

  const now = options.now === undefined ? Date.now() / 1000 : options.now instanceof Date ? options.now.getTime() / 1000 : options.now;
  if (Math.abs(Math.floor(now) - parsed.timestamp) > toleranceSeconds) return { ok: false, reason: 'timestamp_out_of_tolerance' };
  return { ok: true, timestamp: parsed.timestamp };
}

/**
 * What the docs show receivers: a dependency-free verifier using node:crypto only. Keep it in
 * step with `verifyWebhook`; webhook-signature.test.ts runs it in a plain Node process.
 */
export const WEBHOOK_VERIFY_SNIPPET = `import { createHmac, timingSafeEqual } from 'node:crypto';

// Returns true when the Causeway-Signature header matches the raw request body.
// secret:  the endpoint's signing secret (whsec_...), exactly as shown when you created it.
// header:  the value of the Causeway-Signature request header.
// rawBody: the request body exactly as received (a Buffer or string), before JSON.parse.
export function verifyCausewaySignature(secret, header, rawBody, { toleranceSeconds = 300, now = Date.now() / 1000 } = {}) {
  let timestamp = null;
  const signatures = [];
  for (const part of String(header ?? '').split(',')) {
    const [key, value = ''] = part.trim().split('=');
    if (key === 't' && /^\\d+$/.test(value)) timestamp = value;
    if (key === 'v1') signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === null || signatures.length === 0) return false;
  // Refuse replays: the timestamp is signed, so it cannot be changed without the secret.
  if (Math.abs(Math.floor(now) - Number(timestamp)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(timestamp + '.').update(rawBody).digest();
  // Several v1 entries appear while a secret is being rotated; any one may match.
  return signatures.some((sig) => sig.length === expected.length && timingSafeEqual(sig, expected));
}

// Example with node:http (most frameworks give you the raw body in a similar way):
//
//   const chunks = [];
//   for await (const chunk of req) chunks.push(chunk);
//   const rawBody = Buffer.concat(chunks);
//   if (!verifyCausewaySignature(process.env.CAUSEWAY_WEBHOOK_SECRET, req.headers['causeway-signature'], rawBody)) {
//     res.writeHead(400).end('bad signature');
//     return;
//   }
//   const event = JSON.parse(rawBody.toString('utf8'));
//   // Deliveries may arrive more than once: deduplicate on req.headers['causeway-delivery'].
//   res.writeHead(200).end();
`;
