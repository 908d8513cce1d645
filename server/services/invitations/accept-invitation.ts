import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import { invitations, memberships, tenants, users } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { AppError } from '../../errors/app-error';
import { recordAuditEvent } from '../audit/record-audit-event';
import { assertAcceptablePassword, hashPassword, verifyPassword } from '../auth/passwords';
import { hashInvitationToken } from './create-invitation';

const INVALID_LINK = 'This invitation link is not valid any more. Ask your institution’s administrator for a new one.';

async function findTenantId(db: Db, slug: string): Promise<string> {
  const [tenant] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug)).limit(1);
  if (!tenant) throw new AppError('NOT_FOUND', INVALID_LINK);
  return tenant.id;
}

async function findOpenInvitation(tx: Tx, tenantId: string, token: string) {
  const [invitation] = await tx
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        eq(invitations.tokenHash, hashInvitationToken(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .limit(1);
  if (!invitation) throw new AppError('NOT_FOUND', INVALID_LINK);
  return invitation;
}

export interface InvitationPreview {
  tenantName: string;
  email: string;
  role: string;
  /** True when the invited address already has a password: the page asks for it instead. */
  existingAccount: boolean;
}

export async function getInvitationPreview(db: Db, tenantSlug: string, token: string): Promise<InvitationPreview> {
  const tenantId = await findTenantId(db, tenantSlug);
  return withTenant(db, tenantId, async (tx) => {
    const invitation = await findOpenInvitation(tx, tenantId, token);
    const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
    const [user] = await tx.select({ hash: users.passwordHash }).from(users).where(eq(users.email, invitation.email));
    return {
      tenantName: tenant?.name ?? '',
      email: invitation.email,
      role: invitation.role,
      existingAccount: Boolean(user?.hash),
    };
  });
}

/**
 * Accepts an invitation: creates the account (or, for an existing account, checks its
 * password), joins the tenant with the invited role and marks the invitation used, atomically.
 */
export async function acceptInvitation(
  db: Db,
  input: { tenantSlug: string; token: string; name?: string; password: string; ip?: string | null },
): Promise<{ email: string; tenantSlug: string }> {
  const tenantId = await findTenantId(db, input.tenantSlug);
  return withTenant(db, tenantId, async (tx) => {
    const invitation = await findOpenInvitation(tx, tenantId, input.token);
    const [existing] = await tx.select().from(users).where(eq(users.email, invitation.email)).limit(1);
    let userId: string;
    if (existing?.passwordHash) {
      if (!(await verifyPassword(existing.passwordHash, input.password))) {
        throw new AppError('BAD_REQUEST', `${invitation.email} already has an account: enter its current password to accept.`);
      }
      userId = existing.id;
    } else {
      assertAcceptablePassword(input.password);
      const passwordHash = await hashPassword(input.password);
      if (existing) {
        await tx.update(users).set({ passwordHash, name: input.name ?? existing.name }).where(eq(users.id, existing.id));
        userId = existing.id;
      } else {
        const [created] = await tx
          .insert(users)
          .values({ email: invitation.email, name: input.name?.trim() || null, passwordHash, emailVerified: new Date() })
          .returning({ id: users.id });
        if (!created) throw new AppError('INTERNAL', 'The account could not be created.');
        userId = created.id;
      }
    }
    await tx
      .insert(memberships)
      .values({ tenantId, userId, role: invitation.role })
      .onConflictDoUpdate({ target: [memberships.tenantId, memberships.userId], set: { role: invitation.role } });
    await tx.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, invitation.id));
    await recordAuditEvent(tx, {
      tenantId,
      actorUserId: userId,
      action: 'invitation.accepted',
      subject: invitation.email,
      ip: input.ip,
      metadata: { role: invitation.role, invitationId: invitation.id },
    });
    return { email: invitation.email, tenantSlug: input.tenantSlug };
  });
}
