/**
 * The load job: stream the stored file through its mapping and the validator into a staging
 * table, and — only when no rule reports an error — swap the rows in for this dataset's previous
 * version and re-derive outcomes, all in one transaction. Anything wrong leaves the live tables
 * exactly as they were; the version is marked `invalid` with the full report (counts and example
 * rows per rule) or `failed` with a message.
 */
import { once } from 'node:events';
import type { TransactionSql } from 'postgres';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { datasets, datasetVersions, mappings } from '../../../db/schema';
import { withTenant, withTenantSql } from '../../../db/tenant';
import { drizzleRunner, emitWebhookEvent, postgresRunner } from '../webhooks/emit-webhook-event';
import { AppError } from '../../errors/app-error';
import { logger } from '../../logger';
import { compileMapping, parseMappingSpec } from '../metadata/mapping';
import type { DatasetKind } from '../metadata/standard-model';
import { copyValue } from './copy-text';
import { createValidator, hasErrors, type RuleReport } from '../metadata/validate';
import { openCsvTable } from './csv-records';
import { deriveTenantOutcomes } from './derive-tenant-outcomes';
import { fieldColumns, targetTable } from './standard-tables';
import type { ObjectStorage } from './storage';

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** `copyValue` with a fast path for the common cell that needs no escaping. */
function copyCell(value: string | number | boolean | null | undefined): string {
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? copyValue(value) : value;
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return copyValue(value);
}

class LoadRejected extends Error {
  constructor(readonly report: RuleReport[]) {
    super('validation failed');
  }
}

async function knownKeys(sql: TransactionSql, tenantId: string, kind: DatasetKind) {
  const needsStudents = kind === 'term_enrollments' || kind === 'participation' || kind === 'awards';
  const needsTerms = kind === 'term_enrollments' || kind === 'participation' || kind === 'students';
  const knownStudents = needsStudents ? new Set<string>() : undefined;
  const knownTerms = needsTerms ? new Set<string>() : undefined;
  if (knownStudents) {
    await sql`select student_key from students where tenant_id = ${tenantId}`.cursor(10_000, (rows) => {
      for (const row of rows) knownStudents.add(row.student_key as string);
    });
  }
  if (knownTerms) {
    for (const row of await sql`select term_code from academic_periods where tenant_id = ${tenantId}`) knownTerms.add(row.term_code as string);
    // Without a terms file yet, term references cannot be checked.
    if (knownTerms.size === 0) return { knownStudents, knownTerms: undefined };
  }
  return { knownStudents, knownTerms };
}

