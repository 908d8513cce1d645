/**
 * The events a webhook endpoint can subscribe to, and the JSON body each delivery carries:
 *
 *   { "id": "<event uuid>", "type": "run.completed", "createdAt": "2025-01-31T12:00:00.000Z",
 *     "tenant": "state-university", "data": { … } }
 *
 * `id` identifies the event (the same for every endpoint, retry and resend; the
 * `Causeway-Delivery` header repeats it), so receivers deduplicate on it. Each event type pins
 * the `status` its data may carry, so a `run.completed` can never say `failed`.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../errors/app-error';
import { datasetKinds } from '../metadata/standard-model';
import { webhookEventTypes, type WebhookEventType } from './event-types';

export { webhookEventTypes, type WebhookEventType };
export const webhookEventTypeSchema = z.enum(webhookEventTypes);

const uuid = z.string().uuid();
/** Same rule as tenants' slugs (server/services/tenants/create-tenant.ts). */
const tenantSlug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,46}[a-z0-9])$/, 'a tenant slug');

/** Where the public API serves a run's result; webhook receivers fetch it with an API key. */
export const runResultPath = (runId: string): string => `/api/v1/runs/${runId}/result`;

const runData = <S extends z.ZodType<string>, E extends z.ZodType<string | null>>(status: S, error: E) =>
  z
    .object({
      runId: uuid,
      studyId: uuid,
      studyVersion: z.number().int().min(1),
      status,
      error,
      /** `/api/v1/runs/{runId}/result`, or that path on an absolute base URL. */
      resultUrl: z.string().max(2048),
    })
    .refine((d) => d.resultUrl.endsWith(runResultPath(d.runId)), { message: 'resultUrl must point to /api/v1/runs/{runId}/result', path: ['resultUrl'] });

const datasetData = <S extends z.ZodType<string>, E extends z.ZodType<string | null>>(status: S, error: E) =>
  z.object({
    datasetVersionId: uuid,
    datasetId: uuid,
    kind: z.enum(datasetKinds),
    status,
    rowCount: z.number().int().min(0).nullable(),
    error,
  });

const envelope = <T extends WebhookEventType, D extends z.ZodType>(type: T, data: D) =>
  z.object({
    id: uuid,
    type: z.literal(type),
    createdAt: z.iso.datetime(),
    tenant: tenantSlug,
    data,
  });

export const webhookEventSchemas = {
  'run.completed': envelope('run.completed', runData(z.literal('succeeded'), z.null())),
  'run.failed': envelope('run.failed', runData(z.enum(['failed', 'cancelled']), z.string().nullable())),
  'dataset.loaded': envelope('dataset.loaded', datasetData(z.literal('loaded'), z.null())),
  'dataset.failed': envelope('dataset.failed', datasetData(z.enum(['failed', 'invalid']), z.string().nullable())),
} as const;

/** Any webhook body, discriminated by `type` (for receivers and tests). */
export const webhookEventSchema = z.discriminatedUnion('type', [
  webhookEventSchemas['run.completed'],
  webhookEventSchemas['run.failed'],
  webhookEventSchemas['dataset.loaded'],
  webhookEventSchemas['dataset.failed'],
]);

export type WebhookEvent<T extends WebhookEventType = WebhookEventType> = z.output<(typeof webhookEventSchemas)[T]>;
export type WebhookEventData<T extends WebhookEventType> = WebhookEvent<T>['data'];

type RunEventType = 'run.completed' | 'run.failed';

/** What the caller supplies for an event's `data`; a run's `resultUrl` is filled in when omitted. */
export type WebhookEventDataInput<T extends WebhookEventType> = T extends RunEventType
  ? Omit<WebhookEventData<T>, 'resultUrl'> & { resultUrl?: string }
  : WebhookEventData<T>;

export interface WebhookEventFields<T extends WebhookEventType> {
  tenant: string;
  data: WebhookEventDataInput<T>;
  /** The event id; a new UUID when omitted. Pass the stored id to rebuild the same body. */
  id?: string;
  /** When the event happened; now when omitted. */
  createdAt?: Date | string;
  /** Makes a run's default `resultUrl` absolute, e.g. `https://app.causeway.example`. */
  baseUrl?: string;
}

export interface BuiltWebhookEvent<T extends WebhookEventType> {
  /** The exact JSON to send and to sign. */
  body: string;
  event: WebhookEvent<T>;
}

/**
 * Builds and validates one event body. Throws AppError INTERNAL when the fields do not fit the
 * schema: the event is produced by our own code, so that is a bug, not the user's doing.
 */
export function buildWebhookEvent<T extends WebhookEventType>(type: T, fields: WebhookEventFields<T>): BuiltWebhookEvent<T> {
  const data: Record<string, unknown> = { ...fields.data };
  if ((type === 'run.completed' || type === 'run.failed') && data.resultUrl === undefined && typeof data.runId === 'string') {
    const base = fields.baseUrl === undefined ? '' : fields.baseUrl.replace(/\/+$/, '');
    data.resultUrl = base + runResultPath(data.runId);
  }
  const createdAt = fields.createdAt instanceof Date ? fields.createdAt.toISOString() : (fields.createdAt ?? new Date().toISOString());
  const candidate = { id: fields.id ?? randomUUID(), type, createdAt, tenant: fields.tenant, data };

  const parsed = (webhookEventSchemas[type] as z.ZodType).safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new AppError('INTERNAL', `The ${type} webhook event is invalid: ${problems.join('; ')}.`, { type, problems });
  }
  return { body: JSON.stringify(parsed.data), event: parsed.data as WebhookEvent<T> };
}
