import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { tenants } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { AppError } from '../../errors/app-error';
import { recordAuditEvent } from '../audit/record-audit-event';
import { createInvitation } from '../invitations/create-invitation';

export const tenantSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{1,46}[a-z0-9])$/, 'Use 3–48 lowercase letters, digits and hyphens, e.g. “state-university”.');

/** Slugs that would collide with top-level routes. */
const RESERVED_SLUGS = new Set(['admin', 'api', 'sign-in', 'sign-out', 'invite', 'settings', 'static', 'docs']);

export const createTenantInput = z.object({
  name: z.string().trim().min(2, 'Give the institution’s name.').max(200),
  slug: tenantSlugSchema,
  ipedsUnitId: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'An IPEDS unit id has six digits.')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  calendar: z.enum(['semester', 'quarter']).default('semester'),
  plan: z.string().trim().min(1).default('trial'),
  firstAdminEmail: z.string().trim().email('Give the e-mail address of the institution’s first administrator.'),
});
export type CreateTenantInput = z.input<typeof createTenantInput>;

/**
 * Onboards an institution (platform administrators only — checked by the caller): creates the
 * tenant and invites its first administrator (as owner) in one transaction.
 */
export async function createTenant(db: Db, rawInput: CreateTenantInput, actor: { userId: string; ip?: string | null }) {
  const input = createTenantInput.parse(rawInput);
  if (RESERVED_SLUGS.has(input.slug)) throw new AppError('BAD_REQUEST', `“${input.slug}” is reserved; choose another slug.`);
  const [taken] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, input.slug)).limit(1);
  if (taken) throw new AppError('CONFLICT', `The slug “${input.slug}” is taken; choose another.`);

  return db.transaction(async (outer) => {
    const [tenant] = await outer
      .insert(tenants)
      .values({ name: input.name, slug: input.slug, ipedsUnitId: input.ipedsUnitId, calendar: input.calendar, plan: input.plan })
      .returning();
    if (!tenant) throw new AppError('INTERNAL', 'The institution could not be created.');
    // The nested transaction (a savepoint) carries the new tenant's RLS context.
    const invitation = await withTenant(outer, tenant.id, async (tx) => {
      await recordAuditEvent(tx, {
        tenantId: tenant.id,
        actorUserId: actor.userId,
        action: 'tenant.created',
        subject: tenant.slug,
        ip: actor.ip,
        metadata: { name: tenant.name, plan: tenant.plan },
      });
      return createInvitation(tx, {
        tenantId: tenant.id,
        email: input.firstAdminEmail,
        role: 'owner',
        invitedBy: actor.userId,
        ip: actor.ip,
      });
    });
    return { tenant, invitation };
  });
}
