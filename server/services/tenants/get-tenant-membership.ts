import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { memberships, tenants, type MembershipRole } from '../../../db/schema';
import { withUser } from '../../../db/tenant';
import { notFound } from '../../errors/app-error';

export interface TenantMembership {
  tenantId: string;
  slug: string;
  name: string;
  role: MembershipRole;
}

/**
 * Resolves a tenant by slug together with the user's membership, in one query. A tenant the
 * user does not belong to is reported exactly like one that does not exist.
 */
export async function getTenantMembership(db: Db, userId: string, slug: string): Promise<TenantMembership> {
  const [row] = await withUser(db, userId, (tx) =>
    tx
      .select({ tenantId: tenants.id, slug: tenants.slug, name: tenants.name, role: memberships.role })
      .from(tenants)
      .innerJoin(memberships, and(eq(memberships.tenantId, tenants.id), eq(memberships.userId, userId)))
      .where(eq(tenants.slug, slug))
      .limit(1),
  );
  if (!row) throw notFound('Institution');
  return row;
}

/** The institutions a user belongs to, for the home page and the tenant switcher. */
export async function findUserTenants(db: Db, userId: string): Promise<TenantMembership[]> {
  return withUser(db, userId, (tx) =>
    tx
      .select({ tenantId: tenants.id, slug: tenants.slug, name: tenants.name, role: memberships.role })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(eq(memberships.userId, userId))
      .orderBy(tenants.name),
  );
}
