/**
 * The invitation path end to end with a real graphile-worker: creating a tenant queues the
 * e-mail in the same transaction, the worker delivers it to the outbox (no SMTP configured),
 * and the link in it accepts the invitation and creates a working account.
 */
import { eq } from 'drizzle-orm';
import type { Runner } from 'graphile-worker';
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailOutbox, memberships } from '../../../db/schema';
import { createUser, testDatabases, useTestEnv } from '../../../db/testing/fixtures';
import { acceptInvitation, getInvitationPreview } from '../../../server/services/invitations/accept-invitation';
import { createTenant } from '../../../server/services/tenants/create-tenant';
import { verifyCredentials } from '../../../server/services/auth/verify-credentials';
import { startWorker } from '../../runner';

useTestEnv();
delete process.env.SMTP_URL;
const { app, owner } = testDatabases();
let runner: Runner;

beforeAll(async () => {
  runner = await startWorker({ connectionString: inject('appUrl'), concurrency: 2 });
});

afterAll(async () => {
  await runner.stop();
  await app.close();
  await owner.close();
});

async function waitForOutbox(to: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [message] = await app.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, to));
    if (message) return message;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no e-mail to ${to} within ${timeoutMs} ms`);
}

describe('invitation e-mail job', () => {
  it('delivers the invitation through the worker, and its link creates the account', async () => {
    const admin = await createUser(app, { isPlatformAdmin: true });
    const slug = `w-${Date.now().toString(36)}`;
    const email = `${slug}@college.edu`;
    const { tenant } = await createTenant(app.db, { name: 'Worker College', slug, firstAdminEmail: email }, { userId: admin.id });

    const message = await waitForOutbox(email);
    expect(message.subject).toBe('Your invitation to Worker College on Causeway');
    const link = /\/invite\/([^/\s]+)\/([A-Za-z0-9_-]+)/.exec(message.textBody);
    expect(link?.[1]).toBe(slug);
    const token = link![2]!;

    const preview = await getInvitationPreview(app.db, slug, token);
    expect(preview).toMatchObject({ tenantName: 'Worker College', email, role: 'owner', existingAccount: false });
    await expect(acceptInvitation(app.db, { tenantSlug: slug, token, password: 'short' })).rejects.toThrow(/at least 10/);
    await acceptInvitation(app.db, { tenantSlug: slug, token, name: 'Ada', password: 'a long enough password' });

    const [membership] = await owner.db.select().from(memberships).where(eq(memberships.tenantId, tenant.id));
    expect(membership?.role).toBe('owner');
    const signIn = await verifyCredentials(app.db, { email, password: 'a long enough password' });
    expect(signIn.ok).toBe(true);
    // A used link is dead.
    await expect(acceptInvitation(app.db, { tenantSlug: slug, token, password: 'a long enough password' })).rejects.toThrow(
      /not valid any more/,
    );
    // A link for another tenant's slug finds nothing.
    await expect(getInvitationPreview(app.db, 'demo-elsewhere', token)).rejects.toThrow(/not valid any more/);
  });
});

describe('sign-in throttling', () => {
  it('refuses further attempts after five failures, even with the right password, and audits them', async () => {
    const user = await createUser(app);
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await verifyCredentials(app.db, { email: user.email!, password: 'wrong password', ip: '203.0.113.7' })).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
    expect(await verifyCredentials(app.db, { email: user.email!, password: 'correct horse battery' })).toEqual({
      ok: false,
      reason: 'throttled',
    });
    const other = await createUser(app);
    expect((await verifyCredentials(app.db, { email: other.email!, password: 'correct horse battery' })).ok).toBe(true);
  });
});
