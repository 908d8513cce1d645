/**
 * First-run seed: a demo institution with a demo analyst-owner, and a platform administrator,
 * created through the same services the product uses. Idempotent: a second run changes nothing.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { memberships, tenants, users } from '../schema';
import { withTenant } from '../tenant';
import { hashPassword } from '../../server/services/auth/passwords';

export const DEMO_TENANT = { slug: 'demo', name: 'Demo State University', ipedsUnitId: '999999' } as const;

export interface DemoCredentials {
  demoEmail: string;
  adminEmail: string;
  password: string;
}

export function demoCredentials(): DemoCredentials {
  return {
    demoEmail: 'demo@causeway.local',
    adminEmail: 'admin@causeway.local',
    password: process.env.DEMO_PASSWORD ?? 'causeway-demo',
  };
}

async function ensureUser(db: Db, email: string, name: string, password: string, isPlatformAdmin: boolean): Promise<string> {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) return existing.id;
  const [created] = await db
    .insert(users)
    .values({ email, name, passwordHash: await hashPassword(password), isPlatformAdmin, emailVerified: new Date() })
    .returning({ id: users.id });
  return created!.id;
}

/** Returns true when it created the demo institution (first run). */
export async function seedDemo(db: Db): Promise<boolean> {
  const credentials = demoCredentials();
  await ensureUser(db, credentials.adminEmail, 'Platform Admin', credentials.password, true);
  const demoUserId = await ensureUser(db, credentials.demoEmail, 'Demo Analyst', credentials.password, false);
  const [existing] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, DEMO_TENANT.slug));
  if (existing) return false;
  await db.transaction(async (tx) => {
    const [tenant] = await tx.insert(tenants).values({ ...DEMO_TENANT, calendar: 'semester', plan: 'demo' }).returning();
    await withTenant(tx, tenant!.id, (inner) =>
      inner.insert(memberships).values({ tenantId: tenant!.id, userId: demoUserId, role: 'owner' }),
    );
  });
  return true;
}

/** The demo owner as a tenant actor, for seeding through the services. */
export async function demoActor(db: Db) {
  const [row] = await db
    .select({ tenantId: tenants.id, userId: users.id })
    .from(tenants)
    .innerJoin(users, eq(users.email, demoCredentials().demoEmail))
    .where(eq(tenants.slug, DEMO_TENANT.slug));
  if (!row) throw new Error('the demo institution is missing; run the seed first');
  return { tenantId: row.tenantId, userId: row.userId, role: 'owner' as const, ip: null };
}
