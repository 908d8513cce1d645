/**
 * Webhooks end to end with a real PostgreSQL and a real graphile-worker, delivering to real
 * local HTTP receivers: an event emitted in a transaction becomes one delivery per subscribed,
 * enabled endpoint; the worker signs and posts it (the receiver verifies the signature with the
 * secret shown once); a 5xx or a timeout is logged and retried on the backoff, a 4xx fails for
 * good; "resend" posts the same event again; nothing of one tenant is visible to another; a
 * rolled-back transaction emits nothing; a delivery job naming another tenant sends nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import type { Runner } from 'graphile-worker';
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, webhookDeliveries, webhookEndpoints } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { createTenantWithMembers, testDatabases, useTestEnv } from '../../../db/testing/fixtures';
import { startWorker } from '../../../workers/runner';
import { deliverWebhookTask } from '../../../workers/tasks/webhooks/deliver';
import { AppError } from '../../errors/app-error';
import type { TenantActor } from '../members/manage-members';
import { drizzleRunner, emitWebhookEvent } from './emit-webhook-event';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  findWebhookDeliveries,
  findWebhookEndpoints,
  resendWebhookDelivery,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from './manage-webhooks';
import { sendWebhookDelivery } from './send-webhook-delivery';
import { webhookEventSchema } from './webhook-events';
import { verifyWebhook, WEBHOOK_SIGNATURE_HEADER } from './webhook-signature';

useTestEnv();
process.env.WEBHOOK_ALLOW_LOCAL_URLS = 'true';
process.env.WEBHOOK_TIMEOUT_MS = '400';
const { app, owner } = testDatabases();
let runner: Runner;
let home: TenantActor;
let other: TenantActor;

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local receiver answering with `respond`; records every request. */
async function receiver(respond: (res: ServerResponse, count: number) => void): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      respond(res, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, server };
}
const servers: Server[] = [];

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const runCompleted = (runId: string) => ({ runId, studyId: '00000000-0000-4000-8000-000000000001', studyVersion: 1, status: 'succeeded' as const, error: null });
const emit = (tenant: TenantActor, runId: string) =>
  withTenant(app.db, tenant.tenantId, (tx) => emitWebhookEvent(drizzleRunner(tx), tenant.tenantId, 'run.completed', runCompleted(runId)));
const deliveryOf = (tenant: TenantActor, endpointId: string) =>
  withTenant(app.db, tenant.tenantId, (tx) => tx.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, tenant.tenantId), eq(webhookDeliveries.endpointId, endpointId))));

beforeAll(async () => {
  const a = await createTenantWithMembers(app, ['admin']);
  const b = await createTenantWithMembers(app, ['admin']);
  home = { tenantId: a.tenant.id, userId: a.members.admin!.id, role: 'admin' };
  other = { tenantId: b.tenant.id, userId: b.members.admin!.id, role: 'admin' };
  runner = await startWorker({ connectionString: inject('appUrl'), concurrency: 2 });
});

afterAll(async () => {
  await runner.stop();
  for (const server of servers) server.close();
  await app.close();
  await owner.close();
});

describe('webhook endpoints', () => {
  it('are registered with a secret shown once and kept only sealed, and every change is audited', async () => {
    const created = await createWebhookEndpoint(app.db, home, { url: 'http://127.0.0.1:9/a', events: ['run.failed', 'run.completed', 'run.completed'], description: 'warehouse' });
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.events).toEqual(['run.completed', 'run.failed']);
    const [stored] = await owner.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, created.id));
    expect(stored!.secretCiphertext).not.toContain(created.secret.slice(6, 20));
    const listed = await findWebhookEndpoints(app.db, home);
    expect(listed.find((e) => e.id === created.id)).not.toHaveProperty('secret');
    expect(listed.find((e) => e.id === created.id)).not.toHaveProperty('secretCiphertext');

    const rotated = await rotateWebhookSecret(app.db, home, created.id);
    expect(rotated.secret).not.toBe(created.secret);
    await updateWebhookEndpoint(app.db, home, { endpointId: created.id, enabled: false });
    await deleteWebhookEndpoint(app.db, home, created.id);
    const actions = await owner.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.tenantId, home.tenantId));
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['webhook.created', 'webhook.secret_rotated', 'webhook.updated', 'webhook.deleted']));
  });

  it('refuse bad URLs and unknown events with messages that say what to fix', async () => {
    await expect(createWebhookEndpoint(app.db, home, { url: 'ftp://example.com/x', events: ['run.completed'] })).rejects.toThrow(/must start with/);
    await expect(createWebhookEndpoint(app.db, home, { url: 'https://user:pw@example.com/x', events: ['run.completed'] })).rejects.toThrow(/user name and password/);
    await expect(createWebhookEndpoint(app.db, home, { url: 'https://example.com/x', events: [] })).rejects.toThrow(/at least one event/);
    await expect(createWebhookEndpoint(app.db, home, { url: 'https://example.com/x', events: ['run.started' as never] })).rejects.toThrow(/Events are/);
  });
});

