/**
 * Tenants (institutions) and what belongs to them. Every table with `tenant_id` is under forced
 * row-level security (migrations/*_rls.sql); queries also filter by tenant explicitly.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './auth';

export const membershipRole = pgEnum('membership_role', ['owner', 'admin', 'analyst', 'viewer']);
export type MembershipRole = (typeof membershipRole.enumValues)[number];

export const academicCalendar = pgEnum('academic_calendar', ['semester', 'quarter']);

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  ipedsUnitId: text('ipeds_unit_id'),
  calendar: academicCalendar('calendar').notNull().default('semester'),
  plan: text('plan').notNull().default('trial'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const memberships = pgTable(
  'memberships',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: membershipRole('role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (m) => [primaryKey({ columns: [m.tenantId, m.userId] }), index('memberships_user_idx').on(m.userId)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: membershipRole('role').notNull(),
    /** SHA-256 of the secret in the link; the secret itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (i) => [
    uniqueIndex('invitations_tenant_token_idx').on(i.tenantId, i.tokenHash),
    index('invitations_tenant_email_idx').on(i.tenantId, i.email),
  ],
);

/**
 * Audit trail. Tenant events carry `tenant_id`; platform events (sign-ins, failed sign-ins,
 * tenant creation seen from the platform side) have none and are visible only in platform
 * context (see the RLS policy).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
    actorUserId: text('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    /** What the event is about, e.g. an e-mail address or a user id. */
    subject: text('subject'),
    ip: text('ip'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (a) => [
    index('audit_events_tenant_created_idx').on(a.tenantId, a.createdAt),
    index('audit_events_action_subject_idx').on(a.action, a.subject, a.createdAt),
  ],
);

/**
 * Mail that was not sent over SMTP (no SMTP configured) lands here, and is shown to platform
 * administrators. Platform-level: it has no tenant, and tenant users never read it.
 */
export const emailOutbox = pgTable('email_outbox', {
  id: uuid('id').primaryKey().defaultRandom(),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  textBody: text('text_body').notNull(),
  /** Idempotency: the job that produced this message, so a retried job writes it once. */
  dedupeKey: text('dedupe_key').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
