/** Read models for the platform administrators' area (never tenant data). */
import { desc } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { emailOutbox, tenants } from '../../../db/schema';

export async function findTenants(db: Db) {
  return db
    .select({ id: tenants.id, name: tenants.name, slug: tenants.slug, plan: tenants.plan, calendar: tenants.calendar, createdAt: tenants.createdAt })
    .from(tenants)
    .orderBy(desc(tenants.createdAt));
}

export async function findOutboxMessages(db: Db, limit = 50) {
  return db.select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(limit);
}
