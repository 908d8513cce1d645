/**
 * The OpenAPI 3.1 description of the public REST API (/api/v1), built from the same zod schemas
 * the route handlers parse with (server/public-api/schemas.ts), so the document cannot drift
 * from what the handlers accept and return.
 *
 * `API_ROUTES` is the one table of endpoints: one row per route file and exported HTTP method
 * under app/api/v1 (the catch-all `[...path]` excepted). openapi.test.ts walks that folder and
 * fails when a route file or method is missing here, or when a row's scope differs from the
 * scope the route hands to `withApiKey`.
 *
 * Framework-free and pure: no `next/*`, no database, no env; what depends on the instance's
 * configuration (rate limit, upload limit, server URL) comes in through `OpenApiOptions`.
 */
import { z } from 'zod';
import type { ApiKeyScope } from '../services/api-keys/scopes';
import { webhookEventSchemas } from '../services/webhooks/webhook-events';
import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_SCHEDULE_SECONDS } from '../services/webhooks/webhook-retry';
import { WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '../services/webhooks/webhook-signature';
import {
  datasetDetail,
  datasetSummary,
  datasetUploaded,
  datasetUploadQuery,
  exportQuery,
  loadRequested,
  mappingDetail,
  mappingPreviewBody,
  mappingSpecBody,
  mappingSuggestionBody,
  page,
  pageQuery,
  runResultBody,
  runStarted,
  runStatusBody,
  runSummary,
  studyCreateBody,
  studyUpdateBody,
  studyDetail,
  studySummary,
  MAX_JSON_BYTES,
  UPLOAD_CONTENT_TYPES,
} from './schemas';

export { UPLOAD_CONTENT_TYPES };

const JSON_BODY_KIB = MAX_JSON_BYTES / 1024;

/** RFC 9457 problem+json, as `problemJson` (./problem.ts) writes it. */
export const problemSchema = z.object({
  type: z.string().describe('A URI naming the problem, e.g. https://causeway.dev/problems/insufficient-scope.'),
  title: z.string().describe('The HTTP status, in words.'),
  status: z.number().int(),
  detail: z.string().describe('What went wrong and what to do about it, for a person.'),
  code: z.string().describe('A stable code to branch on: VALIDATION_FAILED, API_KEY_REVOKED, INSUFFICIENT_SCOPE, RATE_LIMITED, IDEMPOTENCY_KEY_REUSED, …'),
  instance: z.string().describe('The request path.'),
  errors: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe('Each validation problem (VALIDATION_FAILED), at most 20.'),
  requiredScope: z.string().optional().describe('The scope the key lacks (INSUFFICIENT_SCOPE).'),
});

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 500;

export interface ApiRoute {
  method: HttpMethod;
  /** OpenAPI path, relative to the server URL (/api/v1); `{id}` for a `[id]` folder. */
  path: string;
  /** The route file, relative to the repository root. */
  file: string;
  operationId: string;
  summary: string;
  description: string;
  tag: 'Datasets' | 'Mappings' | 'Studies' | 'Runs' | 'Documentation';
  /** null: public, no API key. */
  scope: ApiKeyScope | null;
  /** Query-string schema (strict object); each property becomes a query parameter. */
  query?: z.ZodObject;
  body?: { kind: 'json'; schema: z.ZodType; name: string } | { kind: 'stream' };
  response: { status: number; description: string; schema?: z.ZodType; name?: string; contentType?: string | string[] };
  /** Error statuses besides the ones every keyed operation has (401, 403, 429, 500). */
  errors: ErrorStatus[];
}

const datasetPage = page(datasetSummary);
const studyPage = page(studySummary);
const runPage = page(runSummary);

export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/datasets',
    file: 'app/api/v1/datasets/route.ts',
    operationId: 'listDatasets',
    summary: 'List dataset versions',
    description: 'Dataset versions (uploaded files), newest first, cursor-paginated.',
    tag: 'Datasets',
    scope: 'datasets:read',
    query: pageQuery,
    response: { status: 200, description: 'A page of dataset versions.', schema: datasetPage, name: 'DatasetPage' },
    errors: [400],
  },
  {
    method: 'POST',
    path: '/datasets',
    file: 'app/api/v1/datasets/route.ts',
    operationId: 'uploadDataset',
    summary: 'Upload a dataset file',
    description:
      'Uploads one file as a new version of the dataset of that kind and name. The request body is either the file itself ' +
      '(`Content-Type: text/csv`, …; `kind` and `filename` in the query) or `multipart/form-data` with the file in a part named `file` ' +
      '(`kind`, `name`, `filename` as form fields before the file part, or in the query; the part’s file name is used when `filename` is not given). ' +
      'Either way it is streamed to storage, never buffered; profiling follows in the background: poll `GET /datasets/{id}` until `status` is `profiled`.',
    tag: 'Datasets',
    scope: 'datasets:write',
    query: datasetUploadQuery.partial(),
    body: { kind: 'stream' },
    response: { status: 201, description: 'The file is stored; its version is `uploaded`.', schema: datasetUploaded, name: 'DatasetUploaded' },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: 'GET',
    path: '/datasets/{id}',
    file: 'app/api/v1/datasets/[id]/route.ts',
    operationId: 'getDataset',
    summary: 'Get a dataset version',
    description: 'One dataset version: status, profile, validation report and mapping.',
    tag: 'Datasets',
    scope: 'datasets:read',
    response: { status: 200, description: 'The dataset version.', schema: datasetDetail, name: 'DatasetDetail' },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/datasets/{id}/mapping',
    file: 'app/api/v1/datasets/[id]/mapping/route.ts',
    operationId: 'getMapping',
    summary: 'Get the mapping of a dataset version',
    description: 'The mapping (column → standard field, with transforms) attached to the dataset version. 404 when none is attached yet.',
    tag: 'Mappings',
    scope: 'datasets:read',
    response: { status: 200, description: 'The attached mapping.', schema: mappingDetail, name: 'Mapping' },
    errors: [404],
  },
  {
    method: 'PUT',
    path: '/datasets/{id}/mapping',
    file: 'app/api/v1/datasets/[id]/mapping/route.ts',
    operationId: 'putMapping',
    summary: 'Save a mapping for a dataset version',
    description:
      'Saves the mapping as a new version (mapping versions count per kind of file and set of columns) and attaches it to the dataset version. ' +
      'Every mapped column must exist in the file and every field must belong to its kind. To accept a suggestion, send its `spec`.',
    tag: 'Mappings',
    scope: 'datasets:write',
    body: { kind: 'json', schema: mappingSpecBody, name: 'MappingSpec' },
    response: { status: 200, description: 'The saved, attached mapping.', schema: mappingDetail, name: 'Mapping' },
    errors: [400, 404, 412, 413, 415],
  },
  {
    method: 'GET',
    path: '/datasets/{id}/mapping/suggestion',
    file: 'app/api/v1/datasets/[id]/mapping/suggestion/route.ts',
    operationId: 'suggestMapping',
    summary: 'Suggest a mapping',
    description:
      'A mapping suggested from the column names (a dictionary of Banner, PeopleSoft, Colleague and Workday names) and the profiled values, ' +
      'with a confidence and a reason per field. 412 while the file is still being profiled.',
    tag: 'Mappings',
    scope: 'datasets:read',
    response: { status: 200, description: 'The suggestion; its `spec` can be saved as is.', schema: mappingSuggestionBody, name: 'MappingSuggestion' },
    errors: [404, 412],
  },
  {
    method: 'POST',
    path: '/datasets/{id}/mapping/preview',
    file: 'app/api/v1/datasets/[id]/mapping/preview/route.ts',
    operationId: 'previewMapping',
    summary: 'Preview a mapping',
    description: "Applies a mapping to the file's first 20 rows and lists every cell problem (transform, type, required, range). Nothing is saved.",
    tag: 'Mappings',
    scope: 'datasets:read',
    body: { kind: 'json', schema: mappingSpecBody, name: 'MappingSpec' },
    response: { status: 200, description: 'The mapped sample rows and their problems.', schema: mappingPreviewBody, name: 'MappingPreview' },
    errors: [400, 404, 413, 415],
  },
  {
    method: 'POST',
    path: '/datasets/{id}/load',
    file: 'app/api/v1/datasets/[id]/load/route.ts',
    operationId: 'loadDataset',
    summary: 'Load a dataset version',
    description:
      'Validates the file with its mapping and loads it into the standard model, replacing the previous version of that dataset (202: queued). ' +
      'Poll `GET /datasets/{id}` until `status` is `loaded` (or `invalid`, with a validation report), or subscribe to the `dataset.loaded` / `dataset.failed` webhooks.',
    tag: 'Datasets',
    scope: 'datasets:write',
    response: { status: 202, description: 'Validation and loading are queued.', schema: loadRequested, name: 'LoadRequested' },
    errors: [404, 409, 412],
  },
  {
    method: 'GET',
    path: '/studies',
    file: 'app/api/v1/studies/route.ts',
    operationId: 'listStudies',
    summary: 'List studies',
    description: 'Studies, most recently changed first, cursor-paginated.',
    tag: 'Studies',
    scope: 'studies:read',
    query: pageQuery,
    response: { status: 200, description: 'A page of studies.', schema: studyPage, name: 'StudyPage' },
    errors: [400],
  },
  {
    method: 'POST',
    path: '/studies',
    file: 'app/api/v1/studies/route.ts',
    operationId: 'createStudy',
    summary: 'Define a study',
    description: 'Defines a study from its specification (as in the portal). Unknown fields are refused; omitted parts take their defaults.',
    tag: 'Studies',
    scope: 'studies:write',
    body: { kind: 'json', schema: studyCreateBody, name: 'StudyCreate' },
    response: { status: 201, description: 'The study, as stored.', schema: studyDetail, name: 'StudyDetail' },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: 'GET',
    path: '/studies/{id}',
    file: 'app/api/v1/studies/[id]/route.ts',
    operationId: 'getStudy',
    summary: 'Get a study',
    description: 'A study with its current specification.',
    tag: 'Studies',
    scope: 'studies:read',
    response: { status: 200, description: 'The study.', schema: studyDetail, name: 'StudyDetail' },
    errors: [404],
  },
  {
    method: 'PUT',
    path: '/studies/{id}',
    file: 'app/api/v1/studies/[id]/route.ts',
    operationId: 'updateStudy',
    summary: 'Update a study',
    description: 'Replaces the specification: the study gets a new version (runs keep the version they ran). The body is a full specification, as for a create.',
    tag: 'Studies',
    scope: 'studies:write',
    body: { kind: 'json', schema: studyUpdateBody, name: 'StudyUpdate' },
    response: { status: 200, description: 'The study, as stored.', schema: studyDetail, name: 'StudyDetail' },
    errors: [400, 404, 413, 415],
  },
  {
    method: 'GET',
    path: '/studies/{id}/runs',
    file: 'app/api/v1/studies/[id]/runs/route.ts',
    operationId: 'listRuns',
    summary: "List a study's runs",
    description: 'Runs of the study, newest first, cursor-paginated.',
    tag: 'Runs',
    scope: 'runs:read',
    query: pageQuery,
    response: { status: 200, description: 'A page of runs.', schema: runPage, name: 'RunPage' },
    errors: [400, 404],
  },
  {
    method: 'POST',
    path: '/studies/{id}/runs',
    file: 'app/api/v1/studies/[id]/runs/route.ts',
    operationId: 'startRun',
    summary: 'Start a run of a study',
    description: "Starts a run of the study's current version. The run is queued (202): poll `GET /runs/{id}`.",
    tag: 'Runs',
    scope: 'runs:write',
    response: { status: 202, description: 'The run is queued.', schema: runStarted, name: 'RunStarted' },
    errors: [400, 404, 409, 422],
  },
  {
    method: 'GET',
    path: '/runs/{id}',
    file: 'app/api/v1/runs/[id]/route.ts',
    operationId: 'getRun',
    summary: 'Get a run',
    description: "A run's status and progress.",
    tag: 'Runs',
    scope: 'runs:read',
    response: { status: 200, description: 'The run.', schema: runStatusBody, name: 'RunStatus' },
    errors: [404],
  },
  {
    method: 'POST',
    path: '/runs/{id}/cancel',
    file: 'app/api/v1/runs/[id]/cancel/route.ts',
    operationId: 'cancelRun',
    summary: 'Cancel a run',
    description: 'A queued run stops at once, a running one at its next stage (202).',
    tag: 'Runs',
    scope: 'runs:write',
    response: { status: 202, description: 'Cancellation is requested; the run as it is now.', schema: runStatusBody, name: 'RunStatus' },
    errors: [400, 404, 409, 422],
  },
  {
    method: 'GET',
    path: '/runs/{id}/result',
    file: 'app/api/v1/runs/[id]/result/route.ts',
    operationId: 'getRunResult',
    summary: 'Get the result of a run',
    description: 'The result of a finished run (the JSON export; audit-logged like every export). 409 while the run has no result.',
    tag: 'Runs',
    scope: 'runs:read',
    response: { status: 200, description: 'The run result.', schema: runResultBody, name: 'RunResult' },
    errors: [404, 409],
  },
  {
    method: 'GET',
    path: '/runs/{id}/export',
    file: 'app/api/v1/runs/[id]/export/route.ts',
    operationId: 'exportRun',
    summary: 'Export the result of a run',
    description: 'The result of a finished run as a file to save: CSV (estimate, balance and subgroup tables; formula-safe cells) or JSON. Audit-logged. 409 while the run has no result.',
    tag: 'Runs',
    scope: 'runs:read',
    query: exportQuery,
    response: { status: 200, description: 'The file (Content-Disposition: attachment).', contentType: ['text/csv', 'application/json'] },
    errors: [400, 404, 409],
  },
  {
    method: 'GET',
    path: '/openapi.json',
    file: 'app/api/v1/openapi.json/route.ts',
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI document',
    description: 'The OpenAPI 3.1 description of the API. Public: no API key.',
    tag: 'Documentation',
    scope: null,
    response: { status: 200, description: 'The OpenAPI document.', contentType: 'application/json' },
    errors: [],
  },
  {
    method: 'GET',
    path: '/docs',
    file: 'app/api/v1/docs/route.ts',
    operationId: 'getApiDocs',
    summary: 'API documentation (HTML)',
    description: 'A readable page listing the operations and conventions of the API. Public: no API key.',
    tag: 'Documentation',
    scope: null,
    response: { status: 200, description: 'The documentation page.', contentType: 'text/html' },
    errors: [],
  },
];

