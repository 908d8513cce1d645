import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenantSql } from '../../../db/tenant';
import { createTenantWithMembers, testDatabases, useTestEnv } from '../../../db/testing/fixtures';
import { bannerEnrollments, bannerParticipation, bannerStudents, bannerTermsWithSummer } from '../datasets/testing/banner-fixture';
import { ingestDirectly } from '../datasets/testing/ingest';
import type { TenantActor } from '../members/manage-members';
import { buildAnalysisFrame } from './analysis-frame';
import { createStudy, findInterventions, findStudies, getStudy, updateStudy } from './manage-studies';
import { studySpecSchema } from './study-spec';

useTestEnv();
process.env.STORAGE_DIR = mkdtempSync(path.join(tmpdir(), 'causeway-studies-'));
const { app, owner } = testDatabases();
let home: TenantActor;
let other: TenantActor;

beforeAll(async () => {
  const a = await createTenantWithMembers(app, ['admin']);
  const b = await createTenantWithMembers(app, ['admin']);
  home = { tenantId: a.tenant.id, userId: a.members.admin!.id, role: 'admin' };
  other = { tenantId: b.tenant.id, userId: b.members.admin!.id, role: 'admin' };
  for (const [kind, file, text] of [
    ['terms', 'terms.csv', bannerTermsWithSummer],
    ['students', 'students.csv', bannerStudents],
    ['term_enrollments', 'enrollments.csv', bannerEnrollments],
    ['participation', 'participation.csv', bannerParticipation],
  ] as const) {
    expect((await ingestDirectly(app.db, home, kind, file, text)).status).toBe('loaded');
  }
});

afterAll(async () => {
  await app.close();
  await owner.close();
});

describe('studies', () => {
  it('needs a loaded programme and keeps a version per edit', async () => {
    expect(await findInterventions(app.db, home)).toEqual([{ name: 'Summer Bridge' }]);
    await expect(
      createStudy(app.db, home, { name: 'Tutoring', intervention: 'Peer Tutoring', outcome: 'retained_fall_to_fall' }),
    ).rejects.toThrow(/No programme called “Peer Tutoring”/);
    const created = await createStudy(app.db, home, { name: 'Bridge and retention', intervention: 'Summer Bridge', outcome: 'retained_fall_to_fall' });
    expect(created.spec.method).toMatchObject({ propensity: 'logistic', caliper: 0.2, ratio: 1, replace: false, imputations: 10 });
    const updated = await updateStudy(app.db, home, created.id, { ...created.spec, outcome: 'persisted_next_term' });
    expect(updated.version).toBe(2);
    expect((await getStudy(app.db, home, created.id)).spec.outcome).toBe('persisted_next_term');
    expect((await findStudies(app.db, other))).toEqual([]);
    await expect(getStudy(app.db, other, created.id)).rejects.toThrow(/not found/);
    await expect(updateStudy(app.db, other, created.id, created.spec)).rejects.toThrow(/not found/);
    await expect(createStudy(app.db, { ...home, role: 'viewer' }, created.spec)).rejects.toThrow(/analyst role/);
  });

  it('builds the analysis frame: treatment in the summer before the cohort term, covariates at entry', async () => {
    const spec = studySpecSchema.parse({ name: 'Bridge', intervention: 'Summer Bridge', outcome: 'retained_fall_to_fall', covariates: ['hs_gpa', 'first_generation'] });
    const built = await withTenantSql(app.db, home.tenantId, (sql) => buildAnalysisFrame(sql, home.tenantId, spec));
    // First-time cohort S1–S4; S1 and S4 took part; S2 was eligible only.
    expect(built.studentKeys).toEqual(['S1', 'S2', 'S3', 'S4']);
    expect(built.counts).toEqual({ cohort: 4, participants: 2, comparison: 2, outcomeNotObservable: 0 });
    const column = (name: string) => built.frame.columns.find((c) => c.name === name)!;
    expect(Array.from((column('treated') as { values: Float64Array }).values)).toEqual([1, 0, 0, 1]);
    expect(Array.from((column('outcome') as { values: Float64Array }).values)).toEqual([1, 0, 0, 1]);
    expect(Array.from((column('hs_gpa') as { values: Float64Array }).values)).toEqual([3.6, 2.9, 3.1, 3.4]);

    const noParticipants = { ...spec, intervention: 'Peer Tutoring' };
    await expect(withTenantSql(app.db, home.tenantId, (sql) => buildAnalysisFrame(sql, home.tenantId, noParticipants))).rejects.toThrow(
      /No student of this cohort took part in Peer Tutoring/,
    );
    const transfers = { ...spec, cohort: { ...spec.cohort, studentType: 'transfer' as const } };
    await expect(withTenantSql(app.db, home.tenantId, (sql) => buildAnalysisFrame(sql, home.tenantId, transfers))).rejects.toThrow(
      /not defined for these students/,
    );
    const nobody = { ...spec, cohort: { ...spec.cohort, entryTerms: ['209980'] } };
    await expect(withTenantSql(app.db, home.tenantId, (sql) => buildAnalysisFrame(sql, home.tenantId, nobody))).rejects.toThrow(/No students match/);
    const notYet = { ...spec, outcome: 'graduated_100' as const };
    await expect(withTenantSql(app.db, home.tenantId, (sql) => buildAnalysisFrame(sql, home.tenantId, notYet))).rejects.toThrow(/not yet observable/);
  });
});
