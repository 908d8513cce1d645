import path from 'node:path';
import { env } from '../../env';
import { createLocalStorage, type ObjectStorage } from './storage';

const globalForStorage = globalThis as unknown as { causewayStorage?: ObjectStorage };

/** The configured storage for uploaded files (a local directory until object storage is configured). */
export function datasetStorage(): ObjectStorage {
  const config = env();
  globalForStorage.causewayStorage ??= createLocalStorage(
    config.STORAGE_DIR ?? path.join(path.resolve(config.CAUSEWAY_DATA_DIR ?? '.data'), 'storage'),
  );
  return globalForStorage.causewayStorage;
}

/** Storage keys always begin with the tenant, so one tenant's files never share a prefix with another's. */
export const uploadKey = (tenantId: string, versionId: string): string => `tenants/${tenantId}/uploads/${versionId}.csv`;
