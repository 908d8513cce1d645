/**
 * Brings the demo institution's data in through the same path an institution uses: generated
 * Banner-style exports are uploaded, profiled by the worker, mapped with the suggested mapping,
 * validated and loaded. Runs once (when the demo has no files yet), in the background of
 * `npm start`, so the portal is up while the worker loads.
 */
import { Readable } from 'node:stream';
import type { Db } from '../client';
import { getDatasetVersion, findDatasets, requestLoad, saveMapping, suggestMappingForVersion } from '../../server/services/datasets/manage-datasets';
import type { ObjectStorage } from '../../server/services/datasets/storage';
import { uploadDataset } from '../../server/services/datasets/upload-dataset';
import { startRun } from '../../server/services/runs/manage-runs';
import { createStudy, findStudies } from '../../server/services/studies/manage-studies';
import type { TenantActor } from '../../server/services/members/manage-members';
import type { DatasetKind } from '../../server/services/metadata/standard-model';
import { generateSisExport, type SisFileName } from './sis-generator';

const ORDER: [SisFileName, DatasetKind][] = [
  ['terms.csv', 'terms'],
  ['students.csv', 'students'],
  ['enrollments.csv', 'term_enrollments'],
  ['participation.csv', 'participation'],
  ['awards.csv', 'awards'],
];

export const DEMO_DATA_SEED = 20_260_901;

async function waitFor(db: Db, actor: TenantActor, versionId: string, done: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const version = await getDatasetVersion(db, actor, versionId);
    if (done.includes(version.status)) return version;
    if (version.status === 'failed' || version.status === 'invalid') {
      throw new Error(`demo file ${version.originalFilename} ${version.status}: ${version.error ?? JSON.stringify(version.validationReport)}`);
    }
    if (Date.now() > deadline) throw new Error(`demo file ${version.originalFilename} stayed ${version.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Returns null when the demo already has data; otherwise loads it and returns what was loaded. */
export async function seedDemoData(db: Db, storage: ObjectStorage, actor: TenantActor, options: { students?: number } = {}) {
  // Seeded once: any students file means the demo already has (or is getting) its data.
  if ((await findDatasets(db, actor)).some((d) => d.kind === 'students')) return null;
  const { files, truth } = generateSisExport({ seed: DEMO_DATA_SEED, students: options.students ?? 4_000 });
  for (const [file, kind] of ORDER) {
    const { versionId } = await uploadDataset(db, storage, actor, { kind, filename: file }, Readable.from([Buffer.from(files[file])]), {
      maxBytes: 100 * 1024 * 1024,
    });
    await waitFor(db, actor, versionId, ['profiled'], 120_000);
    const suggestion = await suggestMappingForVersion(db, actor, versionId);
    await saveMapping(db, actor, versionId, suggestion.spec);
    await requestLoad(db, actor, versionId);
    await waitFor(db, actor, versionId, ['loaded'], 300_000);
  }
  return truth;
}

/** The demo's first study, run once so a newcomer finds a finished result. */
export async function seedDemoStudy(db: Db, actor: TenantActor): Promise<string | null> {
  if ((await findStudies(db, actor)).length > 0) return null;
  const study = await createStudy(db, actor, {
    name: 'Summer Bridge and first-year retention',
    question: 'Did the Summer Bridge programme raise fall-to-fall retention of first-time students?',
    intervention: 'Summer Bridge',
    outcome: 'retained_fall_to_fall',
    costPerStudent: 1200,
    method: { imputations: 5 },
  });
  return (await startRun(db, actor, study.id)).runId;
}
