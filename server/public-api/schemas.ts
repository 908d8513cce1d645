/**
 * Request and response schemas of the public REST API (/api/v1), kept in one place so that the
 * OpenAPI document can be generated from the same definitions. Request bodies are strict:
 * unknown fields are refused (a typo must not be silently ignored).
 */
import { z } from 'zod';
import { datasetVersionStatus, runStatus } from '../../db/schema';
import { mappingAssignment } from '../services/metadata/mapping';
import { datasetKinds } from '../services/metadata/standard-model';
import { studySpecSchema } from '../services/studies/study-spec';

/** Largest JSON request body `withApiKey` reads. */
export const MAX_JSON_BYTES = 64 * 1024;

/** Content types the dataset upload accepts as a streamed body. */
export const UPLOAD_CONTENT_TYPES = ['text/csv', 'text/plain', 'text/tab-separated-values', 'application/octet-stream'] as const;

const id = z.string().uuid();
const timestamp = z.union([z.date(), z.string()]).transform((value) => new Date(value).toISOString());
const nullableTimestamp = timestamp.nullable();

// ---- pagination -------------------------------------------------------------------------

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1, 'limit is 1 to 100.').max(100, 'limit is 1 to 100.').default(50),
  cursor: z.string().max(200).optional(),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    /** Pass as `cursor` to get the next page; null on the last page. */
    nextCursor: z.string().nullable(),
  });

// ---- datasets ---------------------------------------------------------------------------

export const datasetUploadQuery = z.strictObject({
  kind: z.enum(datasetKinds, { error: `Choose what the file holds: ${datasetKinds.join(', ')}.` }),
  filename: z.string().min(1, 'Give the file’s name in `filename`.').max(255),
  name: z.string().min(1).max(120).optional(),
});

/** A dataset version: one uploaded file. Its `id` is what the other dataset endpoints take. */
export const datasetSummary = z.object({
  id,
  datasetId: id,
  kind: z.enum(datasetKinds),
  name: z.string(),
  version: z.number().int(),
  status: z.enum(datasetVersionStatus.enumValues),
  filename: z.string(),
  bytes: z.number().int(),
  rowCount: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: timestamp,
  loadedAt: nullableTimestamp,
});

export const datasetDetail = datasetSummary.extend({
  sha256: z.string(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  header: z.array(z.string()).nullable(),
  profile: z.record(z.string(), z.unknown()).nullable(),
  validationReport: z.array(z.record(z.string(), z.unknown())).nullable(),
  mapping: z.object({ id, version: z.number().int() }).nullable(),
});

export const datasetUploaded = z.object({
  id,
  datasetId: id,
  kind: z.enum(datasetKinds),
  version: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string(),
  status: z.literal('uploaded'),
});

// ---- mappings ---------------------------------------------------------------------------

/**
 * How a file's columns become standard-model fields. The suggestion's `spec` has this shape, so
 * accepting a suggestion is `PUT …/mapping` with the suggestion's `spec` as the body.
 */
export const mappingSpecBody = z.strictObject({
  /** Cell values read as missing; default: empty, NA, N/A, NULL, ., #N/A, NaN, \N. */
  nullTokens: z.array(z.string().max(20)).max(50).optional(),
  assignments: z.array(mappingAssignment).max(200),
});

const mappingSpecOut = z.object({ nullTokens: z.array(z.string()), assignments: z.array(mappingAssignment) });

export const mappingDetail = z.object({
  id,
  /** Mapping versions count per kind of file and set of columns. */
  version: z.number().int(),
  kind: z.enum(datasetKinds),
  spec: mappingSpecOut,
});

export const mappingSuggestionBody = z.object({
  kind: z.enum(datasetKinds),
  fields: z.array(
    z.object({
      field: z.string(),
      required: z.boolean(),
      column: z.string().nullable(),
      /** 0–1: ≥ 0.9 a known column name, 0.5–0.9 a partial match, < 0.5 a guess from the values. */
      confidence: z.number(),
      reason: z.string(),
      transform: z.record(z.string(), z.unknown()).nullable(),
      transformReason: z.string().nullable(),
    }),
  ),
  /** Required fields no column was found for: map them (or give a constant) before loading. */
  unmappedRequired: z.array(z.string()),
  unmappedColumns: z.array(z.string()),
  spec: mappingSpecOut,
});

export const mappingPreviewBody = z.object({
  fields: z.array(z.object({ field: z.string(), column: z.string().nullable(), type: z.string(), required: z.boolean(), derived: z.boolean() })),
  rows: z.array(z.object({ rowNumber: z.number().int(), values: z.record(z.string(), z.unknown()), errors: z.record(z.string(), z.array(z.string())) })),
  unmappedRequired: z.array(z.string()),
  cellErrors: z.number().int(),
  rowsWithErrors: z.number().int(),
});

export const loadRequested = z.object({ id, status: z.literal('validating') });

// ---- studies ----------------------------------------------------------------------------

const { cohort, method, ...specFields } = studySpecSchema.shape;

/** The study specification (as in the portal), strict at every level; omitted parts take their defaults. */
export const studyCreateBody = z.strictObject({
  ...specFields,
  cohort: z.strictObject(cohort.unwrap().shape).optional(),
  method: z.strictObject(method.unwrap().shape).optional(),
});

/** An update replaces the specification (a new study version); the same shape as a create. */
export const studyUpdateBody = studyCreateBody;

export const studySummary = z.object({ id, name: z.string(), version: z.number().int(), updatedAt: timestamp });

export const studyDetail = z.object({ id, name: z.string(), version: z.number().int(), spec: studySpecSchema });

// ---- runs -------------------------------------------------------------------------------

export const runStarted = z.object({
  id,
  status: z.literal('queued'),
  /** The cohort the run will analyse, counted when it was started. */
  counts: z.record(z.string(), z.number()),
});

export const runSummary = z.object({
  id,
  studyVersion: z.number().int(),
  status: z.enum(runStatus.enumValues),
  progress: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  createdAt: timestamp,
  finishedAt: nullableTimestamp,
});

export const exportQuery = z.strictObject({ format: z.enum(['csv', 'json'], { error: 'Choose format=csv or format=json.' }).default('csv') });

export const runStatusBody = z.object({
  id,
  studyId: id,
  studyVersion: z.number().int(),
  status: z.enum(runStatus.enumValues),
  /** { stage, percent, … } while running. */
  progress: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  cancelRequested: z.boolean(),
  createdAt: timestamp,
  startedAt: nullableTimestamp,
  finishedAt: nullableTimestamp,
});

export const runResultBody = z.object({
  runId: id,
  study: z.string(),
  spec: z.record(z.string(), z.unknown()),
  lineage: z.record(z.string(), z.unknown()).nullable(),
  result: z.record(z.string(), z.unknown()),
});
