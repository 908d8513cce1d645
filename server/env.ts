/**
 * Configuration, parsed once with zod. Every variable is documented in the README.
 * The database URLs are filled in by infra/local/start.ts when it runs an embedded PostgreSQL.
 */
import { z } from 'zod';

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.string().url().optional())
  .optional();

/** An unset or blank variable (`S3_PREFIX=` in a compose file) counts as not set. */
const blankAsUnset = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalText = z.preprocess(blankAsUnset, z.string().trim().optional());

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Owner connection: runs migrations. Optional only for the local starter, which embeds one. */
  DATABASE_URL: optionalUrl,
  /** Application connection (role `causeway_app`, owns nothing, cannot bypass RLS). */
  APP_DATABASE_URL: optionalUrl,
  /** Password given to `causeway_app` by the migrator when APP_DATABASE_URL is derived. */
  APP_DATABASE_PASSWORD: z.string().min(8).default('causeway-app-local'),
  AUTH_SECRET: z.string().min(16).optional(),
  /** Public base URL of the portal, used in e-mailed links. */
  APP_URL: z.string().url().default('http://localhost:3000'),
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().default('Causeway <no-reply@causeway.local>'),
  OIDC_ISSUER: optionalUrl,
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().default('Institutional sign-in'),
  /** Failed sign-ins allowed per e-mail address (and per IP, ×4) in the throttle window. */
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Where uploaded files are stored (local directory). Default: <CAUSEWAY_DATA_DIR or .data>/storage. */
  STORAGE_DIR: z.string().optional(),
  CAUSEWAY_DATA_DIR: z.string().optional(),
  /** Largest accepted upload, in bytes (default 5 GiB). */
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(5 * 1024 ** 3),
  /** Requests allowed per API key per minute (fixed window, shared by every web instance). */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /**
   * Lets webhook endpoints use plain http and private, loopback or link-local addresses. For
   * development and tests only: in production webhooks must go to public https URLs.
   */
  WEBHOOK_ALLOW_LOCAL_URLS: z.preprocess(blankAsUnset, z.stringbool().default(false)),
  /** Total time a webhook delivery attempt may take (connect, TLS, response), in milliseconds. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** S3 or S3-compatible object storage for uploaded files; used instead of STORAGE_DIR when S3_BUCKET is set. */
  S3_BUCKET: optionalText,
  S3_REGION: z.preprocess(blankAsUnset, z.string().trim().default('us-east-1')),
  /** Endpoint of an S3-compatible service (MinIO, Ceph, R2); leave unset for AWS. */
  S3_ENDPOINT: optionalUrl,
  /** Path-style URLs (`endpoint/bucket/key`); default: true when S3_ENDPOINT is set. */
  S3_FORCE_PATH_STYLE: z.preprocess(blankAsUnset, z.stringbool().optional()),
  /** Static credentials (both or neither); otherwise the AWS default chain (AWS_* variables, profile, instance role). */
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  /** Key prefix inside the bucket, e.g. `causeway/production`. */
  S3_PREFIX: optionalText,
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  cached ??= schema.parse(process.env);
  return cached;
}

/** The application role's URL: explicit, or the owner URL with the app role's credentials. */
export function appDatabaseUrl(config: Env = env()): string {
  if (config.APP_DATABASE_URL) return config.APP_DATABASE_URL;
  if (!config.DATABASE_URL) {
    throw new Error('DATABASE_URL is not set. Start Causeway with `npm start`, or set DATABASE_URL.');
  }
  const url = new URL(config.DATABASE_URL);
  url.username = 'causeway_app';
  url.password = config.APP_DATABASE_PASSWORD;
  return url.toString();
}

export function oidcEnabled(config: Env = env()): boolean {
  return Boolean(config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET);
}
