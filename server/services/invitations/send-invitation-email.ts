import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { invitations, tenants } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { env } from '../../env';
import { logger } from '../../logger';
import { deliverEmail } from '../email/deliver-email';
import { hashInvitationToken } from './create-invitation';

export function invitationLink(tenantSlug: string, token: string): string {
  return new URL(`/invite/${encodeURIComponent(tenantSlug)}/${encodeURIComponent(token)}`, env().APP_URL).toString();
}

/**
 * Delivers the invitation e-mail. Re-reads the invitation: one that was revoked or accepted in
 * the meantime is skipped, and a token that does not match the stored hash is refused.
 */
export async function sendInvitationEmail(db: Db, job: { tenantId: string; invitationId: string; token: string }) {
  const found = await withTenant(db, job.tenantId, async (tx) => {
    const [row] = await tx
      .select({ invitation: invitations, tenantName: tenants.name, tenantSlug: tenants.slug })
      .from(invitations)
      .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
      .where(and(eq(invitations.tenantId, job.tenantId), eq(invitations.id, job.invitationId)))
      .limit(1);
    return row;
  });
  if (!found || found.invitation.acceptedAt || found.invitation.revokedAt) {
    logger.info('invitation no longer open; e-mail skipped', { invitationId: job.invitationId });
    return 'skipped' as const;
  }
  if (found.invitation.tokenHash !== hashInvitationToken(job.token)) {
    throw new Error(`invitation ${job.invitationId}: token does not match`);
  }
  const link = invitationLink(found.tenantSlug, job.token);
  const text = [
    `You have been invited to join ${found.tenantName} on Causeway as ${found.invitation.role}.`,
    '',
    `Accept the invitation and choose your password here (the link works until ${found.invitation.expiresAt.toUTCString()}):`,
    link,
    '',
    'If you did not expect this e-mail, you can ignore it.',
  ].join('\n');
  return deliverEmail(db, {
    to: found.invitation.email,
    subject: `Your invitation to ${found.tenantName} on Causeway`,
    text,
    dedupeKey: `invitation:${job.invitationId}`,
  });
}
