/**
 * Every background job: its identifier and the zod schema of its payload. Payloads carry ids,
 * the tenant id and small scalars only; handlers re-read state. `enqueue` writes the job inside
 * the caller's transaction (graphile_worker.add_job), so a job exists exactly when the state
 * change that asked for it was committed.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client';

export const jobCatalog = {
  'email.send-invitation': z.object({
    tenantId: z.string().uuid(),
    invitationId: z.string().uuid(),
    /** The link secret: only its hash is stored, so the job must carry it to the e-mail. */
    token: z.string().min(20),
  }),
  'dataset.profile': z.object({ tenantId: z.string().uuid(), versionId: z.string().uuid() }),
  'dataset.load': z.object({ tenantId: z.string().uuid(), versionId: z.string().uuid() }),
  'run.execute': z.object({ tenantId: z.string().uuid(), runId: z.string().uuid() }),
  'webhook.deliver': z.object({
    tenantId: z.string().uuid(),
    deliveryId: z.string().uuid(),
    /** Why this attempt is made, for the attempt log. */
    trigger: z.enum(['event', 'retry', 'resend']),
  }),
} as const;

export type JobIdentifier = keyof typeof jobCatalog;
export type JobPayload<K extends JobIdentifier> = z.infer<(typeof jobCatalog)[K]>;

export interface EnqueueOptions {
  /** Deduplicates: a second job with the same key replaces the pending one. */
  jobKey?: string;
  queueName?: string;
  maxAttempts?: number;
  runAt?: Date;
}

export async function enqueue<K extends JobIdentifier>(
  tx: Queryable,
  identifier: K,
  payload: JobPayload<K>,
  options: EnqueueOptions = {},
): Promise<void> {
  const parsed = jobCatalog[identifier].parse(payload);
  await tx.execute(sql`select graphile_worker.add_job(
    ${identifier},
    ${JSON.stringify(parsed)}::json,
    queue_name => ${options.queueName ?? null}::text,
    run_at => ${options.runAt?.toISOString() ?? null}::timestamptz,
    max_attempts => ${options.maxAttempts ?? 10}::int,
    job_key => ${options.jobKey ?? null}::text
  )`);
}
