import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { auditEvents, users } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import type { TenantActor } from '../members/manage-members';
import { assertRole } from '../tenants/roles';

/** A page of the tenant's audit log, newest first; `before` is the cursor (an event id). */
export async function findAuditEvents(db: Db, actor: TenantActor, page: { before?: number; limit: number }) {
  assertRole(actor.role, 'admin');
  return withTenant(db, actor.tenantId, async (tx) => {
    const rows = await tx
      .select({
        id: auditEvents.id,
        action: auditEvents.action,
        subject: auditEvents.subject,
        actor: users.email,
        ip: auditEvents.ip,
        metadata: auditEvents.metadata,
        at: auditEvents.createdAt,
      })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorUserId))
      .where(and(eq(auditEvents.tenantId, actor.tenantId), page.before ? lt(auditEvents.id, page.before) : undefined))
      .orderBy(desc(auditEvents.id))
      .limit(page.limit + 1);
    const hasMore = rows.length > page.limit;
    const events = rows.slice(0, page.limit);
    return { events, nextCursor: hasMore ? events.at(-1)?.id ?? null : null };
  });
}
