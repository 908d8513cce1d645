/**
 * Studies: create, list, read, and edit (every edit writes a new version; runs keep the version
 * they ran). Analysts and above define studies; viewers read them.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import { interventions, studies, studyVersions } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { AppError, notFound } from '../../errors/app-error';
import type { TenantActor } from '../members/manage-members';
import { afterCursor, cursorKey, keysetResult, type KeysetPage } from '../keyset-page';
import { assertRole } from '../tenants/roles';
import { studySpecSchema, type StudySpec, type StudySpecInput } from './study-spec';

async function assertInterventionExists(tx: Tx, tenantId: string, name: string): Promise<void> {
  const [found] = await tx
    .select({ id: interventions.id })
    .from(interventions)
    .where(and(eq(interventions.tenantId, tenantId), eq(interventions.name, name)));
  if (!found) {
    throw new AppError('BAD_REQUEST', `No programme called “${name}” has been loaded. Load its participation file first, or pick one of the loaded programmes.`);
  }
}

export async function createStudy(db: Db, actor: TenantActor, input: StudySpecInput) {
  assertRole(actor.role, 'analyst');
  const spec = studySpecSchema.parse(input);
  return withTenant(db, actor.tenantId, async (tx) => {
    await assertInterventionExists(tx, actor.tenantId, spec.intervention);
    const [study] = await tx.insert(studies).values({ tenantId: actor.tenantId, name: spec.name, createdBy: actor.userId }).returning();
    await tx.insert(studyVersions).values({ tenantId: actor.tenantId, studyId: study!.id, version: 1, spec, createdBy: actor.userId });
    return { id: study!.id, name: spec.name, version: 1, spec };
  });
}

export async function updateStudy(db: Db, actor: TenantActor, studyId: string, input: StudySpecInput) {
  assertRole(actor.role, 'analyst');
  const spec = studySpecSchema.parse(input);
  return withTenant(db, actor.tenantId, async (tx) => {
    const [study] = await tx.select().from(studies).where(and(eq(studies.tenantId, actor.tenantId), eq(studies.id, studyId))).for('update');
    if (!study) throw notFound('Study');
    await assertInterventionExists(tx, actor.tenantId, spec.intervention);
    const version = study.version + 1;
    await tx.insert(studyVersions).values({ tenantId: actor.tenantId, studyId, version, spec, createdBy: actor.userId });
    await tx
      .update(studies)
      .set({ name: spec.name, version, updatedAt: new Date() })
      .where(and(eq(studies.tenantId, actor.tenantId), eq(studies.id, studyId)));
    return { id: studyId, name: spec.name, version, spec };
  });
}

export async function findStudies(db: Db, actor: TenantActor) {
  return withTenant(db, actor.tenantId, (tx) =>
    tx
      .select({ id: studies.id, name: studies.name, version: studies.version, updatedAt: studies.updatedAt })
      .from(studies)
      .where(eq(studies.tenantId, actor.tenantId))
      .orderBy(desc(studies.updatedAt), desc(studies.id)),
  );
}

/** Studies most recently changed first, one keyset page (the API's list). */
export async function findStudyPage(db: Db, actor: TenantActor, page: KeysetPage) {
  return withTenant(db, actor.tenantId, async (tx) =>
    keysetResult(
      await tx
        .select({ id: studies.id, name: studies.name, version: studies.version, updatedAt: studies.updatedAt, cursorKey: cursorKey(studies.updatedAt) })
        .from(studies)
        .where(and(eq(studies.tenantId, actor.tenantId), afterCursor(studies.updatedAt, studies.id, page.cursor)))
        .orderBy(desc(studies.updatedAt), desc(studies.id))
        .limit(page.limit + 1),
      page.limit,
    ),
  );
}

export async function getStudy(db: Db, actor: TenantActor, studyId: string): Promise<{ id: string; name: string; version: number; spec: StudySpec }> {
  return withTenant(db, actor.tenantId, async (tx) => {
    const [row] = await tx
      .select({ id: studies.id, name: studies.name, version: studies.version, spec: studyVersions.spec })
      .from(studies)
      .innerJoin(studyVersions, and(eq(studyVersions.studyId, studies.id), eq(studyVersions.version, studies.version)))
      .where(and(eq(studies.tenantId, actor.tenantId), eq(studies.id, studyId)));
    if (!row) throw notFound('Study');
    return { ...row, spec: studySpecSchema.parse(row.spec) };
  });
}

/** The programmes that can be studied: those with loaded participation. */
export async function findInterventions(db: Db, actor: TenantActor) {
  return withTenant(db, actor.tenantId, (tx) =>
    tx.select({ name: interventions.name }).from(interventions).where(eq(interventions.tenantId, actor.tenantId)).orderBy(interventions.name),
  );
}
