/**
 * Webhook endpoints of a tenant, managed by its admins: register (URL, events, description; the
 * signing secret is returned once), list, change, enable/disable, delete, rotate the secret; the
 * delivery log of an endpoint with every attempt, and "resend" of a delivery. Every change is
 * audit-logged. URLs are checked when registered (https, no credentials, and in production a
 * public address) and again before every delivery, since DNS can change in between.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../../db/client';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { AppError, notFound } from '../../errors/app-error';
import { env } from '../../env';
import { enqueue } from '../../jobs/catalog';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { TenantActor } from '../members/manage-members';
import { assertRole } from '../tenants/roles';
import { sealSecret } from './secret-box';
import { webhookEventTypes } from './webhook-events';
import { generateWebhookSecret } from './webhook-signature';
import { parseWebhookUrl, resolveDeliveryAddress } from './webhook-url';

export const MAX_ENDPOINTS_PER_TENANT = 10;
/** Deliveries shown per endpoint in the portal log. */
export const DELIVERY_LOG_LIMIT = 50;

const events = z
  .array(z.enum(webhookEventTypes, { error: `Events are ${webhookEventTypes.join(', ')}.` }))
  .min(1, 'Choose at least one event to receive.')
  .transform((list) => [...new Set(list)].sort());

export const createWebhookInput = z.object({
  url: z.string().max(2048),
  events,
  description: z.string().trim().max(200).default(''),
});

export const updateWebhookInput = z.object({
  endpointId: z.string().uuid(),
  url: z.string().max(2048).optional(),
  events: events.optional(),
  description: z.string().trim().max(200).optional(),
  enabled: z.boolean().optional(),
});

/** The secret that seals endpoints' signing secrets (see secret-box.ts). */
export function sealingSecret(): string {
  const secret = env().AUTH_SECRET;
  if (!secret) throw new AppError('INTERNAL', 'AUTH_SECRET is not set; webhook secrets cannot be sealed or opened.');
  return secret;
}

/**
 * The URL as it will be used. A name that does not resolve now is accepted (internal DNS, a
 * receiver not deployed yet: deliveries will say so); one that resolves to a non-public address
 * is refused unless WEBHOOK_ALLOW_LOCAL_URLS is set.
 */
async function checkedUrl(input: string): Promise<string> {
  const allowLocal = env().WEBHOOK_ALLOW_LOCAL_URLS;
  const url = parseWebhookUrl(input, { allowHttp: allowLocal });
  try {
    await resolveDeliveryAddress(url, { allowPrivate: allowLocal });
  } catch (error) {
    if (!(error instanceof AppError) || error.details.reason !== 'dns_failed') throw error;
  }
  return url.toString();
}

async function endpointRow(tx: Tx, tenantId: string, endpointId: string) {
  const [row] = await tx
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, endpointId)));
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

const endpointView = ({ secretCiphertext: _sealed, ...row }: typeof webhookEndpoints.$inferSelect) => row;

