/**
 * Upload → profile → suggested mapping → load → derived outcomes, through a real graphile-worker
 * and PostgreSQL, on a Banner-style institution the product has never seen. Also: what a second
 * tenant sees (nothing), and bad files that must leave nothing loaded.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import type { Runner } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { studentOutcomes } from '../../../db/schema';
import { createTenantWithMembers, testDatabases, useTestEnv } from '../../../db/testing/fixtures';
import { startWorker } from '../../../workers/runner';
import type { TenantActor } from '../members/manage-members';
import { datasetStorage } from './dataset-storage';
import { findDatasets, getDatasetVersion, getLoadedCounts, requestLoad, saveMapping, suggestMappingForVersion } from './manage-datasets';
import { bannerEnrollments, bannerStudents, bannerTerms } from './testing/banner-fixture';
import { uploadDataset } from './upload-dataset';

useTestEnv();
process.env.STORAGE_DIR = mkdtempSync(path.join(tmpdir(), 'causeway-storage-'));
const { app, owner } = testDatabases();
let runner: Runner;
let home: TenantActor;
let other: TenantActor;

beforeAll(async () => {
  runner = await startWorker({ connectionString: inject('appUrl'), concurrency: 2 });
  const a = await createTenantWithMembers(app, ['admin']);
  const b = await createTenantWithMembers(app, ['admin']);
  home = { tenantId: a.tenant.id, userId: a.members.admin!.id, role: 'admin' };
  other = { tenantId: b.tenant.id, userId: b.members.admin!.id, role: 'admin' };
});

afterAll(async () => {
  await runner.stop();
  await app.close();
  await owner.close();
});

async function waitForStatus(actor: TenantActor, versionId: string, statuses: string[]) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const version = await getDatasetVersion(app.db, actor, versionId);
    if (statuses.includes(version.status)) return version;
    if (Date.now() > deadline) throw new Error(`version stayed ${version.status}; wanted ${statuses.join('/')}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function upload(actor: TenantActor, kind: 'students' | 'term_enrollments' | 'terms', filename: string, text: string | Buffer) {
  return uploadDataset(app.db, datasetStorage(), actor, { kind, filename }, Readable.from([Buffer.from(text)]), { maxBytes: 10_000_000 });
}

/** Upload, wait for the profile, accept the suggested mapping, load, wait for the outcome. */
async function ingest(actor: TenantActor, kind: 'students' | 'term_enrollments' | 'terms', filename: string, text: string) {
  const { versionId } = await upload(actor, kind, filename, text);
  await waitForStatus(actor, versionId, ['profiled']);
  const suggestion = await suggestMappingForVersion(app.db, actor, versionId);
  expect(suggestion.unmappedRequired).toEqual([]);
  await saveMapping(app.db, actor, versionId, suggestion.spec);
  await requestLoad(app.db, actor, versionId);
  return waitForStatus(actor, versionId, ['loaded', 'invalid', 'failed']);
}

describe('dataset pipeline', () => {
  it('loads a Banner-style institution from suggested mappings and derives outcomes that match the hand count', async () => {
    expect((await ingest(home, 'terms', 'stvterm.csv', bannerTerms)).status).toBe('loaded');
    const students = await ingest(home, 'students', 'students.csv', bannerStudents);
    expect(students.status).toBe('loaded');
    expect(students.profile?.rowCount).toBe(5);
    expect((await ingest(home, 'term_enrollments', 'sfrstcr.csv', bannerEnrollments)).status).toBe('loaded');

    expect(await getLoadedCounts(app.db, home)).toMatchObject({ students: 5, enrollments: 11, terms: 5, outcomes: 5 });
    const outcomes = await owner.db.select().from(studentOutcomes).where(eq(studentOutcomes.tenantId, home.tenantId));
    const by = Object.fromEntries(outcomes.map((o) => [o.studentKey, o]));
    expect(['S1', 'S2', 'S3', 'S4'].map((s) => by[s]?.retainedFallToFall)).toEqual([true, false, false, true]);
    expect(['S1', 'S2', 'S3', 'S4'].map((s) => by[s]?.persistedNextTerm)).toEqual([true, true, false, false]);
    expect(by.S5?.retainedFallToFall).toBeNull(); // a transfer student is not in the first-time cohort
    expect(by.S1?.creditsEarnedFirstYear).toBe(27);
  });

  it('reuses the last mapping for a re-upload with the same columns, and replaces the previous version', async () => {
    const { versionId } = await upload(home, 'students', 'students-v2.csv', `${bannerStudents}\nS6,202180,F,Y,F,N,3.9,Y`);
    const profiled = await waitForStatus(home, versionId, ['profiled']);
    expect(profiled.mapping).not.toBeNull();
    await requestLoad(app.db, home, versionId);
    expect((await waitForStatus(home, versionId, ['loaded', 'invalid', 'failed'])).status).toBe('loaded');
    expect((await getLoadedCounts(app.db, home)).students).toBe(6);
    const versions = (await findDatasets(app.db, home)).filter((d) => d.kind === 'students');
    expect(versions.map((v) => v.status)).toEqual(['loaded', 'superseded']);
  });

  it('shows another tenant none of it', async () => {
    expect(await findDatasets(app.db, other)).toEqual([]);
    expect(await getLoadedCounts(app.db, other)).toMatchObject({ students: 0, enrollments: 0, terms: 0, outcomes: 0 });
    const [homeVersion] = await findDatasets(app.db, home);
    await expect(getDatasetVersion(app.db, other, homeVersion!.versionId)).rejects.toThrow(/not found/);
    await expect(requestLoad(app.db, other, homeVersion!.versionId)).rejects.toThrow(/not found/);
  });
});

describe('bad input leaves nothing loaded', () => {
  it('rejects enrollments of unknown students with a report, and keeps the loaded rows', async () => {
    const before = await getLoadedCounts(app.db, home);
    const bad = `${bannerEnrollments}\nS99,202180,12,12,3.0\nS98,202380,12,12,3.0`;
    const result = await ingest(home, 'term_enrollments', 'sfrstcr-bad.csv', bad);
    expect(result.status).toBe('invalid');
    const report = result.validationReport as { rule: string; count: number; examples: { row: number; value: string }[] }[];
    const unknown = report.find((r) => r.rule === 'unknown_student');
    expect(unknown?.count).toBe(2);
    expect(unknown?.examples.map((e) => e.value)).toEqual(['S99', 'S98']);
    expect(report.find((r) => r.rule === 'unknown_term')?.examples[0]?.row).toBe(13);
    expect(await getLoadedCounts(app.db, home)).toEqual(before);
  });

  it('marks a binary file failed with a message that says what to do', async () => {
    const { versionId } = await upload(home, 'students', 'students.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1, 2, 3]));
    const failed = await waitForStatus(home, versionId, ['failed']);
    expect(failed.error).toMatch(/binary file.*Export the data as CSV/);
  });

  it('refuses an empty upload and a viewer’s upload, storing nothing', async () => {
    await expect(upload(home, 'students', 'empty.csv', '')).rejects.toThrow(/empty/);
    await expect(upload({ ...home, role: 'viewer' }, 'students', 's.csv', bannerStudents)).rejects.toThrow(/admin role/);
    await expect(upload(home, 'students', 'students.xlsx', bannerStudents)).rejects.toThrow(/\.csv, \.tsv or \.txt/);
  });
});
