/**
 * A dataset upload sent as multipart/form-data (what `curl -F kind=students -F file=@x.csv`
 * and browsers' FormData send), read as a stream: the `file` part is handed on while it
 * arrives, never buffered. Text fields (`kind`, `name`, `filename`) must come before the file
 * part, because the upload starts as soon as the file does; they may also be given in the query
 * string. At most one file; anything else is a 400 that says what to change.
 */
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { apiError } from './problem';

const FIELD_NAMES = new Set(['kind', 'name', 'filename']);

export interface MultipartFile {
  /** Text fields that preceded the file part. */
  fields: Record<string, string>;
  /** The file name the client gave the part (may be empty). */
  filename: string;
  stream: Readable;
}

const refuse = (message: string) => apiError('BAD_REQUEST', 'INVALID_MULTIPART', message);

/**
 * Parses `body` as multipart/form-data and calls `handle` with the `file` part's stream; resolves
 * with its result once the whole body has been read. `maxFileBytes` caps the part (the handler
 * sees one byte more, so its own size check reports the limit).
 */
export function readMultipartFile<T>(contentType: string, body: Readable, maxFileBytes: number, handle: (file: MultipartFile) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fields: 10, fieldSize: 1024, parts: 11, fileSize: maxFileBytes + 1 } });
    } catch {
      reject(refuse('The multipart body has no usable boundary; send it with `Content-Type: multipart/form-data; boundary=…`.'));
      return;
    }
    const fields: Record<string, string> = {};
    let handled: Promise<T> | null = null;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      body.unpipe(parser);
      body.destroy();
      reject(error);
    };

    parser.on('field', (name, value, info) => {
      if (!FIELD_NAMES.has(name)) return fail(refuse(`Unknown form field “${name}”: send kind, name, filename and the file part named “file”.`));
      if (info.valueTruncated) return fail(refuse(`The form field “${name}” is too long.`));
      if (handled) return fail(refuse(`Put the form field “${name}” before the file part.`));
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || handled) {
        stream.resume();
        return fail(refuse(handled ? 'Send one file per upload.' : `The file part must be named “file” (got “${name}”).`));
      }
      handled = handle({ fields, filename: info.filename ?? '', stream });
      handled.catch((error: unknown) => {
        stream.resume();
        fail(error);
      });
    });
    parser.on('filesLimit', () => fail(refuse('Send one file per upload.')));
    parser.on('fieldsLimit', () => fail(refuse('Too many form fields: send kind, name, filename and the file.')));
    parser.on('partsLimit', () => fail(refuse('Too many parts in the multipart body.')));
    parser.on('error', (error: Error) => fail(refuse(`The multipart body is malformed (${error.message}).`)));
    parser.on('close', () => {
      if (failed) return;
      if (!handled) return fail(refuse('The multipart body has no file: send the data in a part named “file”.'));
      handled.then(resolve, fail);
    });
    body.on('error', fail);
    body.pipe(parser);
  });
}
