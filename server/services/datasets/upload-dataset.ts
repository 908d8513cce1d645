/**
 * Receives an upload: streams the body to storage (bounded memory, size limit, SHA-256), then
 * records the dataset version and queues its profiling in one transaction. A failed upload
 * leaves nothing behind: the stored file is removed when the database step fails.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { and, eq, max } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { datasets, datasetVersions } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { enqueue } from '../../jobs/catalog';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { TenantActor } from '../members/manage-members';
import { datasetKinds, type DatasetKind } from '../metadata/standard-model';
import { assertRole } from '../tenants/roles';
import { emptyFile } from './detect-format';
import { uploadKey } from './dataset-storage';
import type { ObjectStorage } from './storage';

export const uploadInput = z.object({
  kind: z.enum(datasetKinds, { error: `Choose what the file holds: ${datasetKinds.join(', ')}.` }),
  name: z.string().trim().min(1).max(120).optional(),
  filename: z
    .string()
    .trim()
    .min(1, 'The file needs a name.')
    .max(255)
    .refine((name) => /\.(csv|tsv|txt)$/i.test(name), 'Upload a .csv, .tsv or .txt file (an export of your SIS as delimited text).'),
});
export type UploadInput = z.input<typeof uploadInput>;

export interface UploadedVersion {
  datasetId: string;
  versionId: string;
  version: number;
  kind: DatasetKind;
  bytes: number;
  sha256: string;
}

export async function uploadDataset(
  db: Db,
  storage: ObjectStorage,
  actor: TenantActor,
  rawInput: UploadInput,
  body: Readable | AsyncIterable<Uint8Array>,
  options: { maxBytes: number },
): Promise<UploadedVersion> {
  assertRole(actor.role, 'admin');
  const input = uploadInput.parse(rawInput);
  const versionId = randomUUID();
  const key = uploadKey(actor.tenantId, versionId);
  const stored = await storage.put(key, body, { maxBytes: options.maxBytes, contentType: 'text/csv' });
  try {
    if (stored.bytes === 0) throw emptyFile();
    return await withTenant(db, actor.tenantId, async (tx) => {
      const name = input.name ?? input.kind;
      const [dataset] = await tx
        .insert(datasets)
        .values({ tenantId: actor.tenantId, kind: input.kind, name, createdBy: actor.userId })
        .onConflictDoUpdate({ target: [datasets.tenantId, datasets.kind, datasets.name], set: { name } })
        .returning({ id: datasets.id });
      const [latest] = await tx
        .select({ version: max(datasetVersions.version) })
        .from(datasetVersions)
        .where(and(eq(datasetVersions.tenantId, actor.tenantId), eq(datasetVersions.datasetId, dataset!.id)));
      const version = (latest?.version ?? 0) + 1;
      await tx.insert(datasetVersions).values({
        id: versionId,
        tenantId: actor.tenantId,
        datasetId: dataset!.id,
        version,
        storageKey: key,
        originalFilename: input.filename,
        bytes: stored.bytes,
        sha256: stored.sha256,
        createdBy: actor.userId,
      });
      await enqueue(tx, 'dataset.profile', { tenantId: actor.tenantId, versionId }, { jobKey: `dataset.profile:${versionId}` });
      await recordAuditEvent(tx, {
        tenantId: actor.tenantId,
        actorUserId: actor.userId,
        action: 'dataset.uploaded',
        subject: input.filename,
        ip: actor.ip,
        metadata: { kind: input.kind, versionId, version, bytes: stored.bytes, sha256: stored.sha256 },
      });
      return { datasetId: dataset!.id, versionId, version, kind: input.kind, bytes: stored.bytes, sha256: stored.sha256 };
    });
  } catch (error) {
    await storage.delete(key);
    throw error;
  }
}
