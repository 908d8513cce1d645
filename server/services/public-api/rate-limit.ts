/**
 * Per-key rate limit in fixed windows (one minute by default). The count lives in PostgreSQL so
 * every web instance shares it; it is taken in the same statement that authenticates the key
 * (`authenticateApiKey`, migrations/0012), which returns the window's count atomically and
 * clears the key's older windows, so the table holds about one row per active key.
 * A fixed window lets a client make up to 2×limit requests around a window boundary; that is
 * the accepted trade-off for one statement per request.
 */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (at least 1). */
  resetSeconds: number;
}

export function rateLimitDecision(requestsInWindow: number, limit: number, now: Date, windowSeconds = 60): RateLimitDecision {
  const windowMs = windowSeconds * 1000;
  const windowEnd = (Math.floor(now.getTime() / windowMs) + 1) * windowMs;
  return {
    allowed: requestsInWindow <= limit,
    limit,
    remaining: Math.max(0, limit - requestsInWindow),
    resetSeconds: Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)),
  };
}
