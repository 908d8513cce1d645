/**
 * One attempt at a webhook delivery (the `webhook.deliver` job): sign the stored body with a
 * fresh timestamp, POST it, and record the attempt. A retryable failure schedules the next
 * attempt on the documented backoff (webhook-retry.ts) as a new job in the same transaction that
 * records this one; a final failure or the last attempt marks the delivery failed. No
 * transaction is held open during the HTTP request.
 *
 * Delivery is at least once: a worker that dies between sending and recording sends again, so
 * receivers deduplicate on the event id (`Causeway-Delivery` / body `id`). The URL and its
 * address are checked again on every attempt (DNS may have changed since registration), DNS
 * included in the attempt's time limit.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { env } from '../../env';
import { enqueue, type JobPayload } from '../../jobs/catalog';
import { logger } from '../../logger';
import { resolveAndDeliverWebhook, type WebhookDeliveryResult } from './deliver-webhook';
import { sealingSecret } from './manage-webhooks';
import { openSecret } from './secret-box';
import { nextRetryDelaySeconds } from './webhook-retry';
import { webhookRequestHeaders } from './webhook-signature';

type Job = JobPayload<'webhook.deliver'>;

/** An attempt that was never sent (disabled endpoint, unreadable secret), shaped like a result for the log. */
const notSent = (error: string): WebhookDeliveryResult => ({ ok: false, status: null, durationMs: 0, responseSnippet: '', responseTruncated: false, error, errorCode: 'invalid_request' });

async function attemptDelivery(delivery: typeof webhookDeliveries.$inferSelect, url: string, sealedSecret: string): Promise<WebhookDeliveryResult> {
  const config = env();
  let secret: string;
  try {
    secret = openSecret(sealedSecret, sealingSecret());
  } catch (error) {
    return notSent((error as Error).message);
  }
  return resolveAndDeliverWebhook({
    url,
    body: delivery.body,
    headers: webhookRequestHeaders({ secret, eventType: delivery.eventType, deliveryId: delivery.eventId, timestamp: Math.floor(Date.now() / 1000), body: delivery.body }),
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    allowHttp: config.WEBHOOK_ALLOW_LOCAL_URLS,
    allowPrivate: config.WEBHOOK_ALLOW_LOCAL_URLS,
  });
}

export async function sendWebhookDelivery(db: Db, job: Job): Promise<void> {
  const where = and(eq(webhookDeliveries.tenantId, job.tenantId), eq(webhookDeliveries.id, job.deliveryId));
  const found = await withTenant(db, job.tenantId, async (tx) => {
    const [row] = await tx
      .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(where);
    return row;
  });
  if (!found || found.delivery.status !== 'pending') {
    logger.info('webhook delivery not pending (delivered, failed or its endpoint deleted); skipped', job);
    return;
  }
  const { delivery, endpoint } = found;
  const attempt = delivery.attempts + 1;
  const startedAt = new Date();

  const result = endpoint.enabled ? await attemptDelivery(delivery, endpoint.url, endpoint.secretCiphertext) : notSent('The endpoint is disabled; enable it and resend.');

  // A refused attempt (disabled endpoint, unreadable secret) is `invalid_request`: not retried.
  const retryIn = result.ok ? null : nextRetryDelaySeconds(attempt, result);
  const now = new Date();
  const nextAttemptAt = retryIn === null ? null : new Date(now.getTime() + retryIn * 1000);
  await withTenant(db, job.tenantId, async (tx) => {
    await tx.insert(webhookAttempts).values({
      tenantId: job.tenantId,
      deliveryId: delivery.id,
      attempt,
      trigger: job.trigger,
      startedAt,
      durationMs: result.durationMs,
      ok: result.ok,
      statusCode: result.status,
      error: result.error,
      responseSnippet: result.responseSnippet,
    });
    await tx
      .update(webhookDeliveries)
      .set({
        attempts: attempt,
        status: result.ok ? 'succeeded' : nextAttemptAt ? 'pending' : 'failed',
        lastStatusCode: result.status,
        lastError: result.error,
        nextAttemptAt,
        completedAt: nextAttemptAt ? null : now,
      })
      .where(where);
    if (nextAttemptAt) {
      await enqueue(tx, 'webhook.deliver', { ...job, trigger: 'retry' }, { jobKey: `webhook.deliver:${delivery.id}`, runAt: nextAttemptAt, maxAttempts: 3 });
    }
  });
  logger.info('webhook attempt', { ...job, attempt, ok: result.ok, status: result.status, error: result.error, retryInSeconds: retryIn });
}
