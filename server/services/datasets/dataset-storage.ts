import path from 'node:path';
import { env, type Env } from '../../env';
import { createS3Storage } from './s3-storage';
import { createLocalStorage, type ObjectStorage } from './storage';

const globalForStorage = globalThis as unknown as { causewayStorage?: ObjectStorage };

/** The storage the configuration asks for: S3 (or S3-compatible) when S3_BUCKET is set, else a local directory. */
export function storageFromConfig(config: Env): ObjectStorage {
  if (config.S3_BUCKET) {
    return createS3Storage({
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      endpoint: config.S3_ENDPOINT,
      forcePathStyle: config.S3_FORCE_PATH_STYLE ?? Boolean(config.S3_ENDPOINT),
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      prefix: config.S3_PREFIX,
    });
  }
  return createLocalStorage(config.STORAGE_DIR ?? path.join(path.resolve(config.CAUSEWAY_DATA_DIR ?? '.data'), 'storage'));
}

/** The configured storage for uploaded files, created once per process. */
export function datasetStorage(): ObjectStorage {
  globalForStorage.causewayStorage ??= storageFromConfig(env());
  return globalForStorage.causewayStorage;
}

/** Storage keys always begin with the tenant, so one tenant's files never share a prefix with another's. */
export const uploadKey = (tenantId: string, versionId: string): string => `tenants/${tenantId}/uploads/${versionId}.csv`;