export interface OpenApiOptions {
  /** The server URL the paths are relative to; default `/api/v1` (relative to the document's origin). */
  serverUrl?: string;
  /** API_RATE_LIMIT_PER_MINUTE, when known, to state the limit in the description. */
  rateLimitPerMinute?: number;
  /** UPLOAD_MAX_BYTES, when known, to state the upload limit. */
  uploadMaxBytes?: number;
  /** The document's info.version. */
  version?: string;
}

type Json = Record<string, unknown>;

const ERROR_RESPONSES: Record<ErrorStatus, { name: string; description: string; rateLimited: boolean }> = {
  400: { name: 'BadRequest', description: 'The request is not valid (VALIDATION_FAILED, INVALID_JSON, INVALID_CURSOR, INVALID_IDEMPOTENCY_KEY). `errors` lists each problem.', rateLimited: true },
  401: { name: 'Unauthorized', description: 'No usable API key: API_KEY_MISSING, API_KEY_MALFORMED, API_KEY_UNKNOWN, API_KEY_REVOKED or API_KEY_EXPIRED.', rateLimited: false },
  403: { name: 'Forbidden', description: 'The key lacks the scope this operation requires (INSUFFICIENT_SCOPE; `requiredScope` names it).', rateLimited: true },
  404: { name: 'NotFound', description: "No such resource in the key's tenant (an id that is not a UUID reads the same).", rateLimited: true },
  412: { name: 'PreconditionFailed', description: 'The resource is not ready for this yet, e.g. the file is still being profiled or has no mapping (PRECONDITION_FAILED).', rateLimited: true },
  409: { name: 'Conflict', description: 'The resource is not in a state that allows this, or a request with the same Idempotency-Key is still in progress (IDEMPOTENCY_KEY_IN_USE).', rateLimited: true },
  413: { name: 'PayloadTooLarge', description: 'The request body is too large (BODY_TOO_LARGE).', rateLimited: true },
  415: { name: 'UnsupportedMediaType', description: 'The body has a Content-Type this operation does not accept (UNSUPPORTED_MEDIA_TYPE).', rateLimited: true },
  422: { name: 'UnprocessableContent', description: 'The Idempotency-Key was used before for a different request (IDEMPOTENCY_KEY_REUSED), or the content cannot be processed.', rateLimited: true },
  429: { name: 'TooManyRequests', description: 'The per-key rate limit is spent (RATE_LIMITED); retry after `Retry-After` seconds.', rateLimited: true },
  500: { name: 'InternalError', description: 'Something failed on our side; the body carries no internals. Retry later.', rateLimited: true },
};

