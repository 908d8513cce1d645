import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, notFound } from '../../errors/app-error';
import { formatBytes } from './csv-tokenizer';

/**
 * Where uploaded files live. Bodies are streamed in and out, never held in memory. Two
 * implementations: a local directory (below) and S3-compatible object storage (./s3-storage);
 * dataset-storage.ts picks one from configuration.
 *
 * Keys are relative paths of safe segments, e.g. `tenants/<uuid>/uploads/<uuid>.csv`; callers
 * always put the tenant id in the key.
 */
export interface PutOptions {
  /** Reject (and leave nothing behind) once the body passes this many bytes. */
  maxBytes?: number;
  contentType?: string;
  signal?: AbortSignal;
}

export interface PutResult {
  bytes: number;
  /** Lower-case hex SHA-256 of the body. */
  sha256: string;
}

export interface ObjectStorage {
  put(key: string, body: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options?: PutOptions): Promise<PutResult>;
  /** A stream of the object; it errors with AppError NOT_FOUND when the key does not exist. */
  get(key: string): Readable;
  /** Removes the object; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Throws unless the key is a relative path of safe segments (no '..', no absolute paths). */
export function assertStorageKey(key: string): void {
  const ok = key.length > 0 && key.length <= 512 && key.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
  if (!ok) throw new AppError('BAD_REQUEST', 'Invalid storage key.', { key });
}

export const tooLarge = (maxBytes: number): AppError =>
  new AppError('BAD_REQUEST', `The file is larger than the ${formatBytes(maxBytes)} limit. Split the export into smaller files or ask us to raise the limit.`, {
    maxBytes,
  });

/** Counts bytes, hashes, and fails once the limit is passed — shared by every implementation. */
export class MeasuringStream extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(tooLarge(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Objects as files under `root`. Writes go to a temporary file in the same directory, then rename atomically. */
export function createLocalStorage(root: string): ObjectStorage {
  const resolve = (key: string): string => {
    assertStorageKey(key);
    return path.join(root, ...key.split('/'));
  };
  return {
    async put(key, body, options = {}) {
      const target = resolve(key);
      await mkdir(path.dirname(target), { recursive: true });
      const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`);
      const meter = new MeasuringStream(options.maxBytes);
      const file = createWriteStream(temp, { flags: 'wx' });
      try {
        await pipeline(body, meter, file, { signal: options.signal });
        await rename(temp, target);
      } catch (error) {
        // A body that fails at once can reject before the file is even open; removing it then
        // would race the open that creates it, so wait until the stream has closed.
        if (!file.closed) await once(file, 'close').catch(() => undefined);
        await rm(temp, { force: true });
        throw error;
      }
      return { bytes: meter.bytes, sha256: meter.digest() };
    },

    get(key) {
      const file = resolve(key);
      const out = createReadStream(file);
      // Re-emit a missing file as NOT_FOUND rather than leaking the path in ENOENT.
      const wrapped = new Readable({
        read() {
          out.resume();
        },
        destroy(error, callback) {
          out.destroy();
          callback(error);
        },
      });
      out.on('data', (chunk) => {
        if (!wrapped.push(chunk)) out.pause();
      });
      out.on('end', () => wrapped.push(null));
      out.on('error', (error: NodeJS.ErrnoException) => wrapped.destroy(error.code === 'ENOENT' ? notFound('File') : error));
      return wrapped;
    },

    async delete(key) {
      await rm(resolve(key), { force: true });
    },

    async exists(key) {
      try {
        return (await stat(resolve(key))).isFile();
      } catch {
        return false;
      }
    },
  };
}
