/**
 * Runs: starting one freezes the study's current specification with its lineage (the loaded
 * dataset versions and their hashes, mapping versions, seed, engine version) and queues it;
 * the study is checked first (cohort, participants, comparison group, observable outcome) so a
 * run that cannot succeed is refused before anything is queued. Runs of one tenant share a
 * queue, so one tenant's runs execute one at a time and cannot starve the others.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { datasets, datasetVersions, mappings, runs, studies } from '../../../db/schema';
import { readAsTenant, withTenant, withTenantSql } from '../../../db/tenant';
import { ENGINE_VERSION } from '../../../workers/causal/version';
import { AppError, notFound } from '../../errors/app-error';
import { enqueue } from '../../jobs/catalog';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { TenantActor } from '../members/manage-members';
import { afterCursor, cursorKey, keysetResult, type KeysetPage } from '../keyset-page';
import { assertRole } from '../tenants/roles';
import { buildAnalysisFrame } from '../studies/analysis-frame';
import { getStudy } from '../studies/manage-studies';

export const runQueue = (tenantId: string) => `runs:${tenantId}`;

export async function startRun(db: Db, actor: TenantActor, studyId: string) {
  assertRole(actor.role, 'analyst');
  const study = await getStudy(db, actor, studyId);
  const check = await withTenantSql(db, actor.tenantId, (sql) => buildAnalysisFrame(sql, actor.tenantId, study.spec));
  return withTenant(db, actor.tenantId, async (tx) => {
    const loaded = await tx
      .select({
        kind: datasets.kind,
        versionId: datasetVersions.id,
        version: datasetVersions.version,
        sha256: datasetVersions.sha256,
        mappingId: mappings.id,
        mappingVersion: mappings.version,
      })
      .from(datasetVersions)
      .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
      .leftJoin(mappings, eq(mappings.id, datasetVersions.mappingId))
      .where(and(eq(datasetVersions.tenantId, actor.tenantId), eq(datasetVersions.status, 'loaded')))
      .orderBy(datasets.kind, datasetVersions.id);
    const lineage = {
      datasets: loaded,
      seed: study.spec.method.seed,
      engineVersion: ENGINE_VERSION,
      studyVersion: study.version,
      cohort: check.counts,
    };
    const [run] = await tx
      .insert(runs)
      .values({
        tenantId: actor.tenantId,
        studyId,
        studyVersion: study.version,
        spec: study.spec as unknown as Record<string, unknown>,
        lineage,
        progress: { stage: 'queued', percent: 0 },
        createdBy: actor.userId,
      })
      .returning({ id: runs.id });
    await enqueue(tx, 'run.execute', { tenantId: actor.tenantId, runId: run!.id }, { queueName: runQueue(actor.tenantId), maxAttempts: 3, jobKey: `run:${run!.id}` });
    await recordAuditEvent(tx, { tenantId: actor.tenantId, actorUserId: actor.userId, action: 'run.started', subject: study.name, ip: actor.ip, metadata: { runId: run!.id, studyId } });
    return { runId: run!.id, counts: check.counts };
  });
}

/** Asks a run to stop: a queued run is cancelled at once, a running one at its next stage. */
export async function cancelRun(db: Db, actor: TenantActor, runId: string) {
  assertRole(actor.role, 'analyst');
  return withTenant(db, actor.tenantId, async (tx) => {
    const [run] = await tx.select({ status: runs.status }).from(runs).where(and(eq(runs.tenantId, actor.tenantId), eq(runs.id, runId)));
    if (!run) throw notFound('Run');
    if (!['queued', 'running'].includes(run.status)) throw new AppError('CONFLICT', `This run has already ${run.status === 'succeeded' ? 'finished' : run.status}.`);
    const now = new Date();
    await tx
      .update(runs)
      .set(run.status === 'queued' ? { status: 'cancelled', cancelRequestedAt: now, finishedAt: now } : { cancelRequestedAt: now })
      .where(and(eq(runs.tenantId, actor.tenantId), eq(runs.id, runId), inArray(runs.status, ['queued', 'running'])));
    await recordAuditEvent(tx, { tenantId: actor.tenantId, actorUserId: actor.userId, action: 'run.cancelled', subject: runId, ip: actor.ip });
  });
}

const runSummary = { id: runs.id, status: runs.status, studyVersion: runs.studyVersion, progress: runs.progress, error: runs.error, createdAt: runs.createdAt, finishedAt: runs.finishedAt };

export async function findRuns(db: Db, actor: TenantActor, studyId: string) {
  return withTenant(db, actor.tenantId, (tx) =>
    tx
      .select(runSummary)
      .from(runs)
      .where(and(eq(runs.tenantId, actor.tenantId), eq(runs.studyId, studyId)))
      .orderBy(desc(runs.createdAt), desc(runs.id)),
  );
}

/** A study's runs newest first, one keyset page (the API's list); an unknown study is not found. */
export async function findRunPage(db: Db, actor: TenantActor, studyId: string, page: KeysetPage) {
  return withTenant(db, actor.tenantId, async (tx) => {
    const [study] = await tx.select({ id: studies.id }).from(studies).where(and(eq(studies.tenantId, actor.tenantId), eq(studies.id, studyId)));
    if (!study) throw notFound('Study');
    const rows = await tx
      .select({ ...runSummary, cursorKey: cursorKey(runs.createdAt) })
      .from(runs)
      .where(and(eq(runs.tenantId, actor.tenantId), eq(runs.studyId, studyId), afterCursor(runs.createdAt, runs.id, page.cursor)))
      .orderBy(desc(runs.createdAt), desc(runs.id))
      .limit(page.limit + 1);
    return keysetResult(rows, page.limit);
  });
}

type RunStatusRow = Pick<typeof runs.$inferSelect, 'id' | 'studyId' | 'studyVersion' | 'status' | 'progress' | 'error' | 'cancelRequestedAt' | 'createdAt' | 'startedAt' | 'finishedAt'>;
/** The same row as postgres.js returns it on drizzle's client: timestamps as text. */
type RunStatusText = { [K in keyof RunStatusRow]: RunStatusRow[K] extends Date ? string : RunStatusRow[K] extends Date | null ? string | null : RunStatusRow[K] };

/**
 * A run's status and progress without its result, spec and lineage (the result alone can be
 * hundreds of KB): what API clients poll, read in one database round trip (readAsTenant).
 */
export async function getRunStatus(db: Db, actor: TenantActor, runId: string): Promise<RunStatusRow> {
  const [run] = await readAsTenant(
    db,
    actor.tenantId,
    (sql) => sql<RunStatusText[]>`
      select id, study_id as "studyId", study_version as "studyVersion", status, progress, error,
             cancel_requested_at as "cancelRequestedAt", created_at as "createdAt", started_at as "startedAt", finished_at as "finishedAt"
      from runs where tenant_id = ${actor.tenantId} and id = ${runId}`,
  );
  if (!run) throw notFound('Run');
  const date = (text: string | null) => (text === null ? null : new Date(text));
  return { ...run, cancelRequestedAt: date(run.cancelRequestedAt), createdAt: new Date(run.createdAt), startedAt: date(run.startedAt), finishedAt: date(run.finishedAt) };
}

export async function getRun(db: Db, actor: TenantActor, runId: string) {
  return withTenant(db, actor.tenantId, async (tx) => {
    const [run] = await tx.select().from(runs).where(and(eq(runs.tenantId, actor.tenantId), eq(runs.id, runId)));
    if (!run) throw notFound('Run');
    return run;
  });
}
