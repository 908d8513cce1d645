/**
 * When to try a failed delivery again. A delivery gets at most `WEBHOOK_MAX_ATTEMPTS` attempts;
 * after failed attempt n (1-based) the next one waits `retryDelaySeconds(n)`:
 *
 *   after attempt   1     2      3       4       5     6     7
 *   wait           30 s  2 min  10 min  30 min  1 h   3 h   6 h   (capped at 6 h)
 *
 * so the eighth and last attempt comes about 10 h 43 min after the first: long enough to ride
 * out a deploy or an outage of the receiver overnight, short enough that a broken endpoint stops
 * within a working day. The delays grow roughly fivefold then level off (rather than a pure
 * 2^n), because early retries catch blips and late ones only need to catch the morning.
 *
 * Optional jitter (±10 %, from a random source the caller passes in) spreads out retries when
 * one receiver fails for many deliveries at once.
 */
import { type WebhookDeliveryErrorCode, type WebhookDeliveryResult } from './deliver-webhook';

export const WEBHOOK_MAX_ATTEMPTS = 8;

/** Seconds to wait after failed attempt 1, 2, … 7; later attempts use the last (the cap). */
export const WEBHOOK_RETRY_SCHEDULE_SECONDS = [30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600] as const;
export const WEBHOOK_RETRY_CAP_SECONDS = 6 * 3600;

export interface RetryDelayOptions {
  /** A uniform [0, 1) source; when given, the delay is scaled by a factor in [0.9, 1.1). */
  random?: () => number;
}

/** Seconds to wait before the attempt after failed attempt `attempt` (1-based). */
export function retryDelaySeconds(attempt: number, options: RetryDelayOptions = {}): number {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError(`attempt is a whole number from 1, not ${String(attempt)}`);
  const base = WEBHOOK_RETRY_SCHEDULE_SECONDS[attempt - 1] ?? WEBHOOK_RETRY_CAP_SECONDS;
  if (options.random === undefined) return base;
  return Math.round(base * (0.9 + 0.2 * options.random()));
}

/** Statuses that mean "try later": request timeout, rate limited. 5xx are added below. */
const RETRYABLE_STATUSES = new Set([408, 429]);

/** Outcomes no retry can change: the request itself was invalid, or it was refused before sending. */
const FINAL_ERROR_CODES: ReadonlySet<string> = new Set<WebhookDeliveryErrorCode>(['invalid_request', 'address_refused']);

export type RetryableInput = Pick<WebhookDeliveryResult, 'ok' | 'status'> & { errorCode?: WebhookDeliveryErrorCode | null };

/**
 * Whether a failed attempt is worth repeating: network errors, timeouts, TLS errors (a
 * certificate may be renewed), 408, 429 and 5xx are; other 4xx and 3xx (redirects are never
 * followed, so repeating cannot help) are not, nor is a request we refused to send.
 * `resolveAndDeliverWebhook` reports a refused address as 'address_refused' (final) and a DNS
 * failure as 'dns' (retried).
 */
export function isRetryable(result: RetryableInput): boolean {
  if (result.ok) return false;
  if (result.status === null) return !FINAL_ERROR_CODES.has(result.errorCode ?? '');
  return RETRYABLE_STATUSES.has(result.status) || (result.status >= 500 && result.status < 600);
}

/** Seconds until the next attempt after failed attempt `attempt`, or null when there is none. */
export function nextRetryDelaySeconds(attempt: number, result: RetryableInput, options: RetryDelayOptions = {}): number | null {
  if (attempt >= WEBHOOK_MAX_ATTEMPTS || !isRetryable(result)) return null;
  return retryDelaySeconds(attempt, options);
}