/** Statuses every operation that needs an API key can answer. */
const KEYED_ERRORS: ErrorStatus[] = [401, 403, 429, 500];

const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy'] as const;

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });
const rateLimitHeaders = (): Json => Object.fromEntries(RATE_LIMIT_HEADERS.map((name) => [name, headerRef(name)]));

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of named zod schemas, cross-referenced through components. */
function componentSchemas(named: Map<string, z.ZodType>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of named) registry.add(schema, { id: name });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    // Timestamps are `z.union([z.date(), z.string()]).transform(toISOString)`: on the wire an ISO 8601 string.
    unrepresentable: 'any',
    override: (context) => {
      const def = context.zodSchema._zod.def as { type: string; out?: { _zod: { def: { type: string } } } };
      if (def.type === 'pipe' && def.out?._zod.def.type === 'transform') {
        for (const key of Object.keys(context.jsonSchema)) delete (context.jsonSchema as Json)[key];
        Object.assign(context.jsonSchema, { type: 'string', format: 'date-time' });
      }
    },
    uri: (id) => `#/components/schemas/${id}`,
  });
  const out: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema as Json;
    out[name] = rest;
  }
  return out;
}

/** The query schema's properties as OpenAPI parameters (input side: defaults and coercions as the client sees them). */
function queryParameters(query: z.ZodObject): Json[] {
  const json = z.toJSONSchema(query, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Json>;
    required?: string[];
  };
  const descriptions: Record<string, string> = {
    limit: 'Items per page, 1 to 100 (default 50).',
    cursor: "The previous page's `nextCursor`.",
    kind: 'What the file holds.',
    filename: "The file's name.",
    name: 'The dataset name; default: derived from the file name.',
  };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
    schema,
  }));
}

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    description: 'The resource id (a UUID).',
    schema: { type: 'string', format: 'uuid' },
  }));
}

