/**
 * Test fixtures that seed through the real code paths: tenants, users and memberships made
 * with the same tables and RLS context as the product.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDb, type DbHandle } from '../client';
import { memberships, tenants, users, type MembershipRole } from '../schema';
import { withTenant } from '../tenant';
import { hashPassword } from '../../server/services/auth/passwords';

export function testDatabases(): { app: DbHandle; owner: DbHandle } {
  return { app: createDb(inject('appUrl'), { max: 5 }), owner: createDb(inject('ownerUrl'), { max: 2 }) };
}

/** Points server/env at the test database (for code that reads configuration). */
export function useTestEnv(): void {
  process.env.DATABASE_URL = inject('ownerUrl');
  process.env.APP_DATABASE_URL = inject('appUrl');
  process.env.AUTH_SECRET ??= 'test-secret-test-secret-test-secret';
}

export const TEST_PASSWORD = 'correct horse battery';
let passwordHash: Promise<string> | undefined;

export async function createUser(handle: DbHandle, options: { email?: string; isPlatformAdmin?: boolean } = {}) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const [user] = await handle.db
    .insert(users)
    .values({
      email: options.email ?? `user-${randomUUID()}@example.edu`,
      name: 'Test User',
      passwordHash: await passwordHash,
      isPlatformAdmin: options.isPlatformAdmin ?? false,
    })
    .returning();
  return user!;
}

export async function createTenantWithMembers(handle: DbHandle, roles: MembershipRole[]) {
  const slug = `t-${randomUUID().slice(0, 8)}`;
  const [tenant] = await handle.db.insert(tenants).values({ slug, name: `University ${slug}` }).returning();
  const members: Partial<Record<MembershipRole, { id: string; email: string }>> = {};
  for (const role of roles) {
    const user = await createUser(handle);
    await withTenant(handle.db, tenant!.id, (tx) => tx.insert(memberships).values({ tenantId: tenant!.id, userId: user.id, role }));
    members[role] = { id: user.id, email: user.email! };
  }
  return { tenant: tenant!, members };
}

/** Resolves with the PostgreSQL message of a failed query (drizzle wraps it in `cause`). */
export async function databaseError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return cause?.message ?? (error as Error).message;
  }
  throw new Error('expected the query to fail, but it succeeded');
}