describe('webhook deliveries through the worker', () => {
  it('sign and deliver an event to every subscribed, enabled endpoint and log the attempt', async () => {
    const ok = await receiver((res) => res.writeHead(204).end());
    servers.push(ok.server);
    const endpoint = await createWebhookEndpoint(app.db, home, { url: ok.url, events: ['run.completed'] });
    const unsubscribed = await createWebhookEndpoint(app.db, home, { url: ok.url, events: ['dataset.loaded'] });
    const disabled = await createWebhookEndpoint(app.db, home, { url: ok.url, events: ['run.completed'] });
    await updateWebhookEndpoint(app.db, home, { endpointId: disabled.id, enabled: false });

    const runId = '00000000-0000-4000-8000-0000000000aa';
    expect(await emit(home, runId)).toBe(1);
    const request = await until('the delivery', async () => ok.received[0]);
    const header = request.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] as string;
    expect(verifyWebhook(endpoint.secret, header, request.body, { now: Date.now() / 1000 })).toMatchObject({ ok: true });
    expect(verifyWebhook('whsec_wrong', header, request.body, { now: Date.now() / 1000 })).toMatchObject({ ok: false });
    const event = webhookEventSchema.parse(JSON.parse(request.body));
    expect(event).toMatchObject({ type: 'run.completed', data: { runId, status: 'succeeded' } });
    expect(request.headers['causeway-event']).toBe('run.completed');
    expect(request.headers['causeway-delivery']).toBe(event.id);

    const [delivery] = await until('the delivery to be recorded', async () => {
      const rows = await deliveryOf(home, endpoint.id);
      return rows[0]?.status === 'succeeded' ? rows : undefined;
    });
    expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: 204, eventType: 'run.completed' });
    const log = await findWebhookDeliveries(app.db, home, endpoint.id);
    expect(log[0]!.attemptLog).toEqual([expect.objectContaining({ attempt: 1, ok: true, statusCode: 204, trigger: 'event' })]);
    expect(await deliveryOf(home, unsubscribed.id)).toEqual([]);
    expect(await deliveryOf(home, disabled.id)).toEqual([]);
    expect(ok.received).toHaveLength(1);
  });

  it('retries a 5xx and a timeout on the backoff, fails a 4xx for good, and resends on request', async () => {
    const flaky = await receiver((res) => res.writeHead(503).end('busy'));
    const hanging = await receiver(() => undefined);
    const refusing = await receiver((res) => res.writeHead(410).end('gone'));
    servers.push(flaky.server, hanging.server, refusing.server);
    const endpoints = {
      flaky: await createWebhookEndpoint(app.db, home, { url: flaky.url, events: ['run.completed'] }),
      hanging: await createWebhookEndpoint(app.db, home, { url: hanging.url, events: ['run.completed'] }),
      refusing: await createWebhookEndpoint(app.db, home, { url: refusing.url, events: ['run.completed'] }),
    };
    const started = Date.now();
    expect(await emit(home, '00000000-0000-4000-8000-0000000000bb')).toBe(4); // + the endpoint of the previous test

    const settled = async (endpointId: string, status: string) =>
      until(`a ${status} delivery`, async () => {
        const rows = await deliveryOf(home, endpointId);
        return rows[0] && rows[0].attempts === 1 && rows[0].status === status ? rows[0] : undefined;
      });
    const flakyDelivery = await settled(endpoints.flaky.id, 'pending');
    expect(flakyDelivery.lastStatusCode).toBe(503);
    // The first retry comes 30 s later, as a job of its own.
    expect(flakyDelivery.nextAttemptAt!.getTime() - started).toBeGreaterThan(25_000);
    expect(flakyDelivery.nextAttemptAt!.getTime() - started).toBeLessThan(60_000);
    const [job] = await owner.db.execute<{ run_at: Date }>(sql`select run_at from graphile_worker.jobs where key = ${`webhook.deliver:${flakyDelivery.id}`}`);
    expect(new Date(job!.run_at).getTime()).toBeCloseTo(flakyDelivery.nextAttemptAt!.getTime(), -3);

    const hangingDelivery = await settled(endpoints.hanging.id, 'pending');
    expect(hangingDelivery.lastStatusCode).toBeNull();
    expect(hangingDelivery.lastError).toMatch(/timed out/);

    const refusedDelivery = await settled(endpoints.refusing.id, 'failed');
    expect(refusedDelivery).toMatchObject({ lastStatusCode: 410, nextAttemptAt: null });
    const [refusedLog] = await findWebhookDeliveries(app.db, home, endpoints.refusing.id);
    expect(refusedLog!.attemptLog[0]).toMatchObject({ ok: false, statusCode: 410, responseSnippet: 'gone' });

    await resendWebhookDelivery(app.db, home, refusedDelivery.id);
    await until('the resend', async () => refusing.received[1]);
    expect(refusing.received[1]!.body).toBe(refusing.received[0]!.body);
    const [resent] = await until('the resend to be logged', async () => {
      const log = await findWebhookDeliveries(app.db, home, endpoints.refusing.id);
      return log[0]!.attemptLog.length === 2 ? log : undefined;
    });
    expect(resent!.attemptLog[1]).toMatchObject({ attempt: 2, trigger: 'resend', statusCode: 410 });
  });

  it('emits nothing from a rolled-back transaction', async () => {
    const ok = await receiver((res) => res.writeHead(200).end());
    servers.push(ok.server);
    const endpoint = await createWebhookEndpoint(app.db, other, { url: ok.url, events: ['run.completed'] });
    await expect(
      withTenant(app.db, other.tenantId, async (tx) => {
        await emitWebhookEvent(drizzleRunner(tx), other.tenantId, 'run.completed', runCompleted('00000000-0000-4000-8000-0000000000cc'));
        throw new Error('the run update failed');
      }),
    ).rejects.toThrow('the run update failed');
    expect(await deliveryOf(other, endpoint.id)).toEqual([]);
  });
});

