import { count, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { auditEvents, invitations, memberships, tenants, users } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { notFound } from '../../errors/app-error';
import { pendingInvitations, type TenantActor } from '../members/manage-members';
import { roleAtLeast } from '../tenants/roles';

/** What the tenant home page shows: the institution, its people, and (for admins) recent activity. */
export async function getDashboard(db: Db, actor: TenantActor) {
  return withTenant(db, actor.tenantId, async (tx) => {
    const [tenant] = await tx
      .select({ name: tenants.name, slug: tenants.slug, calendar: tenants.calendar, plan: tenants.plan, ipedsUnitId: tenants.ipedsUnitId })
      .from(tenants)
      .where(eq(tenants.id, actor.tenantId));
    if (!tenant) throw notFound('Institution');
    const [memberCount] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.tenantId, actor.tenantId));
    const [pendingCount] = await tx
      .select({ n: count() })
      .from(invitations)
      .where(pendingInvitations(actor.tenantId));
    const recentActivity = roleAtLeast(actor.role, 'admin')
      ? await tx
          .select({ id: auditEvents.id, action: auditEvents.action, subject: auditEvents.subject, actor: users.email, at: auditEvents.createdAt })
          .from(auditEvents)
          .leftJoin(users, eq(users.id, auditEvents.actorUserId))
          .where(eq(auditEvents.tenantId, actor.tenantId))
          .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
          .limit(10)
      : [];
    return {
      tenant,
      role: actor.role,
      memberCount: memberCount?.n ?? 0,
      pendingInvitationCount: pendingCount?.n ?? 0,
      recentActivity,
    };
  });
}