function scopeText(scope: ApiKeyScope | null): string {
  return scope ? `\n\n**Required scope:** \`${scope}\` (API key: \`Authorization: Bearer cw_live_…\`).` : '\n\n**Public:** no API key.';
}

function operation(route: ApiRoute, options: OpenApiOptions): Json {
  const parameters = [...pathParameters(route.path), ...(route.query ? queryParameters(route.query) : [])];
  if (route.method === 'POST' && route.scope) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });

  let requestBody: Json | undefined;
  if (route.body?.kind === 'json') {
    requestBody = {
      required: true,
      description: `JSON, at most ${JSON_BODY_KIB} KiB. Unknown fields are refused.`,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body.name}` } } },
    };
  } else if (route.body?.kind === 'stream') {
    const limit = options.uploadMaxBytes ? `, at most ${options.uploadMaxBytes} bytes` : '';
    requestBody = {
      required: true,
      description: `The file, streamed${limit}: the file itself as the body, or multipart/form-data with the file in the part \`file\`. A delimited text file such as CSV.`,
      content: {
        ...Object.fromEntries(UPLOAD_CONTENT_TYPES.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }])),
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: {
              kind: { type: 'string', description: 'What the file holds (or in the query).' },
              name: { type: 'string', description: 'The dataset name (optional).' },
              filename: { type: 'string', description: "The file's name; default: the part's file name." },
              file: { type: 'string', contentMediaType: 'text/csv', description: 'The file (the last part).' },
            },
          },
          encoding: { file: { contentType: UPLOAD_CONTENT_TYPES.join(', ') } },
        },
      },
    };
  }

  const successHeaders: Json = route.scope ? rateLimitHeaders() : {};
  if (route.method === 'POST' && route.scope) successHeaders['Idempotent-Replayed'] = headerRef('Idempotent-Replayed');
  const contentTypes = [route.response.contentType ?? 'application/json'].flat();
  const bodySchema = (contentType: string): Json =>
    route.response.name ? { $ref: `#/components/schemas/${route.response.name}` } : contentType.startsWith('text/') ? { type: 'string' } : { type: 'object' };
  const success: Json = {
    description: route.response.description,
    ...(Object.keys(successHeaders).length > 0 ? { headers: successHeaders } : {}),
    content: Object.fromEntries(contentTypes.map((type) => [type, { schema: bodySchema(type) }])),
  };

  const statuses = [...new Set([...route.errors, ...(route.scope ? KEYED_ERRORS : [])])].sort((a, b) => a - b);
  const responses: Json = { [String(route.response.status)]: success };
  for (const status of statuses) responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };

  return {
    operationId: route.operationId,
    summary: route.summary,
    description: route.description + scopeText(route.scope),
    tags: [route.tag],
    // OpenAPI 3.1 lets a non-OAuth requirement list role names: the scope goes there and in x-required-scopes.
    security: route.scope ? [{ bearerAuth: [route.scope] }] : [],
    ...(route.scope ? { 'x-required-scopes': [route.scope] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

function conventions(options: OpenApiOptions): string {
  const rate = options.rateLimitPerMinute ? `${options.rateLimitPerMinute} requests per minute per key` : 'a per-key limit of requests per minute';
  return [
    'The Causeway tenant API: upload institutional data, define studies, run them and read their results.',
    '',
    '**Authentication.** Create an API key in the portal (tenant admins) and send it as `Authorization: Bearer cw_live_…`. ' +
      "A key belongs to one tenant and carries scopes; each operation names the scope it requires (`x-required-scopes`). " +
      'A missing, malformed, unknown, revoked or expired key is a 401; a key without the scope is a 403.',
    '',
    `**Rate limit.** ${rate}. Every response to an authenticated request carries \`RateLimit-Limit\`, \`RateLimit-Remaining\`, ` +
      '`RateLimit-Reset` (seconds) and `RateLimit-Policy`; past the limit the answer is a 429 with `Retry-After`.',
    '',
    '**Idempotency.** Any POST may carry `Idempotency-Key` (1–255 visible ASCII characters; a UUID is a good choice). ' +
      'A retry with the same key and the same request replays the first response (`Idempotent-Replayed: true`); ' +
      'the same key with a different request is a 422; while the first is still in progress a retry is a 409.',
    '',
    '**Errors.** Every error is `application/problem+json` (RFC 9457) with a stable `code` to branch on; validation failures list each problem in `errors`. ' +
      'A 500 never carries internals.',
    '',
    '**Pagination.** Lists take `limit` (1–100) and `cursor`; pass the `nextCursor` of a page to get the next one (null on the last page).',
  ].join('\n');
}

const WEBHOOK_DESCRIPTIONS: Record<keyof typeof webhookEventSchemas, string> = {
  'run.completed': 'A study run finished with a result: fetch it from `data.resultUrl` with a key that has `runs:read`.',
  'run.failed': 'A study run failed (`data.error` says why) or was cancelled.',
  'dataset.loaded': 'A dataset version was validated and loaded into the standard model.',
  'dataset.failed': 'A dataset version failed validation (`invalid`: see its validation report) or loading (`failed`).',
};

const humanDelay = (seconds: number): string => (seconds < 60 ? `${seconds} s` : seconds < 3600 ? `${seconds / 60} min` : `${seconds / 3600} h`);

/** How deliveries are signed and retried (the docs page adds a verification example). */
export const WEBHOOK_CONVENTIONS =
  `Tenant admins register endpoints in the portal (Webhooks), choosing events; each endpoint has its own signing secret (\`whsec_…\`, shown once). ` +
  `Causeway POSTs the event as JSON with the headers \`${WEBHOOK_EVENT_HEADER}\` (the event type), \`${WEBHOOK_DELIVERY_HEADER}\` (the event id), ` +
  `\`${WEBHOOK_TIMESTAMP_HEADER}\` and \`${WEBHOOK_SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256>\`, where the HMAC is keyed with the whole secret ` +
  'over `<t>.<raw body>`. Verify it against the raw body before parsing, and refuse timestamps more than 5 minutes away from your clock.' +
  '\n\n' +
  `Answer with any 2xx within 10 s. Timeouts, network errors, 408, 429 and 5xx are retried up to ${WEBHOOK_MAX_ATTEMPTS} attempts in all, after ` +
  `${WEBHOOK_RETRY_SCHEDULE_SECONDS.map(humanDelay).join(', ')}; other answers (including redirects, which are not followed) end the delivery. ` +
  'Every attempt is logged in the portal, where a delivery can be sent again. Delivery is at least once: deduplicate on the event id. ' +
  'Endpoints must be public https URLs.';

function webhookOperations(): Json {
  const header = (name: string, description: string) => ({ name, in: 'header', required: true, description, schema: { type: 'string' } });
  return Object.fromEntries(
    Object.keys(webhookEventSchemas).map((type) => [
      type,
      {
        post: {
          operationId: `webhook_${type.replace('.', '_')}`,
          summary: `${type} event`,
          description: WEBHOOK_DESCRIPTIONS[type as keyof typeof webhookEventSchemas],
          tags: ['Webhooks'],
          parameters: [
            header(WEBHOOK_SIGNATURE_HEADER, '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` keyed with the endpoint secret.'),
            header(WEBHOOK_EVENT_HEADER, 'The event type.'),
            header(WEBHOOK_DELIVERY_HEADER, 'The event id (deduplicate on it).'),
            header(WEBHOOK_TIMESTAMP_HEADER, 'Unix seconds, as signed.'),
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${webhookSchemaName(type)}` } } } },
          responses: { '2XX': { description: 'Received. Any other answer, or none within 10 s, is a failed attempt.' } },
        },
      },
    ]),
  );
}

const webhookSchemaName = (type: string): string => `${type.split('.').map((part) => part[0]!.toUpperCase() + part.slice(1)).join('')}Event`;

/** The OpenAPI 3.1 document of /api/v1. */
export function buildOpenApiDocument(options: OpenApiOptions = {}): Json {
  const responseSchemas = new Map<string, z.ZodType>([['Problem', problemSchema]]);
  const requestSchemas = new Map<string, z.ZodType>();
  for (const route of API_ROUTES) {
    if (route.response.schema && route.response.name) responseSchemas.set(route.response.name, route.response.schema);
    if (route.body?.kind === 'json') requestSchemas.set(route.body.name, route.body.schema);
  }
  // Page items are components of their own, referenced from the page.
  responseSchemas.set('DatasetSummary', datasetSummary);
  responseSchemas.set('StudySummary', studySummary);
  responseSchemas.set('RunSummary', runSummary);
  for (const [type, schema] of Object.entries(webhookEventSchemas)) responseSchemas.set(webhookSchemaName(type), schema);
  const schemas = { ...componentSchemas(responseSchemas, 'output'), ...componentSchemas(requestSchemas, 'input') };

  const paths: Record<string, Record<string, Json>> = {};
  for (const route of API_ROUTES) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, options);
  }

  const responses: Json = {};
  for (const [status, { name, description, rateLimited }] of Object.entries(ERROR_RESPONSES)) {
    const headers: Json = rateLimited ? rateLimitHeaders() : {};
    if (status === '429') headers['Retry-After'] = headerRef('Retry-After');
    responses[name] = {
      description,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }

  const integer = { schema: { type: 'integer', minimum: 0 } };
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: { title: 'Causeway API', version: options.version ?? '1.0.0', description: conventions(options) },
    servers: [{ url: options.serverUrl ?? '/api/v1' }],
    tags: [
      { name: 'Datasets', description: 'Uploaded institutional data files (dataset versions).' },
      { name: 'Mappings', description: "How a file's columns become the standard data model." },
      { name: 'Studies', description: 'Study specifications.' },
      { name: 'Runs', description: 'Study runs, their progress and results.' },
      { name: 'Documentation', description: 'This description of the API.' },
      { name: 'Webhooks', description: WEBHOOK_CONVENTIONS },
    ],
    security: [{ bearerAuth: [] }],
    paths,
    webhooks: webhookOperations(),
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'cw_live_…',
          description: 'A tenant API key created in the portal. Its scopes decide what it may do: ' + 'datasets:read, datasets:write, studies:read, studies:write, runs:read, runs:write.',
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Makes a retried POST safe: the same key and request replay the first response; the same key with another request is a 422.',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]{1,255}$' },
        },
      },
      headers: {
        'RateLimit-Limit': { description: 'Requests allowed per window (one minute).', ...integer },
        'RateLimit-Remaining': { description: 'Requests left in the current window.', ...integer },
        'RateLimit-Reset': { description: 'Seconds until the window resets.', ...integer },
        'RateLimit-Policy': { description: 'The policy, e.g. `600;w=60`.', schema: { type: 'string' } },
        'Retry-After': { description: 'Seconds to wait before retrying.', ...integer },
        'Idempotent-Replayed': { description: '`true` when the response is a replay of an earlier request with the same Idempotency-Key.', schema: { type: 'string', const: 'true' } },
      },
      responses,
      schemas,
    },
  };
}
