import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../errors/app-error';
import { createS3Storage, S3_PART_SIZE } from './s3-storage';
import { type ObjectStorage } from './storage';
import { startFakeS3, type FakeS3 } from './testing/fake-s3';

let s3: FakeS3;
let storage: ObjectStorage;
beforeAll(async () => {
  s3 = await startFakeS3();
});
afterAll(async () => {
  await s3.close();
});
beforeEach(() => {
  s3.objects.clear();
  s3.uploads.clear();
  s3.log.length = 0;
  storage = createS3Storage({ bucket: s3.bucket, region: 'us-east-1', endpoint: s3.endpoint, accessKeyId: 'test', secretAccessKey: 'test-secret', prefix: 'causeway/test' });
});

const readAll = async (r: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};
/** `chunks` chunks of `size` bytes, each filled with a letter; generated, never held whole. */
async function* generate(chunks: number, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < chunks; i++) yield Buffer.alloc(size, 65 + (i % 26));
}
const sha256Of = async (chunks: AsyncIterable<Buffer>): Promise<string> => {
  const hash = createHash('sha256');
  for await (const c of chunks) hash.update(c);
  return hash.digest('hex');
};
const operations = (): string[] => s3.log.map((line) => line.split(' ')[0] ?? '');

describe('S3 storage', () => {
  it('round-trips a small body with a single PutObject, under the prefix', async () => {
    const key = 'tenants/t1/uploads/a.csv';
    const result = await storage.put(key, [Buffer.from('id,name\n'), Buffer.from('1,Ada\n')], { contentType: 'text/csv' });
    expect(result).toEqual({ bytes: 14, sha256: createHash('sha256').update('id,name\n1,Ada\n').digest('hex') });
    expect([...s3.objects.keys()]).toEqual([`causeway/test/${key}`]);
    expect(s3.objects.get(`causeway/test/${key}`)?.contentType).toBe('text/csv');
    expect(operations()).toEqual(['PutObject']);
    expect(await storage.exists(key)).toBe(true);
    expect((await readAll(storage.get(key))).toString()).toBe('id,name\n1,Ada\n');
  });

  it('round-trips a multi-part body (> 8 MiB, streamed) with the right bytes and SHA-256', async () => {
    const key = 'tenants/t1/uploads/big.csv';
    const chunks = 21; // 21 MiB → parts of 8 + 8 + 5 MiB
    const result = await storage.put(key, Readable.from(generate(chunks, 1024 * 1024)));
    expect(result.bytes).toBe(chunks * 1024 * 1024);
    expect(result.sha256).toBe(await sha256Of(generate(chunks, 1024 * 1024)));
    expect(operations().filter((op) => op === 'UploadPart')).toHaveLength(3);
    expect(operations()).toContain('CreateMultipartUpload');
    expect(operations().at(-1)).toBe('CompleteMultipartUpload');
    expect(s3.uploads.size).toBe(0);
    expect(await sha256Of(storage.get(key))).toBe(result.sha256);
  });

  it('replaces an existing object', async () => {
    await storage.put('k/x.csv', [Buffer.from('old')]);
    expect((await storage.put('k/x.csv', Readable.from([Buffer.from('new!')]))).bytes).toBe(4);
    expect((await readAll(storage.get('k/x.csv'))).toString()).toBe('new!');
  });

  it('aborts the multipart upload at the size limit and leaves no object and no open upload', async () => {
    const key = 'tenants/t1/uploads/too-big.csv';
    const e = await storage.put(key, generate(30, 1024 * 1024), { maxBytes: 20 * 1024 * 1024 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).message).toBe('The file is larger than the 20 MB limit. Split the export into smaller files or ask us to raise the limit.');
    expect(operations()).toContain('UploadPart'); // it really was a multipart upload
    expect(operations()).toContain('AbortMultipartUpload');
    expect(operations()).not.toContain('CompleteMultipartUpload');
    expect(s3.uploads.size).toBe(0);
    expect(s3.objects.size).toBe(0);
    expect(await storage.exists(key)).toBe(false);
  });

  it('rejects a small body over the limit without writing anything', async () => {
    const e = await storage.put('k/small.csv', [Buffer.alloc(2000)], { maxBytes: 1000 }).catch((x: unknown) => x);
    expect((e as AppError).code).toBe('BAD_REQUEST');
    expect(operations()).toEqual([]);
    expect(s3.objects.size).toBe(0);
  });

  it('leaves nothing when the body stream fails mid-upload', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield* generate(12, 1024 * 1024); // past the first part
      throw new Error('connection reset');
    }
    const e = await storage.put('tenants/t1/uploads/broken.csv', broken()).catch((x: unknown) => x);
    expect((e as Error).message).toBe('connection reset');
    expect(operations()).toContain('AbortMultipartUpload');
    expect(s3.uploads.size).toBe(0);
    expect(s3.objects.size).toBe(0);
  });

  it('leaves nothing when the caller aborts', async () => {
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 40; i++) {
        if (i === 10) controller.abort();
        yield Buffer.alloc(1024 * 1024, 66);
        await new Promise((r) => setImmediate(r));
      }
    }
    const e = await storage.put('k/aborted.csv', slow(), { signal: controller.signal }).catch((x: unknown) => x);
    expect((e as Error).name).toBe('AbortError');
    expect(operations()).toContain('AbortMultipartUpload');
    expect(s3.uploads.size).toBe(0);
    expect(s3.objects.size).toBe(0);
  });

  it('surfaces a missing key from get as a NOT_FOUND stream error', async () => {
    const stream = storage.get('tenants/t1/uploads/missing.csv');
    const e = await readAll(stream).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('NOT_FOUND');
    expect((e as AppError).message).toBe('File was not found.');
  });

  it('reports a missing bucket as the S3 error, not as a missing file, and stops reading the body', async () => {
    const wrong = createS3Storage({ bucket: 'no-such-bucket', region: 'us-east-1', endpoint: s3.endpoint, accessKeyId: 'test', secretAccessKey: 'test-secret' });
    const body = Readable.from(generate(20, 1024 * 1024));
    await expect(wrong.put('k/a.csv', body)).rejects.toMatchObject({ name: 'NoSuchBucket' });
    expect(body.destroyed).toBe(true);
    const e = await readAll(wrong.get('k/a.csv')).catch((x: unknown) => x);
    expect(e).not.toBeInstanceOf(AppError);
    expect((e as Error).name).toBe('NoSuchBucket');
  });

  it('deletes, and deleting a missing key is fine', async () => {
    await storage.put('k/d.csv', [Buffer.from('x')]);
    await storage.delete('k/d.csv');
    expect(await storage.exists('k/d.csv')).toBe(false);
    await expect(storage.delete('k/d.csv')).resolves.toBeUndefined();
    await expect(storage.delete('k/never.csv')).resolves.toBeUndefined();
  });

  it('rejects unsafe keys before any request', async () => {
    await expect(storage.put('../escape.csv', [Buffer.from('x')])).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(() => storage.get('/abs.csv')).toThrow(AppError);
    await expect(storage.exists('a//b')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(storage.delete('a/../b')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(operations()).toEqual([]);
  });

  it('stops reading the object when the consumer destroys the stream early', async () => {
    await storage.put('k/partial.csv', generate(3, 1024 * 1024));
    const stream = storage.get('k/partial.csv');
    for await (const chunk of stream) {
      expect((chunk as Buffer).length).toBeGreaterThan(0);
      break; // destroys the stream
    }
    expect(stream.destroyed).toBe(true);
  });

  it('refuses a half-configured credential pair and an unsafe prefix', () => {
    expect(() => createS3Storage({ bucket: 'b', region: 'us-east-1', accessKeyId: 'only-id' })).toThrow(/both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/);
    expect(() => createS3Storage({ bucket: 'b', region: 'us-east-1', prefix: '../other' })).toThrow(/S3_PREFIX/);
  });

  it('uses parts of 8 MiB', () => {
    expect(S3_PART_SIZE).toBe(8 * 1024 * 1024);
  });
});

