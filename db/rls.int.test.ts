import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, invitations, memberships } from './schema';
import { readAsTenant, withPlatform, withTenant } from './tenant';
import { createTenantWithMembers, databaseError, testDatabases } from './testing/fixtures';

const { app, owner } = testDatabases();
let tenantA: Awaited<ReturnType<typeof createTenantWithMembers>>;
let tenantB: Awaited<ReturnType<typeof createTenantWithMembers>>;

beforeAll(async () => {
  tenantA = await createTenantWithMembers(app, ['owner', 'analyst']);
  tenantB = await createTenantWithMembers(app, ['owner']);
  for (const t of [tenantA, tenantB]) {
    await withTenant(app.db, t.tenant.id, async (tx) => {
      await tx.insert(invitations).values({
        tenantId: t.tenant.id,
        email: `invitee@${t.tenant.slug}.edu`,
        role: 'viewer',
        tokenHash: `hash-${t.tenant.slug}`,
        expiresAt: new Date(Date.now() + 86_400_000),
      });
      await tx.insert(auditEvents).values({ tenantId: t.tenant.id, action: 'tenant.created', subject: t.tenant.slug });
    });
  }
});

afterAll(async () => {
  await app.close();
  await owner.close();
});

describe('row-level security catalogue', () => {
  it('forces RLS with at least one policy on every table that has a tenant_id column', async () => {
    const rows = await owner.db.execute<{ table: string; rls: boolean; forced: boolean; policies: number }>(sql`
      select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
             (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
      where n.nspname = 'public' and c.relkind in ('r', 'p')`);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const unprotected = rows.filter((r) => !r.rls || !r.forced || r.policies < 1).map((r) => r.table);
    expect(unprotected).toEqual([]);
  });

  it('connects the app as a role that owns nothing and cannot bypass RLS', async () => {
    const [role] = await app.db.execute<{ name: string; superuser: boolean; bypass: boolean; owned: number }>(sql`
      select current_user as name, r.rolsuper as superuser, r.rolbypassrls as bypass,
             (select count(*)::int from pg_class c where c.relowner = r.oid) as owned
      from pg_roles r where r.rolname = current_user`);
    expect(role).toEqual({ name: 'causeway_app', superuser: false, bypass: false, owned: 0 });
  });
});

describe('tenant isolation', () => {
  it('shows the app role zero tenant rows when no tenant is set', async () => {
    for (const table of [memberships, invitations, auditEvents]) {
      const rows = await app.db.select().from(table);
      expect(rows).toHaveLength(0);
    }
  });

  it('shows zero rows after a transaction with a tenant context has ended (no leak on pooled connections)', async () => {
    await withTenant(app.db, tenantA.tenant.id, (tx) => tx.select().from(memberships));
    const rows = await app.db.select().from(memberships);
    expect(rows).toHaveLength(0);
  });

  it('lets tenant A read only its own rows, even when asking for tenant B by id', async () => {
    await withTenant(app.db, tenantA.tenant.id, async (tx) => {
      const own = await tx.select().from(memberships);
      expect(own.map((m) => m.tenantId)).toEqual([tenantA.tenant.id, tenantA.tenant.id]);
      for (const table of [memberships, invitations, auditEvents]) {
        const foreign = await tx.select().from(table).where(eq(table.tenantId, tenantB.tenant.id));
        expect(foreign).toHaveLength(0);
      }
    });
  });

  it('does not let tenant A update or delete tenant B rows', async () => {
    await withTenant(app.db, tenantA.tenant.id, async (tx) => {
      const updated = await tx
        .update(memberships)
        .set({ role: 'viewer' })
        .where(eq(memberships.tenantId, tenantB.tenant.id))
        .returning();
      expect(updated).toHaveLength(0);
      const deleted = await tx.delete(invitations).where(eq(invitations.tenantId, tenantB.tenant.id)).returning();
      expect(deleted).toHaveLength(0);
    });
    const [ownerOfB] = await owner.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantB.tenant.id), eq(memberships.userId, tenantB.members.owner!.id)));
    expect(ownerOfB?.role).toBe('owner');
  });

  it('refuses to insert a row for tenant B from tenant A context', async () => {
    const auditInsert = withTenant(app.db, tenantA.tenant.id, (tx) =>
      tx.insert(auditEvents).values({ tenantId: tenantB.tenant.id, action: 'tenant.created' }),
    );
    expect(await databaseError(auditInsert)).toMatch(/row-level security/);
    const membershipInsert = withTenant(app.db, tenantA.tenant.id, (tx) =>
      tx.insert(memberships).values({ tenantId: tenantB.tenant.id, userId: tenantA.members.analyst!.id, role: 'owner' }),
    );
    expect(await databaseError(membershipInsert)).toMatch(/row-level security/);
  });

  it('keeps platform context away from tenant rows', async () => {
    await withPlatform(app.db, async (tx) => {
      expect(await tx.select().from(memberships)).toHaveLength(0);
      const audit = await tx.select().from(auditEvents);
      expect(audit.every((event) => event.tenantId === null)).toBe(true);
    });
  });
});

describe('readAsTenant (one-round-trip tenant read)', () => {
  it('applies the tenant context before the statement: an unfiltered read sees only that tenant', async () => {
    const rows = await readAsTenant(app.db, tenantA.tenant.id, (sql) => sql<{ tenantId: string }[]>`select tenant_id as "tenantId" from memberships`);
    expect(rows.map((row) => row.tenantId)).toEqual([tenantA.tenant.id, tenantA.tenant.id]);
    const foreign = await readAsTenant(app.db, tenantA.tenant.id, (sql) => sql`select 1 from invitations where tenant_id = ${tenantB.tenant.id}`);
    expect(foreign).toHaveLength(0);
  });

  it('is read-only, rejects with the statement error, and leaves no context on the pooled connections', async () => {
    const write = readAsTenant(app.db, tenantA.tenant.id, (sql) => sql`insert into audit_events (tenant_id, action) values (${tenantA.tenant.id}, 'tenant.created')`);
    expect(await databaseError(write)).toMatch(/read-only transaction/);
    const broken = readAsTenant(app.db, tenantA.tenant.id, (sql) => sql`select no_such_column from memberships`);
    expect(await databaseError(broken)).toMatch(/no_such_column/);
    // Every pooled connection, including the ones just used: no tenant setting, no open transaction.
    const after = await Promise.all(
      Array.from({ length: 12 }, () => app.db.execute<{ tenant: string | null }>(sql`select current_setting('app.tenant_id', true) as tenant`)),
    );
    for (const [row] of after) expect(row?.tenant ?? '').toBe('');
    const [idle] = await owner.db.execute<{ count: number }>(sql`select count(*)::int as count from pg_stat_activity where usename = 'causeway_app' and state like 'idle in transaction%'`);
    expect(idle?.count).toBe(0);
    expect(await app.db.select().from(memberships)).toHaveLength(0);
  });
});