export async function createWebhookEndpoint(db: Db, actor: TenantActor, rawInput: z.input<typeof createWebhookInput>) {
  assertRole(actor.role, 'admin');
  const input = createWebhookInput.parse(rawInput);
  const url = await checkedUrl(input.url);
  const secret = generateWebhookSecret();
  return withTenant(db, actor.tenantId, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`webhooks:${actor.tenantId}`}, 0))`);
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, actor.tenantId));
    if ((count?.n ?? 0) >= MAX_ENDPOINTS_PER_TENANT) {
      throw new AppError('CONFLICT', `Your institution has ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints; delete one before adding another.`);
    }
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ tenantId: actor.tenantId, url, events: input.events, description: input.description, secretCiphertext: sealSecret(secret, sealingSecret()), createdBy: actor.userId })
      .returning();
    await recordAuditEvent(tx, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      action: 'webhook.created',
      subject: url,
      ip: actor.ip,
      metadata: { endpointId: row!.id, events: input.events },
    });
    /** `secret` is shown once: only a sealed copy is kept for signing. */
    return { ...endpointView(row!), secret };
  });
}

export async function findWebhookEndpoints(db: Db, actor: TenantActor) {
  assertRole(actor.role, 'admin');
  return withTenant(db, actor.tenantId, async (tx) => {
    const rows = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, actor.tenantId)).orderBy(desc(webhookEndpoints.createdAt));
    const stats = await tx
      .select({
        endpointId: webhookDeliveries.endpointId,
        pending: sql<number>`count(*) filter (where ${webhookDeliveries.status} = 'pending')::int`,
        failed: sql<number>`count(*) filter (where ${webhookDeliveries.status} = 'failed')::int`,
        lastDeliveryAt: sql<Date | null>`max(${webhookDeliveries.createdAt})`,
      })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.tenantId, actor.tenantId))
      .groupBy(webhookDeliveries.endpointId);
    const byEndpoint = new Map(stats.map((s) => [s.endpointId, s]));
    return rows.map((row) => {
      const s = byEndpoint.get(row.id);
      return { ...endpointView(row), pending: s?.pending ?? 0, failed: s?.failed ?? 0, lastDeliveryAt: s?.lastDeliveryAt ? new Date(s.lastDeliveryAt) : null };
    });
  });
}

export async function updateWebhookEndpoint(db: Db, actor: TenantActor, rawInput: z.input<typeof updateWebhookInput>) {
  assertRole(actor.role, 'admin');
  const input = updateWebhookInput.parse(rawInput);
  const url = input.url === undefined ? undefined : await checkedUrl(input.url);
  return withTenant(db, actor.tenantId, async (tx) => {
    await endpointRow(tx, actor.tenantId, input.endpointId);
    const changes = { url, events: input.events, description: input.description, enabled: input.enabled };
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(webhookEndpoints.tenantId, actor.tenantId), eq(webhookEndpoints.id, input.endpointId)))
      .returning();
    await recordAuditEvent(tx, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      action: 'webhook.updated',
      subject: row!.url,
      ip: actor.ip,
      metadata: { endpointId: input.endpointId, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) },
    });
    return endpointView(row!);
  });
}

export async function deleteWebhookEndpoint(db: Db, actor: TenantActor, endpointId: string) {
  assertRole(actor.role, 'admin');
  return withTenant(db, actor.tenantId, async (tx) => {
    const row = await endpointRow(tx, actor.tenantId, endpointId);
    await tx.delete(webhookEndpoints).where(and(eq(webhookEndpoints.tenantId, actor.tenantId), eq(webhookEndpoints.id, endpointId)));
    await recordAuditEvent(tx, { tenantId: actor.tenantId, actorUserId: actor.userId, action: 'webhook.deleted', subject: row.url, ip: actor.ip, metadata: { endpointId } });
    return { deleted: true as const };
  });
}

/** A new secret takes effect for the next attempt; the receiver must switch at once. */
export async function rotateWebhookSecret(db: Db, actor: TenantActor, endpointId: string) {
  assertRole(actor.role, 'admin');
  const secret = generateWebhookSecret();
  return withTenant(db, actor.tenantId, async (tx) => {
    const row = await endpointRow(tx, actor.tenantId, endpointId);
    await tx
      .update(webhookEndpoints)
      .set({ secretCiphertext: sealSecret(secret, sealingSecret()), updatedAt: new Date() })
      .where(and(eq(webhookEndpoints.tenantId, actor.tenantId), eq(webhookEndpoints.id, endpointId)));
    await recordAuditEvent(tx, { tenantId: actor.tenantId, actorUserId: actor.userId, action: 'webhook.secret_rotated', subject: row.url, ip: actor.ip, metadata: { endpointId } });
    return { secret };
  });
}

/** The latest deliveries of an endpoint, each with all its attempts (oldest first). */
export async function findWebhookDeliveries(db: Db, actor: TenantActor, endpointId: string) {
  assertRole(actor.role, 'admin');
  return withTenant(db, actor.tenantId, async (tx) => {
    await endpointRow(tx, actor.tenantId, endpointId);
    const deliveries = await tx
      .select({
        id: webhookDeliveries.id,
        eventId: webhookDeliveries.eventId,
        eventType: webhookDeliveries.eventType,
        status: webhookDeliveries.status,
        attempts: webhookDeliveries.attempts,
        nextAttemptAt: webhookDeliveries.nextAttemptAt,
        lastStatusCode: webhookDeliveries.lastStatusCode,
        lastError: webhookDeliveries.lastError,
        createdAt: webhookDeliveries.createdAt,
        completedAt: webhookDeliveries.completedAt,
      })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.tenantId, actor.tenantId), eq(webhookDeliveries.endpointId, endpointId)))
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(DELIVERY_LOG_LIMIT);
    const attempts = deliveries.length
      ? await tx
          .select()
          .from(webhookAttempts)
          .where(and(eq(webhookAttempts.tenantId, actor.tenantId), inArray(webhookAttempts.deliveryId, deliveries.map((d) => d.id))))
          .orderBy(webhookAttempts.attempt)
      : [];
    return deliveries.map((delivery) => ({ ...delivery, attemptLog: attempts.filter((a) => a.deliveryId === delivery.id) }));
  });
}

/** Sends a delivery again now (same event id and body, a fresh signature), whatever its status. */
export async function resendWebhookDelivery(db: Db, actor: TenantActor, deliveryId: string) {
  assertRole(actor.role, 'admin');
  return withTenant(db, actor.tenantId, async (tx) => {
    const [delivery] = await tx
      .select({ id: webhookDeliveries.id, endpointId: webhookDeliveries.endpointId, eventType: webhookDeliveries.eventType })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.tenantId, actor.tenantId), eq(webhookDeliveries.id, deliveryId)));
    if (!delivery) throw notFound('Webhook delivery');
    await tx
      .update(webhookDeliveries)
      .set({ status: 'pending', nextAttemptAt: new Date(), completedAt: null })
      .where(and(eq(webhookDeliveries.tenantId, actor.tenantId), eq(webhookDeliveries.id, deliveryId)));
    await enqueue(tx, 'webhook.deliver', { tenantId: actor.tenantId, deliveryId, trigger: 'resend' }, { jobKey: `webhook.deliver:${deliveryId}`, maxAttempts: 3 });
    await recordAuditEvent(tx, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      action: 'webhook.resent',
      subject: delivery.eventType,
      ip: actor.ip,
      metadata: { deliveryId, endpointId: delivery.endpointId },
    });
    return { status: 'pending' as const };
  });
}
