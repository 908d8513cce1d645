import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny in-memory S3 for tests only — never for anything else.
 *
 * Path-style requests (`/<bucket>/<key>`) on 127.0.0.1 at an ephemeral port, one bucket, exactly
 * the operations the SDK issues for s3-storage.ts: PutObject, CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload, GetObject, HeadObject, DeleteObject. Responses
 * use S3's XML shapes and error codes (NoSuchKey 404, NoSuchUpload 404, NoSuchBucket 404,
 * InvalidPart 400); anything else answers 501 NotImplemented.
 *
 * It does NOT verify signatures: any (or no) SigV4 Authorization header is accepted. Checksum
 * headers (x-amz-checksum-*, Content-MD5) are ignored, and aws-chunked bodies are refused.
 */
export interface FakeS3Object {
  body: Buffer;
  contentType?: string;
  etag: string;
}

export interface FakeS3 {
  endpoint: string;
  bucket: string;
  /** Stored objects by full key (prefix included). */
  objects: Map<string, FakeS3Object>;
  /** Multipart uploads that were created and neither completed nor aborted. */
  uploads: Map<string, { key: string; parts: Map<number, { body: Buffer; etag: string }> }>;
  /** One line per request: `<Operation> <key>`. */
  log: string[];
  close(): Promise<void>;
}

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');
const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeS3(bucket = 'causeway-test'): Promise<FakeS3> {
  const objects = new Map<string, FakeS3Object>();
  const uploads: FakeS3['uploads'] = new Map();
  const log: string[] = [];

  const send = (res: ServerResponse, status: number, xml?: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'x-amz-request-id': randomUUID(), ...(xml ? { 'content-type': 'application/xml' } : {}), ...headers });
    res.end(xml ? XML_HEAD + xml : undefined);
  };
  const fail = (res: ServerResponse, status: number, code: string, message: string, extra = '', head = false): void => {
    // HEAD responses carry no body; the SDK then reports the status (404 → NotFound).
    send(res, status, head ? undefined : `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${extra}<RequestId>fake</RequestId></Error>`);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-s3');
    const [first = '', ...rest] = url.pathname.slice(1).split('/');
    const reqBucket = decodeURIComponent(first);
    const key = rest.map(decodeURIComponent).join('/');
    const method = req.method ?? 'GET';
    const query = url.searchParams;
    const uploadId = query.get('uploadId');
    const head = method === 'HEAD';

    if (reqBucket !== bucket) return fail(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', `<BucketName>${xmlEscape(reqBucket)}</BucketName>`, head);
    if (!key) return fail(res, 501, 'NotImplemented', 'Bucket-level operations are not implemented by the fake.', '', head);
    if ((req.headers['content-encoding'] ?? '').includes('aws-chunked')) {
      return fail(res, 501, 'NotImplemented', 'aws-chunked bodies are not implemented by the fake.');
    }
    const keyXml = `<Key>${xmlEscape(key)}</Key>`;
    const noSuchUpload = (): void => fail(res, 404, 'NoSuchUpload', 'The specified upload does not exist.', `<UploadId>${xmlEscape(uploadId ?? '')}</UploadId>`);

    if (method === 'PUT' && uploadId !== null) {
      log.push(`UploadPart ${key}`);
      const body = await readBody(req);
      const upload = uploads.get(uploadId);
      if (!upload || upload.key !== key) return noSuchUpload();
      const partNumber = Number(query.get('partNumber'));
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) return fail(res, 400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000.');
      const etag = `"${md5(body)}"`;
      upload.parts.set(partNumber, { body, etag });
      return send(res, 200, undefined, { etag });
    }
    if (method === 'PUT') {
      log.push(`PutObject ${key}`);
      const body = await readBody(req);
      const etag = `"${md5(body)}"`;
      objects.set(key, { body, etag, contentType: req.headers['content-type'] });
      return send(res, 200, undefined, { etag });
    }
    if (method === 'POST' && query.has('uploads')) {
      log.push(`CreateMultipartUpload ${key}`);
      await readBody(req);
      const id = randomUUID();
      uploads.set(id, { key, parts: new Map() });
      return send(res, 200, `<InitiateMultipartUploadResult><Bucket>${xmlEscape(bucket)}</Bucket>${keyXml}<UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
    }
    if (method === 'POST' && uploadId !== null) {
      log.push(`CompleteMultipartUpload ${key}`);
      const xml = (await readBody(req)).toString('utf8');
      const upload = uploads.get(uploadId);
      if (!upload || upload.key !== key) return noSuchUpload();
      const listed = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
        partNumber: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1] ?? '')?.[1]),
        etag: (/<ETag>([^<]*)<\/ETag>/.exec(m[1] ?? '')?.[1] ?? '').replace(/&quot;/g, '"'),
      }));
      if (listed.length === 0) return fail(res, 400, 'MalformedXML', 'The XML you provided was not well-formed.');
      const bodies: Buffer[] = [];
      for (const [i, p] of listed.entries()) {
        const stored = upload.parts.get(p.partNumber);
        if (!stored || stored.etag !== p.etag) return fail(res, 400, 'InvalidPart', `Part ${p.partNumber} was not uploaded or its ETag does not match.`);
        if (i > 0 && p.partNumber <= (listed[i - 1]?.partNumber ?? 0)) return fail(res, 400, 'InvalidPartOrder', 'The parts must be listed in ascending order.');
        if (i < listed.length - 1 && stored.body.length < 5 * 1024 * 1024) return fail(res, 400, 'EntityTooSmall', 'A part other than the last is smaller than 5 MiB.');
        bodies.push(stored.body);
      }
      const etag = `"${md5(Buffer.from(listed.map((p) => p.etag.replace(/"/g, '')).join(''), 'hex'))}-${listed.length}"`;
      objects.set(key, { body: Buffer.concat(bodies), etag });
      uploads.delete(uploadId);
      return send(
        res,
        200,
        `<CompleteMultipartUploadResult><Location>http://fake-s3/${xmlEscape(bucket)}/${xmlEscape(key)}</Location><Bucket>${xmlEscape(bucket)}</Bucket>${keyXml}<ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`,
      );
    }
    if (method === 'DELETE' && uploadId !== null) {
      log.push(`AbortMultipartUpload ${key}`);
      const upload = uploads.get(uploadId);
      if (!upload || upload.key !== key) return noSuchUpload();
      uploads.delete(uploadId);
      return send(res, 204);
    }
    if (method === 'DELETE') {
      log.push(`DeleteObject ${key}`);
      objects.delete(key);
      return send(res, 204);
    }
    if (method === 'GET' || method === 'HEAD') {
      log.push(`${head ? 'HeadObject' : 'GetObject'} ${key}`);
      const object = objects.get(key);
      if (!object) return fail(res, 404, 'NoSuchKey', 'The specified key does not exist.', keyXml, head);
      res.writeHead(200, {
        'x-amz-request-id': randomUUID(),
        'content-length': String(object.body.length),
        'content-type': object.contentType ?? 'binary/octet-stream',
        etag: object.etag,
        'last-modified': new Date(0).toUTCString(),
      });
      res.end(head ? undefined : object.body);
      return;
    }
    return fail(res, 501, 'NotImplemented', `${method} ${url.search} is not implemented by the fake.`, '', head);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) fail(res, 500, 'InternalError', String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    objects,
    uploads,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
