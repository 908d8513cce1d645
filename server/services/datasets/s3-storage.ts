import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { notFound } from '../../errors/app-error';
import { assertStorageKey, MeasuringStream, type ObjectStorage } from './storage';

/**
 * ObjectStorage on Amazon S3 or an S3-compatible service (MinIO, Ceph RGW, Cloudflare R2, …).
 *
 * put streams the body through MeasuringStream (bytes, SHA-256, size limit) into a multipart
 * upload: at most PART_SIZE × (QUEUE_SIZE + 1) bytes are buffered whatever the file's size. A
 * body of one part or less goes up as a single PutObject once it has ended. When the limit is
 * passed, the body errors or the caller aborts, the multipart upload is aborted (its parts are
 * discarded) before put rejects, and no object is written.
 */
export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** For S3-compatible services, e.g. `http://minio:9000`. Leave out for AWS. */
  endpoint?: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key`; most S3-compatible services need it. */
  forcePathStyle?: boolean;
  /** Both or neither; without them the SDK's default chain is used (environment, profile, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Prepended to every key, e.g. `causeway/production`. */
  prefix?: string;
}

/** Multipart part size and how many parts are in flight at once (memory ≈ PART_SIZE × (QUEUE_SIZE + 1)). */
export const S3_PART_SIZE = 8 * 1024 * 1024;
export const S3_QUEUE_SIZE = 2;

export function createS3Storage(options: S3StorageOptions): ObjectStorage {
  const { bucket } = options;
  if (!bucket) throw new Error('S3 storage needs a bucket (S3_BUCKET).');
  if (Boolean(options.accessKeyId) !== Boolean(options.secretAccessKey)) {
    throw new Error('Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (to use the default AWS credential chain).');
  }
  const prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix) {
    try {
      assertStorageKey(prefix);
    } catch {
      throw new Error(`S3_PREFIX "${options.prefix}" must be a relative path of letters, digits, '.', '_' and '-' segments.`);
    }
  }

  const config: S3ClientConfig = {
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
    credentials: options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined,
    // S3-compatible services do not all accept the SDK's default CRC32 checksums (x-amz-checksum-*
    // headers, checksummed multipart uploads); send and validate them only where S3 requires it.
    ...(options.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
  };
  const client = new S3Client(config);

  const objectKey = (key: string): string => {
    assertStorageKey(key);
    return prefix ? `${prefix}/${key}` : key;
  };

  return {
    async put(key, body, putOptions = {}) {
      const Key = objectKey(key);
      const meter = new MeasuringStream(putOptions.maxBytes);
      // The body feeds the meter; the upload reads the meter. A failure of the body, the limit or
      // the caller's signal destroys the meter with that error, the upload's read fails with it,
      // and the upload aborts the multipart upload before rejecting with that same error. When the
      // upload fails on its own (network, permissions), the body is destroyed in turn.
      let feedError: unknown;
      const feeding = pipeline(toReadable(body), meter, { signal: putOptions.signal }).catch((error: unknown) => {
        feedError = error;
      });
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key, Body: meter, ContentType: putOptions.contentType },
        partSize: S3_PART_SIZE,
        queueSize: S3_QUEUE_SIZE,
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        meter.destroy(toError(error));
        await feeding;
        throw error;
      }
      await feeding;
      if (feedError) throw feedError;
      return { bytes: meter.bytes, sha256: meter.digest() };
    },

    get(key) {
      const Key = objectKey(key);
      const out = new PassThrough();
      const controller = new AbortController();
      out.once('close', () => controller.abort());
      client
        .send(new GetObjectCommand({ Bucket: bucket, Key }), { abortSignal: controller.signal })
        .then(async (response) => {
          const source = response.Body;
          if (!(source instanceof Readable)) throw new Error('S3 GetObject returned no readable body.');
          if (out.destroyed) {
            source.destroy();
            return;
          }
          await pipeline(source, out);
        })
        .catch((error: unknown) => {
          if (!out.destroyed) out.destroy(isMissing(error) ? notFound('File') : toError(error));
        });
      return out;
    },

    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
      } catch (error) {
        // S3 answers 204 for a missing key; some compatible services answer NoSuchKey.
        if (!isMissing(error)) throw error;
      }
    },

    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}

type Body = Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
const toReadable = (body: Body): Readable => (body instanceof Readable ? body : Readable.from(body, { objectMode: false }));

/** NoSuchKey (GetObject), NotFound (HeadObject: no error body) — but not a missing bucket, which is a configuration error. */
function isMissing(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.name === 'NoSuchBucket' || e.Code === 'NoSuchBucket') return false;
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
