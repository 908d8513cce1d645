/**
 * What the portal (and later the API) does with datasets: list them, look at one version
 * (status, profile, validation report), get a suggested mapping, preview a mapping on sample
 * rows, save it as a new mapping version, and ask for a load. Every query runs in the tenant's
 * RLS context and filters by tenant; a version of another tenant is simply not found.
 */
import { and, desc, eq, max, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import { datasets, datasetVersions, mappings } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { AppError, notFound } from '../../errors/app-error';
import { enqueue } from '../../jobs/catalog';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { TenantActor } from '../members/manage-members';
import { compileMapping, mappingSignature, parseMappingSpec, previewMapping, type MappingPreview, type MappingSpecInput } from '../metadata/mapping';
import { suggestMapping, type MappingSuggestion } from '../metadata/suggest-mapping';
import { afterCursor, cursorKey, keysetResult, type KeysetPage } from '../keyset-page';
import { assertRole } from '../tenants/roles';
import { openCsvTable } from './csv-records';
import { datasetProfileSchema, type DatasetProfile } from './profile';
import type { ObjectStorage } from './storage';

const PREVIEW_ROWS = 20;

/** A mapping as the editor and the API send it: the kind comes from the file, the version is assigned on save. */
export type MappingDraft = Omit<MappingSpecInput, 'kind' | 'version'>;

const versionSummary = {
  datasetId: datasets.id,
  kind: datasets.kind,
  name: datasets.name,
  versionId: datasetVersions.id,
  version: datasetVersions.version,
  status: datasetVersions.status,
  filename: datasetVersions.originalFilename,
  bytes: datasetVersions.bytes,
  rowCount: datasetVersions.rowCount,
  error: datasetVersions.error,
  createdAt: datasetVersions.createdAt,
  loadedAt: datasetVersions.loadedAt,
};

export async function findDatasets(db: Db, actor: TenantActor) {
  assertRole(actor.role, 'analyst');
  return withTenant(db, actor.tenantId, (tx) =>
    tx
      .select(versionSummary)
      .from(datasetVersions)
      .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
      .where(eq(datasetVersions.tenantId, actor.tenantId))
      .orderBy(datasets.kind, datasets.name, desc(datasetVersions.version)),
  );
}

/** Dataset versions newest first, one keyset page (the API's list). */
export async function findDatasetPage(db: Db, actor: TenantActor, page: KeysetPage) {
  assertRole(actor.role, 'analyst');
  return withTenant(db, actor.tenantId, async (tx) => {
    const { versionId, ...fields } = versionSummary;
    const rows = await tx
      .select({ id: versionId, ...fields, cursorKey: cursorKey(datasetVersions.createdAt) })
      .from(datasetVersions)
      .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
      .where(and(eq(datasetVersions.tenantId, actor.tenantId), afterCursor(datasetVersions.createdAt, datasetVersions.id, page.cursor)))
      .orderBy(desc(datasetVersions.createdAt), desc(datasetVersions.id))
      .limit(page.limit + 1);
    return keysetResult(rows, page.limit);
  });
}

async function getVersionRow(tx: Tx, tenantId: string, versionId: string) {
  const [row] = await tx
    .select({ version: datasetVersions, kind: datasets.kind, name: datasets.name, mapping: mappings })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .leftJoin(mappings, eq(mappings.id, datasetVersions.mappingId))
    .where(and(eq(datasetVersions.tenantId, tenantId), eq(datasetVersions.id, versionId)));
  if (!row) throw notFound('Dataset version');
  return row;
}

export async function getDatasetVersion(db: Db, actor: TenantActor, versionId: string) {
  assertRole(actor.role, 'analyst');
  return withTenant(db, actor.tenantId, async (tx) => {
    const row = await getVersionRow(tx, actor.tenantId, versionId);
    const { storageKey: _storageKey, ...version } = row.version;
    return {
      ...version,
      kind: row.kind,
      name: row.name,
      profile: row.version.profile ? (datasetProfileSchema.parse(row.version.profile) as DatasetProfile) : null,
      mapping: row.mapping ? { id: row.mapping.id, version: row.mapping.version, spec: row.mapping.spec } : null,
    };
  });
}

function assertProfiled(version: { status: string; header: string[] | null }): string[] {
  if (!version.header) throw new AppError('PRECONDITION_FAILED', 'This file is still being profiled; try again in a moment.');
  return version.header;
}

export async function suggestMappingForVersion(db: Db, actor: TenantActor, versionId: string): Promise<MappingSuggestion> {
  const version = await getDatasetVersion(db, actor, versionId);
  const header = assertProfiled(version);
  return suggestMapping(version.kind, header, version.profile?.columns ?? []);
}

async function sampleRecords(storage: ObjectStorage, storageKey: string, limit: number): Promise<{ header: string[]; records: string[][] }> {
  const table = await openCsvTable(storage.get(storageKey));
  const records: string[][] = [];
  for await (const row of table.rows) {
    records.push(row.fields);
    if (records.length >= limit) break;
  }
  await table.rows.return(undefined);
  return { header: table.header, records };
}

export async function previewMappingForVersion(
  db: Db,
  storage: ObjectStorage,
  actor: TenantActor,
  versionId: string,
  spec: MappingDraft,
): Promise<MappingPreview> {
  assertRole(actor.role, 'admin');
  const row = await withTenant(db, actor.tenantId, (tx) => getVersionRow(tx, actor.tenantId, versionId));
  const { header, records } = await sampleRecords(storage, row.version.storageKey, PREVIEW_ROWS);
  return previewMapping({ ...spec, kind: row.kind, version: 1 }, header, records);
}

/** Saves the mapping as the next version for this kind of file and these columns, and attaches it. */
export async function saveMapping(db: Db, actor: TenantActor, versionId: string, specInput: MappingDraft) {
  assertRole(actor.role, 'admin');
  return withTenant(db, actor.tenantId, async (tx) => {
    const row = await getVersionRow(tx, actor.tenantId, versionId);
    const header = assertProfiled(row.version);
    const spec = parseMappingSpec({ ...specInput, kind: row.kind, version: 1 });
    compileMapping(spec, header); // every mapped column must exist in the file
    const signature = mappingSignature(header);
    const [latest] = await tx
      .select({ version: max(mappings.version) })
      .from(mappings)
      .where(and(eq(mappings.tenantId, actor.tenantId), eq(mappings.kind, row.kind), eq(mappings.signature, signature)));
    const version = (latest?.version ?? 0) + 1;
    const [saved] = await tx
      .insert(mappings)
      .values({
        tenantId: actor.tenantId,
        kind: row.kind,
        signature,
        version,
        spec: { ...spec, version } as unknown as Record<string, unknown>,
        createdBy: actor.userId,
      })
      .returning({ id: mappings.id, version: mappings.version, kind: mappings.kind });
    await tx
      .update(datasetVersions)
      .set({ mappingId: saved!.id })
      .where(and(eq(datasetVersions.tenantId, actor.tenantId), eq(datasetVersions.id, versionId)));
    await recordAuditEvent(tx, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      action: 'mapping.saved',
      subject: row.version.originalFilename,
      ip: actor.ip,
      metadata: { kind: row.kind, mappingId: saved!.id, version, versionId },
    });
    return { ...saved!, spec: { ...spec, version } };
  });
}

