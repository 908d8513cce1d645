/**
 * Multipart uploads as real clients encode them (the platform's FormData, as fetch and browsers
 * send it): the file part streams through with its fields; missing, extra or misplaced parts are
 * 400s that say what to change.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error';
import { readMultipartFile, type MultipartFile } from './multipart-upload';

async function encode(form: FormData): Promise<{ contentType: string; body: Readable }> {
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { contentType: request.headers.get('content-type')!, body: Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>) };
}

async function collect(file: MultipartFile): Promise<{ fields: Record<string, string>; filename: string; text: string }> {
  let text = '';
  for await (const chunk of file.stream) text += (chunk as Buffer).toString('utf8');
  return { fields: file.fields, filename: file.filename, text };
}

async function problem(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).details.problemCode).toBe('INVALID_MULTIPART');
  return (error as AppError).message;
}

const csv = 'id,name\n1,Ada\n2,Grace\n';

describe('readMultipartFile', () => {
  it('streams the file part with the fields sent before it', async () => {
    const form = new FormData();
    form.append('kind', 'students');
    form.append('name', 'Fall census');
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'students.csv');
    const { contentType, body } = await encode(form);
    const result = await readMultipartFile(contentType, body, 1024, collect);
    expect(result).toEqual({ fields: { kind: 'students', name: 'Fall census' }, filename: 'students.csv', text: csv });
  });

  it('hands the handler one byte more than the limit, so its size check can report it', async () => {
    const form = new FormData();
    form.append('file', new Blob(['x'.repeat(100)]), 'big.csv');
    const { contentType, body } = await encode(form);
    const result = await readMultipartFile(contentType, body, 10, collect);
    expect(result.text).toHaveLength(11);
  });

  it('explains a missing file, a wrongly named part, two files, unknown and late fields', async () => {
    const noFile = new FormData();
    noFile.append('kind', 'students');
    let encoded = await encode(noFile);
    expect(await problem(readMultipartFile(encoded.contentType, encoded.body, 1024, collect))).toMatch(/no file.*“file”/);

    const wrongName = new FormData();
    wrongName.append('upload', new Blob([csv]), 'a.csv');
    encoded = await encode(wrongName);
    expect(await problem(readMultipartFile(encoded.contentType, encoded.body, 1024, collect))).toMatch(/named “file” \(got “upload”\)/);

    const twoFiles = new FormData();
    twoFiles.append('file', new Blob([csv]), 'a.csv');
    twoFiles.append('file', new Blob([csv]), 'b.csv');
    encoded = await encode(twoFiles);
    expect(await problem(readMultipartFile(encoded.contentType, encoded.body, 1024, collect))).toMatch(/one file per upload/);

    const unknown = new FormData();
    unknown.append('colour', 'blue');
    unknown.append('file', new Blob([csv]), 'a.csv');
    encoded = await encode(unknown);
    expect(await problem(readMultipartFile(encoded.contentType, encoded.body, 1024, collect))).toMatch(/Unknown form field “colour”/);

    const late = new FormData();
    late.append('file', new Blob([csv]), 'a.csv');
    late.append('kind', 'students');
    encoded = await encode(late);
    expect(await problem(readMultipartFile(encoded.contentType, encoded.body, 1024, collect))).toMatch(/before the file part/);
  });

  it('refuses a body without a boundary or with a broken one', async () => {
    expect(await problem(readMultipartFile('multipart/form-data', Readable.from([Buffer.from(csv)]), 1024, collect))).toMatch(/boundary/);
    const truncated = Readable.from([Buffer.from('--abc\r\ncontent-disposition: form-data; name="file"; filename="a.csv"\r\n\r\n1,2\n')]);
    expect(await problem(readMultipartFile('multipart/form-data; boundary=abc', truncated, 1024, collect))).toMatch(/malformed|no file/);
  });

  it('passes the handler’s own error through and stops reading', async () => {
    const form = new FormData();
    form.append('file', new Blob([csv]), 'a.csv');
    const { contentType, body } = await encode(form);
    const failure = new AppError('BAD_REQUEST', 'Upload a .csv, .tsv or .txt file.');
    await expect(
      readMultipartFile(contentType, body, 1024, () => Promise.reject(failure)),
    ).rejects.toBe(failure);
  });
});
