import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../../db/client';
import { invitations, memberships, users, type MembershipRole } from '../../../db/schema';
import { AppError } from '../../errors/app-error';
import { enqueue } from '../../jobs/catalog';
import { recordAuditEvent } from '../audit/record-audit-event';
import { normaliseEmail } from '../auth/verify-credentials';

export const INVITATION_DAYS = 7;

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface CreatedInvitation {
  id: string;
  email: string;
  role: MembershipRole;
  expiresAt: Date;
}

/**
 * Invites `email` to the tenant of the transaction with `role` and queues the e-mail in the
 * same transaction. Re-inviting an address revokes its earlier pending invitation.
 */
export async function createInvitation(
  tx: Tx,
  input: { tenantId: string; email: string; role: MembershipRole; invitedBy: string | null; ip?: string | null },
): Promise<CreatedInvitation> {
  const email = normaliseEmail(input.email);
  if (!z.string().email().safeParse(email).success) {
    throw new AppError('BAD_REQUEST', `“${input.email}” is not an e-mail address.`);
  }
  const [existingMember] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, input.tenantId), eq(users.email, email)))
    .limit(1);
  if (existingMember) throw new AppError('CONFLICT', `${email} is already a member of this institution.`);

  await tx
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invitations.tenantId, input.tenantId),
        eq(invitations.email, email),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    );

  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  const [invitation] = await tx
    .insert(invitations)
    .values({
      tenantId: input.tenantId,
      email,
      role: input.role,
      tokenHash: hashInvitationToken(token),
      invitedBy: input.invitedBy,
      expiresAt,
    })
    .returning({ id: invitations.id });
  if (!invitation) throw new AppError('INTERNAL', 'The invitation could not be saved.');

  await enqueue(tx, 'email.send-invitation', { tenantId: input.tenantId, invitationId: invitation.id, token });
  await recordAuditEvent(tx, {
    tenantId: input.tenantId,
    actorUserId: input.invitedBy,
    action: 'invitation.created',
    subject: email,
    ip: input.ip,
    metadata: { role: input.role, invitationId: invitation.id },
  });
  return { id: invitation.id, email, role: input.role, expiresAt };
}
