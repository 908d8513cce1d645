import { describe, expect, it } from 'vitest';
import { type WebhookDeliveryErrorCode } from './deliver-webhook';
import { isRetryable, nextRetryDelaySeconds, retryDelaySeconds, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_CAP_SECONDS } from './webhook-retry';

describe('retryDelaySeconds', () => {
  it('follows the documented schedule: 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, then the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelaySeconds(n))).toEqual([30, 120, 600, 1800, 3600, 10_800, 21_600]);
    expect(retryDelaySeconds(8)).toBe(WEBHOOK_RETRY_CAP_SECONDS);
    expect(retryDelaySeconds(1000)).toBe(6 * 3600);
  });

  it('spreads the last attempt about 10 h 43 min after the first', () => {
    let total = 0;
    for (let attempt = 1; attempt < WEBHOOK_MAX_ATTEMPTS; attempt++) total += retryDelaySeconds(attempt);
    expect(WEBHOOK_MAX_ATTEMPTS).toBe(8);
    expect(total).toBe(10 * 3600 + 42 * 60 + 30);
  });

  it('never shrinks from one attempt to the next', () => {
    for (let attempt = 1; attempt < 20; attempt++) expect(retryDelaySeconds(attempt + 1)).toBeGreaterThanOrEqual(retryDelaySeconds(attempt));
  });

  it('adds ±10 % jitter from the random source it is given', () => {
    expect(retryDelaySeconds(1, { random: () => 0 })).toBe(27);
    expect(retryDelaySeconds(1, { random: () => 0.5 })).toBe(30);
    expect(retryDelaySeconds(1, { random: () => 0.999999 })).toBe(33);
    expect(retryDelaySeconds(7, { random: () => 0 })).toBe(19_440);
  });

  it('refuses attempts that are not whole numbers from 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => retryDelaySeconds(bad)).toThrow(RangeError);
  });
});

describe('isRetryable', () => {
  const failed = (status: number | null, errorCode: WebhookDeliveryErrorCode | null = status === null ? 'network' : 'http_status') => ({ ok: false, status, errorCode });

  it('retries network errors, timeouts, TLS errors, 408, 429 and 5xx', () => {
    for (const code of <WebhookDeliveryErrorCode[]>['timeout', 'dns', 'connection_refused', 'connection_reset', 'unreachable', 'tls', 'network', 'invalid_response']) expect(isRetryable(failed(null, code)), code).toBe(true);
    expect(isRetryable({ ok: false, status: null })).toBe(true);
    for (const status of [408, 429, 500, 502, 503, 504, 599]) expect(isRetryable(failed(status)), String(status)).toBe(true);
  });

  it('does not retry other 4xx, 3xx, successes, or requests that were never sent', () => {
    for (const status of [400, 401, 403, 404, 409, 410, 413, 422, 301, 302, 307, 308]) expect(isRetryable(failed(status)), String(status)).toBe(false);
    expect(isRetryable({ ok: true, status: 200 })).toBe(false);
    expect(isRetryable(failed(null, 'invalid_request'))).toBe(false);
    expect(isRetryable(failed(null, 'address_refused'))).toBe(false);
  });
});

describe('nextRetryDelaySeconds', () => {
  it('gives the schedule for retryable failures until the last attempt, then null', () => {
    expect(nextRetryDelaySeconds(1, { ok: false, status: 503 })).toBe(30);
    expect(nextRetryDelaySeconds(7, { ok: false, status: null })).toBe(21_600);
    expect(nextRetryDelaySeconds(8, { ok: false, status: 503 })).toBeNull();
    expect(nextRetryDelaySeconds(1, { ok: false, status: 400 })).toBeNull();
    expect(nextRetryDelaySeconds(1, { ok: true, status: 200 })).toBeNull();
  });
});
