/**
 * Test helper: runs a file through the real dataset path (upload, profile, suggested mapping,
 * load) by calling the job bodies directly, without a worker process.
 */
import { Readable } from 'node:stream';
import type { Db } from '../../../../db/client';
import type { TenantActor } from '../../members/manage-members';
import type { DatasetKind } from '../../metadata/standard-model';
import { datasetStorage } from '../dataset-storage';
import { loadDatasetVersion } from '../load-dataset-version';
import { getDatasetVersion, requestLoad, saveMapping, suggestMappingForVersion } from '../manage-datasets';
import { profileDatasetVersion } from '../profile-dataset-version';
import { uploadDataset } from '../upload-dataset';

export async function ingestDirectly(db: Db, actor: TenantActor, kind: DatasetKind, filename: string, text: string) {
  const storage = datasetStorage();
  const { versionId } = await uploadDataset(db, storage, actor, { kind, filename }, Readable.from([Buffer.from(text)]), { maxBytes: 50_000_000 });
  await profileDatasetVersion(db, storage, { tenantId: actor.tenantId, versionId });
  const suggestion = await suggestMappingForVersion(db, actor, versionId);
  await saveMapping(db, actor, versionId, suggestion.spec);
  await requestLoad(db, actor, versionId);
  await loadDatasetVersion(db, storage, { tenantId: actor.tenantId, versionId });
  return getDatasetVersion(db, actor, versionId);
}
