/**
 * The profiling job's work: stream the stored file through the CSV reader and the profiler,
 * store header, row count and profile, and attach the latest mapping for the same columns so a
 * re-upload needs no new mapping. A problem with the file (not CSV, ragged, empty…) marks the
 * version failed with the message for the user; infrastructure errors are thrown so the job
 * retries.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { datasets, datasetVersions, mappings } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { AppError } from '../../errors/app-error';
import { logger } from '../../logger';
import { mappingSignature } from '../metadata/mapping';
import { profileCsv } from './profile-csv';
import type { ObjectStorage } from './storage';

export async function profileDatasetVersion(db: Db, storage: ObjectStorage, job: { tenantId: string; versionId: string }): Promise<void> {
  const version = await withTenant(db, job.tenantId, async (tx) => {
    const [row] = await tx
      .select({ version: datasetVersions, kind: datasets.kind })
      .from(datasetVersions)
      .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
      .where(and(eq(datasetVersions.tenantId, job.tenantId), eq(datasetVersions.id, job.versionId)));
    if (!row || !['uploaded', 'profiling'].includes(row.version.status)) return null;
    await tx.update(datasetVersions).set({ status: 'profiling' }).where(eq(datasetVersions.id, job.versionId));
    return row;
  });
  if (!version) {
    logger.info('dataset version not awaiting profiling; skipped', job);
    return;
  }

  let result: Awaited<ReturnType<typeof profileCsv>>;
  try {
    result = await profileCsv(storage.get(version.version.storageKey));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await withTenant(db, job.tenantId, (tx) =>
      tx
        .update(datasetVersions)
        .set({ status: 'failed', error: error.message })
        .where(and(eq(datasetVersions.tenantId, job.tenantId), eq(datasetVersions.id, job.versionId))),
    );
    return;
  }

  const signature = mappingSignature(result.header);
  const ragged = result.problemCount > 0 ? result.problems.map((p) => p.message).slice(0, 5).join(' ') : null;
  await withTenant(db, job.tenantId, async (tx) => {
    const [previous] = await tx
      .select({ id: mappings.id })
      .from(mappings)
      .where(and(eq(mappings.tenantId, job.tenantId), eq(mappings.kind, version.kind), eq(mappings.signature, signature)))
      .orderBy(desc(mappings.version))
      .limit(1);
    await tx
      .update(datasetVersions)
      .set({
        status: ragged ? 'failed' : 'profiled',
        error: ragged
          ? `${result.problemCount} row(s) could not be read. ${ragged} Fix the export and upload it again.`
          : null,
        encoding: result.format.encoding,
        delimiter: result.format.delimiter,
        header: result.header,
        rowCount: result.profile.rowCount,
        profile: result.profile as unknown as Record<string, unknown>,
        mappingId: previous?.id ?? null,
      })
      .where(and(eq(datasetVersions.tenantId, job.tenantId), eq(datasetVersions.id, job.versionId)));
  });
}
