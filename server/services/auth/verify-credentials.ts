/**
 * E-mail + password sign-in with throttling: after `SIGN_IN_MAX_FAILURES` failures for one
 * e-mail address (or four times that from one IP address) within the window, further attempts
 * are refused without checking the password until the window has passed. Every outcome is
 * audit-logged as a platform event.
 */
import { and, count, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { auditEvents, users } from '../../../db/schema';
import { withPlatform } from '../../../db/tenant';
import { env } from '../../env';
import { recordAuditEvent } from '../audit/record-audit-event';
import { burnPasswordCheck, verifyPassword } from './passwords';

export type CredentialCheck =
  | { ok: true; user: { id: string; email: string; name: string | null; isPlatformAdmin: boolean } }
  | { ok: false; reason: 'invalid' | 'throttled' };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function verifyCredentials(
  db: Db,
  input: { email: string; password: string; ip?: string | null },
): Promise<CredentialCheck> {
  const email = normaliseEmail(input.email);
  const ip = input.ip ?? null;
  const config = env();
  const since = new Date(Date.now() - config.SIGN_IN_WINDOW_MINUTES * 60_000);

  return withPlatform(db, async (tx) => {
    const failureActions = ['auth.sign_in_failed', 'auth.sign_in_throttled'];
    const [byEmail] = await tx
      .select({ n: count() })
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, 'auth.sign_in_failed'), eq(auditEvents.subject, email), gt(auditEvents.createdAt, since)),
      );
    const [byIp] = ip
      ? await tx
          .select({ n: count() })
          .from(auditEvents)
          .where(and(inArray(auditEvents.action, failureActions), eq(auditEvents.ip, ip), gt(auditEvents.createdAt, since)))
      : [{ n: 0 }];
    if ((byEmail?.n ?? 0) >= config.SIGN_IN_MAX_FAILURES || (byIp?.n ?? 0) >= 4 * config.SIGN_IN_MAX_FAILURES) {
      await recordAuditEvent(tx, { tenantId: null, action: 'auth.sign_in_throttled', subject: email, ip });
      return { ok: false, reason: 'throttled' } as const;
    }

    const [user] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
    const valid = user?.passwordHash
      ? await verifyPassword(user.passwordHash, input.password)
      : (await burnPasswordCheck(input.password), false);
    if (!user || !valid) {
      await recordAuditEvent(tx, { tenantId: null, action: 'auth.sign_in_failed', subject: email, ip });
      return { ok: false, reason: 'invalid' } as const;
    }
    await recordAuditEvent(tx, { tenantId: null, actorUserId: user.id, action: 'auth.sign_in', subject: email, ip });
    return {
      ok: true,
      user: { id: user.id, email, name: user.name, isPlatformAdmin: user.isPlatformAdmin },
    } as const;
  });
}