describe('datasetStorage()', () => {
  const saved = { ...process.env };
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'causeway-storage-select-'));
    vi.resetModules();
    delete (globalThis as { causewayStorage?: unknown }).causewayStorage;
  });
  afterEach(async () => {
    process.env = { ...saved };
    delete (globalThis as { causewayStorage?: unknown }).causewayStorage;
    vi.resetModules();
    await rm(dir, { recursive: true, force: true });
  });

  it('picks S3 when S3_BUCKET is set (path style by default with an endpoint)', async () => {
    Object.assign(process.env, {
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: 'test',
      S3_SECRET_ACCESS_KEY: 'test-secret',
      S3_PREFIX: 'env-prefix',
      STORAGE_DIR: dir,
    });
    const { datasetStorage } = await import('./dataset-storage');
    const result = await datasetStorage().put('tenants/t1/uploads/v1.csv', [Buffer.from('a,b\n')]);
    expect(result.bytes).toBe(4);
    expect(s3.objects.has('env-prefix/tenants/t1/uploads/v1.csv')).toBe(true);
    expect(await readdir(dir)).toEqual([]);
    expect(datasetStorage()).toBe(datasetStorage());
  });

  it('picks the local directory when S3_BUCKET is not set (or blank)', async () => {
    Object.assign(process.env, { S3_BUCKET: '', STORAGE_DIR: dir });
    const { datasetStorage } = await import('./dataset-storage');
    await datasetStorage().put('tenants/t1/uploads/v1.csv', [Buffer.from('a,b\n')]);
    expect(await readdir(path.join(dir, 'tenants', 't1', 'uploads'))).toEqual(['v1.csv']);
    expect(s3.objects.size).toBe(0);
  });

  it('parses the S3 variables', async () => {
    Object.assign(process.env, { S3_BUCKET: 'b', S3_REGION: '', S3_FORCE_PATH_STYLE: 'false', S3_ENDPOINT: 'http://minio:9000' });
    const { env } = await import('../../env');
    expect(env()).toMatchObject({ S3_BUCKET: 'b', S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false, S3_ENDPOINT: 'http://minio:9000' });
  });
});
