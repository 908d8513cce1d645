/**
 * Members of a tenant: list, change role, remove. Every function runs in the tenant's RLS
 * context and filters by tenant id. Rules: only owners grant or take away the owner role, and a
 * tenant always keeps at least one owner.
 */
import { and, count, desc, eq, isNull, gt } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import { invitations, memberships, users, type MembershipRole } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { AppError, notFound } from '../../errors/app-error';
import { recordAuditEvent } from '../audit/record-audit-event';
import { assertRole } from '../tenants/roles';
import { createInvitation } from '../invitations/create-invitation';

export interface TenantActor {
  tenantId: string;
  userId: string;
  role: MembershipRole;
  ip?: string | null;
}

/** Invitations of the tenant that can still be accepted. */
export function pendingInvitations(tenantId: string) {
  return and(eq(invitations.tenantId, tenantId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date()));
}

export async function findMembers(db: Db, actor: TenantActor) {
  return withTenant(db, actor.tenantId, async (tx) => {
    const members = await tx
      .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, actor.tenantId))
      .orderBy(users.email);
    const pending = await tx
      .select({ id: invitations.id, email: invitations.email, role: invitations.role, expiresAt: invitations.expiresAt })
      .from(invitations)
      .where(pendingInvitations(actor.tenantId))
      .orderBy(desc(invitations.createdAt));
    return { members, pendingInvitations: pending };
  });
}

export async function inviteMember(db: Db, actor: TenantActor, input: { email: string; role: MembershipRole }) {
  assertRole(actor.role, 'admin');
  if (input.role === 'owner') assertRole(actor.role, 'owner');
  return withTenant(db, actor.tenantId, (tx) =>
    createInvitation(tx, { tenantId: actor.tenantId, email: input.email, role: input.role, invitedBy: actor.userId, ip: actor.ip }),
  );
}

export async function revokeInvitation(db: Db, actor: TenantActor, invitationId: string) {
  assertRole(actor.role, 'admin');
  return withTenant(db, actor.tenantId, async (tx) => {
    const [revoked] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.tenantId, actor.tenantId), eq(invitations.id, invitationId), isNull(invitations.acceptedAt)))
      .returning({ email: invitations.email });
    if (!revoked) throw notFound('Invitation');
    await recordAuditEvent(tx, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      action: 'invitation.revoked',
      subject: revoked.email,
      ip: actor.ip,
    });
  });
}

async function getMemberRole(tx: Tx, tenantId: string, userId: string): Promise<MembershipRole> {
  const [member] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .limit(1);
  if (!member) throw notFound('Member');
  return member.role;
}

async function assertOwnerRemains(tx: Tx, tenantId: string): Promise<void> {
  const [owners] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, 'owner')));
  if ((owners?.n ?? 0) < 1) {
    throw new AppError('PRECONDITION_FAILED', 'An institution needs at least one owner. Make someone else owner first.');
  }
}

export async function changeMemberRole(db: Db, actor: TenantActor, input: { userId: string; role: MembershipRole }) {
  assertRole(actor.role, 'admin');
  return withTenant(db, actor.tenantId, async (tx) => {
    const current = await getMemberRole(tx, actor.tenantId, input.userId);
    if (current === 'owner' || input.role === 'owner') assertRole(actor.role, 'owner');
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.tenantId, actor.tenantId), eq(memberships.userId, input.userId)));
    await assertOwnerRemains(tx, actor.tenantId);
    await recordAuditEvent(tx, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      action: 'member.role_changed',
      subject: input.userId,
      ip: actor.ip,
      metadata: { from: current, to: input.role },
    });
  });
}

export async function removeMember(db: Db, actor: TenantActor, userId: string) {
  assertRole(actor.role, 'admin');
  return withTenant(db, actor.tenantId, async (tx) => {
    const current = await getMemberRole(tx, actor.tenantId, userId);
    if (current === 'owner') assertRole(actor.role, 'owner');
    await tx.delete(memberships).where(and(eq(memberships.tenantId, actor.tenantId), eq(memberships.userId, userId)));
    await assertOwnerRemains(tx, actor.tenantId);
    await recordAuditEvent(tx, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      action: 'member.removed',
      subject: userId,
      ip: actor.ip,
      metadata: { role: current },
    });
  });
}
