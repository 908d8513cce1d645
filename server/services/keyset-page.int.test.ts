/**
 * Keyset pages against a real PostgreSQL: walking the pages returns every row once, in order,
 * including rows whose timestamps differ only in microseconds or are equal (the id breaks the
 * tie); rows added at the front do not shift later pages; another tenant's rows never appear;
 * a forged cursor is a clear 400, not a database error.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets, datasetVersions } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { createTenantWithMembers, testDatabases } from '../../db/testing/fixtures';
import { AppError } from '../errors/app-error';
import { findDatasetPage } from './datasets/manage-datasets';
import type { TenantActor } from './members/manage-members';

const { app, owner } = testDatabases();
let actor: TenantActor;
let otherActor: TenantActor;

/** Inserts dataset versions with the given created_at literals (PostgreSQL text, microseconds). */
async function insertVersions(tenant: TenantActor, createdAt: string[]): Promise<string[]> {
  return withTenant(app.db, tenant.tenantId, async (tx) => {
    const [dataset] = await tx
      .insert(datasets)
      .values({ tenantId: tenant.tenantId, kind: 'students', name: `pages-${randomUUID()}`, createdBy: tenant.userId })
      .returning({ id: datasets.id });
    const ids: string[] = [];
    for (const [i, at] of createdAt.entries()) {
      const id = randomUUID();
      await tx.insert(datasetVersions).values({
        id,
        tenantId: tenant.tenantId,
        datasetId: dataset!.id,
        version: i + 1,
        storageKey: `tenants/${tenant.tenantId}/uploads/${id}.csv`,
        originalFilename: `v${i + 1}.csv`,
        bytes: 10,
        sha256: 'x'.repeat(64),
        createdBy: tenant.userId,
        createdAt: sql`${at}::timestamptz` as unknown as Date,
      });
      ids.push(id);
    }
    return ids;
  });
}

async function walk(tenant: TenantActor, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await findDatasetPage(app.db, tenant, { limit, cursor });
    pages.push(page.data.map((row) => row.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return pages;
}

beforeAll(async () => {
  const home = await createTenantWithMembers(app, ['admin']);
  const other = await createTenantWithMembers(app, ['admin']);
  actor = { tenantId: home.tenant.id, userId: home.members.admin!.id, role: 'admin' };
  otherActor = { tenantId: other.tenant.id, userId: other.members.admin!.id, role: 'admin' };
});

afterAll(async () => {
  await app.close();
  await owner.close();
});

describe('keyset pages', () => {
  it('return every row once, newest first, across microsecond and equal timestamps', async () => {
    const stamps = [
      '2026-01-01 10:00:00.000100+00',
      '2026-01-01 10:00:00.000200+00', // same millisecond as the first: a ms cursor would skip one
      '2026-01-01 10:00:00.000200+00', // equal: the id decides
      '2026-01-01 10:00:00.000200+00',
      '2026-01-01 10:00:01+00',
      '2026-01-01 10:00:02+00',
      '2026-01-01 10:00:03+00',
    ];
    const ids = await insertVersions(actor, stamps);
    await insertVersions(otherActor, ['2026-01-01 10:00:02.5+00']);
    const expected = ids
      .map((id, i) => ({ id, at: stamps[i]! }))
      .sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1))
      .map((row) => row.id);

    const pages = await walk(actor, 2);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 1]);
    expect(pages.flat()).toEqual(expected);
    expect(await walk(actor, 100)).toEqual([expected]);
  });

  it('keeps later pages in place when rows are added before the cursor', async () => {
    const first = await findDatasetPage(app.db, actor, { limit: 3 });
    await insertVersions(actor, ['2030-01-01 00:00:00+00']);
    const second = await findDatasetPage(app.db, actor, { limit: 3, cursor: first.nextCursor! });
    const all = (await walk(actor, 100))[0]!;
    // The new row is first overall, but the second page still starts right after the first page's last row.
    expect(all.indexOf(second.data[0]!.id)).toBe(all.indexOf(first.data.at(-1)!.id) + 1);
  });

  it('refuses a forged cursor with INVALID_CURSOR', async () => {
    for (const cursor of ['nonsense', Buffer.from("2026-01-01'; drop table x;--|abc").toString('base64url'), Buffer.from(`2026-01-01 10:00:00+00|${randomUUID()}|x`).toString('base64url')]) {
      const error = await findDatasetPage(app.db, actor, { limit: 2, cursor }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).details.problemCode).toBe('INVALID_CURSOR');
    }
  });
});
