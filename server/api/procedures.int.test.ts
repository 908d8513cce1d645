/**
 * Every tRPC procedure against the access rules: a member of another tenant gets NOT_FOUND
 * (and changes nothing), a too-low role gets FORBIDDEN, anonymous callers UNAUTHORIZED.
 * The coverage test fails when a procedure is added without a row here.
 */
import { TRPCError } from '@trpc/server';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitations, type MembershipRole } from '../../db/schema';
import { createTenantWithMembers, createUser, testDatabases, useTestEnv } from '../../db/testing/fixtures';
import { appRouter, createCaller } from './root';
import { createContextInner, type SessionUser } from './trpc';

useTestEnv();
const { app, owner } = testDatabases();
type Caller = ReturnType<typeof createCaller>;
const callerFor = (user: SessionUser | null): Caller => createCaller(createContextInner({ user, db: app.db }));
const asUser = (id: string, isPlatformAdmin = false) => callerFor({ id, isPlatformAdmin });

let home: Awaited<ReturnType<typeof createTenantWithMembers>>;
let other: Awaited<ReturnType<typeof createTenantWithMembers>>;

interface TenantCase {
  minRole: MembershipRole;
  call: (caller: Caller, tenantSlug: string) => Promise<unknown>;
}

const tenantProcedures: Record<string, TenantCase> = {
  'tenant.dashboard': { minRole: 'viewer', call: (c, tenantSlug) => c.tenant.dashboard({ tenantSlug }) },
  'members.list': { minRole: 'viewer', call: (c, tenantSlug) => c.members.list({ tenantSlug }) },
  'members.invite': {
    minRole: 'admin',
    call: (c, tenantSlug) => c.members.invite({ tenantSlug, email: `new-${randomUUID()}@example.edu`, role: 'viewer' }),
  },
  'members.revokeInvitation': {
    minRole: 'admin',
    call: (c, tenantSlug) => c.members.revokeInvitation({ tenantSlug, invitationId: randomUUID() }),
  },
  'members.changeRole': {
    minRole: 'admin',
    call: (c, tenantSlug) => c.members.changeRole({ tenantSlug, userId: home.members.viewer!.id, role: 'analyst' }),
  },
  'members.remove': { minRole: 'admin', call: (c, tenantSlug) => c.members.remove({ tenantSlug, userId: home.members.viewer!.id }) },
  'audit.list': { minRole: 'admin', call: (c, tenantSlug) => c.audit.list({ tenantSlug, limit: 10 }) },
  'datasets.list': { minRole: 'analyst', call: (c, tenantSlug) => c.datasets.list({ tenantSlug }) },
  'datasets.counts': { minRole: 'viewer', call: (c, tenantSlug) => c.datasets.counts({ tenantSlug }) },
  'datasets.version': { minRole: 'analyst', call: (c, tenantSlug) => c.datasets.version({ tenantSlug, versionId: randomUUID() }) },
  'datasets.suggestMapping': { minRole: 'admin', call: (c, tenantSlug) => c.datasets.suggestMapping({ tenantSlug, versionId: randomUUID() }) },
  'datasets.previewMapping': {
    minRole: 'admin',
    call: (c, tenantSlug) => c.datasets.previewMapping({ tenantSlug, versionId: randomUUID(), spec: { assignments: [] } }),
  },
  'datasets.saveMapping': {
    minRole: 'admin',
    call: (c, tenantSlug) => c.datasets.saveMapping({ tenantSlug, versionId: randomUUID(), spec: { assignments: [] } }),
  },
  'datasets.load': { minRole: 'admin', call: (c, tenantSlug) => c.datasets.load({ tenantSlug, versionId: randomUUID() }) },
  'studies.list': { minRole: 'viewer', call: (c, tenantSlug) => c.studies.list({ tenantSlug }) },
  'studies.get': { minRole: 'viewer', call: (c, tenantSlug) => c.studies.get({ tenantSlug, studyId: randomUUID() }) },
  'studies.interventions': { minRole: 'viewer', call: (c, tenantSlug) => c.studies.interventions({ tenantSlug }) },
  'studies.create': {
    minRole: 'analyst',
    call: (c, tenantSlug) => c.studies.create({ tenantSlug, spec: { name: 'Bridge', intervention: 'Summer Bridge', outcome: 'retained_fall_to_fall' } }),
  },
  'studies.update': {
    minRole: 'analyst',
    call: (c, tenantSlug) =>
      c.studies.update({ tenantSlug, studyId: randomUUID(), spec: { name: 'Bridge', intervention: 'Summer Bridge', outcome: 'retained_fall_to_fall' } }),
  },
  'runs.start': { minRole: 'analyst', call: (c, tenantSlug) => c.runs.start({ tenantSlug, studyId: randomUUID() }) },
  'runs.cancel': { minRole: 'analyst', call: (c, tenantSlug) => c.runs.cancel({ tenantSlug, runId: randomUUID() }) },
  'runs.list': { minRole: 'viewer', call: (c, tenantSlug) => c.runs.list({ tenantSlug, studyId: randomUUID() }) },
  'runs.get': { minRole: 'viewer', call: (c, tenantSlug) => c.runs.get({ tenantSlug, runId: randomUUID() }) },
  'apiKeys.list': { minRole: 'admin', call: (c, tenantSlug) => c.apiKeys.list({ tenantSlug }) },
  'apiKeys.create': { minRole: 'admin', call: (c, tenantSlug) => c.apiKeys.create({ tenantSlug, name: `k-${randomUUID()}`, scopes: ['runs:read'] }) },
  'apiKeys.revoke': { minRole: 'admin', call: (c, tenantSlug) => c.apiKeys.revoke({ tenantSlug, keyId: randomUUID() }) },
  'webhooks.list': { minRole: 'admin', call: (c, tenantSlug) => c.webhooks.list({ tenantSlug }) },
  'webhooks.create': { minRole: 'admin', call: (c, tenantSlug) => c.webhooks.create({ tenantSlug, url: 'http://127.0.0.1:9/hook', events: ['run.completed'] }) },
  'webhooks.update': { minRole: 'admin', call: (c, tenantSlug) => c.webhooks.update({ tenantSlug, endpointId: randomUUID(), enabled: false }) },
  'webhooks.remove': { minRole: 'admin', call: (c, tenantSlug) => c.webhooks.remove({ tenantSlug, endpointId: randomUUID() }) },
  'webhooks.rotateSecret': { minRole: 'admin', call: (c, tenantSlug) => c.webhooks.rotateSecret({ tenantSlug, endpointId: randomUUID() }) },
  'webhooks.deliveries': { minRole: 'admin', call: (c, tenantSlug) => c.webhooks.deliveries({ tenantSlug, endpointId: randomUUID() }) },
  'webhooks.resend': { minRole: 'admin', call: (c, tenantSlug) => c.webhooks.resend({ tenantSlug, deliveryId: randomUUID() }) },
  'settings.get': { minRole: 'viewer', call: (c, tenantSlug) => c.settings.get({ tenantSlug }) },
  'settings.update': {
    minRole: 'admin',
    call: (c, tenantSlug) =>
      c.settings.update({ tenantSlug, calendar: 'semester', censusDayOffset: 14, normalTimeYears: { bachelor: 4 }, minCellSize: 10 }),
  },
};

