/**
 * The tenant API: API keys (only a SHA-256 hash of the secret is stored, with a visible prefix
 * and the last four characters), the per-key rate-limit windows (in PostgreSQL so the limit
 * holds across several web instances), and stored responses of POSTs made with an
 * `Idempotency-Key`. All three are tenant-owned and under forced row-level security.
 */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { tenants } from './tenancy';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    scopes: text('scopes').array().notNull(),
    /** `cw_live_` + 8 random characters: shown in the portal, and how a presented key finds its row. */
    prefix: text('prefix').notNull(),
    lastFour: text('last_four').notNull(),
    /** SHA-256 (hex) of the whole key; the key itself is never stored. */
    secretHash: text('secret_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (k) => [uniqueIndex('api_keys_prefix_idx').on(k.prefix), index('api_keys_tenant_name_idx').on(k.tenantId, k.name, k.createdAt)],
);

/** Fixed one-minute windows: one row per key and window, counted with an upsert. */
export const apiRateLimits = pgTable(
  'api_rate_limits',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    keyId: uuid('key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (r) => [primaryKey({ columns: [r.tenantId, r.keyId, r.windowStart] })],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** SHA-256 of method, path, query and body; null while the first request is in flight. */
    requestHash: text('request_hash'),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body').$type<unknown>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (i) => [primaryKey({ columns: [i.tenantId, i.key] }), index('idempotency_keys_tenant_created_idx').on(i.tenantId, i.createdAt)],
);
