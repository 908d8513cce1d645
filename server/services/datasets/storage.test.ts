import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error';
import { assertStorageKey, createLocalStorage, type ObjectStorage } from './storage';

let root: string;
let storage: ObjectStorage;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'causeway-storage-'));
  storage = createLocalStorage(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const readAll = async (r: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};
async function* generate(chunks: number, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < chunks; i++) yield Buffer.alloc(size, 65 + (i % 26));
}
const listAll = async (dir: string): Promise<string[]> => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);

describe('local storage', () => {
  it('streams a body in and out, with byte count and SHA-256', async () => {
    const key = 'tenants/t1/uploads/a.csv';
    const expected = await readAll(Readable.from(generate(40, 64 * 1024)));
    const result = await storage.put(key, generate(40, 64 * 1024));
    expect(result).toEqual({ bytes: 40 * 64 * 1024, sha256: createHash('sha256').update(expected).digest('hex') });
    expect(await storage.exists(key)).toBe(true);
    expect((await readAll(storage.get(key))).equals(expected)).toBe(true);
    expect(await listAll(root)).toEqual(['a.csv']);
  });

  it('accepts a Node Readable and replaces an existing object', async () => {
    await storage.put('k/x.csv', Readable.from([Buffer.from('old')]));
    const r = await storage.put('k/x.csv', Readable.from([Buffer.from('new!')]));
    expect(r.bytes).toBe(4);
    expect((await readAll(storage.get('k/x.csv'))).toString()).toBe('new!');
  });

  it('rejects a body over the size limit and leaves nothing behind', async () => {
    const e = await storage.put('tenants/t1/uploads/big.csv', generate(20, 1024 * 1024), { maxBytes: 5 * 1024 * 1024 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).message).toBe('The file is larger than the 5 MB limit. Split the export into smaller files or ask us to raise the limit.');
    expect(await storage.exists('tenants/t1/uploads/big.csv')).toBe(false);
    expect(await listAll(root)).toEqual([]);
  });

  it('removes the partial file when the upload stream fails', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(1000);
      throw new Error('connection reset');
    }
    await expect(storage.put('u/y.csv', broken())).rejects.toThrow('connection reset');
    expect(await listAll(root)).toEqual([]);
  });

  it('removes the partial file when the upload is aborted', async () => {
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(1000);
      controller.abort();
      yield Buffer.alloc(1000);
    }
    await expect(storage.put('u/z.csv', slow(), { signal: controller.signal })).rejects.toThrow();
    expect(await listAll(root)).toEqual([]);
  });

  it('reports a missing key as NOT_FOUND and deletes idempotently', async () => {
    const e = await readAll(storage.get('nope/x.csv')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('NOT_FOUND');
    await storage.put('d/x.csv', [Buffer.from('x')]);
    await storage.delete('d/x.csv');
    await storage.delete('d/x.csv');
    expect(await storage.exists('d/x.csv')).toBe(false);
  });

  it('refuses keys that could escape the root', () => {
    for (const bad of ['../x', '/etc/passwd', 'a/../../b', 'a//b', '', 'a\\b', '.hidden', 'a/./b']) {
      expect(() => assertStorageKey(bad), bad).toThrow(AppError);
    }
    expect(() => assertStorageKey('tenants/3f2a/uploads/file-1.csv')).not.toThrow();
  });
});
