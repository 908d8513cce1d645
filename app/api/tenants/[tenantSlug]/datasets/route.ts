/**
 * Upload of a dataset file from the portal: the request body is the file itself, streamed to
 * storage (never buffered); kind, name and filename come in the query string.
 * POST /api/tenants/{slug}/datasets?kind=students&filename=students.csv[&name=…]
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { appDb } from '../../../../../db';
import { auth } from '../../../../../server/auth';
import { env } from '../../../../../server/env';
import { AppError } from '../../../../../server/errors/app-error';
import { problemResponse } from '../../../../../server/errors/problem-response';
import { datasetStorage } from '../../../../../server/services/datasets/dataset-storage';
import { uploadDataset } from '../../../../../server/services/datasets/upload-dataset';
import { getTenantMembership } from '../../../../../server/services/tenants/get-tenant-membership';

export async function POST(request: Request, { params }: { params: Promise<{ tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const url = new URL(request.url);
  try {
    const session = await auth();
    if (!session?.user?.id) throw new AppError('UNAUTHORIZED', 'Sign in to upload files.');
    const membership = await getTenantMembership(appDb(), session.user.id, tenantSlug);
    if (!request.body) throw new AppError('BAD_REQUEST', 'The request has no file in its body.');
    const actor = {
      tenantId: membership.tenantId,
      userId: session.user.id,
      role: membership.role,
      ip: request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? null,
    };
    const uploaded = await uploadDataset(
      appDb(),
      datasetStorage(),
      actor,
      {
        kind: url.searchParams.get('kind') as never,
        name: url.searchParams.get('name') ?? undefined,
        filename: url.searchParams.get('filename') ?? '',
      },
      Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>),
      { maxBytes: env().UPLOAD_MAX_BYTES },
    );
    return Response.json(uploaded, { status: 201 });
  } catch (error) {
    return problemResponse(error, url.pathname);
  }
}