const platformProcedures: Record<string, (caller: Caller) => Promise<unknown>> = {
  'admin.tenants': (c) => c.admin.tenants(),
  'admin.outbox': (c) => c.admin.outbox(),
  'admin.createTenant': (c) =>
    c.admin.createTenant({ name: 'Someplace College', slug: `s-${randomUUID().slice(0, 8)}`, firstAdminEmail: 'dean@someplace.edu' }),
};

/** Open to anyone (invitation links) or to any signed-in user (their own memberships). */
const publicProcedures = ['invitations.preview', 'invitations.accept', 'tenant.mine'];

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

const ROLES: MembershipRole[] = ['viewer', 'analyst', 'admin', 'owner'];

beforeAll(async () => {
  home = await createTenantWithMembers(app, ['owner', 'admin', 'analyst', 'viewer']);
  other = await createTenantWithMembers(app, ['owner']);
});

afterAll(async () => {
  await app.close();
  await owner.close();
});

describe('tRPC access rules', () => {
  it('has a rule for every procedure of the router', () => {
    const all = Object.keys(appRouter._def.procedures).sort();
    const covered = [...Object.keys(tenantProcedures), ...Object.keys(platformProcedures), ...publicProcedures].sort();
    expect(all).toEqual(covered);
  });

  for (const [name, rule] of Object.entries(tenantProcedures)) {
    it(`${name}: another tenant's member gets NOT_FOUND and changes nothing`, async () => {
      const before = await owner.db.select().from(invitations).where(eq(invitations.tenantId, home.tenant.id));
      expect(await codeOf(rule.call(asUser(other.members.owner!.id), home.tenant.slug))).toBe('NOT_FOUND');
      const after = await owner.db.select().from(invitations).where(eq(invitations.tenantId, home.tenant.id));
      expect(after).toHaveLength(before.length);
    });

    it(`${name}: an unknown tenant looks the same as a foreign one`, async () => {
      expect(await codeOf(rule.call(asUser(home.members.owner!.id), 'no-such-tenant'))).toBe('NOT_FOUND');
    });

    it(`${name}: anonymous callers are UNAUTHORIZED`, async () => {
      expect(await codeOf(rule.call(callerFor(null), home.tenant.slug))).toBe('UNAUTHORIZED');
    });

    const tooLow = ROLES.filter((role) => ROLES.indexOf(role) < ROLES.indexOf(rule.minRole));
    for (const role of tooLow) {
      it(`${name}: a ${role} gets FORBIDDEN`, async () => {
        expect(await codeOf(rule.call(asUser(home.members[role]!.id), home.tenant.slug))).toBe('FORBIDDEN');
      });
    }
  }

  for (const [name, call] of Object.entries(platformProcedures)) {
    it(`${name}: tenant owners who are not platform administrators get FORBIDDEN`, async () => {
      expect(await codeOf(call(asUser(home.members.owner!.id)))).toBe('FORBIDDEN');
      expect(await codeOf(call(callerFor(null)))).toBe('UNAUTHORIZED');
    });
  }
});

