/**
 * Emits a webhook event inside the transaction that made it happen (the run's final status, the
 * dataset version's load): one delivery row per enabled endpoint subscribed to the event, and a
 * `webhook.deliver` job for each, written in that same transaction. So an event is delivered
 * exactly when its state change committed: never for a rolled-back load, never lost for a
 * committed one.
 *
 * Runs finish in drizzle transactions and loads in raw postgres.js ones (COPY); both run the
 * same statements through a tagged-template runner.
 */
import { sql } from 'drizzle-orm';
import type { TransactionSql } from 'postgres';
import type { Tx } from '../../../db/client';
import { env } from '../../env';
import { buildWebhookEvent, type WebhookEventDataInput, type WebhookEventType } from './webhook-events';

export type SqlRunner = (strings: TemplateStringsArray, ...values: unknown[]) => Promise<readonly Record<string, unknown>[]>;

export const drizzleRunner =
  (tx: Tx): SqlRunner =>
  async (strings, ...values) =>
    (await tx.execute(sql(strings, ...values))) as unknown as Record<string, unknown>[];

export const postgresRunner =
  (tx: TransactionSql): SqlRunner =>
  (strings, ...values) =>
    tx(strings, ...(values as never[])) as unknown as Promise<Record<string, unknown>[]>;

/** Returns how many deliveries were queued (0 when no endpoint listens for the event). */
export async function emitWebhookEvent<T extends WebhookEventType>(run: SqlRunner, tenantId: string, type: T, data: WebhookEventDataInput<T>): Promise<number> {
  const [listening] = await run`select t.slug from tenants t
    where t.id = ${tenantId}::uuid and exists (select 1 from webhook_endpoints e where e.tenant_id = t.id and e.enabled and ${type}::text = any(e.events))`;
  if (!listening) return 0;
  const { body, event } = buildWebhookEvent(type, { tenant: String(listening.slug), data, baseUrl: env().APP_URL });
  const queued = await run`
    with delivery as (
      insert into webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, body, next_attempt_at)
      select ${tenantId}::uuid, e.id, ${event.id}::uuid, ${type}::text, ${body}::text, now()
      from webhook_endpoints e
      where e.tenant_id = ${tenantId}::uuid and e.enabled and ${type}::text = any(e.events)
      returning id
    )
    select graphile_worker.add_job(
      'webhook.deliver',
      json_build_object('tenantId', ${tenantId}::text, 'deliveryId', delivery.id, 'trigger', 'event'),
      job_key => 'webhook.deliver:' || delivery.id,
      max_attempts => 3
    ) from delivery`;
  return queued.length;
}