const LOADABLE = new Set(['profiled', 'invalid', 'failed', 'validated', 'superseded']);

/** Queues validation and loading of a profiled version with a mapping. */
export async function requestLoad(db: Db, actor: TenantActor, versionId: string) {
  assertRole(actor.role, 'admin');
  return withTenant(db, actor.tenantId, async (tx) => {
    const row = await getVersionRow(tx, actor.tenantId, versionId);
    if (!row.version.header) throw new AppError('PRECONDITION_FAILED', 'This file is still being profiled; load it once profiling has finished.');
    if (!row.version.mappingId) throw new AppError('PRECONDITION_FAILED', 'Save a mapping for this file before loading it.');
    if (!LOADABLE.has(row.version.status)) {
      throw new AppError('CONFLICT', `This file is ${row.version.status}; it cannot be loaded now.`);
    }
    await tx
      .update(datasetVersions)
      .set({ status: 'validating', error: null })
      .where(and(eq(datasetVersions.tenantId, actor.tenantId), eq(datasetVersions.id, versionId)));
    await enqueue(tx, 'dataset.load', { tenantId: actor.tenantId, versionId }, { jobKey: `dataset.load:${versionId}` });
    await recordAuditEvent(tx, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      action: 'dataset.load_requested',
      subject: row.version.originalFilename,
      ip: actor.ip,
      metadata: { kind: row.kind, versionId },
    });
    return { status: 'validating' as const };
  });
}

/** Row counts of the standard model, for the onboarding checklist and the data page. */
export async function getLoadedCounts(db: Db, actor: TenantActor) {
  return withTenant(db, actor.tenantId, async (tx) => {
    const result = await tx.execute<{ students: number; enrollments: number; terms: number; awards: number; participations: number; outcomes: number }>(
      sqlCounts(actor.tenantId),
    );
    return result[0]!;
  });
}

const sqlCounts = (tenantId: string) => sql`select
  (select count(*) from students where tenant_id = ${tenantId})::int as students,
  (select count(*) from term_enrollments where tenant_id = ${tenantId})::int as enrollments,
  (select count(*) from academic_periods where tenant_id = ${tenantId})::int as terms,
  (select count(*) from awards where tenant_id = ${tenantId})::int as awards,
  (select count(*) from participations where tenant_id = ${tenantId})::int as participations,
  (select count(*) from student_outcomes where tenant_id = ${tenantId})::int as outcomes`;