describe('webhook tenant isolation', () => {
  it('hides endpoints and deliveries from another tenant, in the services and in the database', async () => {
    const [homeEndpoint] = await findWebhookEndpoints(app.db, home);
    const [homeDelivery] = await findWebhookDeliveries(app.db, home, homeEndpoint!.id);
    expect(homeDelivery).toBeDefined();
    const notFound = async (promise: Promise<unknown>) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('NOT_FOUND');
    };
    await notFound(findWebhookDeliveries(app.db, other, homeEndpoint!.id));
    await notFound(resendWebhookDelivery(app.db, other, homeDelivery!.id));
    await notFound(updateWebhookEndpoint(app.db, other, { endpointId: homeEndpoint!.id, enabled: false }));
    await notFound(rotateWebhookSecret(app.db, other, homeEndpoint!.id));
    await notFound(deleteWebhookEndpoint(app.db, other, homeEndpoint!.id));
    expect((await findWebhookEndpoints(app.db, other)).map((e) => e.id)).not.toContain(homeEndpoint!.id);
    // Row-level security alone: no tenant filter in the query.
    const visible = await withTenant(app.db, other.tenantId, (tx) => tx.select({ id: webhookDeliveries.id }).from(webhookDeliveries));
    expect(visible.map((d) => d.id)).not.toContain(homeDelivery!.id);
    // A delivery job naming another tenant finds nothing to send and changes nothing.
    const before = await findWebhookDeliveries(app.db, home, homeEndpoint!.id);
    await sendWebhookDelivery(app.db, { tenantId: other.tenantId, deliveryId: homeDelivery!.id, trigger: 'resend' });
    expect(await findWebhookDeliveries(app.db, home, homeEndpoint!.id)).toEqual(before);
    // A malformed job payload is refused before anything runs.
    await expect(deliverWebhookTask({ tenantId: 'not-a-uuid', deliveryId: homeDelivery!.id }, {} as never)).rejects.toThrow(/uuid|trigger/i);
    const [still] = await findWebhookEndpoints(app.db, home);
    expect(still).toMatchObject({ id: homeEndpoint!.id, enabled: homeEndpoint!.enabled });
  });
});