export async function loadDatasetVersion(db: Db, storage: ObjectStorage, job: { tenantId: string; versionId: string }): Promise<void> {
  const found = await withTenant(db, job.tenantId, async (tx) => {
    const [row] = await tx
      .select({ version: datasetVersions, kind: datasets.kind, spec: mappings.spec })
      .from(datasetVersions)
      .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
      .leftJoin(mappings, eq(mappings.id, datasetVersions.mappingId))
      .where(and(eq(datasetVersions.tenantId, job.tenantId), eq(datasetVersions.id, job.versionId)));
    return row;
  });
  if (!found || found.version.status !== 'validating') {
    logger.info('dataset version not awaiting a load; skipped', job);
    return;
  }
  /** Marks the load failed or invalid and emits `dataset.failed` in the same transaction. */
  const endFailed = (values: { status: 'failed' | 'invalid'; error: string | null; validationReport?: Record<string, unknown>[] }) =>
    withTenant(db, job.tenantId, async (tx) => {
      await tx.update(datasetVersions).set(values).where(and(eq(datasetVersions.tenantId, job.tenantId), eq(datasetVersions.id, job.versionId)));
      await emitWebhookEvent(drizzleRunner(tx), job.tenantId, 'dataset.failed', {
        datasetVersionId: job.versionId,
        datasetId: found.version.datasetId,
        kind: found.kind,
        status: values.status,
        rowCount: null,
        error: values.error ?? (values.status === 'invalid' ? 'The file has rows that do not pass validation; see the validation report.' : null),
      });
    });

  try {
    if (!found.spec) throw new AppError('PRECONDITION_FAILED', 'Save a mapping for this file before loading it.');
    const kind = found.kind;
    const spec = parseMappingSpec(found.spec);
    const table = targetTable(kind);
    const columns = fieldColumns(kind);
    const phases: Record<string, number> = {};
    let phaseStart = performance.now();
    const phase = (name: string) => {
      const now = performance.now();
      phases[name] = Math.round(now - phaseStart);
      phaseStart = now;
    };
    const rowCount = await withTenantSql(db, job.tenantId, async (sql) => {
      const { knownStudents, knownTerms } = await knownKeys(sql, job.tenantId, kind);
      phase('knownKeysMs');
      const csv = await openCsvTable(storage.get(found.version.storageKey));
      const compiled = compileMapping(spec, csv.header);
      if (compiled.unmappedRequired.length > 0) {
        throw new AppError('BAD_REQUEST', `The mapping leaves required fields empty: ${compiled.unmappedRequired.join(', ')}. Map a column (or a constant) to each.`);
      }
      const validator = createValidator(kind, { knownStudents, knownTerms, columns: compiled.columnOf });

      await sql.unsafe(`create temp table stage (like ${table} including defaults) on commit drop`);
      const copyColumns = ['tenant_id', 'source_version_id', 'source_row', 'mapping_id', ...columns.map(([, column]) => column)];
      const writable = await sql.unsafe(`copy stage (${copyColumns.map((c) => `"${c}"`).join(', ')}) from stdin`).writable();
      const prefix = `${job.tenantId}\t${job.versionId}\t`;
      const suffix = `\t${copyValue(found.version.mappingId)}\t`;
      const fields = columns.map(([field]) => field);
      let buffer = '';
      let rowNumber = 0;
      for await (const batch of csv.batches) {
        for (const record of batch) {
          rowNumber += 1;
          const mapped = compiled.apply(record.fields);
          validator.add(mapped.row, rowNumber, mapped.errors);
          if (mapped.errors.length > 0) continue;
          let line = `${prefix}${rowNumber}${suffix}`;
          for (let i = 0; i < fields.length; i++) line += `${i === 0 ? '' : '\t'}${copyCell(mapped.row[fields[i] as string])}`;
          buffer += `${line}\n`;
        }
        if (buffer.length > 1 << 16) {
          if (!writable.write(buffer)) await once(writable, 'drain');
          buffer = '';
        }
      }
      writable.end(buffer);
      await once(writable, 'finish');
      phase('validateAndStageMs');
      const report = validator.finish();
      if (hasErrors(report)) throw new LoadRejected(report);
      if (rowNumber === 0) throw new AppError('BAD_REQUEST', 'The file has a header but no data rows.');

      await sql`delete from ${sql(table)} where tenant_id = ${job.tenantId}
        and source_version_id in (select id from dataset_versions where tenant_id = ${job.tenantId} and dataset_id = ${found.version.datasetId})`;
      phase('deletePreviousMs');
      await sql.unsafe(`insert into ${table} select * from stage`);
      phase('insertMs');
      if (kind === 'terms') {
        // Terms without a census date get the institution's census rule (days after the start).
        await sql`update academic_periods a set census_date = a.start_date + coalesce(s.census_day_offset, 14)
          from tenants t left join institution_settings s on s.tenant_id = t.id
          where t.id = ${job.tenantId} and a.tenant_id = ${job.tenantId} and a.census_date is null and a.start_date is not null`;
      }
      if (kind === 'participation') {
        await sql`insert into interventions (tenant_id, name) select distinct tenant_id, intervention from stage
          on conflict (tenant_id, name) do nothing`;
      }
      await sql`update dataset_versions set status = 'superseded' where tenant_id = ${job.tenantId}
        and dataset_id = ${found.version.datasetId} and status = 'loaded'`;
      await sql`update dataset_versions set status = 'loaded', loaded_at = now(), error = null, row_count = ${rowNumber},
        validation_report = ${JSON.stringify(report)}::jsonb where tenant_id = ${job.tenantId} and id = ${job.versionId}`;
      await deriveTenantOutcomes(sql, job.tenantId);
      phase('deriveOutcomesMs');
      await emitWebhookEvent(postgresRunner(sql), job.tenantId, 'dataset.loaded', {
        datasetVersionId: job.versionId,
        datasetId: found.version.datasetId,
        kind,
        status: 'loaded',
        rowCount: rowNumber,
        error: null,
      });
      return rowNumber;
    });
    phase('commitMs');
    logger.info('dataset loaded', { ...job, kind, rows: rowCount, ...phases });
  } catch (error) {
    if (error instanceof LoadRejected) {
      await endFailed({ status: 'invalid', validationReport: error.report as unknown as Record<string, unknown>[], error: null });
      return;
    }
    if (error instanceof AppError) {
      await endFailed({ status: 'failed', error: error.message });
      return;
    }
    const unique = (error as { code?: string; detail?: string }).code === '23505';
    if (unique) {
      await endFailed({
        status: 'failed',
        error: `Some rows duplicate rows already loaded from another file of this kind (${(error as { detail?: string }).detail ?? 'duplicate key'}). Load them in one file, or replace that file.`,
      });
      return;
    }
    throw error;
  }
}
