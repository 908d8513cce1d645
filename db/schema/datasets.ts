/**
 * Uploaded files and how they become standard-model rows: datasets (one per kind and name),
 * their versions (each upload: the stored file, its profile, the mapping used, the validation
 * report, and whether it is the one loaded), versioned mappings, and institution settings.
 */
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { tenants } from './tenancy';

export const datasetKind = pgEnum('dataset_kind', ['students', 'term_enrollments', 'participation', 'awards', 'terms']);
export type DatasetKind = (typeof datasetKind.enumValues)[number];

export const datasetVersionStatus = pgEnum('dataset_version_status', [
  'uploaded',
  'profiling',
  'profiled',
  'validating',
  'validated',
  'invalid',
  'loading',
  'loaded',
  'superseded',
  'failed',
]);

export const institutionSettings = pgTable('institution_settings', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  /** How census dates are set when a term file has none: days after the term start. */
  censusDayOffset: integer('census_day_offset').notNull().default(14),
  /** Normal time to completion in years per award level (IPEDS), e.g. { "bachelor": 4 }. */
  normalTimeYears: jsonb('normal_time_years')
    .$type<Record<string, number>>()
    .notNull()
    .default(sql`'{"certificate": 1, "associate": 2, "bachelor": 4}'::jsonb`),
  /** Cells (subgroups) smaller than this are suppressed in every output. */
  minCellSize: integer('min_cell_size').notNull().default(10),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const datasets = pgTable(
  'datasets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    kind: datasetKind('kind').notNull(),
    name: text('name').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (d) => [uniqueIndex('datasets_tenant_kind_name_idx').on(d.tenantId, d.kind, d.name)],
);

export const mappings = pgTable(
  'mappings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    kind: datasetKind('kind').notNull(),
    /** Hash of the normalised header set: a new upload with the same columns reuses the mapping. */
    signature: text('signature').notNull(),
    version: integer('version').notNull(),
    spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (m) => [
    uniqueIndex('mappings_tenant_kind_signature_version_idx').on(m.tenantId, m.kind, m.signature, m.version),
  ],
);

export const datasetVersions = pgTable(
  'dataset_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    status: datasetVersionStatus('status').notNull().default('uploaded'),
    storageKey: text('storage_key').notNull(),
    originalFilename: text('original_filename').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    encoding: text('encoding'),
    delimiter: text('delimiter'),
    header: jsonb('header').$type<string[]>(),
    rowCount: bigint('row_count', { mode: 'number' }),
    profile: jsonb('profile').$type<Record<string, unknown>>(),
    mappingId: uuid('mapping_id').references(() => mappings.id, { onDelete: 'set null' }),
    validationReport: jsonb('validation_report').$type<Record<string, unknown>[]>(),
    /** A message for the person who uploaded: what went wrong and what to fix. */
    error: text('error'),
    loadedAt: timestamp('loaded_at', { withTimezone: true }),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (v) => [
    uniqueIndex('dataset_versions_dataset_version_idx').on(v.tenantId, v.datasetId, v.version),
    index('dataset_versions_tenant_status_idx').on(v.tenantId, v.status),
  ],
);