describe('tRPC success paths', () => {
  it('lets members read their dashboard and list members, with only their tenant’s people', async () => {
    const viewer = asUser(home.members.viewer!.id);
    const dashboard = await viewer.tenant.dashboard({ tenantSlug: home.tenant.slug });
    expect(dashboard.memberCount).toBe(4);
    expect(dashboard.recentActivity).toEqual([]);
    const list = await viewer.members.list({ tenantSlug: home.tenant.slug });
    expect(list.members.map((m) => m.email).sort()).toEqual(
      ROLES.map((role) => home.members[role]!.email).sort(),
    );
  });

  it('lets an admin invite, which queues the e-mail and writes the audit log', async () => {
    const admin = asUser(home.members.admin!.id);
    const invitation = await admin.members.invite({ tenantSlug: home.tenant.slug, email: 'Registrar@Example.edu', role: 'analyst' });
    expect(invitation.email).toBe('registrar@example.edu');
    const audit = await admin.audit.list({ tenantSlug: home.tenant.slug, limit: 10 });
    expect(audit.events[0]).toMatchObject({ action: 'invitation.created', subject: 'registrar@example.edu' });
    await expect(admin.members.invite({ tenantSlug: home.tenant.slug, email: home.members.viewer!.email, role: 'viewer' })).rejects.toThrow(
      /already a member/,
    );
    await expect(admin.members.invite({ tenantSlug: home.tenant.slug, email: 'x@y.edu', role: 'owner' })).rejects.toThrow(/owner role/);
  });

  it('keeps at least one owner and lets only owners change owners', async () => {
    const admin = asUser(home.members.admin!.id);
    expect(await codeOf(admin.members.changeRole({ tenantSlug: home.tenant.slug, userId: home.members.owner!.id, role: 'viewer' }))).toBe(
      'FORBIDDEN',
    );
    const ownerCaller = asUser(home.members.owner!.id);
    expect(
      await codeOf(ownerCaller.members.changeRole({ tenantSlug: home.tenant.slug, userId: home.members.owner!.id, role: 'admin' })),
    ).toBe('PRECONDITION_FAILED');
    await ownerCaller.members.changeRole({ tenantSlug: home.tenant.slug, userId: home.members.analyst!.id, role: 'viewer' });
    const audit = await ownerCaller.audit.list({ tenantSlug: home.tenant.slug, limit: 1 });
    expect(audit.events[0]).toMatchObject({ action: 'member.role_changed', metadata: { from: 'analyst', to: 'viewer' } });
  });

  it('keeps institution settings per tenant and explains bad values', async () => {
    const admin = asUser(home.members.admin!.id);
    expect(await admin.settings.get({ tenantSlug: home.tenant.slug })).toMatchObject({ minCellSize: 10, normalTimeYears: { bachelor: 4 } });
    await admin.settings.update({ tenantSlug: home.tenant.slug, calendar: 'quarter', censusDayOffset: 10, normalTimeYears: { associate: 2 }, minCellSize: 15 });
    expect(await admin.settings.get({ tenantSlug: home.tenant.slug })).toEqual({
      calendar: 'quarter',
      censusDayOffset: 10,
      normalTimeYears: { associate: 2 },
      minCellSize: 15,
    });
    expect((await asUser(other.members.owner!.id).settings.get({ tenantSlug: other.tenant.slug })).minCellSize).toBe(10);
    await expect(
      admin.settings.update({ tenantSlug: home.tenant.slug, calendar: 'quarter', censusDayOffset: 90, normalTimeYears: { associate: 2 }, minCellSize: 15 }),
    ).rejects.toThrow(/not plausible/);
  });

  it('lets a platform administrator onboard an institution and rejects a bad slug with a clear message', async () => {
    const platformAdmin = await createUser(app, { isPlatformAdmin: true });
    const caller = asUser(platformAdmin.id, true);
    const slug = `n-${randomUUID().slice(0, 8)}`;
    const created = await caller.admin.createTenant({ name: 'Northfield College', slug, firstAdminEmail: 'ir@northfield.edu' });
    expect(created.invitation).toMatchObject({ email: 'ir@northfield.edu', role: 'owner' });
    expect((await caller.admin.tenants()).some((t) => t.slug === slug)).toBe(true);
    await expect(caller.admin.createTenant({ name: 'Dup', slug, firstAdminEmail: 'a@b.edu' })).rejects.toThrow(/taken/);
    await expect(caller.admin.createTenant({ name: 'Bad', slug: 'Bad Slug!', firstAdminEmail: 'a@b.edu' })).rejects.toThrow(/lowercase/);
    // The platform administrator is not a member of the new tenant, so its pages stay closed.
    expect(await codeOf(caller.tenant.dashboard({ tenantSlug: slug }))).toBe('NOT_FOUND');
  });
});
